/**
 * Reads busy time out of an iCalendar file with ical.js (Mozilla's parser): `VTIMEZONE`,
 * `RRULE`/`RDATE`/`EXDATE` expansion and `RECURRENCE-ID` overrides, over a window.
 *
 * Busy: every `VEVENT` that is not `TRANSP:TRANSPARENT` and not `STATUS:CANCELLED`. Times
 * with a `TZID` are read in the file's `VTIMEZONE` of that name, else in that IANA zone,
 * else in the IANA zone a Windows name (Outlook's "W. Europe Standard Time") stands for
 * (CLDR's windowsZones via `windows-iana`), else in the trainer's zone; UTC times as
 * given; floating times in the trainer's zone. An all-day event blocks its local days in
 * the trainer's zone, 00:00 to 24:00 (`DTEND` exclusive, one day when absent).
 */
import ICAL from "ical.js";
import { findIana } from "windows-iana";

type Instant = Temporal.Instant;

/** One busy interval: [start, end) and the event's title. */
export type ReadBusy = Readonly<
  { start: Instant; end: Instant; summary: string }
>;

export type ReadInput = Readonly<{
  text: string;
  window: Readonly<{ start: Instant; end: Instant }>;
  /** The trainer's IANA zone: floating times, all-day events, unknown `TZID`s. */
  timezone: string;
  /** Events whose `UID` ends in `@<ownHost>` are the app's own feed read back: skipped. */
  ownHost?: string;
  /** More busy intervals than this in the window and the file is refused. */
  maxIntervals?: number;
}>;

export type ReadResult =
  | Readonly<{ ok: true; busy: ReadBusy[] }>
  | Readonly<{ ok: false; reason: "not_icalendar" | "too_many_events" }>;

/** Occurrences walked per recurring event at most (a rule from decades ago stays cheap). */
const MAX_STEPS = 100_000;
/**
 * Occurrences walked in one file at most (about 13 µs each here): beyond it the file is
 * refused as too many events rather than let one feed hold a sync for minutes.
 */
const MAX_FILE_STEPS = 400_000;
const DEFAULT_MAX_INTERVALS = 50_000;
const DAY_MS = 86_400_000;
const MAX_TITLE = 200;

type Component = InstanceType<typeof ICAL.Component>;
type Time = InstanceType<typeof ICAL.Time>;
type Property = InstanceType<typeof ICAL.Property>;

class TooMany extends Error {}

/**
 * The busy intervals of `text` overlapping the window, one per occurrence (overlapping
 * ones not merged), ordered by start.
 *
 * @example readBusyTime({ text, window, timezone: "Europe/Berlin", ownHost: "spotter.example" })
 */
export function readBusyTime(input: ReadInput): ReadResult {
  let root: Component;
  try {
    const parsed = ICAL.parse(input.text);
    if (!Array.isArray(parsed) || parsed[0] !== "vcalendar") {
      return { ok: false, reason: "not_icalendar" };
    }
    root = new ICAL.Component(parsed);
  } catch {
    return { ok: false, reason: "not_icalendar" };
  }
  const reader = new Reader(input);
  try {
    reader.readAll(root);
  } catch (error) {
    if (error instanceof TooMany) {
      return { ok: false, reason: "too_many_events" };
    }
    throw error;
  }
  const busy = reader.busy.sort((a, b) =>
    Temporal.Instant.compare(a.start, b.start)
  );
  return { ok: true, busy };
}

class Reader {
  readonly busy: ReadBusy[] = [];
  readonly #from: number;
  readonly #to: number;
  readonly #zones = new Map<string, string | undefined>();
  readonly #max: number;
  #steps = 0;

  constructor(readonly input: ReadInput) {
    this.#from = input.window.start.epochMilliseconds;
    this.#to = input.window.end.epochMilliseconds;
    this.#max = input.maxIntervals ?? DEFAULT_MAX_INTERVALS;
  }

  readAll(root: Component) {
    const masters: Component[] = [];
    const overrides = new Map<string, Component[]>();
    const suffix = this.input.ownHost && `@${this.input.ownHost}`.toLowerCase();
    for (const event of root.getAllSubcomponents("vevent")) {
      const uid = String(event.getFirstPropertyValue("uid") ?? "");
      if (suffix && uid.toLowerCase().endsWith(suffix)) continue;
      if (event.hasProperty("recurrence-id")) {
        const list = overrides.get(uid) ?? [];
        list.push(event);
        overrides.set(uid, list);
      } else masters.push(event);
    }
    for (const master of masters) {
      const uid = String(master.getFirstPropertyValue("uid") ?? "");
      this.#readMaster(master, overrides.get(uid) ?? []);
    }
    // An override carries its own time and status (its master's occurrence is skipped);
    // one without a master in the file stands alone.
    for (const list of overrides.values()) {
      for (const event of list) {
        const span = this.#span(event);
        if (!span || !isBusy(event)) continue;
        this.#add(span.start, span.start + span.length, titleOf(event));
      }
    }
  }

  #readMaster(master: Component, overrides: readonly Component[]) {
    const span = this.#span(master);
    if (!span) return;
    const busy = isBusy(master);
    const title = titleOf(master);
    const recurring = master.hasProperty("rrule") ||
      master.hasProperty("rdate");
    if (!recurring) {
      if (busy) this.#add(span.start, span.start + span.length, title);
      return;
    }
    if (!busy) return; // a free or cancelled series; its overrides speak for themselves
    const skip = new Set<string>();
    for (const o of overrides) {
      const id = o.getFirstProperty("recurrence-id")!;
      skip.add(this.#key(id.getFirstValue() as Time, id, span.tzid));
    }
    for (const ex of master.getAllProperties("exdate")) {
      for (const value of ex.getValues() as Time[]) {
        skip.add(this.#key(value, ex, span.tzid));
      }
    }
    const event = new ICAL.Event(master, { exceptions: [] });
    // DTSTART is always the first instance, with RDATE alone too (ical.js leaves it out then).
    const first = event.startDate;
    const firstKey = this.#key(first, undefined, span.tzid);
    if (!skip.has(firstKey)) {
      this.#add(span.start, span.start + span.length, title);
    }
    skip.add(firstKey);
    const it = event.iterator();
    for (let step = 0; step < MAX_STEPS; step++) {
      const next = it.next();
      if (!next) break;
      if (++this.#steps > MAX_FILE_STEPS) throw new TooMany();
      const start = this.#ms(next, span.tzid);
      if (start >= this.#to) break;
      if (skip.has(this.#key(next, undefined, span.tzid))) continue;
      const end = next.isDate
        ? this.#ms(plusDays(next, span.days), span.tzid)
        : start + span.length;
      this.#add(start, end, title);
    }
  }

  /** Start, length and zone of one event's first instance, or `undefined` without one. */
  #span(event: Component) {
    const startProp = event.getFirstProperty("dtstart");
    if (!startProp) return undefined;
    const startTime = startProp.getFirstValue() as Time;
    if (!(startTime instanceof ICAL.Time)) return undefined;
    const tzid = paramOf(startProp);
    const start = this.#ms(startTime, tzid);
    const endProp = event.getFirstProperty("dtend");
    const duration = event.getFirstPropertyValue("duration") as
      | InstanceType<typeof ICAL.Duration>
      | null;
    if (startTime.isDate) {
      let days = 1;
      const endTime = endProp?.getFirstValue() as Time | undefined;
      if (endTime instanceof ICAL.Time) {
        days = Math.round(
          (Date.UTC(endTime.year, endTime.month - 1, endTime.day) -
            Date.UTC(startTime.year, startTime.month - 1, startTime.day)) /
            DAY_MS,
        );
      } else if (duration instanceof ICAL.Duration) {
        days = Math.round(duration.toSeconds() / 86_400);
      }
      days = Math.max(days, 1);
      const end = this.#ms(plusDays(startTime, days), tzid);
      return { start, length: end - start, days, tzid };
    }
    let end = start;
    const endTime = endProp?.getFirstValue() as Time | undefined;
    if (endTime instanceof ICAL.Time) {
      end = this.#ms(endTime, paramOf(endProp!));
    } else if (duration instanceof ICAL.Duration) {
      end = start + duration.toSeconds() * 1000;
    }
    return { start, length: end - start, days: 0, tzid };
  }

  #add(start: number, end: number, summary: string) {
    if (!(end > start) || end <= this.#from || start >= this.#to) return;
    if (this.busy.length >= this.#max) throw new TooMany();
    this.busy.push({
      start: Temporal.Instant.fromEpochMilliseconds(start),
      end: Temporal.Instant.fromEpochMilliseconds(end),
      summary,
    });
  }

  /** An occurrence's identity: its instant, or its local date for all-day ones. */
  #key(t: Time, prop: Property | undefined, fallbackTzid: string | undefined) {
    if (t.isDate) return `d${t.year}-${t.month}-${t.day}`;
    return String(
      this.#ms(t, prop ? paramOf(prop) ?? fallbackTzid : fallbackTzid),
    );
  }

  /** Epoch milliseconds of `t`, by the rules in this module's comment. */
  #ms(t: Time, tzid: string | undefined): number {
    if (t.isDate) {
      return Temporal.PlainDate.from({
        year: t.year,
        month: t.month,
        day: t.day,
      })
        .toZonedDateTime({ timeZone: this.input.timezone }).epochMilliseconds;
    }
    if (t.zone === ICAL.Timezone.utcTimezone) {
      return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    }
    if (t.zone && t.zone !== ICAL.Timezone.localTimezone) {
      return t.toUnixTime() * 1000; // the file's own VTIMEZONE
    }
    const zone = (tzid && this.#zoneOf(tzid)) ?? this.input.timezone;
    return Temporal.PlainDateTime.from({
      year: t.year,
      month: t.month,
      day: t.day,
      hour: t.hour,
      minute: t.minute,
      second: Math.min(t.second, 59),
    }).toZonedDateTime(zone).epochMilliseconds;
  }

  #zoneOf(tzid: string): string | undefined {
    if (!this.#zones.has(tzid)) this.#zones.set(tzid, ianaZoneOf(tzid));
    return this.#zones.get(tzid);
  }
}

const paramOf = (prop: Property): string | undefined => {
  const tzid = prop.getParameter("tzid");
  return typeof tzid === "string" ? tzid : undefined;
};

function plusDays(t: Time, days: number): Time {
  const next = t.clone();
  next.adjust(days, 0, 0, 0);
  return next;
}

function isBusy(event: Component): boolean {
  const transp = String(event.getFirstPropertyValue("transp") ?? "")
    .toUpperCase();
  const status = String(event.getFirstPropertyValue("status") ?? "")
    .toUpperCase();
  return transp !== "TRANSPARENT" && status !== "CANCELLED";
}

function titleOf(event: Component): string {
  const summary = event.getFirstPropertyValue("summary");
  // deno-lint-ignore no-control-regex
  return String(summary ?? "").replace(/[\u0000-\u001f\u007f]+/g, " ").trim()
    .slice(0, MAX_TITLE);
}

function isIana(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The IANA zone a `TZID` names: itself, the zone a Windows name stands for, or an IANA
 * name at the end of a path (`/mozilla.org/20050126_1/Europe/Berlin`).
 */
export function ianaZoneOf(tzid: string): string | undefined {
  const name = tzid.trim().replace(/^"|"$/g, "");
  if (isIana(name)) return name;
  const windows = findIana(name);
  if (windows?.length) return windows[0];
  const tail = name.match(/([A-Za-z_]+\/[A-Za-z_+-]+(?:\/[A-Za-z_+-]+)?)$/);
  if (tail && isIana(tail[1])) return tail[1];
  return undefined;
}
