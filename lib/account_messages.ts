/** The words of messages about an account, for e-mail and Telegram alike. */
import type { AccountMessageKind } from "../domain/types.ts";

export type AccountMessageText = Readonly<{ subject: string; text: string }>;

/**
 * @example accountMessageText("password_reset", { link: "https://…/password-reset/…" }, 30)
 */
export function accountMessageText(
  kind: AccountMessageKind,
  words: Readonly<Record<string, string | undefined>>,
): AccountMessageText {
  switch (kind) {
    case "password_reset":
      return {
        subject: "Reset your Spotter password",
        text:
          `Someone (we hope you) asked to reset the password of your Spotter account.\n\n` +
          `Choose a new password here within 30 minutes; the link works once:\n${words.link}\n\n` +
          `If it was not you, ignore this message: your password stays as it is.`,
      };
    case "verify_email":
      return {
        subject: "Confirm your e-mail address for Spotter",
        text:
          `Confirm that this address is yours, so Spotter can send you reminders and ` +
          `notices here (the link works for 7 days):\n${words.link}`,
      };
    case "email_changed":
      return {
        subject: "Your Spotter e-mail address was changed",
        text:
          `The e-mail address of your Spotter account was changed to ${words.newEmail}. ` +
          `Messages no longer come to this address.\n\n` +
          `If you did not do this, reset your password at ${words.link} and tell your trainer.`,
      };
    case "client_left":
      return {
        subject: `${words.clientName} closed their Spotter account`,
        text: `${words.clientName} closed their Spotter account.` +
          (words.cancelled && words.cancelled !== "0"
            ? ` Their ${words.cancelled} upcoming session(s) are cancelled.`
            : "") +
          ` Their past sessions stay in your history as "Former client".`,
      };
    case "client_removed":
      return {
        subject: `${words.trainerName} removed you from Spotter`,
        text:
          `${words.trainerName} removed your Spotter account, with everything Spotter kept ` +
          `about you. Your upcoming sessions are cancelled.`,
      };
    case "trainer_left":
      return {
        subject: `${words.trainerName} closed their Spotter business`,
        text:
          `${words.trainerName} closed their business on Spotter. Your account and all your ` +
          `sessions with them are deleted.`,
      };
  }
}
