/**
 * Booking policies: minimum notice, booking horizon, buffer and late-cancellation window.
 * They bind a client acting for themselves, never a trainer. The defaults change nothing.
 */
import type { BusyInterval, Interval, Slot } from "./types.ts";
import { overlaps } from "./intervals.ts";

export type BookingPolicies = Readonly<{
  /** A client's start must be at least this long after now (0–10080). */
  minNoticeMinutes: number;
  /** The last bookable local date is today + this many days; `null`: no limit (1–365). */
  horizonDays: number | null;
  /** Free time a client's session needs before and after it (0–60). */
  bufferMinutes: number;
  /** A client may cancel or move only while the start is at least this far away (0–10080). */
  cancelNoticeMinutes: number;
}>;

/** The largest buffer a trainer may set, in minutes. */
export const MAX_BUFFER_MINUTES = 60;

export const NO_POLICIES: BookingPolicies = {
  minNoticeMinutes: 0,
  horizonDays: null,
  bufferMinutes: 0,
  cancelNoticeMinutes: 0,
};

const whole = (n: unknown, min: number, max: number) =>
  typeof n === "number" && Number.isInteger(n) && n >= min && n <= max;

/** Field errors for policy values, keyed by the contract's field names. */
export function checkPolicies(
  p: Readonly<Record<keyof BookingPolicies, unknown>>,
): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!whole(p.minNoticeMinutes, 0, 10080)) {
    fields.minNoticeMinutes =
      "must be a whole number of minutes from 0 to 10080";
  }
  if (p.horizonDays !== null && !whole(p.horizonDays, 1, 365)) {
    fields.horizonDays =
      "must be a whole number of days from 1 to 365, or null";
  }
  if (!whole(p.bufferMinutes, 0, MAX_BUFFER_MINUTES)) {
    fields.bufferMinutes = "must be a whole number of minutes from 0 to 60";
  }
  if (!whole(p.cancelNoticeMinutes, 0, 10080)) {
    fields.cancelNoticeMinutes =
      "must be a whole number of minutes from 0 to 10080";
  }
  return fields;
}

/** Too soon: now ≤ start < now + notice (exactly at now + notice is allowed). */
export function isTooSoon(
  start: Temporal.Instant,
  now: Temporal.Instant,
  p: BookingPolicies,
): boolean {
  if (p.minNoticeMinutes === 0) return false;
  return Temporal.Instant.compare(
    start,
    now.add({ minutes: p.minNoticeMinutes }),
  ) < 0;
}

/** Too far: the start's local date is after today + horizon (in the trainer's zone). */
export function isTooFar(
  start: Temporal.Instant,
  now: Temporal.Instant,
  timezone: string,
  p: BookingPolicies,
): boolean {
  if (p.horizonDays === null) return false;
  const today = now.toZonedDateTimeISO(timezone).toPlainDate();
  const day = start.toZonedDateTimeISO(timezone).toPlainDate();
  return Temporal.PlainDate.compare(day, today.add({ days: p.horizonDays })) >
    0;
}

/**
 * Inside the late window: the session starts sooner than `cancelNoticeMinutes` from now
 * (or has started). A client may no longer cancel or move it.
 */
export function isInsideLateWindow(
  start: Temporal.Instant,
  now: Temporal.Instant,
  p: BookingPolicies,
): boolean {
  return Temporal.Instant.compare(
        start,
        now.add({ minutes: p.cancelNoticeMinutes }),
      ) < 0 || Temporal.Instant.compare(start, now) <= 0;
}

/**
 * Whether `[start − buffer, end + buffer)` overlaps a live session other than `exceptId`
 * (the client's own sessions included).
 */
export function breaksBuffer(
  wanted: Interval,
  busy: readonly BusyInterval[],
  p: BookingPolicies,
  exceptId?: string,
): boolean {
  if (p.bufferMinutes === 0) return false;
  const padded = {
    start: wanted.start.subtract({ minutes: p.bufferMinutes }),
    end: wanted.end.add({ minutes: p.bufferMinutes }),
  };
  return busy.some((b) => b.appointmentId !== exceptId && overlaps(b, padded));
}

/**
 * A client's view of `slots` under the trainer's policies. Policies never add or remove
 * slots; they change statuses, in the contract's precedence: `past`, `mine`, `too_soon`,
 * `too_far`, `booked` (an overlap, or a live session within the buffer), `available`.
 */
export function applyPolicies(
  slots: readonly Slot[],
  input: Readonly<{
    busy: readonly BusyInterval[];
    now: Temporal.Instant;
    timezone: string;
    policies: BookingPolicies;
  }>,
): readonly Slot[] {
  const { policies: p, now } = input;
  if (
    p.minNoticeMinutes === 0 && p.horizonDays === null && p.bufferMinutes === 0
  ) return slots;
  return slots.map((slot) => {
    if (slot.status === "past" || slot.status === "mine") return slot;
    const status = isTooSoon(slot.start, now, p)
      ? "too_soon"
      : isTooFar(slot.start, now, input.timezone, p)
      ? "too_far"
      : slot.status === "booked" || breaksBuffer(slot, input.busy, p)
      ? "booked"
      : slot.status;
    return status === slot.status ? slot : { ...slot, status };
  });
}

/** The day a local date past the horizon opens for booking: `horizonDays` before it. */
export const opensOn = (day: Temporal.PlainDate, horizonDays: number) =>
  day.subtract({ days: horizonDays });
