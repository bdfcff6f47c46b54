/**
 * A press of a button (a `callback_query`): the token says which message; the press acts
 * only from the chat that message was sent to, while its user is still linked there, and
 * as the API lets that user (the same `db/lifecycle.ts` functions as the web, with the
 * session as the message showed it). Every press is answered (`answerCallbackQuery`) and
 * its message edited to say what happened, without the buttons that no longer apply.
 */
import type { Context } from "grammy";
import type { BotDeps } from "./deps.ts";
import {
  type ChatMessage,
  getChatMessage,
  getChatUser,
  moveChatMessage,
} from "../db/chat.ts";
import { type Appointment, getAppointment } from "../db/appointments.ts";
import {
  cancelAppointment,
  changeAppointment,
  type Outcome,
} from "../db/lifecycle.ts";
import { messageOf } from "../routes/outcomes.ts";
import { unchangedSince } from "../domain/appointments.ts";
import {
  askKeyboard,
  chatWords,
  doneLine,
  nowLine,
  parseCallback,
  type Press,
  sessionKeyboard,
  withLine,
} from "../lib/chat.ts";
import { answer, edit } from "./replies.ts";
import { spoken } from "./speaker.ts";
import { bookPressed, showDay, showDays } from "./booking.ts";

/** Handles one `callback_query`. */
export async function handlePress(ctx: Context, deps: BotDeps) {
  const query = ctx.callbackQuery!;
  const parsed = parseCallback(query.data);
  const chatId = query.message?.chat.id;
  const fromApp = chatWords(spoken(ctx));
  if (!parsed || chatId === undefined) return await answer(ctx, fromApp.gone);
  const m = await getChatMessage(deps.sql, parsed.token);
  if (!m) return await answer(ctx, fromApp.gone);
  if (m.chatId !== chatId || m.linkedChatId !== chatId) {
    // The presser is not the message's user: say it in the presser's own language.
    const linked = await getChatUser(deps.sql, chatId);
    const said = chatWords(spoken(ctx, linked));
    return await answer(ctx, linked ? said.notYourChat : said.notLinkedPress);
  }
  if (m.kind === "book") return await pressPicker(ctx, deps, m, parsed.press);
  await pressSession(ctx, deps, m, parsed.press);
}

async function pressPicker(
  ctx: Context,
  deps: BotDeps,
  m: ChatMessage,
  press: Press,
) {
  const said = chatWords(m.language);
  if (m.role !== "client" || m.step === "closed") {
    return await answer(ctx, said.pickerUsed);
  }
  if (press.do === "days") return await showDays(ctx, deps, m);
  if (press.do === "day") {
    const date = m.options.dates?.[press.index];
    if (!date) return await answer(ctx, said.gone);
    return await showDay(ctx, deps, m, date);
  }
  if (press.do === "slot") return await bookPressed(ctx, deps, m, press.index);
  await answer(ctx, said.gone);
}

async function pressSession(
  ctx: Context,
  deps: BotDeps,
  m: ChatMessage,
  press: Press,
) {
  const viewer = m.role;
  const locale = m.language;
  const said = chatWords(locale);
  const owner = { role: viewer, id: m.userId };
  const a = await getAppointment(deps.sql, m.appointmentId!, owner);
  if (!a) return await answer(ctx, said.gone);
  if (m.step === "closed") {
    return await answer(
      ctx,
      `${said.closed} ${nowLine(a, viewer, deps.now(), locale)}`,
    );
  }
  if (!unchangedSince(a, m.seen).ok) return await changed(ctx, deps, m, a);

  const act = (run: () => Promise<Outcome>, event: DoneEvent) =>
    finish(ctx, deps, m, run, event);
  const input = { id: a.id, now: deps.now(), seen: m.seen };
  switch (m.kind === "request" ? press.do : `session:${press.do}`) {
    case "confirm":
      return await act(() =>
        changeAppointment(deps.sql, {
          ...input,
          trainerId: m.userId,
          change: { status: "scheduled" },
        }), "confirmed");
    case "decline":
      return await act(
        () => cancelAppointment(deps.sql, { ...input, owner, reason: null }),
        "declined",
      );
    case "session:yes":
      if (m.step === "asking") {
        return await act(
          () => cancelAppointment(deps.sql, { ...input, owner, reason: null }),
          "cancelled",
        );
      }
    // A "Yes" never asked for (or asked in a lapsed step) asks first.
    // falls through
    case "session:cancel":
      await moveChatMessage(deps.sql, m.token, ["open"], "asking");
      await answer(ctx, said.asked);
      return await edit(
        ctx,
        withLine(m.text, said.asked),
        askKeyboard(m.token, locale),
      );
    case "session:keep":
      await moveChatMessage(deps.sql, m.token, ["asking"], "open");
      await answer(ctx, said.kept);
      return await edit(ctx, m.text, sessionKeyboard(m.token, locale));
    default:
      return await answer(ctx, said.gone);
  }
}

type DoneEvent = "confirmed" | "declined" | "cancelled";

/**
 * Runs the change and says how it went: done (and the other side told by the outbox, as
 * from the web), changed since (its state now), or refused in the web's words. Either way
 * the message's buttons are spent.
 */
async function finish(
  ctx: Context,
  deps: BotDeps,
  m: ChatMessage,
  run: () => Promise<Outcome>,
  event: DoneEvent,
) {
  const outcome = await run();
  if (outcome.ok) {
    deps.onOutbox?.();
    await close(deps, m);
    const line = doneLine(event, outcome.appointment, m.role, m.language);
    await answer(ctx, line);
    return await edit(ctx, withLine(m.text, line));
  }
  if (outcome.reason === "session_changed" || outcome.reason === "not_found") {
    const now = await getAppointment(deps.sql, m.appointmentId!, {
      role: m.role,
      id: m.userId,
    });
    if (!now) return await answer(ctx, chatWords(m.language).gone);
    return await changed(ctx, deps, m, now);
  }
  await close(deps, m);
  const said = messageOf(outcome.reason, m.role, m.language);
  await answer(ctx, said);
  await edit(ctx, withLine(m.text, said));
}

/** The session is no longer as the message showed it: say how it stands, change nothing. */
async function changed(
  ctx: Context,
  deps: BotDeps,
  m: ChatMessage,
  a: Appointment,
) {
  await close(deps, m);
  const line = `${messageOf("session_changed", m.role, m.language)} ${
    nowLine(a, m.role, deps.now(), m.language)
  }`;
  await answer(ctx, line);
  await edit(ctx, withLine(m.text, line));
}

const close = (deps: BotDeps, m: ChatMessage) =>
  moveChatMessage(deps.sql, m.token, ["open", "asking"], "closed");
