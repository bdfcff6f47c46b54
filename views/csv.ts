/** CSV (RFC 4180) of appointments for a spreadsheet or an accountant. */
import type { Appointment } from "../domain/types.ts";
import { localDateOf, toOffsetString } from "../domain/time.ts";
import { minutesBetween, time } from "./format.ts";
import { creditState } from "../domain/credits.ts";
import { type Locale, t } from "../lib/i18n.ts";

/**
 * One field: quoted when it holds a comma, quote, CR or LF (quotes doubled). A field a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows joined with CRLF, a CRLF after the last one too. */
export const toCsv = (rows: readonly (readonly string[])[]) =>
  rows.map((r) => r.map(csvField).join(",") + "\r\n").join("");

export const HISTORY_CSV_HEADER = [
  "date",
  "start",
  "end",
  "duration_minutes",
  "client",
  "status",
  "notes",
  "cancelled_by",
  "cancellation_reason",
  "start_iso",
  "credit",
] as const;

/** The `credit` column: used, returned, kept (a cancel that kept it used) or empty. */
const creditCell = (a: Appointment) => {
  const state = creditState(a);
  return state === "none" ? "" : state;
};

/**
 * The header row in the downloader's language: English keeps the column names as they
 * always were (`duration_minutes`); the values below stay codes (`cancelled`, `client`).
 */
export const historyCsvHeader = (locale: Locale = "en") =>
  HISTORY_CSV_HEADER.map((column) => t(locale, `business.csv.${column}`));

/** The appointments as CSV with a header row; dates and times in `timezone`. */
export function historyCsv(
  list: readonly Appointment[],
  timezone: string,
  locale: Locale = "en",
): string {
  return toCsv([
    historyCsvHeader(locale),
    ...list.map((a) => [
      localDateOf(a.start, timezone),
      time(a.start, timezone),
      time(a.end, timezone),
      String(minutesBetween(a.start, a.end)),
      a.clientName,
      a.status,
      a.notes,
      a.cancelledBy ?? "",
      a.cancellationReason ?? "",
      toOffsetString(a.start, timezone),
      creditCell(a),
    ]),
  ]);
}
