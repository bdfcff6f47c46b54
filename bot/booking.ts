/**
 * `/book` in the chat: the days with free times, a day's free times, and the booking
 * itself through the same lifecycle function and outcome table as the web's confirm
 * step. The picker is one message, edited from step to step (`bot/presses.ts`).
 */
import type { Context } from "grammy";
import type { BotDeps } from "./deps.ts";
import { getSettings, type TrainerSettings } from "../db/settings.ts";
import { getUser } from "../db/users.ts";
import {
  type ChatMessage,
  type ChatUser,
  moveChatMessage,
  openChatMessage,
  type PickerOptions,
  setChatMessageText,
} from "../db/chat.ts";
import { getAppointment } from "../db/appointments.ts";
import { bookAppointmentOnce } from "../db/lifecycle.ts";
import { loadSlotsAndBusy } from "../routes/availability.ts";
import { answerOutcome, bookingAnswer, messageOf } from "../routes/outcomes.ts";
import { bookableDays, BOOKING_DAYS, freeSlotsOn } from "../domain/chat.ts";
import {
  bookedText,
  chatText,
  chatWords,
  daysKeyboard,
  daysText,
  type Keyboard,
  slotsKeyboard,
  slotsText,
  withLine,
} from "../lib/chat.ts";
import { answer, edit } from "./replies.ts";
import type { Language } from "../domain/types.ts";

type Client = Pick<ChatUser, "id" | "trainerId">;

/** The client's view of the window's slots (policies applied), with the trainer's zone. */
async function windowSlots(
  deps: BotDeps,
  client: Client,
  settings: TrainerSettings,
) {
  const now = deps.now();
  const today = now.toZonedDateTimeISO(settings.timezone).toPlainDate();
  const { slots } = await loadSlotsAndBusy(deps.sql, {
    trainerId: client.trainerId,
    settings,
    from: today,
    to: today.add({ days: BOOKING_DAYS - 1 }),
    now,
    viewer: { role: "client", clientId: client.id },
  });
  return { slots, today };
}

async function settingsFor(deps: BotDeps, client: Client) {
  const settings = await getSettings(deps.sql, client.trainerId);
  if (!settings) throw new Error(`trainer ${client.trainerId} has no settings`);
  return settings;
}

/** The picker at its first step: what it says and shows. */
async function daysStep(deps: BotDeps, client: Client, locale: Language) {
  const [settings, trainer] = await Promise.all([
    settingsFor(deps, client),
    getUser(deps.sql, client.trainerId),
  ]);
  const { slots, today } = await windowSlots(deps, client, settings);
  const dates = bookableDays(slots, today);
  return { dates, text: daysText(trainer?.name, dates, locale) };
}

/** `/book`: a message with the days that have free times, as buttons. */
export async function startBooking(
  ctx: Context,
  deps: BotDeps,
  client: ChatUser,
) {
  const { dates, text } = await daysStep(deps, client, client.language);
  if (dates.length === 0) {
    await ctx.reply(text);
    return;
  }
  const token = await openChatMessage(deps.sql, {
    userId: client.id,
    chatId: ctx.chat!.id,
    kind: "book",
    step: "days",
    text,
    options: { dates, round: 0 },
    now: deps.now(),
  });
  await ctx.reply(text, {
    reply_markup: daysKeyboard(token, dates, client.language),
  });
}

/** Moves the picker to `step` with `options` and shows `text` with `keyboard`. */
async function show(
  ctx: Context,
  deps: BotDeps,
  m: ChatMessage,
  view: Readonly<{
    step: "days" | "slots" | "closed";
    options: PickerOptions;
    text: string;
    keyboard?: Keyboard;
    answer?: string;
  }>,
) {
  const moved = await moveChatMessage(
    deps.sql,
    m.token,
    ["days", "slots"],
    view.step,
    { ...view.options, round: (m.options.round ?? 0) + 1 },
  );
  if (!moved) {
    await answer(ctx, chatWords(m.language).pickerUsed);
    return;
  }
  await setChatMessageText(deps.sql, m.token, view.text);
  await answer(ctx, view.answer);
  await edit(ctx, view.text, view.keyboard);
}

/** Back to the days (after "« Other days", or a day with nothing left). */
export async function showDays(
  ctx: Context,
  deps: BotDeps,
  m: ChatMessage,
  before?: string,
) {
  const client = { id: m.userId, trainerId: m.trainerId };
  const { dates, text } = await daysStep(deps, client, m.language);
  const said = before ? withLine(before, text) : text;
  await show(ctx, deps, m, {
    step: dates.length ? "days" : "closed",
    options: { dates },
    text: said,
    keyboard: dates.length
      ? daysKeyboard(m.token, dates, m.language)
      : undefined,
    answer: before,
  });
}

/** One day's free times as buttons, `before` a line saying why they are shown again. */
export async function showDay(
  ctx: Context,
  deps: BotDeps,
  m: ChatMessage,
  date: string,
  before?: string,
) {
  const client = { id: m.userId, trainerId: m.trainerId };
  const settings = await settingsFor(deps, client);
  const { slots } = await windowSlots(deps, client, settings);
  const free = freeSlotsOn(slots, date);
  if (free.length === 0) {
    const none = slotsText(date, settings.timezone, 0, m.language);
    return await showDays(ctx, deps, m, before ? withLine(before, none) : none);
  }
  const text = slotsText(date, settings.timezone, free.length, m.language);
  await show(ctx, deps, m, {
    step: "slots",
    options: {
      dates: m.options.dates,
      date,
      starts: free.map((s) => s.start.toString()),
    },
    text: before ? withLine(before, text) : text,
    keyboard: slotsKeyboard(
      m.token,
      free.map((s) => s.start),
      settings.timezone,
      m.language,
    ),
    answer: before,
  });
}

/**
 * Books the time pressed, as `POST /api/appointments` would for the client: one key per
 * list shown, so a second press on the same list books nothing more (the same time answers
 * the first booking again, another time is refused). A refusal is said in the API's words
 * and the day's free times are shown afresh.
 */
export async function bookPressed(
  ctx: Context,
  deps: BotDeps,
  m: ChatMessage,
  index: number,
) {
  const start = m.step === "slots" ? m.options.starts?.[index] : undefined;
  if (!start || !m.options.date) {
    await answer(ctx, chatText(m.language, "chat.book.list_changed"));
    return;
  }
  const now = deps.now();
  const stored = await bookAppointmentOnce(
    deps.sql,
    {
      userId: m.userId,
      key: `telegram:${m.token}:${m.options.round ?? 0}`,
      requestHash: start,
    },
    {
      trainerId: m.trainerId,
      clientId: m.userId,
      by: "client",
      start: Temporal.Instant.from(start),
      notes: "",
      now,
    },
    bookingAnswer,
  );
  const outcome = answerOutcome(stored);
  if (!outcome.ok) {
    const said = messageOf(outcome.reason, "client", m.language);
    return await showDay(ctx, deps, m, m.options.date, said);
  }
  deps.onOutbox?.();
  const a = await getAppointment(deps.sql, outcome.id, {
    role: "client",
    id: m.userId,
  });
  const text = a
    ? bookedText(a, m.language)
    : chatText(m.language, "chat.book.booked_plain");
  await moveChatMessage(deps.sql, m.token, ["slots", "days"], "closed");
  await setChatMessageText(deps.sql, m.token, text);
  await answer(
    ctx,
    chatText(
      m.language,
      a?.status === "pending"
        ? "chat.book.answer_requested"
        : "chat.book.answer_booked",
    ),
  );
  await edit(ctx, text);
}
