/** The words of messages about an account, for e-mail and Telegram alike. */
import type { AccountMessageKind } from "../domain/types.ts";
import { type Locale, t } from "./i18n.ts";

export type AccountMessageText = Readonly<{ subject: string; text: string }>;

/**
 * A message about an account in its recipient's language.
 *
 * @example accountMessageText("password_reset", { link: "https://…/password-reset/…" }, "de")
 */
export function accountMessageText(
  kind: AccountMessageKind,
  words: Readonly<Record<string, string | undefined>>,
  locale: Locale = "en",
): AccountMessageText {
  const values = {
    link: words.link ?? "",
    newEmail: words.newEmail ?? "",
    client: words.clientName ?? "",
    trainer: words.trainerName ?? "",
    cancelled: Number(words.cancelled ?? 0) || 0,
  };
  return {
    subject: t(locale, `account.${kind}.subject`, values),
    text: t(locale, `account.${kind}.text`, values),
  };
}
