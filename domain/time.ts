/**
 * Time helpers shared by the app. Pure: every instant, date and zone comes in
 * as an argument; nothing here reads the clock.
 */

import { type Weekday, WEEKDAYS } from "./types.ts";

/** Milliseconds in a minute. */
export const MINUTE_MS = 60_000;
/** Milliseconds in a UTC day (not a local day: those can be 23 or 25 hours). */
export const DAY_MS = 86_400_000;
/** Minutes in a day; `24:00` parses to this. */
export const MINUTES_PER_DAY = 1440;

/** Years every layer (Temporal, PostgreSQL, time-zone rules) handles alike, with room for a day's margin. */
export const inSupportedYears = (year: number) => year >= 1900 && year <= 9998;

/**
 * A real calendar date written `YYYY-MM-DD` in the supported years, or undefined.
 * (`PlainDate.from` alone also takes date-times and extended years.)
 */
export function parseIsoDate(text: unknown): Temporal.PlainDate | undefined {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return undefined;
  }
  try {
    const date = Temporal.PlainDate.from(text, { overflow: "reject" });
    return inSupportedYears(date.year) ? date : undefined;
  } catch {
    return undefined;
  }
}

const HHMM = /^(\d{2}):(\d{2})$/;

/**
 * Whether `text` is a wall time `HH:MM` from `00:00` to `23:59`, or `24:00` when
 * `allowEndOfDay` is set (a range may end at midnight).
 *
 * @example isHHMM("24:00", { allowEndOfDay: true }) // true
 */
export function isHHMM(
  text: string,
  options: Readonly<{ allowEndOfDay?: boolean }> = {},
): boolean {
  const match = HHMM.exec(text);
  if (!match) return false;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours === 24 && minutes === 0) return options.allowEndOfDay === true;
  return hours < 24 && minutes < 60;
}

/**
 * A time as people type it, written `HH:MM`: "7", "7:00", "7.30", "0700" and "730"
 * become "07:00"/"07:30"; anything else comes back as typed (and is refused as such).
 *
 * @example typedTime("7") // "07:00"
 */
export function typedTime(text: string): string {
  const t = text.trim();
  const match = /^(\d{1,2})(?:[:.h]?(\d{2}))?$/.exec(t);
  if (!match) return t;
  return `${match[1].padStart(2, "0")}:${match[2] ?? "00"}`;
}

/**
 * Minutes since midnight of a wall time `HH:MM`; `24:00` gives 1440.
 * Throws a RangeError on anything else, since settings are validated before use.
 *
 * @example parseHHMM("09:30") // 570
 */
export function parseHHMM(text: string): number {
  if (!isHHMM(text, { allowEndOfDay: true })) {
    throw new RangeError(`Not a wall time HH:MM: ${JSON.stringify(text)}`);
  }
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/**
 * `HH:MM` for minutes since midnight, 0 to 1440 (`24:00`).
 *
 * @example formatHHMM(570) // "09:30"
 */
export function formatHHMM(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MINUTES_PER_DAY) {
    throw new RangeError(`Not a minute of the day: ${minutes}`);
  }
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${hh}:${mm}`;
}

/**
 * The weekday key (`"mon"` … `"sun"`) of a calendar date.
 *
 * @example weekdayOf(Temporal.PlainDate.from("2026-12-01")) // "tue"
 */
export function weekdayOf(date: Temporal.PlainDate): Weekday {
  return WEEKDAYS[date.dayOfWeek - 1];
}

/**
 * The instant of a local wall time, `minutes` after midnight of `date`, in `timeZone`.
 *
 * A wall time inside a spring-forward gap moves forward to the first valid instant
 * (where the gap ends, as api.md states) and a repeated one means its first
 * occurrence. `1440` (`24:00`) is the start of the next day, which is not always a midnight.
 *
 * @example localStartOf(Temporal.PlainDate.from("2026-03-29"), 150, "Europe/Berlin")
 * // 2026-03-29T01:00:00Z, i.e. 03:00+02:00
 */
export function localStartOf(
  date: Temporal.PlainDate,
  minutes: number,
  timeZone: string,
): Temporal.Instant {
  if (minutes === MINUTES_PER_DAY) {
    return date.add({ days: 1 }).toZonedDateTime(timeZone).toInstant();
  }
  const wall = date.toPlainDateTime().add({ minutes });
  const earlier = wall.toZonedDateTime(timeZone, { disambiguation: "earlier" });
  if (earlier.toPlainDateTime().equals(wall)) return earlier.toInstant();
  // Inside a spring-forward gap: the first instant that exists, where the gap ends.
  return earlier.getTimeZoneTransition("next")!.toInstant();
}

/**
 * The instants bounding the local dates `from` to `to` (inclusive) in `timeZone`:
 * the start of `from` up to the start of the day after `to`, half-open.
 *
 * @example dayRange(from, to, "Europe/Berlin") // for `starts_at >= start AND starts_at < end`
 */
export function dayRange(
  from: Temporal.PlainDate,
  to: Temporal.PlainDate,
  timeZone: string,
): Readonly<{ start: Temporal.Instant; end: Temporal.Instant }> {
  return {
    start: from.toZonedDateTime(timeZone).toInstant(),
    end: to.add({ days: 1 }).toZonedDateTime(timeZone).toInstant(),
  };
}

/** The span between two of a zone's transitions: one offset throughout. */
export type OffsetSpan = Readonly<{
  /** Epoch ms where the span is known to start (inclusive) and where it ends. */
  from: number;
  to: number;
  offsetMs: number;
  /** `+01:00`: rounded to the minute, as Temporal and the API write it. */
  text: string;
}>;

// The last span looked up per zone. A cache of what the zone rules say (never the
// clock): slots are formatted in ascending order, so one lookup serves a whole range.
const spans = new Map<string, OffsetSpan>();

/**
 * The zone's offset at `epochMs` and how far it holds, from the zone's transitions:
 * a DST day has two spans, and each instant gets the offset of its own.
 *
 * @example offsetSpanAt("Europe/Berlin", Date.UTC(2026, 11, 1)).text // "+01:00"
 */
export function offsetSpanAt(timeZone: string, epochMs: number): OffsetSpan {
  const cached = spans.get(timeZone);
  if (cached && epochMs >= cached.from && epochMs < cached.to) return cached;
  const zoned = Temporal.Instant.fromEpochMilliseconds(epochMs)
    .toZonedDateTimeISO(timeZone);
  const previous = zoned.getTimeZoneTransition("previous");
  const next = zoned.getTimeZoneTransition("next");
  const offsetMs = zoned.offsetNanoseconds / 1e6;
  const span: OffsetSpan = {
    // Transitions change the offset, so a previous one with this offset starts this
    // span; otherwise `epochMs` may itself be a transition and the span starts here.
    from: previous
      ? previous.offsetNanoseconds / 1e6 === offsetMs
        ? previous.epochMilliseconds
        : epochMs
      : next
      ? epochMs
      : -Infinity,
    to: next ? next.epochMilliseconds : Infinity,
    offsetMs,
    text: offsetText(offsetMs),
  };
  spans.set(timeZone, span);
  return span;
}

const two = (n: number) => (n < 10 ? "0" : "") + n;

// As Temporal writes it: rounded to the minute, half away from zero (-00:44:30 → -00:45).
function offsetText(offsetMs: number): string {
  const sign = offsetMs < 0 ? "-" : "+";
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `${sign}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}

/**
 * `HH:MM` and `HH:MM:SS` wall clock of epoch ms in a zone, by arithmetic on the
 * cached offset (no formatter per call).
 */
export function wallTimeOf(
  epochMs: number,
  timeZone: string,
): Readonly<{ epochDay: number; secondOfDay: number; offset: string }> {
  const span = offsetSpanAt(timeZone, epochMs);
  const local = epochMs + span.offsetMs;
  const epochDay = Math.floor(local / DAY_MS);
  return {
    epochDay,
    secondOfDay: Math.floor((local - epochDay * DAY_MS) / 1000),
    offset: span.text,
  };
}

/** `HH:MM` (and `:SS` when `seconds`) of a second of the day. */
export function clockText(secondOfDay: number, seconds = false): string {
  const hm = `${two(Math.floor(secondOfDay / 3600))}:${
    two(Math.floor(secondOfDay / 60) % 60)
  }`;
  return seconds ? `${hm}:${two(secondOfDay % 60)}` : hm;
}

/**
 * ISO 8601 with the zone's offset at that instant, whole seconds, no zone name:
 * what the JSON API answers. (As Temporal's `toString` would write it, but from the
 * offset looked up once per span between transitions, not once per instant.)
 *
 * @example toOffsetString(Temporal.Instant.from("2026-12-01T09:00:00Z"), "Europe/Berlin")
 * // "2026-12-01T10:00:00+01:00"
 */
export function toOffsetString(
  instant: Temporal.Instant,
  timeZone: string,
): string {
  const { epochDay, secondOfDay, offset } = wallTimeOf(
    instant.epochMilliseconds,
    timeZone,
  );
  return `${formatEpochDay(epochDay)}T${clockText(secondOfDay, true)}${offset}`;
}

/**
 * The local date `YYYY-MM-DD` of an instant in `timeZone`.
 *
 * @example localDateOf(Temporal.Instant.from("2026-12-31T23:30:00Z"), "Europe/Berlin") // "2027-01-01"
 */
export function localDateOf(
  instant: Temporal.Instant,
  timeZone: string,
): string {
  return instant.toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/**
 * The Monday of the week holding `date`.
 *
 * @example startOfWeek(Temporal.PlainDate.from("2026-12-03")) // 2026-11-30
 */
export function startOfWeek(date: Temporal.PlainDate): Temporal.PlainDate {
  return date.subtract({ days: date.dayOfWeek - 1 });
}

/**
 * Whether `name` is an IANA time zone name, spelled as given (`UTC` included).
 * Offsets such as `+01:00` are refused: a trainer's zone must follow DST rules.
 *
 * @example isValidTimeZone("Asia/Kolkata") // true
 */
export function isValidTimeZone(name: string): boolean {
  if (!/^[A-Za-z]/.test(name)) return false;
  if (Intl.supportedValuesOf("timeZone").includes(name)) return true;
  try {
    // Temporal also knows links Intl does not list (`UTC`, `Asia/Kolkata` on
    // some ICU builds); it matches case-insensitively, so insist on the exact
    // spelling it reports back.
    const id = Temporal.Instant.fromEpochMilliseconds(0)
      .toZonedDateTimeISO(name).timeZoneId;
    return id === name;
  } catch {
    return false;
  }
}

/** Days since 1970-01-01 of a calendar date. */
export function epochDayOf(date: Temporal.PlainDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;
}

/** `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian). */
export function formatEpochDay(epochDay: number): string {
  // Howard Hinnant's civil_from_days: plain arithmetic, much cheaper than
  // building a PlainDate for each day of a long range.
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) -
      Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const yyyy = year >= 0 && year <= 9999
    ? String(year).padStart(4, "0")
    : (year < 0 ? "-" : "+") + String(Math.abs(year)).padStart(6, "0");
  return `${yyyy}-${String(month).padStart(2, "0")}-${
    String(day).padStart(2, "0")
  }`;
}

/** The weekday key of a day count since 1970-01-01 (a Thursday). */
export function weekdayOfEpochDay(epochDay: number): Weekday {
  return WEEKDAYS[(((epochDay + 3) % 7) + 7) % 7];
}

/**
 * Resolves wall times to instants in one zone over a bounded window, with plain
 * numbers, so that laying out many days does not cost a Temporal zone lookup for
 * every range boundary. Agrees with {@link localStartOf}.
 */
export type WallClock = Readonly<{
  /** Epoch ms of a wall time given as "epoch ms as if the zone were UTC" (gap → its end). */
  resolve(wallMs: number): number;
  /** Epoch ms of the first instant of a local date, given as days since 1970-01-01. */
  startOfDay(epochDay: number): number;
}>;

type Segment = Readonly<{ from: number; offset: number }>;

/**
 * A {@link WallClock} for `timeZone`, exact for wall times on local days
 * `fromEpochDay` to `toEpochDay` (inclusive), built from the zone's transitions.
 *
 * @example wallClock("Europe/Berlin", 20_500, 20_562).resolve(20_541 * 86_400_000 + 9 * 3_600_000)
 */
export function wallClock(
  timeZone: string,
  fromEpochDay: number,
  toEpochDay: number,
): WallClock {
  const segments = zoneSegments(
    timeZone,
    (fromEpochDay - 2) * DAY_MS,
    (toEpochDay + 3) * DAY_MS,
  );
  const resolveWall = (wallMs: number): number => {
    // The earliest segment whose offset maps the wall time into itself: the
    // first occurrence of a repeated time.
    for (let i = 0; i < segments.length; i++) {
      const instant = wallMs - segments[i].offset;
      const next = segments[i + 1];
      if (instant >= segments[i].from && (!next || instant < next.from)) {
        return instant;
      }
    }
    // In a gap: the first valid instant is where the gap ends.
    for (let i = 1; i < segments.length; i++) {
      const before = wallMs - segments[i - 1].offset;
      if (
        before >= segments[i].from &&
        wallMs - segments[i].offset < segments[i].from
      ) {
        return segments[i].from;
      }
    }
    throw new RangeError(`Wall time outside the resolver window: ${wallMs}`);
  };
  return {
    resolve: resolveWall,
    startOfDay(epochDay) {
      const wallMs = epochDay * DAY_MS;
      for (let i = 1; i < segments.length; i++) {
        const { from, offset } = segments[i];
        // Midnight inside a gap: the day starts when the gap ends, which can
        // be earlier than `compatible` would place midnight.
        if (
          wallMs - segments[i - 1].offset >= from && wallMs - offset < from
        ) {
          return from;
        }
      }
      return resolveWall(wallMs);
    },
  };
}

function zoneSegments(
  timeZone: string,
  fromMs: number,
  toMs: number,
): readonly Segment[] {
  let zoned = Temporal.Instant.fromEpochMilliseconds(fromMs)
    .toZonedDateTimeISO(timeZone);
  const segments: Segment[] = [{
    from: -Infinity,
    offset: zoned.offsetNanoseconds / 1e6,
  }];
  for (;;) {
    const next = zoned.getTimeZoneTransition("next");
    if (!next || next.epochMilliseconds > toMs) return segments;
    segments.push({
      from: next.epochMilliseconds,
      offset: next.offsetNanoseconds / 1e6,
    });
    zoned = next;
  }
}
