/**
 * Session packages and credits through the JSON API (api.md, "Session packages and
 * credits"): packages, sales, balances and ledgers, and the credit of a session from its
 * booking to its cancel, decline, completion or deletion. Classes, series, notices and
 * the database's guards are in credits_rules_test.ts.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";
import {
  balance,
  myCredits,
  newPackage,
  requireCredit,
  sell,
} from "./helpers/credits.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function world(clients = 1) {
  const trainer = await signUpTrainer(t);
  const people = [];
  for (let i = 0; i < clients; i++) {
    people.push(await signUpClient(t, trainer.referralCode, `Ada ${i + 1}`));
  }
  return { trainer, client: people[0], clients: people };
}

const book = (token: string, body: Record<string, unknown>) =>
  api(t, "POST", "/api/appointments", { token, body });

async function booked(token: string, body: Record<string, unknown>) {
  const res = await book(token, body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

dbTest(
  "requireCredit is false by default, kept when left out of a PUT, and must be a boolean",
  async () => {
    const { trainer } = await world(0);
    const first = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.equal(first.body.requireCredit, false);
    await requireCredit(t, trainer.token, true);
    const { requireCredit: _, ...rest } = first.body;
    const kept = await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: rest,
    });
    assert.equal(kept.body.requireCredit, true);
    const bad = await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...rest, requireCredit: "yes" },
    });
    assert.equal(bad.status, 422);
    assert.ok(bad.body.error.fields.requireCredit);
  },
);

dbTest(
  "a trainer creates, lists, renames and retires packages; a client sees the active ones",
  async () => {
    const { trainer, client } = await world();
    const res = await api(t, "POST", "/api/packages", {
      token: trainer.token,
      body: {
        name: " Ten pack ",
        sessions: 10,
        validDays: 90,
        priceCents: 45000,
        currency: "EUR",
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual({ ...res.body, id: undefined }, {
      id: undefined,
      name: "Ten pack",
      sessions: 10,
      validDays: 90,
      priceCents: 45000,
      currency: "EUR",
      active: true,
    });
    const plain = await api(t, "POST", "/api/packages", {
      token: trainer.token,
      body: { name: "Drop-in", sessions: 1 },
    });
    assert.deepEqual(
      { ...plain.body, id: undefined },
      {
        id: undefined,
        name: "Drop-in",
        sessions: 1,
        validDays: null,
        priceCents: null,
        currency: null,
        active: true,
      },
    );
    const list = await api(t, "GET", "/api/packages", { token: trainer.token });
    assert.deepEqual(list.body.packages.map((p: { id: string }) => p.id), [
      plain.body.id,
      res.body.id,
    ]);
    const retired = await api(t, "PATCH", `/api/packages/${res.body.id}`, {
      token: trainer.token,
      body: { active: false, name: "Old ten pack" },
    });
    assert.equal(retired.status, 200);
    assert.equal(retired.body.active, false);
    assert.equal(retired.body.name, "Old ten pack");
    const seen = await api(t, "GET", "/api/packages", { token: client.token });
    assert.deepEqual(seen.body.packages.map((p: { id: string }) => p.id), [
      plain.body.id,
    ]);
    // Clients may not change packages; another trainer's package is not found.
    assert.equal(
      (await api(t, "POST", "/api/packages", {
        token: client.token,
        body: { name: "Mine", sessions: 1 },
      })).status,
      403,
    );
    assert.equal(
      (await api(t, "PATCH", `/api/packages/${plain.body.id}`, {
        token: client.token,
        body: { active: false },
      })).status,
      403,
    );
    const other = await signUpTrainer(t);
    const foreign = await api(t, "PATCH", `/api/packages/${plain.body.id}`, {
      token: other.token,
      body: { active: false },
    });
    assert.equal(foreign.status, 404);
    assert.deepEqual(
      (await api(t, "GET", "/api/packages", { token: other.token })).body,
      { packages: [] },
    );
  },
);

dbTest(
  "a package's fields are checked at their edges, and nothing is written on a 422",
  async () => {
    const { trainer } = await world(0);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "", sessions: 1 }, "name"],
      [{ name: "x".repeat(101), sessions: 1 }, "name"],
      [{ sessions: 1 }, "name"],
      [{ name: "P", sessions: 0 }, "sessions"],
      [{ name: "P", sessions: 201 }, "sessions"],
      [{ name: "P", sessions: 1.5 }, "sessions"],
      [{ name: "P", sessions: "10" }, "sessions"],
      [{ name: "P", sessions: 1, validDays: 0 }, "validDays"],
      [{ name: "P", sessions: 1, validDays: 731 }, "validDays"],
      [
        { name: "P", sessions: 1, priceCents: -1, currency: "EUR" },
        "priceCents",
      ],
      [
        { name: "P", sessions: 1, priceCents: 100000001, currency: "EUR" },
        "priceCents",
      ],
      [{ name: "P", sessions: 1, priceCents: 100 }, "currency"],
      [{ name: "P", sessions: 1, priceCents: 100, currency: null }, "currency"],
      [{ name: "P", sessions: 1, currency: "EUR" }, "currency"],
      [
        { name: "P", sessions: 1, priceCents: 100, currency: "eur" },
        "currency",
      ],
      [
        { name: "P", sessions: 1, priceCents: 100, currency: "EURO" },
        "currency",
      ],
    ];
    for (const [body, field] of cases) {
      const res = await api(t, "POST", "/api/packages", {
        token: trainer.token,
        body,
      });
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.body.error.code, "validation_failed");
      assert.ok(res.body.error.fields[field], JSON.stringify([body, res.body]));
    }
    const edges = [
      { name: "x".repeat(100), sessions: 200, validDays: 730 },
      {
        name: "Free",
        sessions: 1,
        validDays: 1,
        priceCents: 0,
        currency: "CHF",
      },
      { name: "Max", sessions: 1, priceCents: 100000000, currency: "USD" },
    ];
    for (const body of edges) {
      const res = await api(t, "POST", "/api/packages", {
        token: trainer.token,
        body,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const list = await api(t, "GET", "/api/packages", { token: trainer.token });
    assert.equal(list.body.packages.length, edges.length);
  },
);

dbTest(
  "a sale from a package expires on the trainer's today + validDays and records the payment",
  async () => {
    const { trainer, client } = await world();
    const packageId = await newPackage(t, trainer.token, {
      validDays: 90,
      priceCents: 45000,
      currency: "EUR",
    });
    const grant = await sell(t, trainer.token, client.id, {
      packageId,
      paid: { amountCents: 45000, currency: "EUR", method: "card" },
    });
    assert.deepEqual({ ...grant, id: undefined }, {
      id: undefined,
      clientId: client.id,
      packageId,
      sessions: 10,
      remaining: 10,
      expiresOn: "2027-03-01",
      paid: { amountCents: 45000, currency: "EUR", method: "card", note: null },
      createdAt: "2026-12-01T09:00:00+01:00",
    });
    const gift = await sell(t, trainer.token, client.id, { sessions: 2 });
    assert.equal(gift.packageId, null);
    assert.equal(gift.expiresOn, null);
    assert.equal(gift.paid, null);
    const noted = await sell(t, trainer.token, client.id, {
      sessions: 1,
      validDays: 1,
      paid: {
        amountCents: 0,
        currency: "GBP",
        method: "other",
        note: "Voucher",
      },
    });
    assert.equal(noted.expiresOn, "2026-12-02");
    assert.deepEqual(noted.paid, {
      amountCents: 0,
      currency: "GBP",
      method: "other",
      note: "Voucher",
    });
    // Retiring the package later changes no grant made from it.
    await api(t, "PATCH", `/api/packages/${packageId}`, {
      token: trainer.token,
      body: { active: false, name: "Renamed" },
    });
    const seen = await myCredits(t, client.token);
    assert.equal(seen.balance, 13);
    assert.deepEqual(seen.grants.map((g) => g.id), [
      noted.id,
      gift.id,
      grant.id,
    ]);
    assert.equal(seen.grants[2].remaining, 10);
    assert.deepEqual(
      seen.ledger.map((e) => [e.kind, e.delta, e.grantId]),
      [
        ["granted", 1, noted.id],
        ["granted", 2, gift.id],
        ["granted", 10, grant.id],
      ],
    );
    const byTrainer = await api(t, "GET", `/api/clients/${client.id}/credits`, {
      token: trainer.token,
    });
    assert.deepEqual(byTrainer.body, await myCredits(t, client.token));
  },
);

dbTest(
  "selling credits: fields, another trainer's client (404), a retired or unknown package (422)",
  async () => {
    const { trainer, client } = await world();
    const other = await world();
    const packageId = await newPackage(t, trainer.token);
    const foreignPackage = await newPackage(t, other.trainer.token);
    const post = (token: string, clientId: string, body: unknown) =>
      api(t, "POST", `/api/clients/${clientId}/credits`, { token, body });
    const cases: [unknown, string][] = [
      [{}, "sessions"],
      [{ packageId, sessions: 1 }, "packageId"],
      [{ packageId, validDays: 10 }, "validDays"],
      [{ sessions: 0 }, "sessions"],
      [{ sessions: 201 }, "sessions"],
      [{ sessions: 1, validDays: 731 }, "validDays"],
      [
        { sessions: 1, paid: { amountCents: 1, currency: "EUR" } },
        "paid.method",
      ],
      [{
        sessions: 1,
        paid: { amountCents: 1, currency: "EUR", method: "cheque" },
      }, "paid.method"],
      [{
        sessions: 1,
        paid: { amountCents: -5, currency: "EUR", method: "cash" },
      }, "paid.amountCents"],
      [
        {
          sessions: 1,
          paid: { amountCents: 5, currency: "E", method: "cash" },
        },
        "paid.currency",
      ],
      [{
        sessions: 1,
        paid: {
          amountCents: 5,
          currency: "EUR",
          method: "cash",
          note: "n".repeat(501),
        },
      }, "paid.note"],
      [{ sessions: 1, paid: "cash" }, "paid"],
    ];
    for (const [body, field] of cases) {
      const res = await post(trainer.token, client.id, body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(res.body.error.fields[field], JSON.stringify([body, res.body]));
    }
    assert.equal(
      (await post(trainer.token, other.client.id, { sessions: 1 })).status,
      404,
    );
    assert.equal(
      (await post(trainer.token, crypto.randomUUID(), { sessions: 1 })).status,
      404,
    );
    assert.equal(
      (await post(trainer.token, "nope", { sessions: 1 })).status,
      404,
    );
    assert.equal(
      (await post(client.token, client.id, { sessions: 1 })).status,
      403,
    );
    for (const id of [foreignPackage, crypto.randomUUID(), "not-an-id"]) {
      const res = await post(trainer.token, client.id, { packageId: id });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, "unknown_package");
    }
    await api(t, "PATCH", `/api/packages/${packageId}`, {
      token: trainer.token,
      body: { active: false },
    });
    const retired = await post(trainer.token, client.id, { packageId });
    assert.equal(retired.body.error.code, "unknown_package");
    assert.equal(await balance(t, client.token), 0);
    // Reads: only the trainer's own client, only trainers on /clients/:id/credits.
    assert.equal(
      (await api(t, "GET", `/api/clients/${other.client.id}/credits`, {
        token: trainer.token,
      })).status,
      404,
    );
    assert.equal(
      (await api(t, "GET", `/api/clients/${client.id}/credits`, {
        token: client.token,
      })).status,
      403,
    );
    assert.equal(
      (await api(t, "GET", "/api/credits", { token: trainer.token })).status,
      403,
    );
  },
);

dbTest(
  "a booking uses the grant that expires first, the older of equal ones, and a no-expiry grant last",
  async () => {
    const { trainer, client } = await world();
    const never = await sell(t, trainer.token, client.id, { sessions: 1 });
    const late = await sell(t, trainer.token, client.id, {
      sessions: 1,
      validDays: 60,
    });
    const soonOld = await sell(t, trainer.token, client.id, {
      sessions: 1,
      validDays: 30,
    });
    t.clock.advance({ minutes: 1 });
    const soonNew = await sell(t, trainer.token, client.id, {
      sessions: 1,
      validDays: 30,
    });
    const order = [];
    for (const hour of ["10:00", "11:00", "12:00", "13:00", "14:00"]) {
      const a = await booked(client.token, {
        start: `2026-12-07T${hour}:00+01:00`,
      });
      order.push(a.creditGrantId);
    }
    assert.deepEqual(order, [soonOld.id, soonNew.id, late.id, never.id, null]);
    assert.equal(await balance(t, client.token), 0);
  },
);

dbTest(
  "with requireCredit a client without credit gets no_credit, checked after too_far and before slot_taken",
  async () => {
    const { trainer, clients } = await world(2);
    const [client, other] = clients;
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: {
        ...(await api(t, "GET", "/api/settings", { token: trainer.token }))
          .body,
        requireCredit: true,
        horizonDays: 10,
      },
    });
    await sell(t, trainer.token, other.id, { sessions: 1 });
    await booked(other.token, { start: "2026-12-02T10:00:00+01:00" });
    const cases: [string, string, number][] = [
      ["2026-12-01T08:00:00+01:00", "in_past", 422],
      ["2026-12-02T10:30:00+01:00", "not_a_slot", 422],
      ["2026-12-14T10:00:00+01:00", "too_far", 422],
      ["2026-12-02T10:00:00+01:00", "no_credit", 422],
      ["2026-12-02T11:00:00+01:00", "no_credit", 422],
    ];
    for (const [start, code, status] of cases) {
      const res = await book(client.token, { start });
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code, start);
    }
    const mine = await api(t, "GET", "/api/appointments", {
      token: client.token,
    });
    assert.deepEqual(mine.body.appointments, []);
    // With a credit the next refusal is the overlap.
    await sell(t, trainer.token, client.id, { sessions: 1 });
    const taken = await book(client.token, {
      start: "2026-12-02T10:00:00+01:00",
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, "slot_taken");
    assert.equal(await balance(t, client.token), 1);
    // Off again: booked without a credit once none is left.
    await requireCredit(t, trainer.token, false);
    const paid = await booked(client.token, {
      start: "2026-12-03T10:00:00+01:00",
    });
    assert.ok(paid.creditGrantId);
    const unpaid = await booked(client.token, {
      start: "2026-12-03T11:00:00+01:00",
    });
    assert.equal(unpaid.creditGrantId, null);
  },
);

dbTest(
  "a trainer's booking uses a credit when there is one, never is refused, and useCredit false books without",
  async () => {
    const { trainer, client } = await world();
    await requireCredit(t, trainer.token, true);
    const free = await booked(trainer.token, {
      clientId: client.id,
      start: "2026-12-02T07:00:00+01:00",
    });
    assert.equal(free.creditGrantId, null);
    const grant = await sell(t, trainer.token, client.id, { sessions: 2 });
    const paid = await booked(trainer.token, {
      clientId: client.id,
      start: "2026-12-02T08:00:00+01:00",
    });
    assert.equal(paid.creditGrantId, grant.id);
    const kept = await booked(trainer.token, {
      clientId: client.id,
      start: "2026-12-02T09:00:00+01:00",
      useCredit: false,
    });
    assert.equal(kept.creditGrantId, null);
    assert.equal(await balance(t, client.token), 1);
    const bad = await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-02T10:00:00+01:00",
      useCredit: "no",
    });
    assert.equal(bad.status, 422);
    assert.ok(bad.body.error.fields.useCredit);
  },
);

dbTest(
  "the last credit: it books once, then no_credit; cancelling gives it back and it books again",
  async () => {
    const { trainer, client } = await world();
    await requireCredit(t, trainer.token, true);
    const grant = await sell(t, trainer.token, client.id, { sessions: 1 });
    const a = await booked(client.token, {
      start: "2026-12-02T10:00:00+01:00",
    });
    assert.equal(a.creditGrantId, grant.id);
    const again = await book(client.token, {
      start: "2026-12-02T11:00:00+01:00",
    });
    assert.equal(again.body.error.code, "no_credit");
    const cancelled = await api(t, "POST", `/api/appointments/${a.id}/cancel`, {
      token: client.token,
      body: { reason: "Sick", refund: false }, // a client cannot keep it used
    });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.creditGrantId, grant.id);
    assert.equal(await balance(t, client.token), 1);
    const b = await booked(client.token, {
      start: "2026-12-02T11:00:00+01:00",
    });
    assert.equal(b.creditGrantId, grant.id);
    const { ledger } = await myCredits(t, client.token);
    assert.deepEqual(ledger.map((e) => [e.kind, e.delta, e.appointmentId]), [
      ["used", -1, b.id],
      ["returned", 1, a.id],
      ["used", -1, a.id],
      ["granted", 1, null],
    ]);
  },
);

dbTest(
  "refund false keeps a scheduled session's credit used; a decline always returns it; completing keeps it; a move keeps the grant",
  async () => {
    const { trainer, client } = await world();
    await sell(t, trainer.token, client.id, { sessions: 5 });
    const cancel = (id: string, body: unknown) =>
      api(t, "POST", `/api/appointments/${id}/cancel`, {
        token: trainer.token,
        body,
      });
    const noShow = await booked(client.token, {
      start: "2026-12-02T10:00:00+01:00",
    });
    assert.equal((await cancel(noShow.id, { refund: false })).status, 200);
    assert.equal(await balance(t, client.token), 4);
    const bad = await cancel(noShow.id, { refund: "no" });
    assert.equal(bad.status, 422);
    const refunded = await booked(client.token, {
      start: "2026-12-02T11:00:00+01:00",
    });
    assert.equal(await balance(t, client.token), 3);
    await cancel(refunded.id, {});
    assert.equal(await balance(t, client.token), 4);
    // A second cancel is refused and returns nothing more.
    assert.equal((await cancel(refunded.id, {})).status, 409);
    assert.equal(await balance(t, client.token), 4);

    await requireConfirmation(trainer.token, true);
    const request = await booked(client.token, {
      start: "2026-12-02T12:00:00+01:00",
    });
    assert.equal(request.status, "pending");
    assert.equal(await balance(t, client.token), 3);
    await cancel(request.id, { refund: false });
    assert.equal(await balance(t, client.token), 4);
    await requireConfirmation(trainer.token, false);

    const moved = await booked(client.token, {
      start: "2026-12-02T13:00:00+01:00",
    });
    const after = await api(t, "POST", `/api/appointments/${moved.id}/move`, {
      token: client.token,
      body: { start: "2026-12-02T14:00:00+01:00" },
    });
    assert.equal(after.status, 200);
    assert.equal(after.body.creditGrantId, moved.creditGrantId);
    t.clock.set("2026-12-02T13:30:00Z");
    const done = await api(t, "PATCH", `/api/appointments/${moved.id}`, {
      token: trainer.token,
      body: { status: "completed" },
    });
    assert.equal(done.body.status, "completed");
    assert.equal(done.body.creditGrantId, moved.creditGrantId);
    assert.equal(await balance(t, client.token), 3);
    t.clock.set("2026-12-01T08:00:00Z");
  },
);

async function requireConfirmation(token: string, on: boolean) {
  const current = await api(t, "GET", "/api/settings", { token });
  await api(t, "PUT", "/api/settings", {
    token,
    body: { ...current.body, requiresConfirmation: on },
  });
}

dbTest(
  "deleting returns a credit still in use, never one returned or kept by refund false",
  async () => {
    const { trainer, client } = await world();
    await sell(t, trainer.token, client.id, { sessions: 4 });
    const del = (id: string) =>
      api(t, "DELETE", `/api/appointments/${id}`, { token: trainer.token });
    const live = await booked(client.token, {
      start: "2026-12-02T10:00:00+01:00",
    });
    const kept = await booked(client.token, {
      start: "2026-12-02T11:00:00+01:00",
    });
    const returned = await booked(client.token, {
      start: "2026-12-02T12:00:00+01:00",
    });
    const completed = await booked(trainer.token, {
      clientId: client.id,
      start: "2026-12-01T09:00:00+01:00",
    });
    assert.equal(await balance(t, client.token), 0);
    await api(t, "POST", `/api/appointments/${kept.id}/cancel`, {
      token: trainer.token,
      body: { refund: false },
    });
    await api(t, "POST", `/api/appointments/${returned.id}/cancel`, {
      token: client.token,
    });
    await api(t, "PATCH", `/api/appointments/${completed.id}`, {
      token: trainer.token,
      body: { status: "completed" },
    });
    assert.equal(await balance(t, client.token), 1);
    assert.equal((await del(kept.id)).status, 204);
    assert.equal((await del(returned.id)).status, 204);
    assert.equal(await balance(t, client.token), 1);
    assert.equal((await del(live.id)).status, 204);
    assert.equal(await balance(t, client.token), 2);
    assert.equal((await del(completed.id)).status, 204);
    assert.equal(await balance(t, client.token), 3);
    const { ledger } = await myCredits(t, client.token);
    assert.deepEqual(
      ledger.slice(0, 2).map((e) => [e.kind, e.appointmentId]),
      [["returned", completed.id], ["returned", live.id]],
    );
  },
);

dbTest(
  "a credit returned to a grant that has expired goes back to it and stays unusable",
  async () => {
    const { trainer, client } = await world();
    const grant = await sell(t, trainer.token, client.id, {
      sessions: 2,
      validDays: 1,
    });
    assert.equal(grant.expiresOn, "2026-12-02");
    const a = await booked(client.token, {
      start: "2026-12-10T10:00:00+01:00",
    });
    assert.equal(a.creditGrantId, grant.id);
    assert.equal(await balance(t, client.token), 1);
    // Wednesday 23:59 in Berlin is the grant's last minute; Thursday it has expired.
    t.clock.set("2026-12-02T22:59:00Z");
    assert.equal(await balance(t, client.token), 1);
    t.clock.set("2026-12-02T23:00:00Z");
    assert.equal(await balance(t, client.token), 0);
    await api(t, "POST", `/api/appointments/${a.id}/cancel`, {
      token: client.token,
    });
    const after = await myCredits(t, client.token);
    assert.equal(after.balance, 0);
    assert.equal(after.grants[0].remaining, 2);
    assert.equal(after.ledger[0].kind, "returned");
    const unpaid = await booked(client.token, {
      start: "2026-12-10T11:00:00+01:00",
    });
    assert.equal(unpaid.creditGrantId, null);
    t.clock.set("2026-12-01T08:00:00Z");
  },
);
