import type { Context } from "grammy";
import { type Language, languageOf } from "../lib/i18n.ts";

/**
 * Whom the bot speaks to: the linked user's language, else the one the person's Telegram
 * app reports (`from.language_code`), else English.
 */
export function spoken(
  ctx: Context,
  user?: Readonly<{ language: Language }>,
): Language {
  return user?.language ?? languageOf(ctx.from?.language_code);
}
