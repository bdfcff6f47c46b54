/**
 * Credits in classes and series, the notices they send, expiry in a zone far from UTC,
 * and the database's own guards: the CHECK on `remaining` without the lock, the
 * append-only ledger, and the teardown check that every grant adds up.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { balance, myCredits, requireCredit, sell } from "./helpers/credits.ts";
import { sqlState } from "../db/client.ts";
import { findLedgerMismatches } from "../db/credits.ts";

// Tuesday 2026-12-01 09:00 in Berlin.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function world(clients = 3, timezone = "Europe/Berlin") {
  const trainer = await signUpTrainer(t, { timezone });
  const people = [];
  for (let i = 0; i < clients; i++) {
    people.push(await signUpClient(t, trainer.referralCode, `Ada ${i + 1}`));
  }
  return { trainer, clients: people };
}

async function classAt(token: string, start: string, capacity = 2) {
  const res = await api(t, "POST", "/api/classes", {
    token,
    body: { title: "Strength circuit", start, capacity },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

const join = (token: string, id: string, body?: unknown) =>
  api(t, "POST", `/api/classes/${id}/seats`, { token, body });
const leave = (token: string, id: string, who = "me") =>
  api(t, "DELETE", `/api/classes/${id}/seats/${who}`, { token });

async function notices(token: string, query: string) {
  const res = await api(t, "GET", `/api/notifications?${query}`, { token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.notifications as {
    kind: string;
    recipient: string;
    appointmentId: string | null;
    classId: string | null;
  }[];
}

dbTest(
  "a seat uses a credit, a waitlist place none; giving up returns it and the promotion pays with the next one's credit",
  async () => {
    const { trainer, clients: [a, b, w] } = await world();
    for (const c of [a, b, w]) {
      await sell(t, trainer.token, c.id, { sessions: 3 });
    }
    const id = await classAt(trainer.token, "2026-12-03T17:00:00Z");
    const seatA = await join(a.token, id);
    assert.equal(seatA.status, 201);
    assert.ok(seatA.body.creditGrantId);
    await join(b.token, id);
    const waiting = await join(w.token, id);
    assert.deepEqual(waiting.body, {
      classId: id,
      clientId: w.id,
      status: "waitlisted",
      position: 1,
      creditGrantId: null,
    });
    assert.equal(await balance(t, w.token), 3);
    assert.equal((await leave(a.token, id)).status, 204);
    assert.equal(await balance(t, a.token), 3);
    assert.equal(await balance(t, w.token), 2);
    const roster = await api(t, "GET", `/api/classes/${id}`, {
      token: trainer.token,
    });
    const promoted = roster.body.roster.find((r: { clientId: string }) =>
      r.clientId === w.id
    );
    assert.ok(promoted.creditGrantId);
    const { ledger } = await myCredits(t, w.token);
    assert.deepEqual(
      ledger.slice(0, 1).map((e) => [e.kind, e.classId, e.appointmentId]),
      [["used", id, null]],
    );
    // Leaving the waitlist returns nothing (nothing was used); cancelling the class
    // returns every booked seat's credit once.
    await join(a.token, id); // waitlisted again
    assert.equal((await leave(a.token, id)).status, 204);
    assert.equal(await balance(t, a.token), 3);
    const cancelled = await api(t, "POST", `/api/classes/${id}/cancel`, {
      token: trainer.token,
    });
    assert.equal(cancelled.status, 200);
    assert.equal(await balance(t, b.token), 3);
    assert.equal(await balance(t, w.token), 3);
    // Removing a seat of the cancelled class returns nothing more.
    assert.equal((await leave(trainer.token, id, b.id)).status, 204);
    assert.equal(await balance(t, b.token), 3);
  },
);

dbTest(
  "with requireCredit: no_credit after already_joined, for the waitlist too; the trainer is never refused",
  async () => {
    const { trainer, clients: [a, b, c] } = await world();
    await requireCredit(t, trainer.token, true);
    const id = await classAt(trainer.token, "2026-12-03T17:00:00Z");
    const refused = await join(a.token, id);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, "no_credit");
    const byTrainer = await join(trainer.token, id, { clientId: a.id });
    assert.equal(byTrainer.status, 201);
    assert.equal(byTrainer.body.creditGrantId, null);
    // Joined already comes first.
    assert.equal((await join(a.token, id)).body.error.code, "already_joined");
    await sell(t, trainer.token, b.id, { sessions: 1 });
    const paidSeat = await join(b.token, id);
    assert.equal(paidSeat.body.status, "booked");
    // Full: the waitlist needs a balance above 0 too.
    const noPlace = await join(c.token, id);
    assert.equal(noPlace.body.error.code, "no_credit");
    await sell(t, trainer.token, c.id, { sessions: 1 });
    const place = await join(c.token, id);
    assert.equal(place.body.status, "waitlisted");
    assert.equal(await balance(t, c.token), 1);
    // Cancelled comes before no_credit.
    const other = await classAt(trainer.token, "2026-12-04T17:00:00Z");
    await api(t, "POST", `/api/classes/${other}/cancel`, {
      token: trainer.token,
    });
    assert.equal(
      (await join(a.token, other)).body.error.code,
      "class_cancelled",
    );
    // A trainer's seat with useCredit false pays nothing even with credits.
    const third = await classAt(trainer.token, "2026-12-05T10:00:00Z");
    const free = await join(trainer.token, third, {
      clientId: b.id,
      useCredit: false,
    });
    assert.equal(free.body.creditGrantId, null);
    const bad = await join(trainer.token, third, {
      clientId: c.id,
      useCredit: 1,
    });
    assert.equal(bad.status, 422);
    assert.ok(bad.body.error.fields.useCredit);
  },
);

dbTest(
  "with requireCredit a waiting client with no credit left when their turn comes is passed over and told; the next is promoted",
  async () => {
    const { trainer, clients } = await world(4);
    const [a, b, broke, next] = clients;
    for (const c of clients) {
      await sell(t, trainer.token, c.id, { sessions: 1 });
    }
    const id = await classAt(trainer.token, "2026-12-03T17:00:00Z");
    await join(a.token, id);
    await join(b.token, id);
    await join(broke.token, id);
    await join(next.token, id);
    await requireCredit(t, trainer.token, true);
    // `broke` spends their only credit elsewhere while waiting.
    const spent = await api(t, "POST", "/api/appointments", {
      token: broke.token,
      body: { start: "2026-12-02T10:00:00+01:00" },
    });
    assert.equal(spent.status, 201);
    assert.equal((await leave(a.token, id)).status, 204);
    const k = await api(t, "GET", `/api/classes/${id}`, {
      token: trainer.token,
    });
    assert.deepEqual(
      k.body.roster.map((r: { clientId: string }) => r.clientId).sort(),
      [b.id, next.id].sort(),
    );
    assert.deepEqual(k.body.waitlist, []);
    assert.equal(k.body.waitlisted, 0);
    const told = await notices(trainer.token, `classId=${id}`);
    assert.deepEqual(
      told.filter((n) => n.kind === "passed_over" || n.kind === "promoted")
        .map((n) => `${n.kind} to ${n.recipient}`).sort(),
      ["passed_over to client", "promoted to client"],
    );
    const mine = await notices(broke.token, `classId=${id}`);
    assert.deepEqual(mine.map((n) => n.kind), ["passed_over"]);
    assert.equal(await balance(t, next.token), 0);
  },
);

dbTest(
  "credits_low tells the client when a use leaves 1 or 0, with the appointment or class, and not at 2",
  async () => {
    const { trainer, clients: [a] } = await world(1);
    await sell(t, trainer.token, a.id, { sessions: 3 });
    const ids = [];
    for (const hour of ["10", "11"]) {
      const res = await api(t, "POST", "/api/appointments", {
        token: a.token,
        body: { start: `2026-12-02T${hour}:00:00+01:00` },
      });
      ids.push(res.body.id);
    }
    const lowOnly = async (query: string) =>
      (await notices(a.token, query)).filter((n) => n.kind === "credits_low");
    assert.deepEqual(await lowOnly(`appointmentId=${ids[0]}`), []);
    const low = await lowOnly(`appointmentId=${ids[1]}`);
    assert.deepEqual(low.map((n) => [n.kind, n.recipient]), [[
      "credits_low",
      "client",
    ]]);
    const klass = await classAt(trainer.token, "2026-12-03T17:00:00Z");
    await join(a.token, klass);
    const last = await lowOnly(`classId=${klass}`);
    assert.deepEqual(last.map((n) => [n.kind, n.classId]), [[
      "credits_low",
      klass,
    ]]);
    // The trainer is not told (Today shows it instead).
    const theirs = await notices(trainer.token, `appointmentId=${ids[1]}`);
    assert.ok(
      theirs.every((n) => n.kind !== "credits_low" || n.recipient === "client"),
    );
  },
);

dbTest(
  "a series uses one credit per occurrence while any are left; cancelling it returns them",
  async () => {
    const { trainer, clients: [a] } = await world(1);
    const grant = await sell(t, trainer.token, a.id, { sessions: 2 });
    const res = await api(t, "POST", "/api/series", {
      token: trainer.token,
      body: { clientId: a.id, start: "2026-12-02T18:00:00+01:00", weeks: 4 },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.appointments.map((x: { creditGrantId: string | null }) =>
        x.creditGrantId
      ),
      [grant.id, grant.id, null, null],
    );
    assert.equal(await balance(t, a.token), 0);
    const lows = await notices(trainer.token, "");
    assert.deepEqual(
      lows.filter((n) => n.kind === "credits_low").map((n) => n.appointmentId)
        .sort(),
      [res.body.appointments[0].id, res.body.appointments[1].id].sort(),
    );
    const cancelled = await api(
      t,
      "POST",
      `/api/series/${res.body.series.id}/cancel`,
      { token: trainer.token, body: {} },
    );
    assert.equal(cancelled.body.cancelled.length, 4);
    assert.equal(await balance(t, a.token), 2);
  },
);

dbTest(
  "in Kiritimati (UTC+14) a grant sold at 23:30 local expires on its own local date, not the UTC one",
  async () => {
    // 2026-12-01 09:30 UTC is 2026-12-01 23:30 in Kiritimati.
    t.clock.set("2026-12-01T09:30:00Z");
    try {
      const { trainer, clients: [a] } = await world(1, "Pacific/Kiritimati");
      const grant = await sell(t, trainer.token, a.id, {
        sessions: 1,
        validDays: 1,
      });
      assert.equal(grant.expiresOn, "2026-12-02");
      assert.equal(grant.createdAt, "2026-12-01T23:30:00+14:00");
      // Its last day, 2026-12-02, ends at 10:00 UTC that day.
      t.clock.set("2026-12-02T09:59:00Z");
      assert.equal(await balance(t, a.token), 1);
      t.clock.set("2026-12-02T10:00:00Z");
      assert.equal(await balance(t, a.token), 0);
      await requireCredit(t, trainer.token, true);
      const late = await api(t, "POST", "/api/appointments", {
        token: trainer.token,
        body: { clientId: a.id, start: "2026-12-05T10:00:00+14:00" },
      });
      assert.equal(late.body.creditGrantId, null);
    } finally {
      t.clock.set("2026-12-01T08:00:00Z");
    }
  },
);

dbTest(
  "without the lock two spends of one grant's last credit cannot both land: the CHECK refuses the second",
  async () => {
    const { trainer, clients: [a] } = await world(1);
    const grant = await sell(t, trainer.token, a.id, { sessions: 1 });
    const spend = () =>
      t.sql.begin(async (tx) => {
        await tx`UPDATE credit_grants SET remaining = remaining - 1 WHERE id = ${grant.id}`;
        await tx`SELECT pg_sleep(0.05)`;
      });
    const results = await Promise.allSettled([spend(), spend()]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    const failed = results.find((r) => r.status === "rejected") as
      | PromiseRejectedResult
      | undefined;
    assert.equal(sqlState(failed?.reason), "23514");
    // Put the credit back with its entry so the ledger adds up again.
    await t.sql`UPDATE credit_grants SET remaining = 1 WHERE id = ${grant.id}`;
    assert.equal(await balance(t, a.token), 1);
  },
);

dbTest(
  "the ledger is append-only, yet leaves with its grant when a client's account is deleted",
  async () => {
    const { trainer, clients: [a] } = await world(1);
    const grant = await sell(t, trainer.token, a.id, { sessions: 2 });
    for (
      const statement of [
        t.sql`UPDATE credit_ledger SET delta = 5 WHERE grant_id = ${grant.id}`,
        t.sql`DELETE FROM credit_ledger WHERE grant_id = ${grant.id}`,
      ]
    ) {
      await assert.rejects(statement, (e) => sqlState(e) === "55000");
    }
    await t.sql`DELETE FROM users WHERE id = ${a.id}`;
    const [left] = await t.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM credit_ledger WHERE grant_id = ${grant.id}`;
    assert.equal(left.n, 0);
  },
);

dbTest(
  "the teardown check finds a grant whose ledger does not add up, and a session the ledger disagrees with",
  async () => {
    const { trainer, clients: [a] } = await world(1);
    const grant = await sell(t, trainer.token, a.id, { sessions: 2 });
    const booking = await api(t, "POST", "/api/appointments", {
      token: a.token,
      body: { start: "2026-12-02T10:00:00+01:00" },
    });
    assert.deepEqual(await findLedgerMismatches(t.sql), []);
    await t.sql`UPDATE credit_grants SET remaining = 2 WHERE id = ${grant.id}`;
    const problems = await findLedgerMismatches(t.sql);
    assert.equal(problems.length, 1);
    assert.match(problems[0], new RegExp(`grant ${grant.id}`));
    await t.sql`UPDATE credit_grants SET remaining = 1 WHERE id = ${grant.id}`;
    await t.sql`UPDATE appointments SET credit_returned = true
      WHERE id = ${booking.body.id}`;
    assert.match(
      (await findLedgerMismatches(t.sql))[0],
      new RegExp(`appointment ${booking.body.id}`),
    );
    await t.sql`UPDATE appointments SET credit_returned = false
      WHERE id = ${booking.body.id}`;
    assert.deepEqual(await findLedgerMismatches(t.sql), []);
  },
);
