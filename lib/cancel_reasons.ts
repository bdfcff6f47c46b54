/**
 * The reasons a client picks from when cancelling: the form's value, the English label
 * stored with the session (the same in every language, so a trainer's figures count them
 * together) and its words in the catalogue.
 */
import { type Locale, type MessageKey, t } from "./i18n.ts";

export const CANCEL_REASONS = [
  ["sick", "Sick", "client.cancel.reason_sick"],
  ["schedule", "Schedule conflict", "client.cancel.reason_schedule"],
  ["travel", "Travel", "client.cancel.reason_travel"],
  ["other", "Other", "client.cancel.reason_other"],
] as const satisfies readonly (readonly [string, string, MessageKey])[];

/**
 * A stored cancel reason in `locale`: a picked reason's English label at its start
 * ("Schedule conflict: Work trip") is said in that language, free text stays as typed.
 *
 * @example reasonIn("de", "Travel: Away for work") // "Reise: Away for work"
 */
export function reasonIn(locale: Locale, reason: string): string {
  for (const [, label, key] of CANCEL_REASONS) {
    if (reason === label) return t(locale, key);
    if (reason.startsWith(`${label}: `)) {
      return `${t(locale, key)}${reason.slice(label.length)}`;
    }
  }
  return reason;
}
