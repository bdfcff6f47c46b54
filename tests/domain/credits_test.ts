import assert from "node:assert/strict";
import {
  balanceOf,
  creditDay,
  decideCreditUse,
  expiresOnFor,
  grantToUse,
  isUsable,
  leavesLowBalance,
  lowBalances,
  type OpenGrant,
  promoteWithCredits,
  returnOnCancel,
  returnOnDelete,
  returnOnLeave,
  useForEach,
} from "../../domain/credits.ts";
import { decideBooking } from "../../domain/appointments.ts";
import { decideSeat, type GroupClass } from "../../domain/classes.ts";
import { DEFAULT_WORKING_HOURS } from "../../domain/settings.ts";
import { NO_POLICIES } from "../../domain/policies.ts";

const I = (s: string) => Temporal.Instant.from(s);
const D = (s: string) => Temporal.PlainDate.from(s);
const DAY = D("2026-12-01");

const grant = (
  id: string,
  remaining: number,
  expiresOn: string | null,
  createdAt = "2026-11-01T10:00:00Z",
): OpenGrant => ({
  id,
  remaining,
  expiresOn: expiresOn === null ? null : D(expiresOn),
  createdAt: I(createdAt),
});

Deno.test("expiry is the trainer's local date: today in Kiritimati is yesterday in Honolulu", () => {
  // The same instant: 2026-12-01 23:30 in UTC+14, 2026-11-30 23:30 in UTC−10.
  const at = I("2026-12-01T09:30:00Z");
  const cases: [string, string, string, boolean][] = [
    ["Pacific/Kiritimati", "2026-12-01", "expires today: still pays", true],
    ["Pacific/Kiritimati", "2026-11-30", "expired yesterday", false],
    ["Pacific/Honolulu", "2026-11-30", "expires today there", true],
    ["Pacific/Honolulu", "2026-11-29", "expired yesterday there", false],
    ["Pacific/Honolulu", "2026-12-01", "expires tomorrow there", true],
  ];
  for (const [zone, expiresOn, why, usable] of cases) {
    const day = creditDay(at, zone);
    assert.equal(isUsable(grant("g", 1, expiresOn), day), usable, why);
    assert.equal(balanceOf([grant("g", 3, expiresOn)], day), usable ? 3 : 0);
  }
  // One minute after local midnight in Kiritimati the grant of "today" has expired.
  assert.equal(
    isUsable(
      grant("g", 1, "2026-12-01"),
      creditDay(I("2026-12-01T10:01:00Z"), "Pacific/Kiritimati"),
    ),
    false,
  );
});

Deno.test("a new grant pays until the day it is sold plus its valid days, or forever", () => {
  const cases: [number | null, string | null][] = [
    [1, "2026-12-02"],
    [90, "2027-03-01"],
    [730, "2028-11-30"], // 2028 has a 29 February,
    [null, null],
  ];
  for (const [validDays, last] of cases) {
    assert.equal(expiresOnFor(validDays, DAY)?.toString() ?? null, last);
  }
});

Deno.test("the usable grant that expires first pays; no expiry last; equal dates: the older grant", () => {
  const cases: [string, OpenGrant[], string | undefined][] = [
    ["expiring first", [
      grant("late", 5, "2027-01-10"),
      grant("soon", 5, "2026-12-20"),
    ], "soon"],
    ["no expiry pays last", [
      grant("never", 5, null),
      grant("dated", 5, "2028-01-01"),
    ], "dated"],
    ["only no expiry", [grant("never", 5, null)], "never"],
    [
      "equal dates: the older grant",
      [
        grant("new", 5, "2027-01-10", "2026-11-20T10:00:00Z"),
        grant("old", 5, "2027-01-10", "2026-11-02T10:00:00Z"),
      ],
      "old",
    ],
    [
      "sold in the same instant: the one written first",
      [{ ...grant("b", 1, null), seq: 2 }, { ...grant("z", 1, null), seq: 1 }],
      "z",
    ],
    [
      "equal no expiry: the older grant",
      [
        grant("new", 1, null, "2026-11-20T10:00:00Z"),
        grant("old", 1, null, "2026-11-02T10:00:00Z"),
      ],
      "old",
    ],
    ["an expired grant never pays", [
      grant("gone", 5, "2026-11-30"),
      grant("later", 1, "2027-06-01"),
    ], "later"],
    ["expiring today still pays first", [
      grant("today", 1, "2026-12-01"),
      grant("later", 1, "2027-06-01"),
    ], "today"],
    ["an empty grant never pays", [
      grant("empty", 0, "2026-12-02"),
      grant("later", 1, null),
    ], "later"],
    ["nothing usable", [
      grant("gone", 5, "2026-11-30"),
      grant("empty", 0, null),
    ], undefined],
  ];
  for (const [why, grants, payer] of cases) {
    assert.equal(grantToUse(grants, DAY)?.id, payer, why);
  }
});

Deno.test("the balance counts what is left on usable grants only", () => {
  assert.equal(
    balanceOf([
      grant("a", 3, null),
      grant("b", 2, "2026-12-01"),
      grant("c", 4, "2026-11-30"),
    ], DAY),
    5,
  );
  assert.equal(balanceOf([], DAY), 0);
});

Deno.test("who may book without a credit, and who pays", () => {
  const some = [grant("g", 2, null)];
  const none = [grant("gone", 5, "2026-11-30")];
  const cases: [
    string,
    Parameters<typeof decideCreditUse>[0],
    string | null | "no_credit",
    number?,
  ][] = [
    [
      "a client with credits uses one",
      { by: "client", requireCredit: true, grants: some, day: DAY },
      "g",
      1,
    ],
    [
      "also with the switch off",
      { by: "client", requireCredit: false, grants: some, day: DAY },
      "g",
      1,
    ],
    ["a client without one is refused with the switch on", {
      by: "client",
      requireCredit: true,
      grants: none,
      day: DAY,
    }, "no_credit"],
    [
      "and books unpaid with it off",
      { by: "client", requireCredit: false, grants: none, day: DAY },
      null,
      0,
    ],
    [
      "a client cannot opt out",
      {
        by: "client",
        requireCredit: false,
        useCredit: false,
        grants: some,
        day: DAY,
      },
      "g",
      1,
    ],
    [
      "a trainer's booking uses one",
      { by: "trainer", requireCredit: true, grants: some, day: DAY },
      "g",
      1,
    ],
    [
      "a trainer is never refused",
      { by: "trainer", requireCredit: true, grants: none, day: DAY },
      null,
      0,
    ],
    [
      "useCredit false books without",
      {
        by: "trainer",
        requireCredit: true,
        useCredit: false,
        grants: some,
        day: DAY,
      },
      null,
      2,
    ],
  ];
  for (const [why, input, expected, after] of cases) {
    const d = decideCreditUse(input);
    if (expected === "no_credit") {
      assert.deepEqual(d, { ok: false, reason: "no_credit" }, why);
    } else {
      assert.deepEqual(d, {
        ok: true,
        value: { grantId: expected, balanceAfter: after },
      }, why);
    }
  }
});

Deno.test("the last credit: a use that leaves 1 or 0 tells the client, one that leaves 2 does not", () => {
  const cases: [number, boolean][] = [[3, false], [2, true], [1, true]];
  for (const [left, told] of cases) {
    const d = decideCreditUse({
      by: "client",
      requireCredit: true,
      grants: [grant("g", left, null)],
      day: DAY,
    });
    assert.ok(d.ok);
    assert.equal(d.value.balanceAfter, left - 1);
    assert.equal(leavesLowBalance(d.value), told, `${left} left`);
  }
  // Nothing used, nothing told (a booking without a credit).
  assert.equal(leavesLowBalance({ grantId: null, balanceAfter: 0 }), false);
});

Deno.test("a series uses one credit per occurrence, in order, while any are left", () => {
  const uses = useForEach(
    [grant("late", 1, null), grant("soon", 2, "2026-12-31")],
    DAY,
    5,
  );
  assert.deepEqual(uses, [
    { grantId: "soon", balanceAfter: 2 },
    { grantId: "soon", balanceAfter: 1 },
    { grantId: "late", balanceAfter: 0 },
    { grantId: null, balanceAfter: 0 },
    { grantId: null, balanceAfter: 0 },
  ]);
});

Deno.test("what returns a credit: cancels, declines and deletes, once, never a kept one", () => {
  const held = { creditGrantId: "g", creditReturned: false };
  const back = { creditGrantId: "g", creditReturned: true };
  const cancels: [
    string,
    Parameters<typeof returnOnCancel>,
    string | undefined,
  ][] = [
    [
      "a client's cancel",
      [{ ...held, status: "scheduled" }, "client", true],
      "g",
    ],
    ["a client cannot keep it used", [
      { ...held, status: "scheduled" },
      "client",
      false,
    ], "g"],
    [
      "a trainer's cancel",
      [{ ...held, status: "scheduled" }, "trainer", true],
      "g",
    ],
    ["refund: false keeps it", [
      { ...held, status: "scheduled" },
      "trainer",
      false,
    ], undefined],
    ["a decline always returns it", [
      { ...held, status: "pending" },
      "trainer",
      false,
    ], "g"],
    ["nothing paid, nothing back", [
      { creditGrantId: null, status: "scheduled" },
      "client",
      true,
    ], undefined],
    [
      "never twice",
      [{ ...back, status: "scheduled" }, "trainer", true],
      undefined,
    ],
  ];
  for (const [why, args, expected] of cancels) {
    assert.equal(returnOnCancel(...args), expected, why);
  }
  const deletes: [
    string,
    Parameters<typeof returnOnDelete>[0],
    string | undefined,
  ][] = [
    ["a live session", { ...held, status: "scheduled" }, "g"],
    ["a request", { ...held, status: "pending" }, "g"],
    ["a completed one", { ...held, status: "completed" }, "g"],
    ["one kept by refund: false", { ...held, status: "cancelled" }, undefined],
    ["one already returned", { ...back, status: "cancelled" }, undefined],
  ];
  for (const [why, a, expected] of deletes) {
    assert.equal(returnOnDelete(a), expected, why);
  }
  assert.equal(returnOnLeave(held), "g");
  assert.equal(returnOnLeave(back), undefined);
  assert.equal(returnOnLeave({ creditGrantId: null }), undefined);
});

Deno.test("a promotion pays like a booking; with the switch on, those with nothing left are passed over", () => {
  const place = (id: string, position: number, useCredit = true) => ({
    id,
    clientId: `c-${id}`,
    position,
    useCredit,
  });
  const wallet: Record<string, OpenGrant[]> = {
    "c-rich": [grant("g-rich", 1, null)],
    "c-broke": [grant("g-old", 2, "2026-11-30")],
  };
  const run = (waitlist: ReturnType<typeof place>[], requireCredit: boolean) =>
    promoteWithCredits({
      waitlist,
      requireCredit,
      grantsOf: (c) => wallet[c] ?? [],
      day: DAY,
    });

  const on = run([place("rich", 2), place("broke", 1)], true);
  assert.deepEqual(on.passedOver.map((p) => p.id), ["broke"]);
  assert.equal(on.promoted?.place.id, "rich");
  assert.deepEqual(on.promoted?.use, { grantId: "g-rich", balanceAfter: 0 });

  const off = run([place("rich", 2), place("broke", 1)], false);
  assert.deepEqual(off.passedOver, []);
  assert.deepEqual(off.promoted, {
    place: place("broke", 1),
    use: { grantId: null, balanceAfter: 0 },
  });

  const everyone = run([place("broke", 1), place("nobody", 2)], true);
  assert.deepEqual(everyone.passedOver.map((p) => p.id), ["broke", "nobody"]);
  assert.equal(everyone.promoted, undefined);

  // The trainer put them there without a credit: promoted without one, never passed over.
  const free = run([place("broke", 1, false), place("rich", 2)], true);
  assert.deepEqual(free.passedOver, []);
  assert.deepEqual(free.promoted?.use, { grantId: null, balanceAfter: 0 });
});

Deno.test("no_credit comes after too_far and before slot_taken for a client's booking", () => {
  const rules = {
    timezone: "Europe/Berlin",
    slotMinutes: 60,
    workingHours: DEFAULT_WORKING_HOURS,
    holidays: [],
    requiresConfirmation: false,
    horizonDays: 1,
  };
  const now = I("2026-12-01T08:00:00Z");
  const noCredit = { ok: false };
  const taken = [{
    appointmentId: "x",
    clientId: "other",
    start: I("2026-12-01T10:00:00Z"),
    end: I("2026-12-01T11:00:00Z"),
  }];
  const cases: [string, string, string][] = [
    ["in the past first", "2026-12-01T07:00:00Z", "in_past"],
    ["then not a slot", "2026-12-01T10:30:00Z", "not_a_slot"],
    ["then too far", "2026-12-03T10:00:00Z", "too_far"],
    ["then no credit, before taken", "2026-12-01T10:00:00Z", "no_credit"],
  ];
  for (const [why, start, reason] of cases) {
    const d = decideBooking(
      { by: "client", clientId: "me", start: I(start), now, credit: noCredit },
      rules,
      taken,
    );
    assert.deepEqual(d, { ok: false, reason }, why);
  }
  const paid = decideBooking(
    {
      by: "client",
      clientId: "me",
      start: I("2026-12-01T10:00:00Z"),
      now,
      credit: { ok: true },
    },
    rules,
    taken,
  );
  assert.deepEqual(paid, { ok: false, reason: "slot_taken" });
  // A trainer is never refused for lack of one.
  const trainer = decideBooking(
    {
      by: "trainer",
      clientId: "me",
      start: I("2026-12-01T12:00:00Z"),
      now,
      credit: noCredit,
    },
    rules,
    taken,
  );
  assert.ok(trainer.ok);
});

Deno.test("no_credit comes after already_joined for a seat, for the waitlist too", () => {
  const c: GroupClass = {
    id: "c",
    trainerId: "t",
    title: "Circuit",
    start: I("2026-12-02T12:00:00Z"),
    end: I("2026-12-02T13:00:00Z"),
    capacity: 2,
    booked: 2,
    waitlisted: 0,
    status: "scheduled",
    notes: "",
    cancellationReason: null,
    timezone: "Europe/Berlin",
    trainerName: "Tess",
  };
  const now = I("2026-12-01T08:00:00Z");
  const seat = {
    id: "s",
    classId: "c",
    clientId: "me",
    clientName: "Me",
    status: "booked" as const,
    position: null,
    joinedAt: now,
    bookedAt: now,
  };
  const ask = (
    existing: typeof seat | undefined,
    credit: { ok: boolean },
    k = c,
  ) =>
    decideSeat(k, {
      by: "client",
      now,
      policies: NO_POLICIES,
      existing,
      credit,
    });
  assert.deepEqual(ask(seat, { ok: false }), {
    ok: false,
    reason: "already_joined",
  });
  assert.deepEqual(ask(undefined, { ok: false }), {
    ok: false,
    reason: "no_credit",
  });
  assert.deepEqual(ask(undefined, { ok: false }, { ...c, booked: 0 }), {
    ok: false,
    reason: "no_credit",
  });
  assert.deepEqual(
    ask(undefined, { ok: false }, { ...c, status: "cancelled" }),
    {
      ok: false,
      reason: "class_cancelled",
    },
  );
  assert.deepEqual(ask(undefined, { ok: true }), {
    ok: true,
    value: { status: "waitlisted", position: 1 },
  });
});

Deno.test("Today's low balances: 1 or none left, by name", () => {
  const grants = [
    { ...grant("a", 1, null), clientId: "ada" },
    { ...grant("b", 2, null), clientId: "bo" },
    { ...grant("c", 5, "2026-11-30"), clientId: "cy" },
  ];
  assert.deepEqual(
    lowBalances(
      [{ id: "cy", name: "Cy" }, { id: "bo", name: "Bo" }, {
        id: "ada",
        name: "Ada",
      }],
      grants,
      DAY,
    ),
    [{ id: "ada", name: "Ada", balance: 1 }, {
      id: "cy",
      name: "Cy",
      balance: 0,
    }],
  );
});
