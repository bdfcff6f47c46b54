import assert from "node:assert/strict";
import fc from "fast-check";
import { computeSlots, viewChangesAt } from "../../domain/availability.ts";
import { applyPolicies } from "../../domain/policies.ts";
import { decideBooking } from "../../domain/appointments.ts";
import {
  localDateOf,
  localStartOf,
  parseHHMM,
  wallClock,
  weekdayOf,
} from "../../domain/time.ts";
import {
  type BusinessSettings,
  type BusyInterval,
  type Slot,
  type TimeRange,
  type Viewer,
  WEEKDAYS,
  type WorkingHours,
} from "../../domain/types.ts";

const MINUTE = 60_000;
const NUM_RUNS = 150;

/** Zones with whole-hour, half-hour and 30-minute DST shifts, odd offsets, and none. */
const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Lord_Howe",
  "America/Sao_Paulo",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Asia/Tokyo",
  "UTC",
];
/** DST changes of those zones (2018-11-04: Sao Paulo skipped midnight). */
const DST_DAYS: Readonly<Record<string, readonly string[]>> = {
  "Europe/Berlin": ["2026-03-29", "2026-10-25"],
  "America/New_York": ["2026-03-08", "2026-11-01"],
  "Australia/Lord_Howe": ["2026-04-05", "2026-10-04"],
  "America/Sao_Paulo": ["2018-11-04", "2019-02-17"],
};
const ANCHORS = Object.values(DST_DAYS).flat();

const viewerArb: fc.Arbitrary<Viewer> = fc.oneof(
  fc.constant<Viewer>({ role: "trainer" }),
  fc.constantFrom("alice", "bob").map((clientId): Viewer => ({
    role: "client",
    clientId,
  })),
);

/** Up to three non-overlapping ranges on a quarter-hour grid, touching allowed. */
const dayRangesArb: fc.Arbitrary<TimeRange[]> = fc
  .uniqueArray(
    // Quarter hours of the whole day, often of 00:00–04:00 where DST shifts happen.
    fc.oneof(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 0, max: 16 })),
    { maxLength: 6 },
  )
  .chain((cuts) => {
    const sorted = [...cuts].sort((a, b) => a - b);
    const pairs: [number, number][] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      pairs.push([sorted[i], sorted[i + 1]]);
    }
    // Sometimes make neighbours touch, as 09:00–12:00 and 12:00–18:00 do.
    return fc.boolean().map((touch) =>
      pairs.map(([start, end], i) => ({
        start: hhmm(touch && i > 0 ? pairs[i - 1][1] * 15 : start * 15),
        end: hhmm(end * 15),
      })).filter((r) => r.start < r.end || r.end === "24:00")
    );
  });

/** A zone and a day near one of its own DST changes, most of the time. */
const zoneDayArb = fc.constantFrom(...ZONES).chain((zone) =>
  fc.record({
    zone: fc.constant(zone),
    anchor: DST_DAYS[zone]
      ? fc.oneof(
        { arbitrary: fc.constantFrom(...DST_DAYS[zone]), weight: 3 },
        { arbitrary: fc.constantFrom(...ANCHORS), weight: 1 },
      )
      : fc.constantFrom(...ANCHORS),
  })
);

const scenarioArb = fc.record({
  zoneDay: zoneDayArb,
  shift: fc.integer({ min: -3, max: 2 }),
  span: fc.integer({ min: 0, max: 5 }),
  slotMinutes: fc.integer({ min: 3, max: 18 }).map((n) => n * 5),
  hours: fc.tuple(
    ...WEEKDAYS.map(() => dayRangesArb),
  ),
  holidayOffsets: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), {
    maxLength: 2,
  }),
  busy: fc.array(
    fc.record({
      // minutes after the window starts; 5-minute grid plus odd ones
      at: fc.integer({ min: -120, max: 8 * 24 * 60 }),
      minutes: fc.integer({ min: 0, max: 240 }),
      clientId: fc.constantFrom("alice", "bob", "carol"),
    }),
    { maxLength: 25 },
  ),
  nowOffset: fc.integer({ min: -60, max: 8 * 24 * 60 }),
  viewer: viewerArb,
});

type Scenario = Readonly<{
  settings: BusinessSettings;
  from: Temporal.PlainDate;
  to: Temporal.PlainDate;
  busy: readonly BusyInterval[];
  now: Temporal.Instant;
  viewer: Viewer;
}>;

function hhmm(minutes: number): string {
  const h = String(Math.floor(minutes / 60)).padStart(2, "0");
  return `${h}:${String(minutes % 60).padStart(2, "0")}`;
}

function build(
  raw: typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never,
): Scenario {
  const { zone, anchor } = raw.zoneDay;
  const from = Temporal.PlainDate.from(anchor).add({ days: raw.shift });
  const to = from.add({ days: raw.span });
  const [mon, tue, wed, thu, fri, sat, sun] = raw.hours;
  const workingHours: WorkingHours = { mon, tue, wed, thu, fri, sat, sun };
  const windowStart = localStartOf(from, 0, zone).epochMilliseconds;
  const busy = Object.freeze(raw.busy.map((b, i): BusyInterval => {
    const start = windowStart + b.at * MINUTE;
    return {
      start: Temporal.Instant.fromEpochMilliseconds(start),
      end: Temporal.Instant.fromEpochMilliseconds(start + b.minutes * MINUTE),
      appointmentId: `appt-${i}`,
      clientId: b.clientId,
    };
  }));
  return {
    settings: {
      timezone: zone,
      slotMinutes: raw.slotMinutes,
      workingHours,
      holidays: raw.holidayOffsets.map((d) => from.add({ days: d }).toString()),
    },
    from,
    to,
    busy,
    now: Temporal.Instant.fromEpochMilliseconds(
      windowStart + raw.nowOffset * MINUTE,
    ),
    viewer: raw.viewer,
  };
}

const scenario = scenarioArb.map(build);

/**
 * The layout rule written the slow, obvious way with Temporal, to check the
 * engine's numeric shortcuts against: per range, real-time steps from its start
 * instant, ending by its end instant, within the local day, earlier slot wins.
 */
function referenceStarts(s: Scenario): [string, number][] {
  const { timezone: zone, slotMinutes, workingHours, holidays } = s.settings;
  const out: [string, number][] = [];
  for (
    let d = s.from;
    Temporal.PlainDate.compare(d, s.to) <= 0;
    d = d.add({ days: 1 })
  ) {
    if (holidays.includes(d.toString())) continue;
    const dayStart = d.toZonedDateTime(zone).epochMilliseconds;
    const dayEnd = d.add({ days: 1 }).toZonedDateTime(zone).epochMilliseconds;
    const starts: number[] = [];
    for (const range of workingHours[weekdayOf(d)]) {
      const first =
        localStartOf(d, parseHHMM(range.start), zone).epochMilliseconds;
      const last =
        localStartOf(d, parseHHMM(range.end), zone).epochMilliseconds;
      for (
        let t = first;
        t + slotMinutes * MINUTE <= last;
        t += slotMinutes * MINUTE
      ) {
        if (t >= dayStart && t + slotMinutes * MINUTE <= dayEnd) starts.push(t);
      }
    }
    starts.sort((a, b) => a - b);
    let lastEnd = -Infinity;
    for (const t of starts) {
      if (t < lastEnd) continue;
      out.push([d.toString(), t]);
      lastEnd = t + slotMinutes * MINUTE;
    }
  }
  return out;
}

/** Status and shown ids by brute force over every busy interval. */
function referenceStatus(slot: Slot, s: Scenario): Partial<Slot> {
  const overlapping = s.busy
    .filter((b) =>
      Temporal.Instant.compare(b.start, b.end) < 0 &&
      Temporal.Instant.compare(b.start, slot.end) < 0 &&
      Temporal.Instant.compare(b.end, slot.start) > 0
    )
    // stable: equal starts keep the input order
    .sort((a, b) => Temporal.Instant.compare(a.start, b.start));
  const me = s.viewer.role === "client" ? s.viewer.clientId : undefined;
  const own = overlapping.find((b) => b.clientId === me);
  const shown = me === undefined ? overlapping[0] : own;
  const status = Temporal.Instant.compare(slot.start, s.now) < 0
    ? "past"
    : own
    ? "mine"
    : overlapping.length > 0
    ? "booked"
    : "available";
  return shown
    ? { status, appointmentId: shown.appointmentId, clientId: shown.clientId }
    : { status };
}

const overlapsBusy = (slot: Slot, b: BusyInterval) =>
  Temporal.Instant.compare(b.start, b.end) < 0 &&
  Temporal.Instant.compare(b.start, slot.end) < 0 &&
  Temporal.Instant.compare(b.end, slot.start) > 0;

Deno.test("slots are sorted, never overlap, and each lasts exactly slotMinutes of real time", () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const slots = computeSlots(s);
      for (let i = 0; i < slots.length; i++) {
        const { start, end } = slots[i];
        assert.equal(
          end.epochMilliseconds - start.epochMilliseconds,
          s.settings.slotMinutes * MINUTE,
        );
        if (i > 0) {
          assert.ok(Temporal.Instant.compare(slots[i - 1].end, start) <= 0);
        }
      }
    }),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("every slot lies inside a working range of its own local date, which is no holiday", () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const zone = s.settings.timezone;
      for (const slot of computeSlots(s)) {
        const date = Temporal.PlainDate.from(slot.date);
        assert.ok(Temporal.PlainDate.compare(date, s.from) >= 0);
        assert.ok(Temporal.PlainDate.compare(date, s.to) <= 0);
        assert.ok(!s.settings.holidays.includes(slot.date));
        assert.equal(localDateOf(slot.start, zone), slot.date);
        // Instants, not wall times: after a fall-back a slot can start at a
        // wall time before its range's start (the repeated hour).
        const inside = s.settings.workingHours[weekdayOf(date)].some((r) =>
          Temporal.Instant.compare(
              localStartOf(date, parseHHMM(r.start), zone),
              slot.start,
            ) <= 0 &&
          Temporal.Instant.compare(
              slot.end,
              localStartOf(date, parseHHMM(r.end), zone),
            ) <= 0
        );
        assert.ok(
          inside,
          `${slot.start} is outside the ranges of ${slot.date}`,
        );
      }
    }),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("the layout matches the rule computed slowly with Temporal", () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const actual = computeSlots(s).map((
        slot,
      ): [string, number] => [slot.date, slot.start.epochMilliseconds]);
      assert.deepEqual(actual, referenceStarts(s));
    }),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("statuses match a brute-force scan, no available slot overlaps a busy interval, and clients see only their own ids", () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const order = s.busy.map((b) => b.appointmentId);
      for (const slot of computeSlots(s)) {
        const { status, appointmentId, clientId } = slot;
        assert.deepEqual(
          Object.fromEntries(
            Object.entries({ status, appointmentId, clientId }).filter(
              ([, v]) => v !== undefined,
            ),
          ),
          referenceStatus(slot, s),
        );
        if (status === "available") {
          assert.ok(!s.busy.some((b) => overlapsBusy(slot, b)));
        }
        if (s.viewer.role === "client" && clientId !== undefined) {
          assert.equal(clientId, s.viewer.clientId);
        }
      }
      assert.deepEqual(s.busy.map((b) => b.appointmentId), order);
    }),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("a client's booking check agrees with computeSlots for slot starts and for arbitrary instants", () => {
  fc.assert(
    fc.property(
      scenario,
      fc.array(fc.integer({ min: 0, max: 7 * 24 * 12 }), { maxLength: 20 }),
      (s, probes) => {
        const slots = computeSlots(s);
        const expected = (slot: Slot | undefined, start: Temporal.Instant) =>
          Temporal.Instant.compare(start, s.now) < 0
            ? "in_past"
            : !slot
            ? "not_a_slot"
            : slot.status === "available"
            ? "ok"
            : "slot_taken";
        // A trainer's view and a client's agree on what is free: mine and booked are both taken.
        const clientId = s.viewer.role === "client" ? s.viewer.clientId : "";
        const check = (start: Temporal.Instant) => {
          const answer = decideBooking(
            { by: "client", clientId, start, now: s.now },
            { ...s.settings, requiresConfirmation: false },
            s.busy,
          );
          return answer.ok ? "ok" : answer.reason;
        };
        for (const slot of slots) {
          assert.equal(check(slot.start), expected(slot, slot.start));
        }
        // Probes on a 5-minute grid from the window's start; only those whose
        // local date falls in [from, to] can be judged against `slots`.
        const zone = s.settings.timezone;
        const origin = localStartOf(s.from, 0, zone).epochMilliseconds;
        for (const step of probes) {
          const start = Temporal.Instant.fromEpochMilliseconds(
            origin + step * 5 * MINUTE,
          );
          const date = Temporal.PlainDate.from(localDateOf(start, zone));
          if (
            Temporal.PlainDate.compare(date, s.from) < 0 ||
            Temporal.PlainDate.compare(date, s.to) > 0
          ) continue;
          const slot = slots.find((x) => x.start.equals(start));
          assert.equal(check(start), expected(slot, start), start.toString());
        }
      },
    ),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("the numeric wall clock agrees with Temporal on gaps, repeats and day starts", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...ZONES, "Pacific/Apia", "America/Santiago"),
      fc.constantFrom(...ANCHORS, "2011-12-30", "2022-09-11"),
      fc.integer({ min: -2, max: 2 }),
      fc.integer({ min: 0, max: 1439 }),
      (zone, anchor, shift, minutes) => {
        const date = Temporal.PlainDate.from(anchor).add({ days: shift });
        const epochDay = date.since(Temporal.PlainDate.from("1970-01-01")).days;
        const clock = wallClock(zone, epochDay - 1, epochDay + 1);
        assert.equal(
          clock.resolve(epochDay * 86_400_000 + minutes * MINUTE),
          localStartOf(date, minutes, zone).epochMilliseconds,
          `${date} ${hhmm(minutes)} ${zone}`,
        );
        assert.equal(
          clock.startOfDay(epochDay),
          date.toZonedDateTime(zone).epochMilliseconds,
          `start of ${date} ${zone}`,
        );
      },
    ),
    { numRuns: 500 },
  );
});

/**
 * What a calendar built at `now` shows that depends on the clock: each slot's status as
 * the viewer sees it (a client's under the policies), the local date and the offset.
 */
function clockView(
  s: Scenario,
  now: Temporal.Instant,
  policies: Readonly<{ minNoticeMinutes: number; horizonDays: number | null }>,
) {
  const raw = computeSlots({ ...s, now });
  const slots = s.viewer.role === "client"
    ? applyPolicies(raw, {
      busy: s.busy,
      now,
      timezone: s.settings.timezone,
      policies: { ...policies, bufferMinutes: 0, cancelNoticeMinutes: 0 },
    })
    : raw;
  const zoned = now.toZonedDateTimeISO(s.settings.timezone);
  return {
    statuses: slots.map((slot) => slot.status),
    today: zoned.toPlainDate().toString(),
    offset: zoned.offset,
  };
}

Deno.test("a view reads the same at every instant before viewChangesAt says it may change", () => {
  fc.assert(
    fc.property(
      scenario,
      fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 48 * 60 })),
      fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      fc.integer({ min: 0, max: 999 }),
      fc.option(fc.nat(), { freq: 2 }),
      (s, minNoticeMinutes, horizonDays, fraction, subMs, onSlot) => {
        // Now often exactly where a status turns (a slot's start, or its notice
        // window's), sometimes a little after.
        const all = computeSlots(s);
        const pick = onSlot === null || all.length === 0
          ? undefined
          : all[onSlot % all.length].start.subtract({
            minutes: onSlot % 2 ? minNoticeMinutes : 0,
          });
        const now = (pick ?? s.now).add({ microseconds: onSlot ? 0 : subMs });
        const policies = { minNoticeMinutes, horizonDays };
        const slots = computeSlots({ ...s, now });
        const until = viewChangesAt({
          slots,
          now,
          timezone: s.settings.timezone,
          minNoticeMinutes: s.viewer.role === "client" ? minNoticeMinutes : 0,
        });
        assert.ok(
          until.epochMilliseconds >= now.epochMilliseconds,
          "never earlier than now",
        );
        const seen = clockView(s, now, policies);
        const span = until.epochMilliseconds - now.epochMilliseconds;
        if (span <= 0) return;
        for (
          const ms of [
            now.epochMilliseconds + 1,
            now.epochMilliseconds + Math.floor(span * fraction),
            until.epochMilliseconds - 1,
          ]
        ) {
          const t = Temporal.Instant.fromEpochMilliseconds(ms);
          if (Temporal.Instant.compare(t, now) < 0) continue;
          assert.deepEqual(clockView(s, t, policies), seen, `at ${t}`);
        }
      },
    ),
    { numRuns: NUM_RUNS },
  );
});
