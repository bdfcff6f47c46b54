import assert from "node:assert/strict";
import {
  type AppointmentState,
  type BookingRequest,
  type BookingRules,
  cancel,
  complete,
  confirm,
  decideBooking,
  decideChange,
  decideMove,
  type Failure,
  isExpiredRequest,
  isLive,
  isSessionLength,
  startsInPast,
  type TrainerChange,
  unchangedSince,
} from "../../domain/appointments.ts";
import type { AppointmentEvent } from "../../domain/notifications.ts";
import type {
  Actor,
  AppointmentStatus,
  BusyInterval,
  WorkingHours,
} from "../../domain/types.ts";

const at = (iso: string) => Temporal.Instant.from(iso);
const NS = { nanoseconds: 1 } as const;

// Monday 7 December 2026 in Berlin (UTC+01:00): 10:00 local is 09:00Z.
const START = at("2026-12-07T09:00:00Z");
const END = at("2026-12-07T10:00:00Z");
const BEFORE = at("2026-12-06T12:00:00Z");
const AFTER = at("2026-12-07T09:30:00Z");
const LATER_STILL = at("2026-12-09T09:00:00Z");

function session(
  status: AppointmentStatus,
  start = START,
  end = END,
): AppointmentState & { id: string } {
  return { id: "a1", status, start, end };
}

function busy(
  start: string,
  end: string,
  appointmentId = "other",
  clientId = "bob",
): BusyInterval {
  return { start: at(start), end: at(end), appointmentId, clientId };
}

const NO_HOURS: WorkingHours = {
  mon: [],
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [],
  sun: [],
};

/** 09:00–13:00 in Berlin on Mondays and Tuesdays, hour slots, Tuesday 8 December off. */
const RULES: BookingRules = {
  timezone: "Europe/Berlin",
  slotMinutes: 60,
  workingHours: {
    ...NO_HOURS,
    mon: [{ start: "09:00", end: "13:00" }],
    tue: [{ start: "09:00", end: "13:00" }],
  },
  holidays: ["2026-12-08"],
  requiresConfirmation: false,
};

const refused = (reason: Failure) => ({ ok: false as const, reason });

// --- cancel ----------------------------------------------------------------

Deno.test("cancelling follows the session's status, the actor and the clock", () => {
  const cases: [
    AppointmentStatus,
    Actor,
    Temporal.Instant,
    ReturnType<typeof cancel>,
  ][] = [
    ["cancelled", "client", BEFORE, refused("already_cancelled")],
    ["cancelled", "trainer", BEFORE, refused("already_cancelled")],
    ["cancelled", "client", AFTER, refused("already_cancelled")],
    ["completed", "client", BEFORE, refused("already_completed")],
    ["completed", "trainer", AFTER, refused("already_completed")],
    ["scheduled", "client", START, refused("too_late_to_cancel")],
    ["scheduled", "client", AFTER, refused("too_late_to_cancel")],
    ["pending", "client", START, refused("too_late_to_cancel")],
    [
      "scheduled",
      "client",
      START.subtract(NS),
      { ok: true, value: { cancelledBy: "client", event: "cancelled" } },
    ],
    [
      "pending",
      "client",
      BEFORE,
      { ok: true, value: { cancelledBy: "client", event: "cancelled" } },
    ],
    [
      "scheduled",
      "trainer",
      BEFORE,
      { ok: true, value: { cancelledBy: "trainer", event: "cancelled" } },
    ],
    [
      "scheduled",
      "trainer",
      AFTER,
      { ok: true, value: { cancelledBy: "trainer", event: "cancelled" } },
    ],
    [
      "pending",
      "trainer",
      BEFORE,
      { ok: true, value: { cancelledBy: "trainer", event: "declined" } },
    ],
    [
      "pending",
      "trainer",
      AFTER,
      { ok: true, value: { cancelledBy: "trainer", event: "declined" } },
    ],
  ];
  for (const [status, by, now, expected] of cases) {
    assert.deepEqual(
      cancel(session(status), by, now),
      expected,
      `${status} by ${by} at ${now}`,
    );
  }
});

// --- complete --------------------------------------------------------------

Deno.test("a session can be completed from its start on, and only a scheduled one while it is open", () => {
  const cases: [
    AppointmentStatus,
    Temporal.Instant,
    ReturnType<typeof complete>,
  ][] = [
    ["scheduled", BEFORE, refused("not_started")],
    ["scheduled", START.subtract(NS), refused("not_started")],
    ["scheduled", START, { ok: true, value: { status: "completed" } }],
    ["scheduled", AFTER, { ok: true, value: { status: "completed" } }],
    ["cancelled", AFTER, refused("already_cancelled")],
    ["cancelled", BEFORE, refused("already_cancelled")],
    ["completed", AFTER, refused("already_completed")],
    ["completed", BEFORE, refused("already_completed")],
    // A request nobody confirmed was never agreed: it cannot have taken place.
    ["pending", AFTER, refused("not_scheduled")],
    ["pending", START, refused("not_scheduled")],
    ["pending", BEFORE, refused("not_scheduled")],
  ];
  for (const [status, now, expected] of cases) {
    assert.deepEqual(
      complete(session(status), now),
      expected,
      `${status} at ${now}`,
    );
  }
});

// --- confirm ---------------------------------------------------------------

Deno.test("only a pending request can be confirmed, and it becomes scheduled", () => {
  const cases: [AppointmentStatus, ReturnType<typeof confirm>][] = [
    ["pending", {
      ok: true,
      value: { status: "scheduled", event: "confirmed" },
    }],
    ["scheduled", refused("not_pending")],
    ["cancelled", refused("already_cancelled")],
    ["completed", refused("already_completed")],
  ];
  for (const [status, expected] of cases) {
    assert.deepEqual(confirm(session(status), BEFORE), expected, status);
  }
});

Deno.test("a request whose start has passed has expired and can no longer be confirmed; at its start it still can", () => {
  const yes = { ok: true, value: { status: "scheduled", event: "confirmed" } };
  const cases: [Temporal.Instant, ReturnType<typeof confirm>, boolean][] = [
    [BEFORE, yes as ReturnType<typeof confirm>, false],
    [START, yes as ReturnType<typeof confirm>, false],
    [START.add(NS), refused("request_expired"), true],
    [AFTER, refused("request_expired"), true],
    [LATER_STILL, refused("request_expired"), true],
  ];
  for (const [now, expected, expired] of cases) {
    assert.deepEqual(confirm(session("pending"), now), expected, `at ${now}`);
    assert.equal(isExpiredRequest(session("pending"), now), expired);
  }
  // Only a request expires: a scheduled or closed session that has started is not one.
  for (const status of ["scheduled", "cancelled", "completed"] as const) {
    assert.equal(isExpiredRequest(session(status), AFTER), false, status);
  }
});

Deno.test("scheduled and pending sessions hold the trainer's time; cancelled and completed do not", () => {
  const cases: [AppointmentStatus, boolean][] = [
    ["scheduled", true],
    ["pending", true],
    ["cancelled", false],
    ["completed", false],
  ];
  for (const [status, live] of cases) {
    assert.equal(isLive(status), live, status);
  }
});

// --- the clock and durations -----------------------------------------------

Deno.test("a start is in the past only strictly before now", () => {
  const cases: [Temporal.Instant, boolean][] = [
    [START.subtract({ hours: 1 }), true],
    [START.subtract(NS), true],
    [START, false],
    [START.add(NS), false],
  ];
  for (const [start, past] of cases) {
    assert.equal(startsInPast(start, START), past, start.toString());
  }
});

Deno.test("a trainer's session length is a whole number of minutes from 15 to 240 in steps of 5", () => {
  const cases: [number, boolean][] = [
    [15, true],
    [20, true],
    [60, true],
    [235, true],
    [240, true],
    [245, false],
    [14, false],
    [10, false],
    [17, false],
    [0, false],
    [-15, false],
    [15.5, false],
    [60.000001, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
  ];
  for (const [minutes, fine] of cases) {
    assert.equal(isSessionLength(minutes), fine, String(minutes));
  }
});

// --- decideBooking ---------------------------------------------------------

const NOW = at("2026-12-06T12:00:00Z");

function booking(
  request: Partial<BookingRequest> & Pick<BookingRequest, "by" | "start">,
  rules: Partial<BookingRules> = {},
  taken: readonly BusyInterval[] = [],
) {
  return decideBooking(
    { clientId: "alice", now: NOW, ...request },
    { ...RULES, ...rules },
    taken,
  );
}

Deno.test("a booking in the past is refused first, for clients and trainers alike; exactly now is not past", () => {
  const past = at("2026-12-07T08:00:00Z"); // Monday 09:00 Berlin, a slot
  const now = past.add(NS);
  const overlapping = [busy("2026-12-07T08:00:00Z", "2026-12-07T09:00:00Z")];
  for (const by of ["client", "trainer"] as const) {
    assert.deepEqual(
      booking({ by, start: past, now }, {}, overlapping),
      refused("in_past"),
      `${by} in a taken slot`,
    );
    assert.deepEqual(
      booking({ by, start: at("2026-12-07T08:10:00Z"), now: AFTER }),
      refused("in_past"),
      `${by} off the grid`,
    );
    assert.deepEqual(
      booking({ by, start: past, now: past }),
      {
        ok: true,
        value: { end: at("2026-12-07T09:00:00Z"), status: "scheduled" },
      },
      `${by} exactly at now`,
    );
  }
});

Deno.test("a client books only a start of the trainer's grid inside working hours and off holidays", () => {
  const cases: [string, string][] = [
    ["2026-12-07T08:30:00Z", "off the grid (09:30 Berlin)"],
    ["2026-12-07T07:00:00Z", "before the hours (08:00 Berlin)"],
    ["2026-12-07T12:00:00Z", "at the end of the hours (13:00 Berlin)"],
    ["2026-12-08T08:00:00Z", "on a holiday (Tuesday 09:00 Berlin)"],
    ["2026-12-09T08:00:00Z", "on a day without hours (Wednesday)"],
  ];
  for (const [start, why] of cases) {
    assert.deepEqual(
      booking({ by: "client", start: at(start) }),
      refused("not_a_slot"),
      why,
    );
  }
});

Deno.test("a client's slot that overlaps any live session is taken, their own included", () => {
  const start = at("2026-12-07T09:00:00Z"); // 10:00 Berlin
  const cases: [BusyInterval, string][] = [
    [busy("2026-12-07T09:00:00Z", "2026-12-07T10:00:00Z"), "the same hour"],
    [busy("2026-12-07T08:30:00Z", "2026-12-07T09:30:00Z"), "reaching into it"],
    [busy("2026-12-07T09:59:00Z", "2026-12-07T11:00:00Z"), "its last minute"],
    [
      busy("2026-12-07T09:00:00Z", "2026-12-07T10:00:00Z", "mine", "alice"),
      "the client's own session",
    ],
  ];
  for (const [b, why] of cases) {
    assert.deepEqual(
      booking({ by: "client", start }, {}, [b]),
      refused("slot_taken"),
      why,
    );
  }
  const touching = [
    busy("2026-12-07T08:00:00Z", "2026-12-07T09:00:00Z"),
    busy("2026-12-07T10:00:00Z", "2026-12-07T11:00:00Z"),
  ];
  assert.deepEqual(booking({ by: "client", start }, {}, touching), {
    ok: true,
    value: { end: at("2026-12-07T10:00:00Z"), status: "scheduled" },
  });
});

Deno.test("a client's booking lasts one slot and waits for the trainer when confirmation is required", () => {
  const start = at("2026-12-07T08:45:00Z"); // 09:45 Berlin on a 45-minute grid
  assert.deepEqual(
    booking({ by: "client", start, durationMinutes: 120 }, {
      slotMinutes: 45,
    }),
    {
      ok: true,
      value: { end: at("2026-12-07T09:30:00Z"), status: "scheduled" },
    },
  );
  assert.deepEqual(
    booking({ by: "client", start }, {
      slotMinutes: 45,
      requiresConfirmation: true,
    }),
    { ok: true, value: { end: at("2026-12-07T09:30:00Z"), status: "pending" } },
  );
});

Deno.test("a trainer books any time, for slotMinutes or the length they choose, never as a request", () => {
  const cases: [string, number | undefined, string, string][] = [
    ["2026-12-13T21:10:00Z", undefined, "2026-12-13T22:10:00Z", "Sunday night"],
    ["2026-12-08T08:00:00Z", undefined, "2026-12-08T09:00:00Z", "a holiday"],
    ["2026-12-07T08:20:00Z", 90, "2026-12-07T09:50:00Z", "off the grid"],
    ["2026-12-07T09:00:00Z", 240, "2026-12-07T13:00:00Z", "past the hours"],
  ];
  for (const [start, durationMinutes, end, why] of cases) {
    assert.deepEqual(
      booking(
        { by: "trainer", start: at(start), durationMinutes },
        { requiresConfirmation: true },
      ),
      { ok: true, value: { end: at(end), status: "scheduled" } },
      why,
    );
  }
  assert.deepEqual(
    booking({ by: "trainer", start: at("2026-12-07T09:00:00Z") }, {
      slotMinutes: 45,
    }),
    {
      ok: true,
      value: { end: at("2026-12-07T09:45:00Z"), status: "scheduled" },
    },
    "the default length follows slotMinutes",
  );
});

Deno.test("a trainer's booking may touch their sessions but not overlap one", () => {
  const start = at("2026-12-07T09:00:00Z");
  const around = [
    busy("2026-12-07T08:00:00Z", "2026-12-07T09:00:00Z"),
    busy("2026-12-07T10:30:00Z", "2026-12-07T11:00:00Z"),
  ];
  assert.deepEqual(
    booking({ by: "trainer", start, durationMinutes: 90 }, {}, around),
    {
      ok: true,
      value: { end: at("2026-12-07T10:30:00Z"), status: "scheduled" },
    },
    "back to back on both sides",
  );
  assert.deepEqual(
    booking({ by: "trainer", start, durationMinutes: 95 }, {}, around),
    refused("slot_taken"),
    "five minutes into the next session",
  );
  assert.deepEqual(
    booking({ by: "trainer", start: start.subtract({ minutes: 5 }) }, {}, [
      around[0],
    ]),
    refused("slot_taken"),
    "five minutes into the previous session",
  );
  assert.deepEqual(
    booking({ by: "trainer", start }, {}, [
      busy("2026-12-07T09:15:00Z", "2026-12-07T09:30:00Z"),
    ]),
    refused("slot_taken"),
    "a short session inside it",
  );
});

// --- decideChange ----------------------------------------------------------

const LATER = at("2026-12-07T13:00:00Z");

function change(
  a: AppointmentState & { id: string },
  c: TrainerChange,
  taken: readonly BusyInterval[] = [],
  now = BEFORE,
) {
  return decideChange(a, c, taken, now);
}

const changed = (
  start: Temporal.Instant,
  end: Temporal.Instant,
  status: AppointmentStatus,
  moved: boolean,
  events: AppointmentEvent[],
) => ({ ok: true as const, value: { start, end, status, moved, events } });

Deno.test("sending the current start and length again is not a move, whatever the status and the clock", () => {
  const same: TrainerChange[] = [
    {},
    { notes: "Bring shoes" },
    { start: START },
    { durationMinutes: 60 },
    { start: at("2026-12-07T10:00:00+01:00"), durationMinutes: 60 },
  ];
  for (
    const status of ["scheduled", "pending", "cancelled", "completed"] as const
  ) {
    for (const c of same) {
      assert.deepEqual(
        change(session(status), c, [
          busy("2026-12-07T09:00:00Z", "2026-12-07T10:00:00Z"),
        ], LATER),
        changed(START, END, status, false, []),
        `${status} ${JSON.stringify(c)}`,
      );
    }
  }
});

Deno.test("a move or resize of a closed session is refused before the clock is asked", () => {
  const cases: [AppointmentStatus, TrainerChange, Failure][] = [
    ["cancelled", { start: LATER }, "already_cancelled"],
    [
      "cancelled",
      { start: BEFORE.subtract({ hours: 1 }) },
      "already_cancelled",
    ],
    ["cancelled", { durationMinutes: 90 }, "already_cancelled"],
    ["completed", { start: LATER }, "already_completed"],
    ["completed", { durationMinutes: 30 }, "already_completed"],
  ];
  for (const [status, c, reason] of cases) {
    assert.deepEqual(
      change(session(status), c),
      refused(reason),
      `${status} ${JSON.stringify(c)}`,
    );
  }
});

Deno.test("a move into the past is refused; exactly now is allowed, and a past session may move ahead", () => {
  const now = at("2026-12-07T12:00:00Z");
  assert.deepEqual(
    change(session("scheduled"), { start: now.subtract(NS) }, [], now),
    refused("in_past"),
  );
  assert.deepEqual(
    change(session("scheduled"), { start: now }, [], now),
    changed(now, now.add({ hours: 1 }), "scheduled", true, ["moved"]),
  );
  assert.deepEqual(
    change(session("scheduled"), { start: LATER }, [], now),
    changed(LATER, LATER.add({ hours: 1 }), "scheduled", true, ["moved"]),
    "the session itself started before now",
  );
  assert.deepEqual(
    change(session("scheduled"), { durationMinutes: 90 }, [], now),
    refused("in_past"),
    "a resize keeps the start, which has passed",
  );
});

Deno.test("a move or resize may not overlap another session, but may overlap its own old time", () => {
  const own = busy(
    "2026-12-07T09:00:00Z",
    "2026-12-07T10:00:00Z",
    "a1",
    "alice",
  );
  const next = busy("2026-12-07T10:30:00Z", "2026-12-07T11:30:00Z");
  const a = session("scheduled");
  const cases: [TrainerChange, ReturnType<typeof change>, string][] = [
    [
      { start: at("2026-12-07T09:30:00Z") },
      changed(
        at("2026-12-07T09:30:00Z"),
        at("2026-12-07T10:30:00Z"),
        "scheduled",
        true,
        ["moved"],
      ),
      "half an hour later, over its own time and up to the next one",
    ],
    [
      { start: at("2026-12-07T09:35:00Z") },
      refused("slot_taken"),
      "five minutes into the next session",
    ],
    [
      { durationMinutes: 90 },
      changed(START, at("2026-12-07T10:30:00Z"), "scheduled", true, ["moved"]),
      "longer, up to the next session",
    ],
    [
      { durationMinutes: 95 },
      refused("slot_taken"),
      "longer, into the next session",
    ],
    [
      { durationMinutes: 30 },
      changed(START, at("2026-12-07T09:30:00Z"), "scheduled", true, ["moved"]),
      "shorter",
    ],
    [
      { start: at("2026-12-07T11:30:00Z"), durationMinutes: 15 },
      changed(
        at("2026-12-07T11:30:00Z"),
        at("2026-12-07T11:45:00Z"),
        "scheduled",
        true,
        ["moved"],
      ),
      "moved and resized right after the next session",
    ],
  ];
  for (const [c, expected, why] of cases) {
    assert.deepEqual(change(a, c, [own, next]), expected, why);
  }
});

Deno.test("a moved session keeps its length", () => {
  const a = session("pending", START, START.add({ minutes: 45 }));
  assert.deepEqual(
    change(a, { start: LATER }),
    changed(LATER, LATER.add({ minutes: 45 }), "pending", true, ["moved"]),
  );
});

Deno.test("completing or confirming in an edit follows complete and confirm, after the move", () => {
  const now = START;
  const cases: [
    AppointmentState & { id: string },
    TrainerChange,
    Temporal.Instant,
    ReturnType<typeof change>,
    string,
  ][] = [
    [
      session("scheduled"),
      { status: "completed" },
      now,
      changed(START, END, "completed", false, []),
      "completed at its start",
    ],
    [
      session("scheduled"),
      { status: "completed" },
      now.subtract(NS),
      refused("not_started"),
      "completed before its start",
    ],
    [
      session(
        "scheduled",
        START.subtract({ hours: 2 }),
        START.subtract({ hours: 1 }),
      ),
      { start: now, status: "completed" },
      now,
      changed(now, END, "completed", true, ["moved"]),
      "moved to now and completed",
    ],
    [
      session(
        "scheduled",
        START.subtract({ hours: 2 }),
        START.subtract({ hours: 1 }),
      ),
      { start: LATER, status: "completed" },
      now,
      refused("not_started"),
      "moved ahead and completed: the new start has not come",
    ],
    [
      session("completed"),
      { status: "completed" },
      now,
      refused("already_completed"),
      "completed twice",
    ],
    [
      session("cancelled"),
      { status: "completed", notes: "x" },
      now,
      refused("already_cancelled"),
      "a cancelled session completed",
    ],
    [
      session("pending"),
      { status: "scheduled" },
      BEFORE,
      changed(START, END, "scheduled", false, ["confirmed"]),
      "a request confirmed",
    ],
    [
      session("pending"),
      { start: LATER, status: "scheduled" },
      BEFORE,
      changed(LATER, LATER.add({ hours: 1 }), "scheduled", true, [
        "moved",
        "confirmed",
      ]),
      "a request moved and confirmed: moved is told first",
    ],
    [
      session("scheduled"),
      { status: "scheduled" },
      BEFORE,
      refused("not_pending"),
      "a scheduled session confirmed",
    ],
    [
      session("scheduled"),
      { start: LATER, status: "scheduled" },
      BEFORE,
      refused("not_pending"),
      "a scheduled session moved and confirmed",
    ],
    [
      session("cancelled"),
      { status: "scheduled" },
      BEFORE,
      refused("already_cancelled"),
      "a cancelled session confirmed",
    ],
    [
      session("completed"),
      { status: "scheduled" },
      BEFORE,
      refused("already_completed"),
      "a completed session confirmed",
    ],
  ];
  for (const [a, c, at_, expected, why] of cases) {
    assert.deepEqual(change(a, c, [], at_), expected, why);
  }
});

Deno.test("a refused move refuses the whole edit, status change included", () => {
  const next = busy("2026-12-07T13:00:00Z", "2026-12-07T14:00:00Z");
  assert.deepEqual(
    change(session("pending"), { start: LATER, status: "scheduled" }, [next]),
    refused("slot_taken"),
  );
  assert.deepEqual(
    change(session("scheduled"), {
      start: BEFORE.subtract(NS),
      status: "completed",
    }),
    refused("in_past"),
  );
});

Deno.test("a change asked of a session as it was seen is refused once its status or version moved on", () => {
  const seen = { status: "pending", version: 2 } as const;
  const cases: [
    { status: AppointmentStatus; version: number },
    boolean,
    string,
  ][] = [
    [{ status: "pending", version: 2 }, true, "unchanged"],
    [{ status: "scheduled", version: 2 }, false, "confirmed since"],
    [{ status: "cancelled", version: 2 }, false, "cancelled since"],
    [{ status: "pending", version: 3 }, false, "moved since"],
  ];
  for (const [now, allowed, why] of cases) {
    const d = unchangedSince(now, seen);
    assert.equal(d.ok, allowed, why);
    if (!d.ok) assert.equal(d.reason, "session_changed", why);
  }
  assert.equal(
    unchangedSince({ status: "cancelled", version: 9 }, undefined).ok,
    true,
    "nothing seen",
  );
});

// --- every decision checks a trainer's length itself -----------------------

Deno.test("a trainer's booking of a length that is not a session length is refused before anything else", () => {
  for (const minutes of [0, 10, 17, 245, 60.5, Number.NaN, 1e9]) {
    assert.deepEqual(
      booking({ by: "trainer", start: BEFORE, durationMinutes: minutes }, {}, [
        busy("2026-12-06T12:00:00Z", "2026-12-06T13:00:00Z"),
      ]),
      refused("invalid_duration"),
      `${minutes} minutes, in the past and over another session`,
    );
  }
  assert.deepEqual(
    booking({ by: "trainer", start: LATER, durationMinutes: 240 }),
    {
      ok: true,
      value: { end: LATER.add({ minutes: 240 }), status: "scheduled" },
    },
  );
  // A client's length is always one slot, whatever was sent.
  assert.deepEqual(
    booking({ by: "client", start: START, durationMinutes: 17 }),
    { ok: true, value: { end: END, status: "scheduled" } },
  );
});

Deno.test("an edit to a length that is not a session length is refused, whatever else it asks", () => {
  for (const status of ["scheduled", "pending", "cancelled"] as const) {
    for (const minutes of [14, 17, 241, 0]) {
      assert.deepEqual(
        change(session(status), { durationMinutes: minutes, notes: "x" }),
        refused("invalid_duration"),
        `${status} to ${minutes} minutes`,
      );
    }
  }
});

Deno.test("a trainer's move keeps the length, so a length that is not a session length cannot be moved", () => {
  const odd = { ...session("scheduled", START, START.add({ minutes: 17 })) };
  const move = (a: typeof odd) =>
    decideMove(
      { ...a, clientId: "alice" },
      { by: "trainer", start: LATER, now: BEFORE },
      RULES,
      [],
    );
  assert.deepEqual(move(odd), refused("invalid_duration"));
  assert.deepEqual(move(session("scheduled")), {
    ok: true,
    value: { start: LATER, end: LATER.add({ hours: 1 }) },
  });
});

Deno.test("an edit completes only a scheduled session, and confirms only a request whose start has not passed", () => {
  const cases: [
    AppointmentState & { id: string },
    TrainerChange,
    Temporal.Instant,
    ReturnType<typeof change>,
    string,
  ][] = [
    [
      session("pending"),
      { status: "completed" },
      AFTER,
      refused("not_scheduled"),
      "a request that has started, completed",
    ],
    [
      session("pending"),
      { status: "completed" },
      BEFORE,
      refused("not_scheduled"),
      "a request ahead, completed",
    ],
    [
      session("pending"),
      { status: "scheduled" },
      AFTER,
      refused("request_expired"),
      "an expired request confirmed",
    ],
    [
      session("pending"),
      { status: "scheduled" },
      START,
      changed(START, END, "scheduled", false, ["confirmed"]),
      "a request confirmed at its start",
    ],
    [
      session("pending"),
      { start: LATER, status: "scheduled" },
      AFTER,
      changed(LATER, LATER.add({ hours: 1 }), "scheduled", true, [
        "moved",
        "confirmed",
      ]),
      "an expired request moved ahead and confirmed: the new time has not passed",
    ],
  ];
  for (const [a, c, at_, expected, why] of cases) {
    assert.deepEqual(change(a, c, [], at_), expected, why);
  }
});
