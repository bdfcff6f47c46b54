import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { bookAppointment, changeAppointment } from "../db/lifecycle.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function world() {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode, "Own Client");
  const sibling = await signUpClient(t, trainer.referralCode, "Other Client");
  const otherTrainer = await signUpTrainer(t);
  const stranger = await signUpClient(t, otherTrainer.referralCode, "Stranger");
  return { trainer, client, sibling, otherTrainer, stranger };
}

dbTest(
  "a client books a free slot and gets the contract's appointment back",
  async () => {
    const { trainer, client } = await world();
    const res = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-02T09:00:00Z", notes: "First session" },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.trainerId, trainer.id);
    assert.equal(res.body.clientId, client.id);
    assert.equal(res.body.start, "2026-12-02T10:00:00+01:00");
    assert.equal(res.body.end, "2026-12-02T11:00:00+01:00");
    assert.equal(res.body.duration, 60);
    assert.equal(res.body.status, "scheduled");
    assert.equal(res.body.notes, "First session");
    assert.equal(res.body.cancellationReason, null);
  },
);

dbTest("booking checks past, then grid, then overlap", async () => {
  const { client, sibling } = await world();
  const book = (token: string, start: string) =>
    api(t, "POST", "/api/appointments", { token, body: { start } });
  assert.equal(
    (await book(client.token, "2026-11-30T09:00:00+01:00")).body.error.code,
    "in_past",
  );
  const offGrid = await book(client.token, "2026-12-02T10:30:00+01:00");
  assert.equal(offGrid.status, 422);
  assert.equal(offGrid.body.error.code, "not_a_slot");
  assert.equal(
    (await book(client.token, "2026-12-05T10:00:00+01:00")).body.error.code,
    "not_a_slot",
  ); // Saturday
  assert.equal(
    (await book(client.token, "2026-12-02T17:00:00+01:00")).body.error.code,
    "not_a_slot",
  ); // after hours
  assert.equal(
    (await book(client.token, "2026-12-02T11:00:00+01:00")).status,
    201,
  );
  const taken = await book(sibling.token, "2026-12-02T11:00:00+01:00");
  assert.equal(taken.status, 409);
  assert.equal(taken.body.error.code, "slot_taken");
  // A past time that is also off-grid is reported as past first.
  assert.equal(
    (await book(client.token, "2026-11-30T09:17:00+01:00")).body.error.code,
    "in_past",
  );
});

dbTest(
  "a trainer books any length for their own client, even outside hours, but never overlapping",
  async () => {
    const { trainer, client, stranger } = await world();
    const book = (body: unknown) =>
      api(t, "POST", "/api/appointments", { token: trainer.token, body });
    const late = await book({
      clientId: client.id,
      start: "2026-12-05T19:30:00+01:00",
      duration: 95,
    });
    assert.equal(late.status, 201, JSON.stringify(late.body));
    assert.equal(late.body.end, "2026-12-05T21:05:00+01:00");
    assert.equal(
      (await book({ clientId: client.id, start: "2026-12-05T21:00:00+01:00" }))
        .status,
      409,
    );
    const badLength = await book({
      clientId: client.id,
      start: "2026-12-06T10:00:00+01:00",
      duration: 17,
    });
    assert.equal(badLength.status, 422);
    assert.ok(badLength.body.error.fields.duration);
    assert.equal(
      (await book({
        clientId: client.id,
        start: "2026-12-06T10:00:00+01:00",
        duration: 245,
      })).status,
      422,
    );
    const notMine = await book({
      clientId: stranger.id,
      start: "2026-12-06T10:00:00+01:00",
    });
    assert.equal(notMine.status, 422);
    assert.equal(
      (await book({
        clientId: "not-a-uuid",
        start: "2026-12-06T10:00:00+01:00",
      })).status,
      422,
    );
    assert.equal(
      (await book({ clientId: client.id, start: "2026-11-30T10:00:00+01:00" }))
        .body.error.code,
      "in_past",
    );
  },
);

dbTest(
  "cancelling frees the slot at once and records who and why; twice is 409 already_cancelled",
  async () => {
    const { client, sibling } = await world();
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-03T09:00:00+01:00" },
    });
    const cancelled = await api(
      t,
      "POST",
      `/api/appointments/${booked.body.id}/cancel`,
      {
        token: client.token,
        body: { reason: "Sick" },
      },
    );
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, "cancelled");
    assert.equal(cancelled.body.cancellationReason, "Sick");
    assert.equal(cancelled.body.cancelledBy, "client");
    const again = await api(
      t,
      "POST",
      `/api/appointments/${booked.body.id}/cancel`,
      { token: client.token },
    );
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "already_cancelled");
    const rebooked = await api(t, "POST", "/api/appointments", {
      token: sibling.token,
      body: { start: "2026-12-03T09:00:00+01:00" },
    });
    assert.equal(rebooked.status, 201);
  },
);

dbTest(
  "a trainer moves, completes, confirms and deletes sessions by the contract's rules",
  async () => {
    const { trainer, client } = await world();
    const a = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-03T10:00:00+01:00" },
    });
    const b = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-03T12:00:00+01:00" },
    });
    const patch = (id: string, body: unknown) =>
      api(t, "PATCH", `/api/appointments/${id}`, {
        token: trainer.token,
        body,
      });
    const moved = await patch(a.body.id, {
      start: "2026-12-03T18:30:00+01:00",
      duration: 45,
      notes: "moved late",
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.start, "2026-12-03T18:30:00+01:00");
    assert.equal(moved.body.duration, 45);
    assert.equal(
      (await patch(a.body.id, { start: "2026-12-03T11:30:00+01:00" })).body
        .error.code,
      "slot_taken",
    );
    assert.equal(
      (await patch(a.body.id, { start: "2026-11-20T11:30:00+01:00" })).body
        .error.code,
      "in_past",
    );
    assert.equal(
      (await patch(a.body.id, { status: "completed" })).body.error.code,
      "not_started",
    );
    assert.equal((await patch(a.body.id, { status: "cancelled" })).status, 422);
    t.clock.set("2026-12-03T17:40:00Z");
    const done = await patch(a.body.id, { status: "completed" });
    assert.equal(done.body.status, "completed");
    assert.equal(
      (await patch(a.body.id, { start: "2026-12-04T10:00:00+01:00" })).status,
      409,
    );
    assert.equal(
      (await api(t, "POST", `/api/appointments/${a.body.id}/cancel`, {
        token: trainer.token,
      })).status,
      409,
    );
    t.clock.set("2026-12-01T08:00:00Z");
    assert.equal(
      (await api(t, "DELETE", `/api/appointments/${b.body.id}`, {
        token: trainer.token,
      })).status,
      204,
    );
    assert.equal(
      (await api(t, "GET", `/api/appointments/${b.body.id}`, {
        token: trainer.token,
      })).status,
      404,
    );
    const clients = await api(t, "GET", "/api/clients", {
      token: trainer.token,
    });
    const me = clients.body.clients.find((x: { id: string }) =>
      x.id === client.id
    );
    assert.deepEqual(me.stats, { booked: 0, cancelled: 0, completed: 1 });
  },
);

dbTest(
  "a pending request is confirmed by the trainer when the trainer requires confirmation",
  async () => {
    const { trainer, client } = await world();
    const settings = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...settings.body, requiresConfirmation: true },
    });
    const req = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-04T09:00:00+01:00" },
    });
    assert.equal(req.body.status, "pending");
    const ok = await api(t, "PATCH", `/api/appointments/${req.body.id}`, {
      token: trainer.token,
      body: { status: "scheduled" },
    });
    assert.equal(ok.body.status, "scheduled");
  },
);

dbTest(
  "a request is never completed, and once its start has passed it can no longer be confirmed: the session stays as it was",
  async () => {
    const { trainer, client } = await world();
    const settings = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...settings.body, requiresConfirmation: true },
    });
    const req = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-04T09:00:00+01:00" },
    });
    assert.equal(req.body.status, "pending");
    const patch = (body: unknown) =>
      api(t, "PATCH", `/api/appointments/${req.body.id}`, {
        token: trainer.token,
        body,
      });
    const saved = t.clock.current;
    try {
      for (const at of ["2026-12-01T08:00:00Z", "2026-12-04T08:30:00Z"]) {
        t.clock.set(at);
        const done = await patch({ status: "completed" });
        assert.equal(done.status, 409, at);
        assert.equal(done.body.error.code, "not_scheduled", at);
        assert.match(done.body.error.message, /Confirm or decline/);
      }
      // Exactly at its start it may still be confirmed; a moment later it has expired.
      t.clock.set("2026-12-04T08:00:00.001Z");
      const late = await patch({ status: "scheduled" });
      assert.equal(late.status, 409);
      assert.equal(late.body.error.code, "in_past");
      assert.match(late.body.error.message, /expired/);
      const after = await api(t, "GET", `/api/appointments/${req.body.id}`, {
        token: trainer.token,
      });
      assert.equal(after.body.status, "pending");
      assert.equal(after.body.start, req.body.start);
    } finally {
      t.clock.current = saved;
    }
  },
);

dbTest(
  "a trainer's length is judged by the booking itself: every path answers the same 422 and books nothing",
  async () => {
    const { trainer, client } = await world();
    const fields = {
      duration:
        "must be a whole number of minutes from 15 to 240 that divides by 5",
    };
    for (const duration of [17, 10, 245, 60.5]) {
      const booked = await api(t, "POST", "/api/appointments", {
        token: trainer.token,
        body: { clientId: client.id, start: "2026-12-02T09:00:00Z", duration },
      });
      assert.equal(booked.status, 422, String(duration));
      assert.equal(booked.body.error.code, "validation_failed");
      assert.deepEqual(booked.body.error.fields, fields);
    }
    const a = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: client.id, start: "2026-12-02T09:00:00Z" },
    });
    const resized = await api(t, "PATCH", `/api/appointments/${a.body.id}`, {
      token: trainer.token,
      body: { duration: 17 },
    });
    assert.equal(resized.status, 422);
    assert.deepEqual(resized.body.error.fields, fields);
    // A caller that skips the routes altogether gets the same answer from the decision.
    const direct = await bookAppointment(t.sql, {
      trainerId: trainer.id,
      clientId: client.id,
      by: "trainer",
      start: Temporal.Instant.from("2026-12-03T09:00:00Z"),
      durationMinutes: 7,
      notes: "",
      now: t.clock.now(),
    });
    assert.deepEqual(direct, { ok: false, reason: "invalid_duration" });
    const edited = await changeAppointment(t.sql, {
      id: a.body.id,
      trainerId: trainer.id,
      change: { durationMinutes: 100_000 },
      now: t.clock.now(),
    });
    assert.deepEqual(edited, { ok: false, reason: "invalid_duration" });
    const list = await api(t, "GET", "/api/appointments", {
      token: trainer.token,
    });
    assert.deepEqual(
      list.body.appointments.map((x: { duration: number }) => x.duration),
      [60],
    );
  },
);

dbTest(
  "lists are ordered by start, filtered by dates in the trainer's zone and by status",
  async () => {
    const { trainer, client, sibling } = await world();
    for (
      const [who, start] of [[sibling, "2026-12-04T16:00:00+01:00"], [
        client,
        "2026-12-02T09:00:00+01:00",
      ], [client, "2026-12-04T09:00:00+01:00"]] as const
    ) {
      assert.equal(
        (await api(t, "POST", "/api/appointments", {
          token: who.token,
          body: { start },
        })).status,
        201,
      );
    }
    const mine = await api(t, "GET", "/api/appointments", {
      token: client.token,
    });
    assert.deepEqual(
      mine.body.appointments.map((a: { start: string }) => a.start),
      [
        "2026-12-02T09:00:00+01:00",
        "2026-12-04T09:00:00+01:00",
      ],
    );
    const all = await api(
      t,
      "GET",
      "/api/appointments?from=2026-12-04&to=2026-12-04",
      { token: trainer.token },
    );
    assert.equal(all.body.appointments.length, 2);
    const none = await api(t, "GET", "/api/appointments?status=cancelled", {
      token: trainer.token,
    });
    assert.equal(none.body.appointments.length, 0);
    assert.equal(
      (await api(t, "GET", "/api/appointments?from=2026-02-30", {
        token: trainer.token,
      })).status,
      422,
    );
    assert.equal(
      (await api(t, "GET", "/api/appointments?status=lost", {
        token: trainer.token,
      })).status,
      422,
    );
  },
);

dbTest(
  "ownership matrix: every appointment endpoint answers by who is asking",
  async () => {
    const w = await world();
    const booked = await api(t, "POST", "/api/appointments", {
      token: w.client.token,
      body: { start: "2026-12-07T09:00:00+01:00" },
    });
    const id = booked.body.id;
    const callers = {
      anonymous: undefined,
      owningClient: w.client.token,
      sibling: w.sibling.token,
      stranger: w.stranger.token,
      owningTrainer: w.trainer.token,
      otherTrainer: w.otherTrainer.token,
    };
    const expect: Record<string, Record<keyof typeof callers, number>> = {
      get: {
        anonymous: 401,
        owningClient: 200,
        sibling: 404,
        stranger: 404,
        owningTrainer: 200,
        otherTrainer: 404,
      },
      patch: {
        anonymous: 401,
        owningClient: 403,
        sibling: 403,
        stranger: 403,
        owningTrainer: 200,
        otherTrainer: 404,
      },
      cancel: {
        anonymous: 401,
        owningClient: 200,
        sibling: 404,
        stranger: 404,
        owningTrainer: 200,
        otherTrainer: 404,
      },
      delete: {
        anonymous: 401,
        owningClient: 403,
        sibling: 403,
        stranger: 403,
        owningTrainer: 204,
        otherTrainer: 404,
      },
    };
    for (
      const [who, token] of Object.entries(callers) as [
        keyof typeof callers,
        string | undefined,
      ][]
    ) {
      assert.equal(
        (await api(t, "GET", `/api/appointments/${id}`, { token })).status,
        expect.get[who],
        `get by ${who}`,
      );
      assert.equal(
        (await api(t, "PATCH", `/api/appointments/${id}`, {
          token,
          body: { notes: "x" },
        })).status,
        expect.patch[who],
        `patch by ${who}`,
      );
    }
    for (
      const who of [
        "anonymous",
        "sibling",
        "stranger",
        "otherTrainer",
        "owningClient",
      ] as const
    ) {
      const res = await api(t, "POST", `/api/appointments/${id}/cancel`, {
        token: callers[who],
      });
      assert.equal(res.status, expect.cancel[who], `cancel by ${who}`);
    }
    for (
      const who of [
        "anonymous",
        "owningClient",
        "sibling",
        "stranger",
        "otherTrainer",
        "owningTrainer",
      ] as const
    ) {
      const res = await api(t, "DELETE", `/api/appointments/${id}`, {
        token: callers[who],
      });
      assert.equal(res.status, expect.delete[who], `delete by ${who}`);
    }
    // The trainer's cancel path, on a fresh booking.
    const second = await api(t, "POST", "/api/appointments", {
      token: w.client.token,
      body: { start: "2026-12-07T10:00:00+01:00" },
    });
    const byTrainer = await api(
      t,
      "POST",
      `/api/appointments/${second.body.id}/cancel`,
      { token: w.trainer.token, body: { reason: "Gym closed" } },
    );
    assert.equal(byTrainer.status, 200);
    assert.equal(byTrainer.body.cancelledBy, "trainer");
    // Lists never show others' sessions.
    const siblingList = await api(t, "GET", "/api/appointments", {
      token: w.sibling.token,
    });
    assert.equal(siblingList.body.appointments.length, 0);
    const otherList = await api(t, "GET", "/api/appointments", {
      token: w.otherTrainer.token,
    });
    assert.equal(otherList.body.appointments.length, 0);
    assert.equal(
      (await api(t, "GET", "/api/appointments/not-a-uuid", {
        token: w.trainer.token,
      })).status,
      404,
    );
  },
);

dbTest(
  "bad booking input gets 400/413/422 in the contract's shape and writes nothing",
  async () => {
    const { client, trainer } = await world();
    const count = async () =>
      (await t
        .sql`SELECT count(*)::int AS n FROM appointments WHERE trainer_id = ${trainer.id}`)[
          0
        ].n;
    const cases: [unknown, number][] = [
      [{ start: "2026-02-30T10:00:00+01:00" }, 422],
      [{ start: "2026-12-02T10:00:00" }, 422], // no offset
      [{ start: 12345 }, 422],
      [{}, 422],
      [{ start: "2026-12-02T10:00:00+01:00", notes: "x".repeat(2001) }, 422],
      [{ start: "2026-12-02T10:00:00+01:00", notes: 42 }, 422],
      [[1, 2], 422],
    ];
    for (const [body, status] of cases) {
      const res = await api(t, "POST", "/api/appointments", {
        token: client.token,
        body,
      });
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(typeof res.body.error.code, "string");
    }
    assert.equal(
      (await api(t, "POST", "/api/appointments", {
        token: client.token,
        raw: '{"start":',
      })).status,
      400,
    );
    const huge = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-02T10:00:00+01:00", notes: "x".repeat(70_000) },
    });
    assert.equal(huge.status, 413);
    assert.equal(await count(), 0);
  },
);

dbTest(
  "an Idempotency-Key replays the first answer and books once; a different body is refused",
  async () => {
    const { client, trainer } = await world();
    const send = (start: string) =>
      api(t, "POST", "/api/appointments", {
        token: client.token,
        body: { start },
        headers: { "Idempotency-Key": "tap-1" },
      });
    const first = await send("2026-12-08T09:00:00+01:00");
    const second = await send("2026-12-08T09:00:00+01:00");
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.deepEqual(second.body, first.body);
    const other = await send("2026-12-08T10:00:00+01:00");
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, "idempotency_key_reused");
    const [row] = await t
      .sql`SELECT count(*)::int AS n FROM appointments WHERE trainer_id = ${trainer.id}`;
    assert.equal(row.n, 1);
  },
);

dbTest(
  "when a write slips past the lock, the exclusion constraint still answers 409 slot_taken",
  async () => {
    const { trainer, client } = await world();
    const start = "2026-12-09T09:00:00Z";
    // Another writer that skips the advisory lock holds an uncommitted overlapping row.
    const intruder = await t.sql.reserve();
    try {
      await intruder`BEGIN`;
      await intruder`
      INSERT INTO appointments (trainer_id, client_id, starts_at, ends_at, status)
      VALUES (${trainer.id}, ${client.id}, ${start}, '2026-12-09T09:30:00Z', 'scheduled')`;
      const pending = api(t, "POST", "/api/appointments", {
        token: client.token,
        body: { start },
      });
      await new Promise((r) => setTimeout(r, 300)); // the booking now waits on the constraint
      await intruder`COMMIT`;
      const res = await pending;
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.error.code, "slot_taken");
    } finally {
      intruder.release();
    }
    const rows = await t
      .sql`SELECT count(*)::int AS n FROM appointments WHERE trainer_id = ${trainer.id}`;
    assert.equal(rows[0].n, 1);
  },
);

dbTest(
  "an idempotent replay answers the first body byte for byte",
  async () => {
    const { client } = await world();
    const send = async () => {
      const res = await t.app.request("/api/appointments", {
        method: "POST",
        headers: {
          Authorization: `Bearer ${client.token}`,
          "Content-Type": "application/json",
          "Idempotency-Key": "exact",
        },
        body: JSON.stringify({ start: "2026-12-10T09:00:00Z" }),
      });
      return `${res.status} ${await res.text()}`;
    };
    assert.equal(await send(), await send());
  },
);

dbTest(
  "sending a session's current start again with new notes is not a move, even once it has started",
  async () => {
    const { trainer, client } = await world();
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-11T10:00:00+01:00" },
    });
    t.clock.set("2026-12-11T09:30:00Z");
    const res = await api(t, "PATCH", `/api/appointments/${booked.body.id}`, {
      token: trainer.token,
      body: { start: booked.body.start, duration: 60, notes: "Went well" },
    });
    t.clock.set("2026-12-01T08:00:00Z");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.notes, "Went well");
    const moves = await t.sql`
    SELECT count(*)::int AS n FROM notifications WHERE appointment_id = ${booked.body.id} AND kind = 'moved'`;
    assert.equal(moves[0].n, 0);
  },
);
