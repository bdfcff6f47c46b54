/**
 * The chat's commands for a linked user: `/today`, `/next`, `/my`, `/book`, `/reminders`,
 * `/help`. Each reads through `db/` as the pages do and replies in `lib/chat.ts`'s words,
 * in the linked user's language.
 */
import type { Context } from "grammy";
import type { BotDeps } from "./deps.ts";
import { type ChatUser, getNextClass, openChatMessage } from "../db/chat.ts";
import { listAppointments } from "../db/appointments.ts";
import { listClassesInRange, listClientClassesInRange } from "../db/classes.ts";
import { getSettings, setRemindersEnabled } from "../db/settings.ts";
import { getClientReminders, setClientReminders } from "../db/clients.ts";
import { dayRange } from "../domain/time.ts";
import {
  chatText,
  chatWords,
  nextText,
  nothingAhead,
  remindersText,
  sessionKeyboard,
  sessionLine,
  todayText,
} from "../lib/chat.ts";
import { startBooking } from "./booking.ts";

export { startBooking };

const ownerOf = (u: ChatUser) => ({ role: u.role, id: u.id });

async function zoneOf(deps: BotDeps, user: ChatUser) {
  const settings = await getSettings(deps.sql, user.trainerId);
  return settings!.timezone;
}

/** `/today`: a trainer's sessions and classes of the day (clients named); a client's own. */
export async function today(ctx: Context, deps: BotDeps, user: ChatUser) {
  const timezone = await zoneOf(deps, user);
  const date = deps.now().toZonedDateTimeISO(timezone).toPlainDate();
  const { start, end } = dayRange(date, date, timezone);
  const [sessions, classes] = await Promise.all([
    listAppointments(deps.sql, {
      owner: ownerOf(user),
      from: start,
      to: end,
      statuses: ["scheduled", "pending", "completed"],
    }),
    user.role === "trainer"
      ? listClassesInRange(deps.sql, user.id, start, end)
      : listClientClassesInRange(deps.sql, user.trainerId, user.id, start, end)
        .then((list) => list.filter((c) => c.mine === "booked")),
  ]);
  await ctx.reply(todayText({
    viewer: user.role,
    date: date.toString(),
    timezone,
    now: deps.now(),
    sessions,
    classes: classes.filter((c) => c.status === "scheduled"),
    locale: user.language,
  }));
}

/** `/next`: the next live session or class of the caller. */
export async function next(ctx: Context, deps: BotDeps, user: ChatUser) {
  const now = deps.now();
  const [[session], groupClass] = await Promise.all([
    listAppointments(deps.sql, {
      owner: ownerOf(user),
      from: now,
      statuses: ["scheduled", "pending"],
      limit: 1,
    }),
    getNextClass(deps.sql, user, now),
  ]);
  await ctx.reply(
    nextText({
      viewer: user.role,
      now,
      session,
      groupClass,
      locale: user.language,
    }),
  );
}

/** How many sessions `/my` sends at most, one message each. */
export const MY_LIMIT = 10;

/** `/my` (clients): each upcoming session in a message of its own, with Cancel. */
export async function my(ctx: Context, deps: BotDeps, user: ChatUser) {
  const locale = user.language;
  if (user.role !== "client") {
    return await ctx.reply(chatWords(locale).trainerMy);
  }
  const upcoming = await listAppointments(deps.sql, {
    owner: ownerOf(user),
    from: deps.now(),
    statuses: ["scheduled", "pending"],
    limit: MY_LIMIT + 1,
  });
  if (upcoming.length === 0) return await ctx.reply(nothingAhead(locale));
  for (const a of upcoming.slice(0, MY_LIMIT)) {
    const text = sessionLine(a, "client", deps.now(), locale);
    const token = await openChatMessage(deps.sql, {
      userId: user.id,
      chatId: ctx.chat!.id,
      kind: "session",
      step: "open",
      appointmentId: a.id,
      seen: { status: a.status, version: a.version },
      text,
      now: deps.now(),
    });
    await ctx.reply(text, { reply_markup: sessionKeyboard(token, locale) });
  }
  if (upcoming.length > MY_LIMIT) {
    await ctx.reply(
      chatText(locale, "chat.my.more", {
        count: MY_LIMIT,
        link: `${deps.appUrl}/appointments`,
      }),
    );
  }
}

/** `/book` (clients): the days with free times, as buttons. */
export async function book(ctx: Context, deps: BotDeps, user: ChatUser) {
  if (user.role !== "client") {
    return await ctx.reply(
      chatText(user.language, "chat.trainer_books", {
        link: `${deps.appUrl}/schedule`,
      }),
    );
  }
  await startBooking(ctx, deps, user);
}

/**
 * `/reminders off|on`: the caller's own reminders (a client's switch; a trainer's
 * `remindersEnabled`, re-planned under their lock as from the settings page).
 */
export async function reminders(
  ctx: Context,
  deps: BotDeps,
  user: ChatUser,
  arg: string,
) {
  const wanted = arg.trim().toLowerCase();
  const on = wanted === "on" ? true : wanted === "off" ? false : undefined;
  if (on === undefined) {
    const current = user.role === "client"
      ? await getClientReminders(deps.sql, user.id)
      : (await getSettings(deps.sql, user.id))!.remindersEnabled;
    return await ctx.reply(remindersText(current, false, user.language));
  }
  if (user.role === "client") await setClientReminders(deps.sql, user.id, on);
  else await setRemindersEnabled(deps.sql, user.id, on, deps.now());
  await ctx.reply(remindersText(on, true, user.language));
}
