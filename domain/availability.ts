/**
 * Availability: settings + busy intervals + now → the trainer's slots.
 *
 * Slots are laid out from each working range's start (that wall time in the
 * trainer's zone), one every `slotMinutes` of real time, and must end by the
 * range's end; so a range holds its real length on DST days. Internally
 * everything is epoch milliseconds, and zone lookups happen per range boundary,
 * never per slot.
 */

import {
  DAY_MS,
  epochDayOf,
  formatEpochDay,
  MINUTE_MS,
  MINUTES_PER_DAY,
  parseHHMM,
  type WallClock,
  wallClock,
  weekdayOfEpochDay,
} from "./time.ts";
import type {
  BusinessSettings,
  BusyElsewhere,
  BusyInterval,
  Interval,
  Slot,
  SlotStatus,
  Viewer,
  Weekday,
} from "./types.ts";

/** What {@link computeSlots} needs: all data, no clock. */
export type SlotsInput = Readonly<{
  settings: BusinessSettings;
  /** Scheduled and pending appointments; any order. */
  busy: readonly BusyInterval[];
  /** Busy time from the trainer's other calendars; any order. A slot overlapping it is `booked`. */
  elsewhere?: readonly BusyElsewhere[];
  /** First local date, in `settings.timezone`. */
  from: Temporal.PlainDate;
  /** Last local date, inclusive. */
  to: Temporal.PlainDate;
  now: Temporal.Instant;
  viewer: Viewer;
}>;

/** What {@link slotStartingAt} needs: the slot input without dates, plus the wanted start. */
export type SlotAtInput =
  & Readonly<Omit<SlotsInput, "from" | "to">>
  & Readonly<{ start: Temporal.Instant }>;

type Range = Readonly<{ start: number; end: number }>;

/**
 * The slots of local dates `from` to `to` (inclusive) in the trainer's zone,
 * ordered by start and never overlapping. Status precedence: `past`, `mine`,
 * `booked`, `available`. A client viewer is never shown another client's ids.
 *
 * @example
 * const slots = computeSlots({ settings, busy, from, to, now: clock.now(), viewer: { role: "trainer" } });
 */
export function computeSlots(input: SlotsInput): readonly Slot[] {
  const { settings, from, to } = input;
  const fromDay = epochDayOf(from);
  const toDay = epochDayOf(to);
  if (toDay < fromDay) return [];
  const layout = prepareLayout(settings, fromDay, toDay);
  const starts: number[] = [];
  const dates: string[] = [];
  for (let day = fromDay; day <= toDay; day++) {
    const dayStarts = layoutDay(layout, day);
    if (dayStarts.length === 0) continue;
    const date = formatEpochDay(day);
    for (const start of dayStarts) {
      starts.push(start);
      dates.push(date);
    }
  }
  return slotsAt(input, layout.slotMs, starts, dates);
}

/** The slots starting at `starts` (ascending epoch ms, on local `dates`), with status. */
function slotsAt(
  input: Readonly<{
    busy: readonly BusyInterval[];
    elsewhere?: readonly BusyElsewhere[];
    now: Temporal.Instant;
    viewer: Viewer;
  }>,
  slotMs: number,
  starts: readonly number[],
  dates: readonly string[],
): Slot[] {
  const { busy } = input;
  const clientId = input.viewer.role === "client"
    ? input.viewer.clientId
    : undefined;
  const { first, own } = markBusy(starts, slotMs, busy, clientId);
  const elsewhere = input.elsewhere ?? [];
  const away = elsewhere.length
    ? markBusy(starts, slotMs, elsewhere, undefined).first
    : undefined;
  const now = ceilMs(input.now);

  const slots: Slot[] = new Array(starts.length);
  let previousEnd: Temporal.Instant | undefined;
  let previousEndMs = NaN;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const end = start + slotMs;
    // Back-to-back slots share the boundary instant: creating instants is
    // the bulk of the cost here.
    const startInstant = previousEnd && previousEndMs === start
      ? previousEnd
      : Temporal.Instant.fromEpochMilliseconds(start);
    const endInstant = Temporal.Instant.fromEpochMilliseconds(end);
    previousEnd = endInstant;
    previousEndMs = end;
    slots[i] = makeSlot({
      start: startInstant,
      end: endInstant,
      date: dates[i],
      past: start < now,
      first: first[i] < 0 ? undefined : busy[first[i]],
      own: own[i] < 0 ? undefined : busy[own[i]],
      elsewhere: away && away[i] >= 0 ? elsewhere[away[i]] : undefined,
      forClient: clientId !== undefined,
    });
  }
  return slots;
}

/**
 * The slot starting exactly at `start`, or `undefined`. `slots` must be ordered
 * by start, as {@link computeSlots} returns them.
 *
 * @example findSlot(slots, Temporal.Instant.from("2026-12-01T09:00:00Z"))?.status
 */
export function findSlot(
  slots: readonly Slot[],
  start: Temporal.Instant,
): Slot | undefined {
  let lo = 0;
  let hi = slots.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const order = Temporal.Instant.compare(slots[mid].start, start);
    if (order === 0) return slots[mid];
    if (order < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/**
 * The slot starting exactly at `start` as `viewer` sees it, or `undefined` when no slot
 * of the trainer's grid starts there (off-grid, outside hours, a holiday). Only that one
 * slot is built: a booking check must not pay for a whole day of slot objects.
 *
 * @example slotStartingAt({ settings, busy, now, viewer, start })?.status // "available"
 */
export function slotStartingAt(input: SlotAtInput): Slot | undefined {
  const { start, settings } = input;
  const ms = start.epochMilliseconds;
  if (start.epochNanoseconds !== BigInt(ms) * 1_000_000n) {
    return undefined; // slots start on whole minutes
  }
  // Layout keeps each slot on the local date of its start; the day before is
  // laid out too so that this check does not hinge on that rule (ranges
  // ending at 24:00, DST shifts).
  const day = epochDayOf(
    start.toZonedDateTimeISO(settings.timezone).toPlainDate(),
  );
  const layout = prepareLayout(settings, day - 1, day);
  const slotDay = [day - 1, day].find((d) => layoutDay(layout, d).includes(ms));
  if (slotDay === undefined) return undefined;
  return slotsAt(input, layout.slotMs, [ms], [formatEpochDay(slotDay)])[0];
}

type Layout = Readonly<{
  slotMs: number;
  clock: WallClock;
  ranges: Readonly<Record<Weekday, readonly Range[]>>;
  holidays: ReadonlySet<string>;
}>;

function prepareLayout(
  settings: BusinessSettings,
  fromDay: number,
  toDay: number,
): Layout {
  const { slotMinutes } = settings;
  if (!Number.isInteger(slotMinutes) || slotMinutes <= 0) {
    throw new RangeError(
      `slotMinutes must be a positive integer: ${slotMinutes}`,
    );
  }
  const ranges = {} as Record<Weekday, readonly Range[]>;
  for (const [day, list] of Object.entries(settings.workingHours)) {
    ranges[day as Weekday] = list
      .map((r) => ({ start: parseHHMM(r.start), end: parseHHMM(r.end) }))
      .sort((a, b) => a.start - b.start);
  }
  return {
    slotMs: slotMinutes * MINUTE_MS,
    clock: wallClock(settings.timezone, fromDay, toDay + 1),
    ranges,
    holidays: new Set(settings.holidays),
  };
}

/** Slot starts (epoch ms) of one local day, ascending and non-overlapping. */
function layoutDay(layout: Layout, day: number): number[] {
  const ranges = layout.ranges[weekdayOfEpochDay(day)] ?? [];
  if (ranges.length === 0 || layout.holidays.has(formatEpochDay(day))) {
    return [];
  }
  const { clock, slotMs } = layout;
  const dayStart = clock.startOfDay(day);
  const dayEnd = clock.startOfDay(day + 1);
  const midnight = day * DAY_MS;
  const starts: number[] = [];
  for (const range of ranges) {
    const first = clock.resolve(midnight + range.start * MINUTE_MS);
    const last = range.end === MINUTES_PER_DAY
      ? dayEnd
      : clock.resolve(midnight + range.end * MINUTE_MS);
    for (let t = first; t + slotMs <= last; t += slotMs) {
      // Keeping each slot within its own local day keeps days disjoint, so a
      // day can be laid out (and a booking checked) on its own.
      if (t >= dayStart && t + slotMs <= dayEnd) starts.push(t);
    }
  }
  // A range ending inside a spring-forward gap reaches past the next range's
  // start in real time (and a gap straddling midnight can reorder ranges):
  // order by start and let the earlier slot win.
  starts.sort((a, b) => a - b);
  let kept = 0;
  for (const t of starts) {
    if (kept === 0 || t >= starts[kept - 1] + slotMs) starts[kept++] = t;
  }
  starts.length = kept;
  return starts;
}

/**
 * For each slot, the index in `busy` of the earliest-starting overlapping
 * interval (`first`) and of the earliest one of `clientId` (`own`), or -1.
 * Each interval finds its first slot by binary search over the sorted starts,
 * so the cost is O(busy × log slots + slots) and `busy` needs no sorting.
 */
function markBusy(
  starts: readonly number[],
  slotMs: number,
  busy: readonly (Interval & Readonly<{ clientId?: string }>)[],
  clientId: string | undefined,
): Readonly<{ first: Int32Array; own: Int32Array }> {
  const first = new Int32Array(starts.length).fill(-1);
  const own = new Int32Array(starts.length).fill(-1);
  const firstStart = new Float64Array(starts.length);
  const ownStart = new Float64Array(starts.length);
  for (let k = 0; k < busy.length; k++) {
    const b = busy[k];
    const bStart = b.start.epochMilliseconds;
    const bEnd = b.end.epochMilliseconds;
    // Empty intervals occupy nothing. (Instant.compare is far slower than
    // comparing numbers, so it only settles sub-millisecond ties.)
    if (
      bEnd < bStart ||
      (bEnd === bStart && Temporal.Instant.compare(b.start, b.end) >= 0)
    ) continue;
    const mine = clientId !== undefined && b.clientId === clientId;
    // The first slot that ends after the interval starts.
    let i = firstStartAbove(starts, bStart - slotMs);
    for (; i < starts.length && endsAfter(b.end, bEnd, starts[i]); i++) {
      if (first[i] < 0 || bStart < firstStart[i]) {
        first[i] = k;
        firstStart[i] = bStart;
      }
      if (mine && (own[i] < 0 || bStart < ownStart[i])) {
        own[i] = k;
        ownStart[i] = bStart;
      }
    }
  }
  return { first, own };
}

/** The index of the first element of ascending `sorted` above `value`. */
function firstStartAbove(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Whether `end` (whose floor in ms is `endMs`) is after `ms`, exact to the nanosecond. */
function endsAfter(end: Temporal.Instant, endMs: number, ms: number): boolean {
  if (endMs !== ms) return endMs > ms;
  return end.epochNanoseconds > BigInt(ms) * 1_000_000n;
}

/** The smallest whole millisecond not before `instant`. */
function ceilMs(instant: Temporal.Instant): number {
  const ms = instant.epochMilliseconds;
  return instant.epochNanoseconds > BigInt(ms) * 1_000_000n ? ms + 1 : ms;
}

function makeSlot(
  parts: Readonly<{
    start: Temporal.Instant;
    end: Temporal.Instant;
    date: string;
    past: boolean;
    first: BusyInterval | undefined;
    own: BusyInterval | undefined;
    elsewhere: BusyElsewhere | undefined;
    forClient: boolean;
  }>,
): Slot {
  const { start, end, date, past, first, own, elsewhere } = parts;
  // A client sees only their own appointment; a trainer sees the first one.
  const shown = parts.forClient ? own : first;
  const status: SlotStatus = past
    ? "past"
    : own
    ? "mine"
    : first || elsewhere
    ? "booked"
    : "available";
  const slot: Slot = shown
    ? {
      start,
      end,
      date,
      status,
      appointmentId: shown.appointmentId,
      clientId: shown.clientId,
    }
    : { start, end, date, status };
  // Clients never learn what the trainer does elsewhere, only that the time is taken.
  return elsewhere && !parts.forClient
    ? { ...slot, elsewhere: elsewhere.summary }
    : slot;
}

/**
 * The first instant after `now` at which a view of `slots` built at `now` could read
 * differently although no data changed: a slot starts (it turns past), a slot enters
 * the notice window (too soon, in a client's view), the local day turns (today, the
 * booking horizon) or the zone's offset changes. A page built from these slots, the
 * local date and the offset can be kept until then.
 *
 * @example viewChangesAt({ slots, now, timezone: "Europe/Berlin", minNoticeMinutes: 0 })
 */
export function viewChangesAt(
  input: Readonly<{
    slots: readonly Slot[];
    now: Temporal.Instant;
    timezone: string;
    /** The notice window the view applies (0 for a trainer's own view). */
    minNoticeMinutes: number;
  }>,
): Temporal.Instant {
  const { now, timezone } = input;
  const nowMs = now.epochMilliseconds;
  const zoned = now.toZonedDateTimeISO(timezone);
  let until = zoned.toPlainDate().add({ days: 1 }).toZonedDateTime(timezone)
    .epochMilliseconds;
  const transition = zoned.getTimeZoneTransition("next");
  if (transition && transition.epochMilliseconds < until) {
    until = transition.epochMilliseconds;
  }
  const noticeMs = input.minNoticeMinutes * MINUTE_MS;
  for (const slot of input.slots) {
    const start = slot.start.epochMilliseconds;
    // A status turns just after these instants (past: start < now), so one equal to now
    // leaves nothing to keep.
    if (start >= nowMs && start < until) until = start;
    const soon = start - noticeMs;
    if (noticeMs > 0 && soon >= nowMs && soon < until) until = soon;
  }
  return Temporal.Instant.fromEpochMilliseconds(until);
}
