import assert from "node:assert/strict";
import {
  classBusyId,
  decideClassEdit,
  decideLeave,
  decideNewClass,
  decideSeat,
  type GroupClass,
  promotionAfter,
  renumber,
  type Seat,
} from "../../domain/classes.ts";
import { NO_POLICIES } from "../../domain/policies.ts";

const I = (s: string) => Temporal.Instant.from(s);
const NOW = I("2026-12-01T08:00:00Z");

const CLASS: GroupClass = {
  id: "c1",
  trainerId: "t1",
  title: "Strength circuit",
  start: I("2026-12-01T12:00:00Z"),
  end: I("2026-12-01T13:00:00Z"),
  capacity: 2,
  booked: 2,
  waitlisted: 2,
  status: "scheduled",
  notes: "",
  cancellationReason: null,
  timezone: "Europe/Berlin",
  trainerName: "Tess",
};

const seat = (id: string, position: number | null): Seat => ({
  id,
  classId: "c1",
  clientId: `client-${id}`,
  clientName: id,
  status: position === null ? "booked" : "waitlisted",
  position,
  joinedAt: NOW,
  bookedAt: position === null ? NOW : null,
});

Deno.test("taking a seat is checked in the contract's order", () => {
  const strict = { ...NO_POLICIES, minNoticeMinutes: 600, horizonDays: 1 };
  const cases: [
    string,
    GroupClass,
    Temporal.Instant,
    Seat | undefined,
    string,
  ][] = [
    [
      "cancelled first",
      { ...CLASS, status: "cancelled" },
      I("2026-12-01T12:30:00Z"),
      seat("a", null),
      "class_cancelled",
    ],
    ["started", CLASS, I("2026-12-01T12:00:00Z"), seat("a", null), "in_past"],
    ["too soon before already joined", CLASS, NOW, seat("a", null), "too_soon"],
    [
      "too far",
      { ...CLASS, start: I("2026-12-05T12:00:00Z") },
      NOW,
      undefined,
      "too_far",
    ],
  ];
  for (const [name, c, now, existing, reason] of cases) {
    const d = decideSeat(c, { by: "client", now, policies: strict, existing });
    assert.deepEqual(d, { ok: false, reason }, name);
  }
  assert.deepEqual(
    decideSeat(CLASS, {
      by: "trainer",
      now: NOW,
      policies: strict,
      existing: undefined,
    }),
    { ok: true, value: { status: "waitlisted", position: 3 } },
  );
  assert.deepEqual(
    decideSeat({ ...CLASS, booked: 1 }, {
      by: "client",
      now: NOW,
      policies: NO_POLICIES,
      existing: undefined,
    }),
    { ok: true, value: { status: "booked", position: null } },
  );
  assert.deepEqual(
    decideSeat(CLASS, {
      by: "client",
      now: NOW,
      policies: NO_POLICIES,
      existing: seat("a", 1),
    }),
    { ok: false, reason: "already_joined" },
  );
});

Deno.test("a seat exactly at the notice limit is allowed", () => {
  const policies = { ...NO_POLICIES, minNoticeMinutes: 240 };
  const d = decideSeat(CLASS, {
    by: "client",
    now: NOW,
    policies,
    existing: undefined,
  });
  assert.equal(d.ok, true);
  const later = decideSeat(CLASS, {
    by: "client",
    now: NOW.add({ minutes: 1 }),
    policies,
    existing: undefined,
  });
  assert.deepEqual(later, { ok: false, reason: "too_soon" });
});

Deno.test("the first waiting by position is promoted, nobody from the start on or for a waitlist place", () => {
  const list = [seat("w3", 3), seat("w1", 1), seat("w2", 2)];
  assert.equal(promotionAfter(CLASS, seat("b", null), list, NOW)?.id, "w1");
  assert.equal(
    promotionAfter(CLASS, seat("b", null), list, CLASS.start),
    undefined,
  );
  assert.equal(promotionAfter(CLASS, seat("w1", 1), list, NOW), undefined);
  assert.equal(
    promotionAfter(
      { ...CLASS, status: "cancelled" },
      seat("b", null),
      list,
      NOW,
    ),
    undefined,
  );
  assert.equal(promotionAfter(CLASS, seat("b", null), [], NOW), undefined);
});

Deno.test("leaving renumbers everyone behind without a gap", () => {
  const list = [seat("a", 1), seat("b", 2), seat("c", 3), seat("d", 4)];
  assert.deepEqual([...renumber(list, 2)], [["a", 1], ["c", 2], ["d", 3]]);
  assert.deepEqual([...renumber(list, 1)], [["b", 1], ["c", 2], ["d", 3]]);
});

Deno.test("the late window binds a booked seat given up by a client, never a waitlist place nor the trainer", () => {
  const policies = { ...NO_POLICIES, cancelNoticeMinutes: 600 };
  assert.deepEqual(
    decideLeave(CLASS, seat("b", null), "client", NOW, policies),
    {
      ok: false,
      reason: "too_late_to_cancel",
    },
  );
  assert.equal(
    decideLeave(CLASS, seat("w", 1), "client", NOW, policies).ok,
    true,
  );
  assert.equal(
    decideLeave(CLASS, seat("b", null), "trainer", NOW, policies).ok,
    true,
  );
});

Deno.test("a new class must not be in the past nor overlap live time", () => {
  const wanted = { start: CLASS.start, end: CLASS.end };
  assert.deepEqual(
    decideNewClass(wanted, [], CLASS.start.add({ seconds: 1 })),
    {
      ok: false,
      reason: "in_past",
    },
  );
  const busy = [{
    appointmentId: "a",
    clientId: "x",
    start: I("2026-12-01T12:30:00Z"),
    end: I("2026-12-01T13:30:00Z"),
  }];
  assert.deepEqual(decideNewClass(wanted, busy, NOW), {
    ok: false,
    reason: "slot_taken",
  });
  assert.deepEqual(decideNewClass(wanted, [], NOW), { ok: true, value: true });
});

Deno.test("an edit is checked in order and says what it means for the people in the class", () => {
  const same = {
    title: CLASS.title,
    start: CLASS.start,
    end: CLASS.end,
    capacity: CLASS.capacity,
    notes: "",
  };
  const own = {
    start: CLASS.start,
    end: CLASS.end,
    appointmentId: classBusyId(CLASS.id),
    clientId: "",
  };
  const later = {
    start: I("2026-12-01T12:30:00Z"),
    end: I("2026-12-01T13:30:00Z"),
  };
  const other = { ...later, appointmentId: "a1", clientId: "x" };
  const refusal = (d: ReturnType<typeof decideClassEdit>) =>
    d.ok ? "ok" : d.reason;
  assert.equal(
    refusal(decideClassEdit({ ...CLASS, status: "cancelled" }, same, [], NOW)),
    "class_cancelled",
  );
  assert.equal(
    refusal(decideClassEdit(CLASS, same, [], I("2026-12-01T12:00:00Z"))),
    "class_started",
  );
  assert.equal(
    refusal(
      decideClassEdit(
        CLASS,
        {
          ...same,
          start: I("2026-12-01T07:00:00Z"),
          end: I("2026-12-01T07:45:00Z"),
        },
        [],
        NOW,
      ),
    ),
    "in_past",
  );
  assert.equal(
    refusal(decideClassEdit(CLASS, { ...same, capacity: 1 }, [], NOW)),
    "capacity_below_booked",
  );
  assert.equal(
    refusal(decideClassEdit(CLASS, { ...same, ...later }, [own, other], NOW)),
    "slot_taken",
  );
  // Its own old time is no conflict; a title alone is a rename; more seats seat the
  // waitlist, no more than wait.
  assert.deepEqual(decideClassEdit(CLASS, { ...same, ...later }, [own], NOW), {
    ok: true,
    value: { moved: true, renamed: false, seatsOpened: 0 },
  });
  assert.deepEqual(
    decideClassEdit(
      CLASS,
      { ...same, title: "Mobility", capacity: 10 },
      [own],
      NOW,
    ),
    { ok: true, value: { moved: false, renamed: true, seatsOpened: 2 } },
  );
  assert.deepEqual(
    decideClassEdit(CLASS, { ...same, capacity: 3, notes: "Water" }, [], NOW),
    { ok: true, value: { moved: false, renamed: false, seatsOpened: 1 } },
  );
});
