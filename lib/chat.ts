/**
 * The words and buttons of the Telegram chat, for delivery (`jobs/`, a notice's buttons)
 * and the bot (`bot/`, replies and edited messages) alike. A notice's own words are
 * `lib/messages.ts`'s, a session's state is `lib/status_words.ts`'s, and a refusal is
 * passed in as `routes/outcomes.ts` words it: nothing here translates an outcome again.
 */
import { formatSession, MONTHS, WEEKDAYS } from "./messages.ts";
import { statusWords } from "./status_words.ts";
import type { Actor, Appointment } from "../domain/types.ts";

/** An inline keyboard as the Bot API takes it. */
export type Keyboard = Readonly<{
  inline_keyboard: { text: string; callback_data: string }[][];
}>;

/** What a button asks for. Callback data is `<token>:<code>`; the token alone authorises. */
export type Press =
  | Readonly<{ do: "confirm" | "decline" | "cancel" | "yes" | "keep" | "days" }>
  | Readonly<{ do: "day" | "slot"; index: number }>;

const CODES = {
  confirm: "ok",
  decline: "no",
  cancel: "c",
  yes: "y",
  keep: "k",
  days: "back",
} as const;

const code = (p: Press) => "index" in p ? `${p.do[0]}${p.index}` : CODES[p.do];

/** A button's callback data: the message's token and what the button asks for. */
export const callbackData = (token: string, press: Press) =>
  `${token}:${code(press)}`;

/** The token and press of callback data, or `undefined` for anything else. */
export function parseCallback(
  data: unknown,
): Readonly<{ token: string; press: Press }> | undefined {
  if (typeof data !== "string") return undefined;
  const match = /^([\w-]{22}):(ok|no|c|y|k|back|d\d{1,2}|s\d{1,3})$/.exec(data);
  if (!match) return undefined;
  const [, token, c] = match;
  const named = Object.entries(CODES).find(([, v]) => v === c);
  if (named) return { token, press: { do: named[0] } as Press };
  return {
    token,
    press: { do: c[0] === "d" ? "day" : "slot", index: Number(c.slice(1)) },
  };
}

const button = (text: string, token: string, press: Press) => ({
  text,
  callback_data: callbackData(token, press),
});

const rowsOf = <T>(items: readonly T[], size: number): T[][] =>
  Array.from(
    { length: Math.ceil(items.length / size) },
    (_, i) => items.slice(i * size, i * size + size),
  );

/** The button texts (a cancel's second press starts with "Yes"). */
export const BUTTONS = {
  confirm: "Confirm",
  decline: "Decline",
  cancel: "Cancel",
  yes: "Yes, cancel it",
  keep: "No, keep it",
  otherDays: "« Other days",
} as const;

/** Confirm and Decline, on a request to the trainer. */
export const requestKeyboard = (token: string): Keyboard => ({
  inline_keyboard: [[
    button(BUTTONS.confirm, token, { do: "confirm" }),
    button(BUTTONS.decline, token, { do: "decline" }),
  ]],
});

/** Cancel, on a message about a live session. */
export const sessionKeyboard = (token: string): Keyboard => ({
  inline_keyboard: [[button(BUTTONS.cancel, token, { do: "cancel" })]],
});

/** The second press of a cancel: "Yes…" cancels, the other keeps the session. */
export const askKeyboard = (token: string): Keyboard => ({
  inline_keyboard: [[
    button(BUTTONS.yes, token, { do: "yes" }),
    button(BUTTONS.keep, token, { do: "keep" }),
  ]],
});

/** No buttons: what an edited message has once its buttons no longer apply. */
export const NO_BUTTONS: Keyboard = { inline_keyboard: [] };

const two = (n: number) => String(n).padStart(2, "0");
const dayLabel = (date: string) => {
  const d = Temporal.PlainDate.from(date);
  return `${WEEKDAYS[d.dayOfWeek - 1]} ${d.day} ${MONTHS[d.month - 1]}`;
};
const longDay = (date: string) =>
  `${dayLabel(date)} ${Temporal.PlainDate.from(date).year}`;
const wall = (at: Temporal.Instant, timezone: string) => {
  const z = at.toZonedDateTimeISO(timezone);
  return `${two(z.hour)}:${two(z.minute)}`;
};

/** The days `/book` offers, three to a row. */
export const daysKeyboard = (token: string, dates: readonly string[]) => ({
  inline_keyboard: rowsOf(
    dates.map((d, index) => button(dayLabel(d), token, { do: "day", index })),
    3,
  ),
});

/** One day's free times, four to a row, and the way back to the days. */
export const slotsKeyboard = (
  token: string,
  starts: readonly Temporal.Instant[],
  timezone: string,
): Keyboard => ({
  inline_keyboard: [
    ...rowsOf(
      starts.map((s, index) =>
        button(wall(s, timezone), token, { do: "slot", index })
      ),
      4,
    ),
    [button(BUTTONS.otherDays, token, { do: "days" })],
  ],
});

/** A message's text with a line saying what happened under it. */
export const withLine = (text: string, line: string) => `${text}\n\n${line}`;

/** `answerCallbackQuery` takes at most 200 characters. */
export const shortAnswer = (text: string) =>
  text.length <= 200 ? text : `${text.slice(0, 199)}…`;

type SessionView = Pick<
  Appointment,
  | "start"
  | "end"
  | "timezone"
  | "status"
  | "cancelledBy"
  | "declined"
  | "clientName"
  | "trainerName"
>;

const otherSide = (a: SessionView, viewer: Actor) =>
  viewer === "client" ? a.trainerName : a.clientName;

const whenOf = (a: SessionView) =>
  formatSession(a.start.toString(), a.end.toString(), a.timezone);

/** One session, for its reader: when, with whom, and its state in the web's words. */
export const sessionLine = (
  a: SessionView,
  viewer: Actor,
  now: Temporal.Instant,
) =>
  `${whenOf(a)} with ${otherSide(a, viewer)}: ${
    statusWords(a, viewer, now).text
  }.`;

/** The chat's own words (prompts, who may press, commands). */
export const CHAT = {
  notYourChat:
    "These buttons belong to another chat or account. Nothing was changed.",
  notLinkedPress:
    "This chat is not connected to Spotter, so nothing was changed.",
  gone: "These buttons no longer work. Nothing was changed.",
  closed: "These buttons no longer apply. Nothing was changed.",
  pickerUsed: "This list was already used. Send /book for a new one.",
  asked: "Cancel this session? Nothing changes until you press “Yes”.",
  kept: "Kept: nothing was changed.",
  failed:
    "Something went wrong on our side. Nothing was changed; please try again in a moment.",
  privateOnly: "Please write to me in a private chat.",
  trainerBooks:
    "Clients book in the chat; you book for a client on your schedule.",
  trainerMy: "/my lists a client's upcoming sessions. Send /today or /next.",
} as const;

/** Why a press changed nothing: the session is not as the message showed it. */
export const nowLine = (
  a: SessionView,
  viewer: Actor,
  now: Temporal.Instant,
) => `Now: ${sessionLine(a, viewer, now)}`;

/** What a press did, for the edited message and the answer. */
export function doneLine(
  event: "confirmed" | "declined" | "cancelled",
  a: SessionView,
  viewer: Actor,
): string {
  const told = `${otherSide(a, viewer)} has been told.`;
  const what = event === "confirmed"
    ? "Confirmed"
    : event === "declined"
    ? "Declined"
    : "Cancelled";
  return `${what}. ${told}`;
}

/** How a chat that is not linked gets linked. */
export const notLinkedText = (appUrl: string) =>
  "This chat is not connected to Spotter. To connect it, sign in at " +
  `${appUrl}/profile, press “Connect Telegram” and open the link on this device.`;

/** The commands as `setMyCommands` registers them (the menu Telegram shows). */
export const COMMANDS = [
  { command: "today", description: "Today's sessions" },
  { command: "next", description: "Your next session or class" },
  { command: "book", description: "Book a session (clients)" },
  { command: "my", description: "Your upcoming sessions, to cancel one" },
  { command: "reminders", description: "Reminders: /reminders off or on" },
  { command: "help", description: "What this bot does" },
  { command: "stop", description: "Disconnect this chat" },
] as const;

/** `/help`: what the bot does for this reader. */
export function helpText(role: Actor | undefined, appUrl: string): string {
  if (!role) {
    return [
      "This bot sends your Spotter reminders and session notices, and lets you confirm, cancel and book from the chat.",
      notLinkedText(appUrl),
    ].join("\n\n");
  }
  const lines = role === "trainer"
    ? [
      "/today: today's sessions and classes",
      "/next: your next session or class",
      "/reminders off or /reminders on: your own reminders",
      "/stop: disconnect this chat",
      "Requests come with Confirm and Decline, bookings with Cancel.",
    ]
    : [
      "/book: book a session",
      "/my: your upcoming sessions, each with Cancel",
      "/today: your sessions today",
      "/next: your next session or class",
      "/reminders off or /reminders on: your reminders",
      "/stop: disconnect this chat",
    ];
  return [
    "Spotter in Telegram: reminders, notices and buttons to act on them.",
    ...lines,
  ].join("\n");
}

/** A class on a day's list or as the next thing on. */
export type ClassView = Readonly<{
  title: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
  timezone: string;
  booked: number;
  capacity: number;
  trainerName: string;
}>;

const classLine = (c: ClassView, viewer: Actor) =>
  viewer === "trainer"
    ? `${c.title} (class, ${c.booked} of ${c.capacity} booked)`
    : `${c.title} (class with ${c.trainerName})`;

/** `/today`: the day's sessions and classes in order, each client named for a trainer. */
export function todayText(
  input: Readonly<{
    viewer: Actor;
    date: string;
    timezone: string;
    now: Temporal.Instant;
    sessions: readonly SessionView[];
    classes: readonly ClassView[];
  }>,
): string {
  const { viewer, timezone } = input;
  const items = [
    ...input.sessions.map((a) => ({
      start: a.start,
      line: `${wall(a.start, timezone)}–${wall(a.end, timezone)} ${
        viewer === "trainer" ? a.clientName : `Session with ${a.trainerName}`
      }: ${statusWords(a, viewer, input.now).text}`,
    })),
    ...input.classes.map((c) => ({
      start: c.start,
      line: `${wall(c.start, timezone)}–${wall(c.end, timezone)} ${
        classLine(c, viewer)
      }`,
    })),
  ].sort((a, b) => Temporal.Instant.compare(a.start, b.start));
  const head = `Today, ${longDay(input.date)} (${timezone})`;
  if (items.length === 0) {
    return `${head}: nothing is booked.${
      viewer === "client" ? " Send /book to book a session." : ""
    }`;
  }
  return [`${head}:`, ...items.map((i) => i.line)].join("\n");
}

/** `/next`: the reader's next session or class, whichever starts first. */
export function nextText(
  input: Readonly<{
    viewer: Actor;
    now: Temporal.Instant;
    session: SessionView | undefined;
    groupClass: ClassView | undefined;
  }>,
): string {
  const { session: a, groupClass: c, viewer, now } = input;
  const classFirst = c &&
    (!a || Temporal.Instant.compare(c.start, a.start) < 0);
  if (c && classFirst) {
    return `Next: ${
      formatSession(c.start.toString(), c.end.toString(), c.timezone)
    }, ${classLine(c, viewer)}.`;
  }
  if (a) return `Next: ${sessionLine(a, viewer, now)}`;
  return `Nothing is booked ahead.${
    viewer === "client" ? " Send /book to book a session." : ""
  }`;
}

/** `/my` when nothing is ahead. */
export const NOTHING_AHEAD =
  "You have no upcoming sessions. Send /book to book one.";

/** `/book`'s first step: the days with free times. */
export function daysText(trainerName: string, dates: readonly string[]) {
  return dates.length
    ? `Book a session with ${trainerName}. Pick a day:`
    : `${trainerName} has no free times in the next 7 days.`;
}

/** `/book`'s second step: one day's free times (or none left). */
export function slotsText(date: string, timezone: string, free: number) {
  return free
    ? `Free times on ${longDay(date)} (${timezone}). Pick one:`
    : `No free times are left on ${longDay(date)}. Pick another day:`;
}

/** `/book`'s last step: what was booked, as the confirmation screen says it. */
export function bookedText(a: SessionView) {
  return a.status === "pending"
    ? `Requested: ${
      whenOf(a)
    } with ${a.trainerName}. It waits for ${a.trainerName} to confirm; you will be told here.`
    : `Booked: ${
      whenOf(a)
    } with ${a.trainerName}. Send /my to see or cancel your sessions.`;
}

/** `/reminders`: the reader's own reminders, and how to switch them. */
export function remindersText(on: boolean, changed: boolean) {
  const state = on
    ? "Reminders are on: you get one before each session and class."
    : "Reminders are off: no reminder comes until you switch them on.";
  return changed
    ? state
    : `${state} Send /reminders ${on ? "off" : "on"} to switch.`;
}
