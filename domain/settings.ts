/**
 * Rules for business settings, as pure checks that name what is wrong.
 * The HTTP layer parses the shape (zod) and turns these messages into a 422 `fields`.
 */

import { isHHMM, isValidTimeZone, parseHHMM, parseIsoDate } from "./time.ts";
import { type TimeRange, WEEKDAYS, type WorkingHours } from "./types.ts";

const NINE_TO_FIVE: readonly TimeRange[] = [{ start: "09:00", end: "17:00" }];

/** Monday to Friday 09:00–17:00, weekends off: what a new trainer starts with. */
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  mon: NINE_TO_FIVE,
  tue: NINE_TO_FIVE,
  wed: NINE_TO_FIVE,
  thu: NINE_TO_FIVE,
  fri: NINE_TO_FIVE,
  sat: [],
  sun: [],
};

/**
 * Field errors for working hours, keyed by path (`workingHours.tue.1.end`):
 * times must be `HH:MM` (`24:00` only as an end), each range must end after it
 * starts, and ranges of one day must not overlap (touching is fine).
 * An empty record means the hours are valid.
 *
 * @example checkWorkingHours({ ...DEFAULT_WORKING_HOURS, tue: [{ start: "10:00", end: "09:00" }] })
 * // { "workingHours.tue.0.end": "must be after the start" }
 */
export function checkWorkingHours(
  workingHours: WorkingHours,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const day of WEEKDAYS) {
    const ranges: readonly TimeRange[] = workingHours[day] ?? [];
    const seen: { start: number; end: number; label: string }[] = [];
    ranges.forEach((range, i) => {
      const key = `workingHours.${day}.${i}`;
      const startOk = typeof range?.start === "string" && isHHMM(range.start);
      const endOk = typeof range?.end === "string" &&
        isHHMM(range.end, { allowEndOfDay: true });
      if (!startOk) errors[`${key}.start`] = "must be HH:MM";
      if (!endOk) errors[`${key}.end`] = "must be HH:MM";
      if (!startOk || !endOk) return;
      const start = parseHHMM(range.start);
      const end = parseHHMM(range.end);
      if (end <= start) {
        errors[`${key}.end`] = "must be after the start";
        return;
      }
      const clash = seen.find((other) =>
        start < other.end && other.start < end
      );
      if (clash) errors[`${key}.start`] = `overlaps ${clash.label}`;
      seen.push({ start, end, label: `${range.start}–${range.end}` });
    });
  }
  return errors;
}

/**
 * Why `slotMinutes` is not allowed, or `undefined`: an integer from 15 to 90 that divides by 5.
 *
 * @example checkSlotMinutes(42) // "must be a whole number from 15 to 90 that divides by 5"
 */
export function checkSlotMinutes(n: number): string | undefined {
  return Number.isInteger(n) && n >= 15 && n <= 90 && n % 5 === 0
    ? undefined
    : "must be a whole number from 15 to 90 that divides by 5";
}

/**
 * Why `reminderMinutes` is not allowed, or `undefined`: an integer from 15 to 2880.
 *
 * @example checkReminderMinutes(120) // undefined
 */
export function checkReminderMinutes(n: number): string | undefined {
  return Number.isInteger(n) && n >= 15 && n <= 2880
    ? undefined
    : "must be a whole number of minutes from 15 to 2880";
}

/**
 * Why a holiday list is not allowed, or `undefined`: every entry a real
 * calendar date written `YYYY-MM-DD`.
 *
 * @example checkHolidays(["2026-02-30"]) // '"2026-02-30" is not a date YYYY-MM-DD'
 */
export function checkHolidays(list: readonly string[]): string | undefined {
  const bad = list.find((text) => parseIsoDate(text) === undefined);
  return bad === undefined
    ? undefined
    : `${JSON.stringify(bad)} is not a date YYYY-MM-DD`;
}

/**
 * Why `name` is not an allowed time zone, or `undefined`: an IANA name, not an offset.
 *
 * @example checkTimezone("+01:00") // "must be an IANA time zone such as Europe/Berlin"
 */
export function checkTimezone(name: string): string | undefined {
  return typeof name === "string" && isValidTimeZone(name)
    ? undefined
    : "must be an IANA time zone such as Europe/Berlin";
}

/** A run of consecutive holidays, first and last day included (`YYYY-MM-DD`). */
export type HolidayRun = Readonly<{ first: string; last: string }>;

/**
 * Consecutive dates folded into runs, so a break reads (and is removed) as one.
 *
 * @example holidayRuns(["2026-12-24", "2026-12-25", "2027-01-04"])
 * // [{ first: "2026-12-24", last: "2026-12-25" }, { first: "2027-01-04", last: "2027-01-04" }]
 */
export function holidayRuns(dates: readonly string[]): HolidayRun[] {
  const runs: { first: string; last: string }[] = [];
  for (const date of [...new Set(dates)].sort()) {
    const run = runs.at(-1);
    const next = run && parseIsoDate(run.last)?.add({ days: 1 }).toString();
    if (run && next === date) run.last = date;
    else runs.push({ first: date, last: date });
  }
  return runs;
}
