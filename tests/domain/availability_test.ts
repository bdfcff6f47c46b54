import assert from "node:assert/strict";
import {
  computeSlots,
  findSlot,
  type SlotsInput,
  slotStartingAt,
} from "../../domain/availability.ts";
import { decideBooking } from "../../domain/appointments.ts";
import {
  dayRange,
  formatEpochDay,
  formatHHMM,
  isValidTimeZone,
  localDateOf,
  localStartOf,
  parseHHMM,
  startOfWeek,
  toOffsetString,
  weekdayOf,
} from "../../domain/time.ts";
import type {
  BusinessSettings,
  BusyInterval,
  Slot,
  TimeRange,
  Viewer,
  Weekday,
  WorkingHours,
} from "../../domain/types.ts";

const NO_HOURS: WorkingHours = {
  mon: [],
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [],
  sun: [],
};
const TRAINER: Viewer = { role: "trainer" };
const ALICE = { role: "client", clientId: "alice" } as const satisfies Viewer;
const LONG_AGO = Temporal.Instant.from("2000-01-01T00:00:00Z");
const at = (iso: string) => Temporal.Instant.from(iso);
const day = (iso: string) => Temporal.PlainDate.from(iso);

function ranges(...pairs: [string, string][]): TimeRange[] {
  return pairs.map(([start, end]) => ({ start, end }));
}

function settings(
  timezone: string,
  slotMinutes: number,
  hours: Partial<Record<Weekday, TimeRange[]>>,
  holidays: string[] = [],
): BusinessSettings {
  return {
    timezone,
    slotMinutes,
    workingHours: { ...NO_HOURS, ...hours },
    holidays,
  };
}

function busy(
  start: string,
  end: string,
  appointmentId: string,
  clientId: string,
): BusyInterval {
  return { start: at(start), end: at(end), appointmentId, clientId };
}

function slotsOn(
  input: Partial<SlotsInput> & Pick<SlotsInput, "settings" | "from">,
): readonly Slot[] {
  return computeSlots({
    busy: [],
    to: input.from,
    now: LONG_AGO,
    viewer: TRAINER,
    ...input,
  });
}

const startsOf = (slots: readonly Slot[]) =>
  slots.map((s) => s.start.toString());

// --- time helpers ---------------------------------------------------------

Deno.test("HH:MM parses to minutes and formats back, with 24:00 as 1440", () => {
  const cases: [string, number][] = [
    ["00:00", 0],
    ["09:30", 570],
    ["23:59", 1439],
    ["24:00", 1440],
  ];
  for (const [text, minutes] of cases) {
    assert.equal(parseHHMM(text), minutes, text);
    assert.equal(formatHHMM(minutes), text, text);
  }
  for (const bad of ["9:30", "24:01", "25:00", "12:60", "", "12:00:00"]) {
    assert.throws(() => parseHHMM(bad), RangeError, bad);
  }
  for (const bad of [-1, 1441, 1.5]) {
    assert.throws(() => formatHHMM(bad), RangeError, String(bad));
  }
});

Deno.test("weekdays and week starts follow the ISO week from Monday", () => {
  const cases: [string, Weekday, string][] = [
    ["2026-11-30", "mon", "2026-11-30"],
    ["2026-12-01", "tue", "2026-11-30"],
    ["2026-12-06", "sun", "2026-11-30"],
    ["2027-01-01", "fri", "2026-12-28"],
  ];
  for (const [date, weekday, monday] of cases) {
    assert.equal(weekdayOf(day(date)), weekday, date);
    assert.equal(startOfWeek(day(date)).toString(), monday, date);
  }
});

Deno.test("a local wall time resolves to its instant, moving forward out of gaps and taking the first of repeated times", () => {
  const cases: [string, string, string, string][] = [
    // zone, date, wall time, instant
    ["Europe/Berlin", "2026-12-01", "10:00", "2026-12-01T09:00:00Z"],
    ["Europe/Berlin", "2026-03-29", "02:30", "2026-03-29T01:00:00Z"], // 03:00+02:00, where the gap ends
    ["Europe/Berlin", "2026-10-25", "02:30", "2026-10-25T00:30:00Z"], // first, +02:00
    ["America/New_York", "2026-03-08", "02:30", "2026-03-08T07:00:00Z"], // 03:00-04:00
    ["America/New_York", "2026-11-01", "01:30", "2026-11-01T05:30:00Z"], // first, -04:00
    ["Australia/Lord_Howe", "2026-10-04", "02:15", "2026-10-03T15:30:00Z"], // 02:30+11:00
    ["Australia/Lord_Howe", "2026-04-05", "01:45", "2026-04-04T14:45:00Z"], // first, +11:00
    ["Asia/Kolkata", "2026-12-01", "09:00", "2026-12-01T03:30:00Z"],
    ["Asia/Kathmandu", "2026-12-01", "09:00", "2026-12-01T03:15:00Z"],
    ["UTC", "2026-03-29", "02:30", "2026-03-29T02:30:00Z"],
    ["Europe/Berlin", "2026-03-28", "24:00", "2026-03-28T23:00:00Z"],
    // Midnight does not exist there that day: 24:00 is when the next day starts.
    ["America/Sao_Paulo", "2018-11-03", "24:00", "2018-11-04T03:00:00Z"],
  ];
  for (const [zone, date, wall, instant] of cases) {
    assert.equal(
      localStartOf(day(date), parseHHMM(wall), zone).toString(),
      instant,
      `${date} ${wall} ${zone}`,
    );
  }
});

Deno.test("a day range spans the real length of the local days, 23 or 25 hours on DST days", () => {
  const cases: [string, string, string, string, string][] = [
    [
      "Europe/Berlin",
      "2026-03-29",
      "2026-03-29",
      "2026-03-28T23:00:00Z",
      "2026-03-29T22:00:00Z",
    ],
    [
      "Europe/Berlin",
      "2026-10-25",
      "2026-10-25",
      "2026-10-24T22:00:00Z",
      "2026-10-25T23:00:00Z",
    ],
    [
      "America/New_York",
      "2026-12-01",
      "2026-12-07",
      "2026-12-01T05:00:00Z",
      "2026-12-08T05:00:00Z",
    ],
    [
      "America/Sao_Paulo",
      "2018-11-04",
      "2018-11-04",
      "2018-11-04T03:00:00Z",
      "2018-11-05T02:00:00Z",
    ],
  ];
  for (const [zone, from, to, start, end] of cases) {
    const range = dayRange(day(from), day(to), zone);
    assert.deepEqual(
      [range.start.toString(), range.end.toString()],
      [start, end],
      `${from}..${to} ${zone}`,
    );
  }
});

Deno.test("instants are shown with the zone's offset at that moment, in whole seconds", () => {
  const cases: [string, string, string][] = [
    ["2026-12-01T09:00:00Z", "Europe/Berlin", "2026-12-01T10:00:00+01:00"],
    ["2026-07-01T09:00:00Z", "Europe/Berlin", "2026-07-01T11:00:00+02:00"],
    ["2026-12-01T03:15:00Z", "Asia/Kathmandu", "2026-12-01T09:00:00+05:45"],
    ["2026-11-01T06:00:00Z", "America/New_York", "2026-11-01T01:00:00-05:00"],
    ["2026-12-01T09:00:00.987Z", "UTC", "2026-12-01T09:00:00+00:00"],
  ];
  for (const [instant, zone, text] of cases) {
    assert.equal(toOffsetString(at(instant), zone), text, `${instant} ${zone}`);
  }
});

Deno.test("the local date of an instant depends on the zone", () => {
  const cases: [string, string, string][] = [
    ["2026-12-31T23:30:00Z", "Europe/Berlin", "2027-01-01"],
    ["2026-12-31T23:30:00Z", "UTC", "2026-12-31"],
    ["2027-01-01T03:00:00Z", "America/New_York", "2026-12-31"],
    ["2026-12-01T18:30:00Z", "Asia/Kolkata", "2026-12-02"],
  ];
  for (const [instant, zone, date] of cases) {
    assert.equal(localDateOf(at(instant), zone), date, `${instant} ${zone}`);
  }
});

Deno.test("epoch days format as ISO dates, across leap years and before 1970", () => {
  for (const date of ["1970-01-01", "1969-12-31", "2000-02-29", "2026-12-31"]) {
    const epochDay = day(date).since(day("1970-01-01")).days;
    assert.equal(formatEpochDay(epochDay), date);
  }
});

Deno.test("time zone names are IANA names spelled as given", () => {
  assert.equal(isValidTimeZone("Asia/Kolkata"), true);
  assert.equal(isValidTimeZone("UTC"), true);
  assert.equal(isValidTimeZone("+01:00"), false);
  assert.equal(isValidTimeZone("EUROPE/BERLIN"), false);
  assert.equal(isValidTimeZone("Not/A_Zone"), false);
});

// --- layout ---------------------------------------------------------------

Deno.test("slots are laid out in real time on DST days and in odd offsets", () => {
  const cases: {
    name: string;
    zone: string;
    date: string;
    hours: [string, string][];
    minutes: number;
    starts: string[];
  }[] = [
    {
      name: "Berlin spring-forward: 01:00–04:00 holds two real hours",
      zone: "Europe/Berlin",
      date: "2026-03-29",
      hours: [["01:00", "04:00"]],
      minutes: 60,
      starts: ["2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z"],
    },
    {
      name:
        "Berlin spring-forward: a range starting at 02:30 starts where the gap ends, 03:00+02:00",
      zone: "Europe/Berlin",
      date: "2026-03-29",
      hours: [["02:30", "05:00"]],
      minutes: 30,
      starts: [
        "2026-03-29T01:00:00Z",
        "2026-03-29T01:30:00Z",
        "2026-03-29T02:00:00Z",
        "2026-03-29T02:30:00Z",
      ],
    },
    {
      name: "Berlin fall-back: 00:00–04:00 holds five real hours",
      zone: "Europe/Berlin",
      date: "2026-10-25",
      hours: [["00:00", "04:00"]],
      minutes: 60,
      starts: [
        "2026-10-24T22:00:00Z",
        "2026-10-24T23:00:00Z",
        "2026-10-25T00:00:00Z",
        "2026-10-25T01:00:00Z",
        "2026-10-25T02:00:00Z",
      ],
    },
    {
      name: "New York spring-forward: 01:00–04:00 holds two real hours",
      zone: "America/New_York",
      date: "2026-03-08",
      hours: [["01:00", "04:00"]],
      minutes: 60,
      starts: ["2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z"],
    },
    {
      name:
        "New York fall-back: 01:30 is the first 01:30 (-04:00), then the hour repeats",
      zone: "America/New_York",
      date: "2026-11-01",
      hours: [["01:30", "03:00"]],
      minutes: 30,
      starts: [
        "2026-11-01T05:30:00Z",
        "2026-11-01T06:00:00Z",
        "2026-11-01T06:30:00Z",
        "2026-11-01T07:00:00Z",
        "2026-11-01T07:30:00Z",
      ],
    },
    {
      name: "Lord Howe fall-back by half an hour: 01:00–03:00 holds 2.5 hours",
      zone: "Australia/Lord_Howe",
      date: "2026-04-05",
      hours: [["01:00", "03:00"]],
      minutes: 30,
      starts: [
        "2026-04-04T14:00:00Z",
        "2026-04-04T14:30:00Z",
        "2026-04-04T15:00:00Z",
        "2026-04-04T15:30:00Z",
        "2026-04-04T16:00:00Z",
      ],
    },
    {
      name:
        "Lord Howe spring-forward by half an hour: 01:00–03:00 holds 1.5 hours",
      zone: "Australia/Lord_Howe",
      date: "2026-10-04",
      hours: [["01:00", "03:00"]],
      minutes: 30,
      starts: [
        "2026-10-03T14:30:00Z",
        "2026-10-03T15:00:00Z",
        "2026-10-03T15:30:00Z",
      ],
    },
    {
      name:
        "Lord Howe: a range starting in the half-hour gap starts where the gap ends, 02:30+11:00",
      zone: "Australia/Lord_Howe",
      date: "2026-10-04",
      hours: [["02:15", "04:00"]],
      minutes: 45,
      starts: ["2026-10-03T15:30:00Z", "2026-10-03T16:15:00Z"],
    },
    {
      name: "Kolkata is +05:30",
      zone: "Asia/Kolkata",
      date: "2026-12-01",
      hours: [["09:00", "12:00"]],
      minutes: 60,
      starts: [
        "2026-12-01T03:30:00Z",
        "2026-12-01T04:30:00Z",
        "2026-12-01T05:30:00Z",
      ],
    },
    {
      name: "Kathmandu is +05:45",
      zone: "Asia/Kathmandu",
      date: "2026-12-01",
      hours: [["09:00", "11:00"]],
      minutes: 60,
      starts: ["2026-12-01T03:15:00Z", "2026-12-01T04:15:00Z"],
    },
    {
      name: "Tokyo has no DST, even on Europe's spring-forward day",
      zone: "Asia/Tokyo",
      date: "2026-03-29",
      hours: [["09:00", "11:00"]],
      minutes: 60,
      starts: ["2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z"],
    },
    {
      name: "a split day has the slots of both ranges",
      zone: "UTC",
      date: "2026-12-01",
      hours: [["09:00", "11:00"], ["13:00", "15:00"]],
      minutes: 60,
      starts: [
        "2026-12-01T09:00:00Z",
        "2026-12-01T10:00:00Z",
        "2026-12-01T13:00:00Z",
        "2026-12-01T14:00:00Z",
      ],
    },
    {
      name: "ranges given out of order still come out ordered",
      zone: "UTC",
      date: "2026-12-01",
      hours: [["13:00", "14:00"], ["09:00", "10:00"]],
      minutes: 60,
      starts: ["2026-12-01T09:00:00Z", "2026-12-01T13:00:00Z"],
    },
    {
      name:
        "a range end that is not a multiple of the slot drops the remainder",
      zone: "UTC",
      date: "2026-12-01",
      hours: [["10:00", "12:30"]],
      minutes: 60,
      starts: ["2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z"],
    },
    {
      name: "90-minute slots fit five into 09:00–17:00",
      zone: "UTC",
      date: "2026-12-01",
      hours: [["09:00", "17:00"]],
      minutes: 90,
      starts: [
        "2026-12-01T09:00:00Z",
        "2026-12-01T10:30:00Z",
        "2026-12-01T12:00:00Z",
        "2026-12-01T13:30:00Z",
        "2026-12-01T15:00:00Z",
      ],
    },
    {
      name: "a range shorter than a slot has no slots",
      zone: "UTC",
      date: "2026-12-01",
      hours: [["09:00", "09:45"]],
      minutes: 60,
      starts: [],
    },
    {
      name: "a range ending at 24:00 ends at the start of the next day",
      zone: "Europe/Berlin",
      date: "2026-12-01",
      hours: [["22:00", "24:00"]],
      minutes: 60,
      starts: ["2026-12-01T21:00:00Z", "2026-12-01T22:00:00Z"],
    },
    {
      name:
        "a range ending inside the gap ends where the gap ends, so it meets the next range exactly",
      zone: "Europe/Berlin",
      date: "2026-03-29",
      hours: [["00:00", "02:30"], ["03:00", "04:00"]],
      minutes: 30,
      starts: [
        "2026-03-28T23:00:00Z",
        "2026-03-28T23:30:00Z",
        "2026-03-29T00:00:00Z",
        "2026-03-29T00:30:00Z",
        "2026-03-29T01:00:00Z", // the second range, 03:00+02:00
        "2026-03-29T01:30:00Z",
      ],
    },
    {
      name: "Sao Paulo skipped midnight: 00:00 moves to 01:00",
      zone: "America/Sao_Paulo",
      date: "2018-11-04",
      hours: [["00:00", "02:00"]],
      minutes: 30,
      starts: ["2018-11-04T03:00:00Z", "2018-11-04T03:30:00Z"],
    },
  ];
  for (const c of cases) {
    const weekday = weekdayOf(day(c.date));
    const slots = slotsOn({
      settings: settings(c.zone, c.minutes, { [weekday]: ranges(...c.hours) }),
      from: day(c.date),
    });
    assert.deepEqual(startsOf(slots), c.starts, c.name);
    for (const slot of slots) {
      assert.equal(
        slot.end.since(slot.start).total("minutes"),
        c.minutes,
        c.name,
      );
      assert.equal(slot.date, c.date, c.name);
      assert.equal(slot.status, "available", c.name);
    }
  }
});

Deno.test("holidays and weekdays without ranges have no slots", () => {
  const s = settings("Europe/Berlin", 60, {
    mon: ranges(["09:00", "11:00"]),
    tue: ranges(["09:00", "11:00"]),
    wed: ranges(["09:00", "11:00"]),
  }, ["2026-12-01"]);
  const slots = computeSlots({
    settings: s,
    busy: [],
    from: day("2026-11-30"), // Monday
    to: day("2026-12-06"), // Sunday
    now: LONG_AGO,
    viewer: TRAINER,
  });
  assert.deepEqual(
    slots.map((slot) => slot.date),
    ["2026-11-30", "2026-11-30", "2026-12-02", "2026-12-02"],
  );
});

Deno.test("a day that does not exist locally has no slots (Samoa skipped 2011-12-30)", () => {
  const hour = ranges(["09:00", "10:00"]);
  const slots = computeSlots({
    settings: settings("Pacific/Apia", 60, { thu: hour, fri: hour, sat: hour }),
    busy: [],
    from: day("2011-12-29"),
    to: day("2011-12-31"),
    now: LONG_AGO,
    viewer: TRAINER,
  });
  assert.deepEqual(
    slots.map((slot) => [slot.date, slot.start.toString()]),
    [
      ["2011-12-29", "2011-12-29T19:00:00Z"],
      ["2011-12-31", "2011-12-30T19:00:00Z"],
    ],
  );
});

Deno.test("ranges of adjacent days that touch at midnight give back-to-back slots", () => {
  const slots = computeSlots({
    settings: settings("Europe/Berlin", 60, {
      sat: ranges(["22:00", "24:00"]),
      sun: ranges(["00:00", "02:00"]),
    }),
    busy: [],
    from: day("2026-03-28"),
    to: day("2026-03-29"),
    now: LONG_AGO,
    viewer: TRAINER,
  });
  assert.deepEqual(
    slots.map((s) => [s.date, s.start.toString(), s.end.toString()]),
    [
      ["2026-03-28", "2026-03-28T21:00:00Z", "2026-03-28T22:00:00Z"],
      ["2026-03-28", "2026-03-28T22:00:00Z", "2026-03-28T23:00:00Z"],
      ["2026-03-29", "2026-03-28T23:00:00Z", "2026-03-29T00:00:00Z"],
      // 01:00 local, then the clocks jump: 01:00–03:00 wall time is one hour.
      ["2026-03-29", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z"],
    ],
  );
});

Deno.test("a date range ending before it starts has no slots", () => {
  const slots = computeSlots({
    settings: settings("UTC", 60, { tue: ranges(["09:00", "17:00"]) }),
    busy: [],
    from: day("2026-12-02"),
    to: day("2026-12-01"),
    now: LONG_AGO,
    viewer: TRAINER,
  });
  assert.deepEqual(slots, []);
});

// --- status ---------------------------------------------------------------

const TUESDAY = settings("Europe/Berlin", 60, {
  tue: ranges(["09:00", "13:00"]),
});
const DEC_1 = day("2026-12-01");

function statusesOf(slots: readonly Slot[]) {
  return slots.map((s) => {
    const time = toOffsetString(s.start, "Europe/Berlin").slice(11, 16);
    return [time, s.status, s.appointmentId, s.clientId].filter((x) =>
      x !== undefined
    ).join(" ");
  });
}

Deno.test("slots earlier today turn past, and a slot starting right now does not", () => {
  const cases: [string, string[]][] = [
    ["2026-12-01T10:00:00+01:00", [
      "09:00 past",
      "10:00 available",
      "11:00 available",
      "12:00 available",
    ]],
    ["2026-12-01T10:15:00+01:00", [
      "09:00 past",
      "10:00 past",
      "11:00 available",
      "12:00 available",
    ]],
    ["2026-12-01T10:00:00.000000001+01:00", [
      "09:00 past",
      "10:00 past",
      "11:00 available",
      "12:00 available",
    ]],
  ];
  for (const [now, expected] of cases) {
    const slots = slotsOn({ settings: TUESDAY, from: DEC_1, now: at(now) });
    assert.deepEqual(statusesOf(slots), expected, now);
  }
});

Deno.test("a session across a slot boundary blocks both slots it touches", () => {
  const slots = slotsOn({
    settings: TUESDAY,
    from: DEC_1,
    busy: [
      busy(
        "2026-12-01T10:30:00+01:00",
        "2026-12-01T11:30:00+01:00",
        "a1",
        "bob",
      ),
    ],
  });
  assert.deepEqual(statusesOf(slots), [
    "09:00 available",
    "10:00 booked a1 bob",
    "11:00 booked a1 bob",
    "12:00 available",
  ]);
});

Deno.test("a session that ends as a slot starts, or starts as it ends, does not block it", () => {
  const slots = slotsOn({
    settings: TUESDAY,
    from: DEC_1,
    busy: [
      busy(
        "2026-12-01T08:00:00+01:00",
        "2026-12-01T09:00:00+01:00",
        "a1",
        "bob",
      ),
      busy(
        "2026-12-01T13:00:00+01:00",
        "2026-12-01T14:00:00+01:00",
        "a2",
        "bob",
      ),
      busy(
        "2026-12-01T11:00:00+01:00",
        "2026-12-01T11:00:00+01:00",
        "a3",
        "bob",
      ),
    ],
  });
  assert.deepEqual(statusesOf(slots), [
    "09:00 available",
    "10:00 available",
    "11:00 available",
    "12:00 available",
  ]);
});

Deno.test("status follows past, then mine, then booked, and a client sees only their own ids", () => {
  const appointments = [
    // Someone else's session overlaps every slot from 09:30 on.
    busy("2026-12-01T09:30:00+01:00", "2026-12-01T13:00:00+01:00", "b1", "bob"),
    busy(
      "2026-12-01T09:00:00+01:00",
      "2026-12-01T10:00:00+01:00",
      "a1",
      "alice",
    ),
    busy(
      "2026-12-01T11:30:00+01:00",
      "2026-12-01T12:00:00+01:00",
      "a2",
      "alice",
    ),
  ];
  const now = at("2026-12-01T10:30:00+01:00");
  const cases: [Viewer, string[]][] = [
    [ALICE, [
      "09:00 past a1 alice",
      "10:00 past",
      "11:00 mine a2 alice",
      "12:00 booked",
    ]],
    [{ role: "client", clientId: "bob" }, [
      "09:00 past b1 bob",
      "10:00 past b1 bob",
      "11:00 mine b1 bob",
      "12:00 mine b1 bob",
    ]],
    [{ role: "client", clientId: "carol" }, [
      "09:00 past",
      "10:00 past",
      "11:00 booked",
      "12:00 booked",
    ]],
    // The trainer sees the earliest-starting appointment of each slot.
    [TRAINER, [
      "09:00 past a1 alice",
      "10:00 past b1 bob",
      "11:00 booked b1 bob",
      "12:00 booked b1 bob",
    ]],
  ];
  for (const [viewer, expected] of cases) {
    const slots = slotsOn({
      settings: TUESDAY,
      from: DEC_1,
      busy: appointments,
      now,
      viewer,
    });
    assert.deepEqual(statusesOf(slots), expected, JSON.stringify(viewer));
    if (viewer.role === "client") {
      for (const slot of slots) {
        assert.ok(
          slot.clientId === undefined || slot.clientId === viewer.clientId,
          "a client must never see another client's id",
        );
        assert.ok(
          slot.status === "mine" || slot.status === "past" ||
            !("appointmentId" in slot),
        );
      }
    }
  }
});

Deno.test("busy intervals in any order give the same slots, and the input is left alone", () => {
  const sorted = [
    busy("2026-12-01T09:00:00+01:00", "2026-12-01T09:30:00+01:00", "a1", "bob"),
    busy("2026-12-01T10:00:00+01:00", "2026-12-01T12:00:00+01:00", "a2", "bob"),
    busy(
      "2026-12-01T10:30:00+01:00",
      "2026-12-01T10:45:00+01:00",
      "a3",
      "carol",
    ),
    busy(
      "2026-12-01T12:59:00+01:00",
      "2026-12-01T13:30:00+01:00",
      "a4",
      "carol",
    ),
  ];
  const shuffled = Object.freeze([sorted[3], sorted[1], sorted[0], sorted[2]]);
  const expected = slotsOn({ settings: TUESDAY, from: DEC_1, busy: sorted });
  const actual = slotsOn({ settings: TUESDAY, from: DEC_1, busy: shuffled });
  assert.deepEqual(actual, expected);
  assert.deepEqual(shuffled.map((b) => b.appointmentId), [
    "a4",
    "a2",
    "a1",
    "a3",
  ]);
  assert.deepEqual(statusesOf(actual), [
    "09:00 booked a1 bob",
    "10:00 booked a2 bob",
    "11:00 booked a2 bob",
    "12:00 booked a4 carol",
  ]);
});

Deno.test("a slot length that is not a whole positive number of minutes is refused", () => {
  assert.throws(
    () => slotsOn({ settings: settings("UTC", 0, {}), from: DEC_1 }),
    RangeError,
  );
});

// --- findSlot, slotStartingAt and a client's booking ----------------------------------------------

Deno.test("findSlot finds a slot by its exact start only", () => {
  const slots = slotsOn({ settings: TUESDAY, from: DEC_1 });
  assert.equal(
    findSlot(slots, at("2026-12-01T11:00:00+01:00"))?.start.toString(),
    "2026-12-01T10:00:00Z",
  );
  assert.equal(findSlot(slots, at("2026-12-01T11:30:00+01:00")), undefined);
  assert.equal(
    findSlot(slots, at("2026-12-01T11:00:00.000001+01:00")),
    undefined,
  );
  assert.equal(findSlot([], at("2026-12-01T11:00:00+01:00")), undefined);
});

Deno.test("a client's booking checks the past, then the grid, then overlaps", () => {
  const s = settings("Europe/Berlin", 60, {
    tue: ranges(["09:00", "12:00"], ["22:00", "24:00"]),
    sun: ranges(["01:00", "04:00"]),
  }, ["2026-12-08"]);
  const appointments = [
    busy("2026-12-01T10:30:00+01:00", "2026-12-01T11:00:00+01:00", "b1", "bob"),
    busy(
      "2026-12-01T11:00:00+01:00",
      "2026-12-01T12:00:00+01:00",
      "a1",
      "alice",
    ),
  ];
  const now = at("2026-03-01T00:00:00Z");
  const cases: [string, string][] = [
    ["2026-02-28T10:00:00+01:00", "in_past"],
    ["2026-02-28T10:17:00+01:00", "in_past"], // off-grid too, but the past comes first
    ["2026-12-01T09:00:00+01:00", "ok"],
    ["2026-12-01T09:15:00+01:00", "not_a_slot"],
    ["2026-12-01T09:00:00.001+01:00", "not_a_slot"],
    ["2026-12-01T12:00:00+01:00", "not_a_slot"], // outside hours
    ["2026-12-08T09:00:00+01:00", "not_a_slot"], // holiday
    ["2026-12-02T09:00:00+01:00", "not_a_slot"], // a day without ranges
    ["2026-12-01T10:00:00+01:00", "slot_taken"], // someone else's, partly
    ["2026-12-01T11:00:00+01:00", "slot_taken"], // the viewer's own
    ["2026-12-01T23:00:00+01:00", "ok"], // the slot ending at 24:00
    ["2026-03-29T01:00:00+01:00", "ok"], // spring-forward: 01:00 and 03:00 local
    ["2026-03-29T03:00:00+02:00", "ok"],
    ["2026-03-29T02:00:00Z", "not_a_slot"], // 04:00+02:00 would end past the range
  ];
  for (const [start, expected] of cases) {
    const answer = decideBooking(
      { by: "client", clientId: ALICE.clientId, start: at(start), now },
      { ...s, requiresConfirmation: false },
      appointments,
    );
    assert.equal(answer.ok ? "ok" : answer.reason, expected, start);
    const slot = slotStartingAt({
      settings: s,
      busy: appointments,
      now,
      viewer: ALICE,
      start: at(start),
    });
    if (answer.ok) {
      assert.equal(slot?.status, "available");
      assert.ok(slot.start.equals(at(start)));
      assert.ok(answer.value.end.equals(slot.end));
    }
  }
});

Deno.test("a client may book a start exactly at now", () => {
  const start = at("2026-12-01T09:00:00+01:00");
  const answer = decideBooking(
    { by: "client", clientId: ALICE.clientId, start, now: start },
    { ...TUESDAY, requiresConfirmation: false },
    [],
  );
  assert.equal(answer.ok, true);
});
