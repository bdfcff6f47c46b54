/**
 * Recurring weekly sessions: when each occurrence falls and which of them conflict.
 * Occurrence k falls on the first one's local date + 7·k days at the same local wall
 * time in the trainer's zone, whatever the UTC offset that day (a wall time inside a
 * spring-forward gap means the first instant after it, a repeated one its first
 * occurrence), and lasts its length in real time.
 */
import { overlaps } from "./intervals.ts";
import { localStartOf } from "./time.ts";
import type { Appointment, BusyInterval } from "./types.ts";
import { startsInPast } from "./appointments.ts";

export const MIN_OCCURRENCES = 2;
export const MAX_OCCURRENCES = 52;

export type SeriesConflictReason = "slot_taken" | "holiday";

export type Occurrence = Readonly<{
  start: Temporal.Instant;
  end: Temporal.Instant;
  /** Local date in the trainer's zone. */
  date: Temporal.PlainDate;
}>;

/** The first `count` weekly occurrences of a session starting at `first`. */
export function weeklyOccurrences(
  first: Temporal.Instant,
  durationMinutes: number,
  timezone: string,
  count: number,
): Occurrence[] {
  const zoned = first.toZonedDateTimeISO(timezone);
  const date = zoned.toPlainDate();
  const minutes = zoned.hour * 60 + zoned.minute;
  // Seconds and below are carried as they are (a wall time is resolved per minute).
  const rest = zoned.toPlainDateTime().since(
    date.toPlainDateTime().add({ minutes }),
  );
  return Array.from({ length: count }, (_, k) => {
    const day = date.add({ days: 7 * k });
    const start = k === 0
      ? first
      : localStartOf(day, minutes, timezone).add(rest);
    return { start, end: start.add({ minutes: durationMinutes }), date: day };
  });
}

/** How many weekly occurrences from `first` fall on or before the local date `until`. */
export function occurrencesUntil(
  first: Temporal.Instant,
  timezone: string,
  until: Temporal.PlainDate,
): number {
  const date = first.toZonedDateTimeISO(timezone).toPlainDate();
  const days = date.until(until, { largestUnit: "days" }).days;
  return days < 0 ? 0 : Math.floor(days / 7) + 1;
}

/** Why a series' length is refused (pages word each in the reader's language). */
export type OccurrenceProblem =
  | "weeks_or_until"
  | "weeks_range"
  | "until_range";

/**
 * How many occurrences a request asks for: exactly one of `weeks` (2–52) or `until`
 * (a local date that must give 2–52), or the field at fault and why.
 */
export function occurrenceCount(
  request: Readonly<{
    start: Temporal.Instant;
    weeks?: number;
    until?: Temporal.PlainDate;
  }>,
  timezone: string,
):
  | Readonly<{ ok: true; count: number }>
  | Readonly<{
    ok: false;
    field: "weeks" | "until";
    /** Which rule: both or neither given, weeks out of range, until out of range. */
    problem: OccurrenceProblem;
    message: string;
  }> {
  const range = `from ${MIN_OCCURRENCES} to ${MAX_OCCURRENCES}`;
  const inRange = (n: number) =>
    Number.isInteger(n) && n >= MIN_OCCURRENCES && n <= MAX_OCCURRENCES;
  if ((request.weeks === undefined) === (request.until === undefined)) {
    return {
      ok: false,
      field: "weeks",
      problem: "weeks_or_until",
      message: "give exactly one of weeks or until",
    };
  }
  if (request.weeks !== undefined) {
    return inRange(request.weeks) ? { ok: true, count: request.weeks } : {
      ok: false,
      field: "weeks",
      problem: "weeks_range",
      message: `must be a whole number of occurrences ${range}`,
    };
  }
  const count = occurrencesUntil(request.start, timezone, request.until!);
  return inRange(count) ? { ok: true, count } : {
    ok: false,
    field: "until",
    problem: "until_range",
    message: `must give ${range} weekly occurrences`,
  };
}

/** A date of a series that cannot be booked, and the session or class in its way. */
export type SeriesConflict = Readonly<{
  start: Temporal.Instant;
  reason: SeriesConflictReason;
  /** For `slot_taken`: the first live session or class it overlaps. */
  clash?: BusyInterval;
}>;

export type SeriesPlan =
  | Readonly<{
    ok: true;
    book: readonly Occurrence[];
    skipped: readonly SeriesConflict[];
  }>
  | Readonly<{ ok: false; reason: "in_past" }>
  | Readonly<{
    ok: false;
    reason: "series_conflict";
    conflicts: readonly SeriesConflict[];
  }>;

/**
 * Which occurrences can be booked, each checked like a trainer's booking (working hours
 * do not matter): an overlap with a live session of the trainer is `slot_taken`, a
 * holiday `holiday`. With `fail`, any conflict refuses the series; with `skip`, the
 * others are booked, unless every occurrence conflicts.
 */
export function planSeries(
  input: Readonly<{
    occurrences: readonly Occurrence[];
    holidays: readonly string[];
    busy: readonly BusyInterval[];
    now: Temporal.Instant;
    onConflict: "fail" | "skip";
  }>,
): SeriesPlan {
  const [first] = input.occurrences;
  if (!first || startsInPast(first.start, input.now)) {
    return { ok: false, reason: "in_past" };
  }
  const holidays = new Set(input.holidays);
  const book: Occurrence[] = [];
  const conflicts: SeriesConflict[] = [];
  for (const o of input.occurrences) {
    const clash = input.busy.find((b) => overlaps(b, o));
    if (clash) conflicts.push({ start: o.start, reason: "slot_taken", clash });
    else if (holidays.has(o.date.toString())) {
      conflicts.push({ start: o.start, reason: "holiday" });
    } else book.push(o);
  }
  if (conflicts.length && (input.onConflict === "fail" || book.length === 0)) {
    return { ok: false, reason: "series_conflict", conflicts };
  }
  return { ok: true, book, skipped: conflicts };
}

/**
 * What cancelling a series from `from` on reaches: its live sessions (booked or waiting
 * for confirmation) on or after that day in the series' zone, and not started by `now`.
 * The step that asks first lists exactly these; the cancel cancels exactly these.
 */
/** Whether `a` starts on `day` or later, as days go in `timezone`. */
export const startsOnOrAfter = (
  a: Appointment,
  timezone: string,
  day: Temporal.PlainDate,
) =>
  Temporal.PlainDate.compare(
    a.start.toZonedDateTimeISO(timezone).toPlainDate(),
    day,
  ) >= 0;

export const reachedFromDate = (
  appointments: readonly Appointment[],
  timezone: string,
  from: Temporal.PlainDate,
  now: Temporal.Instant,
): Appointment[] =>
  appointments.filter((a) =>
    (a.status === "scheduled" || a.status === "pending") &&
    startsOnOrAfter(a, timezone, from) &&
    Temporal.Instant.compare(a.start, now) > 0
  );
