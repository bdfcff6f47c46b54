import assert from "node:assert/strict";
import { computeSlots, slotStartingAt } from "../../domain/availability.ts";
import {
  busyElsewhereDuring,
  decideBooking,
  decideMove,
} from "../../domain/appointments.ts";
import type {
  BusinessSettings,
  BusyElsewhere,
  Viewer,
} from "../../domain/types.ts";

const at = (iso: string) => Temporal.Instant.from(iso);
const TRAINER: Viewer = { role: "trainer" };
const ALICE: Viewer = { role: "client", clientId: "alice" };
// Berlin, Tuesdays 09:00–12:00 in 60-minute slots.
const SETTINGS: BusinessSettings = {
  timezone: "Europe/Berlin",
  slotMinutes: 60,
  workingHours: {
    mon: [],
    tue: [{ start: "09:00", end: "12:00" }],
    wed: [],
    thu: [],
    fri: [],
    sat: [],
    sun: [],
  },
  holidays: [],
};
const RULES = { ...SETTINGS, requiresConfirmation: false };
const NOW = at("2026-11-30T00:00:00Z");
// The dentist, 10:30–10:45 Berlin on Tuesday 2026-12-01.
const DENTIST: BusyElsewhere = {
  start: at("2026-12-01T09:30:00Z"),
  end: at("2026-12-01T09:45:00Z"),
  summary: "Dentist",
};
const day = Temporal.PlainDate.from("2026-12-01");

const statuses = (viewer: Viewer, elsewhere: readonly BusyElsewhere[]) =>
  computeSlots({
    settings: SETTINGS,
    busy: [],
    elsewhere,
    from: day,
    to: day,
    now: NOW,
    viewer,
  }).map((s) => [s.status, s.elsewhere]);

Deno.test("a slot overlapping busy time elsewhere is booked, and only the trainer sees the event's title", () => {
  assert.deepEqual(statuses(TRAINER, [DENTIST]), [
    ["available", undefined],
    ["booked", "Dentist"],
    ["available", undefined],
  ]);
  assert.deepEqual(statuses(ALICE, [DENTIST]), [
    ["available", undefined],
    ["booked", undefined],
    ["available", undefined],
  ]);
});

Deno.test("busy time elsewhere that only touches a slot's edges takes nothing", () => {
  const touching: BusyElsewhere[] = [
    {
      start: at("2026-12-01T07:00:00Z"),
      end: at("2026-12-01T08:00:00Z"),
      summary: "a",
    },
    {
      start: at("2026-12-01T11:00:00Z"),
      end: at("2026-12-01T12:00:00Z"),
      summary: "b",
    },
  ];
  assert.deepEqual(statuses(ALICE, touching).map(([s]) => s), [
    "available",
    "available",
    "available",
  ]);
});

Deno.test("an all-day block elsewhere takes every slot of the day, past stays past", () => {
  const allDay: BusyElsewhere = {
    start: at("2026-11-30T23:00:00Z"),
    end: at("2026-12-01T23:00:00Z"),
    summary: "Holiday trip",
  };
  const slots = computeSlots({
    settings: SETTINGS,
    busy: [],
    elsewhere: [allDay],
    from: day,
    to: day,
    now: at("2026-12-01T08:30:00Z"),
    viewer: ALICE,
  });
  assert.deepEqual(slots.map((s) => s.status), ["past", "booked", "booked"]);
});

Deno.test("a client's booking onto busy time elsewhere is slot_taken; the trainer's is allowed", () => {
  const start = at("2026-12-01T09:00:00Z");
  assert.deepEqual(
    decideBooking(
      { by: "client", clientId: "alice", start, now: NOW },
      RULES,
      [],
      [DENTIST],
    ),
    { ok: false, reason: "slot_taken" },
  );
  assert.equal(
    decideBooking(
      { by: "client", clientId: "alice", start, now: NOW },
      RULES,
      [],
      [],
    ).ok,
    true,
  );
  assert.equal(
    decideBooking(
      { by: "trainer", clientId: "alice", start, now: NOW },
      RULES,
      [],
      [DENTIST],
    ).ok,
    true,
  );
  assert.equal(
    slotStartingAt({
      settings: SETTINGS,
      busy: [],
      elsewhere: [DENTIST],
      now: NOW,
      viewer: ALICE,
      start,
    })
      ?.status,
    "booked",
  );
});

Deno.test("busy time elsewhere takes no buffer", () => {
  const start = at("2026-12-01T10:00:00Z"); // 11:00 Berlin, right after the dentist's hour
  const rules = { ...RULES, bufferMinutes: 30 };
  assert.equal(
    decideBooking(
      { by: "client", clientId: "alice", start, now: NOW },
      rules,
      [],
      [DENTIST],
    ).ok,
    true,
  );
});

Deno.test("a client's move onto busy time elsewhere is slot_taken", () => {
  const session = {
    id: "s1",
    clientId: "alice",
    status: "scheduled" as const,
    start: at("2026-12-01T08:00:00Z"),
    end: at("2026-12-01T09:00:00Z"),
  };
  assert.deepEqual(
    decideMove(
      session,
      { by: "client", start: at("2026-12-01T09:00:00Z"), now: NOW },
      RULES,
      [],
      [
        DENTIST,
      ],
    ),
    { ok: false, reason: "slot_taken" },
  );
  assert.equal(
    decideMove(
      session,
      { by: "trainer", start: at("2026-12-01T09:00:00Z"), now: NOW },
      RULES,
      [],
      [
        DENTIST,
      ],
    ).ok,
    true,
  );
});

Deno.test("the trainer's warning names the events a session runs into", () => {
  const wanted = {
    start: at("2026-12-01T09:00:00Z"),
    end: at("2026-12-01T10:00:00Z"),
  };
  assert.deepEqual(
    busyElsewhereDuring(wanted, [DENTIST]).map((b) => b.summary),
    ["Dentist"],
  );
  assert.deepEqual(
    busyElsewhereDuring({
      start: wanted.end,
      end: wanted.end.add({ hours: 1 }),
    }, [DENTIST]),
    [],
  );
});
