/**
 * The words and buttons of the Telegram chat, for delivery (`jobs/`, a notice's buttons)
 * and the bot (`bot/`, replies and edited messages) alike. A notice's own words are
 * `lib/messages.ts`'s, a session's state is `lib/status_words.ts`'s, and a refusal is
 * passed in as `routes/outcomes.ts` words it: nothing here translates an outcome again.
 * Everything is said in the reader's locale, through the catalogues (`lib/i18n.ts`).
 */
import { formatSession } from "./messages.ts";
import { statusWords } from "./status_words.ts";
import {
  formatDay,
  formatTime,
  type Locale,
  type MessageKey,
  type MessageValues,
  t,
} from "./i18n.ts";
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

/** The button texts in `locale` (a cancel's second press starts with "Yes"). */
export const buttonWords = (locale: Locale) => ({
  confirm: t(locale, "chat.button.confirm"),
  decline: t(locale, "chat.button.decline"),
  cancel: t(locale, "chat.button.cancel"),
  yes: t(locale, "chat.button.yes"),
  keep: t(locale, "chat.button.keep"),
  otherDays: t(locale, "chat.button.other_days"),
} as const);

/** The button texts in English. */
export const BUTTONS = buttonWords("en");

/** Confirm and Decline, on a request to the trainer. */
export const requestKeyboard = (
  token: string,
  locale: Locale = "en",
): Keyboard => {
  const b = buttonWords(locale);
  return {
    inline_keyboard: [[
      button(b.confirm, token, { do: "confirm" }),
      button(b.decline, token, { do: "decline" }),
    ]],
  };
};

/** Cancel, on a message about a live session. */
export const sessionKeyboard = (
  token: string,
  locale: Locale = "en",
): Keyboard => ({
  inline_keyboard: [[
    button(buttonWords(locale).cancel, token, { do: "cancel" }),
  ]],
});

/** The second press of a cancel: "Yes…" cancels, the other keeps the session. */
export const askKeyboard = (
  token: string,
  locale: Locale = "en",
): Keyboard => {
  const b = buttonWords(locale);
  return {
    inline_keyboard: [[
      button(b.yes, token, { do: "yes" }),
      button(b.keep, token, { do: "keep" }),
    ]],
  };
};

/** No buttons: what an edited message has once its buttons no longer apply. */
export const NO_BUTTONS: Keyboard = { inline_keyboard: [] };

const dayLabel = (date: string, locale: Locale) =>
  formatDay(locale, Temporal.PlainDate.from(date), false);
const longDay = (date: string, locale: Locale) =>
  formatDay(locale, Temporal.PlainDate.from(date));
const wall = (at: Temporal.Instant, timezone: string, locale: Locale) =>
  formatTime(locale, at.toZonedDateTimeISO(timezone));

/** The days `/book` offers, three to a row. */
export const daysKeyboard = (
  token: string,
  dates: readonly string[],
  locale: Locale = "en",
) => ({
  inline_keyboard: rowsOf(
    dates.map((d, index) =>
      button(dayLabel(d, locale), token, { do: "day", index })
    ),
    3,
  ),
});

/** One day's free times, four to a row, and the way back to the days. */
export const slotsKeyboard = (
  token: string,
  starts: readonly Temporal.Instant[],
  timezone: string,
  locale: Locale = "en",
): Keyboard => ({
  inline_keyboard: [
    ...rowsOf(
      starts.map((s, index) =>
        button(wall(s, timezone, locale), token, { do: "slot", index })
      ),
      4,
    ),
    [button(buttonWords(locale).otherDays, token, { do: "days" })],
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

const whenOf = (a: SessionView, locale: Locale) =>
  formatSession(a.start.toString(), a.end.toString(), a.timezone, locale);

/** One session, for its reader: when, with whom, and its state in the web's words. */
export const sessionLine = (
  a: SessionView,
  viewer: Actor,
  now: Temporal.Instant,
  locale: Locale = "en",
) =>
  t(locale, "chat.session_line", {
    when: whenOf(a, locale),
    other: otherSide(a, viewer),
    status: statusWords(a, viewer, now, locale).text,
  });

/** The chat's own words (prompts, who may press, commands) in `locale`. */
export const chatWords = (locale: Locale) => ({
  notYourChat: t(locale, "chat.not_your_chat"),
  notLinkedPress: t(locale, "chat.not_linked_press"),
  gone: t(locale, "chat.gone"),
  closed: t(locale, "chat.closed"),
  pickerUsed: t(locale, "chat.picker_used"),
  asked: t(locale, "chat.asked"),
  kept: t(locale, "chat.kept"),
  failed: t(locale, "chat.failed"),
  privateOnly: t(locale, "chat.private_only"),
  trainerMy: t(locale, "chat.trainer_my"),
} as const);

/** The chat's own words in English. */
export const CHAT = chatWords("en");

/** Any one of the chat's messages by key, in `locale` (the bot's one-off replies). */
export const chatText = (
  locale: Locale,
  key: MessageKey & `chat.${string}`,
  values?: MessageValues,
) => t(locale, key, values);

/** Why a press changed nothing: the session is not as the message showed it. */
export const nowLine = (
  a: SessionView,
  viewer: Actor,
  now: Temporal.Instant,
  locale: Locale = "en",
) => t(locale, "chat.now", { line: sessionLine(a, viewer, now, locale) });

/** What a press did, for the edited message and the answer. */
export function doneLine(
  event: "confirmed" | "declined" | "cancelled",
  a: SessionView,
  viewer: Actor,
  locale: Locale = "en",
): string {
  return t(locale, `chat.done.${event}`, { other: otherSide(a, viewer) });
}

/** How a chat that is not linked gets linked. */
export const notLinkedText = (appUrl: string, locale: Locale = "en") =>
  t(locale, "chat.not_linked", { link: `${appUrl}/profile` });

const COMMAND_NAMES = [
  "today",
  "next",
  "book",
  "my",
  "reminders",
  "help",
  "stop",
] as const;

/** The commands as `setMyCommands` registers them (the menu Telegram shows) in `locale`. */
export const commandsIn = (locale: Locale) =>
  COMMAND_NAMES.map((command) => ({
    command,
    description: t(locale, `chat.command.${command}`),
  }));

/** The commands' menu in English (Telegram's default for any other language). */
export const COMMANDS = commandsIn("en");

/** `/help`: what the bot does for this reader. */
export function helpText(
  role: Actor | undefined,
  appUrl: string,
  locale: Locale = "en",
): string {
  if (!role) {
    return [
      t(locale, "chat.help.unlinked"),
      notLinkedText(appUrl, locale),
    ].join("\n\n");
  }
  return [
    t(locale, "chat.help.intro"),
    t(locale, role === "trainer" ? "chat.help.trainer" : "chat.help.client"),
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

const classLine = (c: ClassView, viewer: Actor, locale: Locale) =>
  viewer === "trainer"
    ? t(locale, "chat.class_line_trainer", {
      title: c.title,
      booked: c.booked,
      capacity: c.capacity,
    })
    : t(locale, "chat.class_line_client", {
      title: c.title,
      trainer: c.trainerName,
    });

/** `/today`: the day's sessions and classes in order, each client named for a trainer. */
export function todayText(
  input: Readonly<{
    viewer: Actor;
    date: string;
    timezone: string;
    now: Temporal.Instant;
    sessions: readonly SessionView[];
    classes: readonly ClassView[];
    locale?: Locale;
  }>,
): string {
  const { viewer, timezone } = input;
  const locale = input.locale ?? "en";
  const span = (start: Temporal.Instant, end: Temporal.Instant) =>
    `${wall(start, timezone, locale)}–${wall(end, timezone, locale)}`;
  const items = [
    ...input.sessions.map((a) => ({
      start: a.start,
      line: `${span(a.start, a.end)} ${
        viewer === "trainer"
          ? a.clientName
          : t(locale, "chat.today.session_client", { trainer: a.trainerName })
      }: ${statusWords(a, viewer, input.now, locale).text}`,
    })),
    ...input.classes.map((c) => ({
      start: c.start,
      line: `${span(c.start, c.end)} ${classLine(c, viewer, locale)}`,
    })),
  ].sort((a, b) => Temporal.Instant.compare(a.start, b.start));
  const head = t(locale, "chat.today.head", {
    day: longDay(input.date, locale),
    zone: timezone,
  });
  if (items.length === 0) {
    return t(
      locale,
      viewer === "client" ? "chat.today.nothing_client" : "chat.today.nothing",
      { head },
    );
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
    locale?: Locale;
  }>,
): string {
  const { session: a, groupClass: c, viewer, now } = input;
  const locale = input.locale ?? "en";
  const classFirst = c &&
    (!a || Temporal.Instant.compare(c.start, a.start) < 0);
  if (c && classFirst) {
    return t(locale, "chat.next.class", {
      when: formatSession(
        c.start.toString(),
        c.end.toString(),
        c.timezone,
        locale,
      ),
      what: classLine(c, viewer, locale),
    });
  }
  if (a) {
    return t(locale, "chat.next.session", {
      line: sessionLine(a, viewer, now, locale),
    });
  }
  return t(
    locale,
    viewer === "client" ? "chat.next.nothing_client" : "chat.next.nothing",
  );
}

/** `/my` when nothing is ahead. */
export const nothingAhead = (locale: Locale = "en") =>
  t(locale, "chat.nothing_ahead");

/** `/my` when nothing is ahead, in English. */
export const NOTHING_AHEAD = nothingAhead("en");

/** `/book`'s first step: the days with free times. */
export function daysText(
  trainerName: string | undefined,
  dates: readonly string[],
  locale: Locale = "en",
) {
  const trainer = trainerName ?? t(locale, "chat.book.your_trainer");
  return dates.length
    ? t(locale, "chat.book.days", { trainer })
    : t(locale, "chat.book.no_days", { trainer });
}

/** `/book`'s second step: one day's free times (or none left). */
export function slotsText(
  date: string,
  timezone: string,
  free: number,
  locale: Locale = "en",
) {
  const day = longDay(date, locale);
  return free
    ? t(locale, "chat.book.slots", { day, zone: timezone })
    : t(locale, "chat.book.no_slots", { day });
}

/** `/book`'s last step: what was booked, as the confirmation screen says it. */
export function bookedText(a: SessionView, locale: Locale = "en") {
  return t(
    locale,
    a.status === "pending" ? "chat.book.requested" : "chat.book.booked",
    { when: whenOf(a, locale), trainer: a.trainerName },
  );
}

/** `/reminders`: the reader's own reminders, and how to switch them. */
export function remindersText(
  on: boolean,
  changed: boolean,
  locale: Locale = "en",
) {
  if (changed) {
    return t(locale, on ? "chat.reminders.on" : "chat.reminders.off");
  }
  return t(locale, on ? "chat.reminders.hint_on" : "chat.reminders.hint_off");
}
