/**
 * Answering a press and editing its message without ever failing the update: Telegram's
 * refusals here ("message is not modified", a query answered too late) change nothing
 * that happened, so they are logged, not thrown.
 */
import { GrammyError } from "grammy";
import type { Context } from "grammy";
import type { Keyboard } from "../lib/chat.ts";
import { shortAnswer } from "../lib/chat.ts";

const harmless = (error: unknown) =>
  error instanceof GrammyError &&
  /message is not modified|query is too old|query ID is invalid/i.test(
    error.description,
  );

async function quietly(what: string, call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    if (!harmless(error)) console.warn(`telegram ${what} failed:`, error);
  }
}

/** `answerCallbackQuery` with `text` (what happened, or why not), at most 200 characters. */
export const answer = (ctx: Context, text?: string) =>
  quietly(
    "answerCallbackQuery",
    () =>
      ctx.answerCallbackQuery(
        text === undefined ? undefined : { text: shortAnswer(text) },
      ),
  );

/** Edits the pressed message to `text`; without `keyboard` its buttons are gone. */
export const edit = (ctx: Context, text: string, keyboard?: Keyboard) =>
  quietly(
    "editMessageText",
    () =>
      ctx.editMessageText(text, {
        link_preview_options: { is_disabled: true },
        ...(keyboard ? { reply_markup: keyboard } : {}),
      }),
  );
