/**
 * Booking policies and client rescheduling through the JSON API, each rule at its edges.
 * The clock starts on Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri
 * 09:00–17:00 in 60-minute slots.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";

const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function world(policies: Record<string, unknown> = {}) {
  t.clock.set("2026-12-01T08:00:00Z");
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode, "Own Client");
  const sibling = await signUpClient(t, trainer.referralCode, "Other Client");
  if (Object.keys(policies).length) {
    const put = await setPolicies(trainer.token, policies);
    assert.equal(put.status, 200, JSON.stringify(put.body));
  }
  return { trainer, client, sibling };
}

async function setPolicies(token: string, policies: Record<string, unknown>) {
  const current = await api(t, "GET", "/api/settings", { token });
  return await api(t, "PUT", "/api/settings", {
    token,
    body: { ...current.body, ...policies },
  });
}

const book = (token: string, body: Record<string, unknown>) =>
  api(t, "POST", "/api/appointments", { token, body });

const code = (res: { body: { error?: { code: string } } }) =>
  res.body.error?.code ?? "ok";

async function statuses(token: string, trainerId: string, date: string) {
  const res = await api(
    t,
    "GET",
    `/api/trainers/${trainerId}/slots?from=${date}&to=${date}`,
    { token },
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return Object.fromEntries(
    res.body.slots.map((s: { start: string; status: string }) => [
      s.start.slice(11, 16),
      s.status,
    ]),
  );
}

dbTest(
  "a new trainer has the policy defaults, which change nothing",
  async () => {
    const { trainer } = await world();
    const res = await api(t, "GET", "/api/settings", { token: trainer.token });
    assert.equal(res.body.minNoticeMinutes, 0);
    assert.equal(res.body.horizonDays, null);
    assert.equal(res.body.bufferMinutes, 0);
    assert.equal(res.body.cancelNoticeMinutes, 0);
  },
);

dbTest(
  "policy values outside their ranges are refused field by field and nothing changes",
  async () => {
    const { trainer } = await world({ minNoticeMinutes: 60 });
    const bad = await setPolicies(trainer.token, {
      minNoticeMinutes: 10081,
      horizonDays: 0,
      bufferMinutes: 61,
      cancelNoticeMinutes: 1.5,
      slotMinutes: 30,
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(Object.keys(bad.body.error.fields).sort(), [
      "bufferMinutes",
      "cancelNoticeMinutes",
      "horizonDays",
      "minNoticeMinutes",
    ]);
    assert.equal(
      (await setPolicies(trainer.token, { horizonDays: "30" })).status,
      422,
    );
    const after = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.equal(after.body.minNoticeMinutes, 60);
    assert.equal(after.body.slotMinutes, 60);
    // Left out on PUT: kept. null: no horizon.
    const kept = await setPolicies(trainer.token, { horizonDays: null });
    assert.equal(kept.status, 200);
    assert.equal(kept.body.minNoticeMinutes, 60);
    assert.equal(kept.body.horizonDays, null);
  },
);

dbTest(
  "notice: exactly at now + notice is bookable, an earlier slot is too_soon, a trainer is never bound",
  async () => {
    const { client, trainer } = await world({ minNoticeMinutes: 120 });
    // 09:00 now; 11:00 is exactly two hours ahead.
    assert.equal(
      code(await book(client.token, { start: "2026-12-01T11:00:00+01:00" })),
      "ok",
    );
    const tooSoon = await book(client.token, {
      start: "2026-12-01T10:00:00+01:00",
    });
    assert.equal(tooSoon.status, 422);
    assert.equal(code(tooSoon), "too_soon");
    // The trainer is never bound.
    assert.equal(
      code(
        await book(trainer.token, {
          clientId: client.id,
          start: "2026-12-01T10:00:00+01:00",
        }),
      ),
      "ok",
    );
  },
);

dbTest("notice edge one minute inside the limit is too_soon", async () => {
  const { client } = await world({ minNoticeMinutes: 120 });
  t.clock.set("2026-12-01T08:01:00Z"); // 09:01: 11:00 is 119 minutes ahead
  assert.equal(
    code(await book(client.token, { start: "2026-12-01T11:00:00+01:00" })),
    "too_soon",
  );
});

dbTest(
  "horizon: today + horizonDays is the last bookable day, the day after is too_far",
  async () => {
    const { client, trainer } = await world({ horizonDays: 30 });
    assert.equal(
      code(await book(client.token, { start: "2026-12-31T10:00:00+01:00" })),
      "ok",
    );
    const far = await book(client.token, {
      start: "2027-01-01T10:00:00+01:00",
    });
    assert.equal(far.status, 422);
    assert.equal(code(far), "too_far");
    const view = await statuses(client.token, trainer.id, "2027-01-01");
    assert.equal(view["10:00"], "too_far");
    assert.equal(
      (await statuses(trainer.token, trainer.id, "2027-01-01"))["10:00"],
      "available",
    );
  },
);

dbTest(
  "buffer: a client's session keeps bufferMinutes free beside a trainer-created session",
  async () => {
    const { client, trainer } = await world({ bufferMinutes: 15 });
    const made = await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-02T12:05:00+01:00",
      duration: 30,
    });
    assert.equal(made.status, 201);
    // 11:00–12:00 needs 12:15 free; 13:00 needs 12:45 free: the session ends 12:35.
    const near = await book(client.token, {
      start: "2026-12-02T11:00:00+01:00",
    });
    assert.equal(near.status, 409);
    assert.equal(code(near), "slot_taken");
    const view = await statuses(client.token, trainer.id, "2026-12-02");
    assert.equal(view["11:00"], "booked");
    assert.equal(view["13:00"], "available");
    assert.equal(
      (await statuses(trainer.token, trainer.id, "2026-12-02"))["11:00"],
      "available",
    );
    assert.equal(
      code(await book(client.token, { start: "2026-12-02T13:00:00+01:00" })),
      "ok",
    );
  },
);

dbTest(
  "slot statuses in a client's view follow the contract's precedence",
  async () => {
    const { client, trainer } = await world({ minNoticeMinutes: 180 });
    // Booked before the policy mattered: the trainer books it for the client.
    await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-01T11:00:00+01:00",
    });
    t.clock.set("2026-12-01T08:30:00Z"); // 09:30: notice runs until 12:30
    const view = await statuses(client.token, trainer.id, "2026-12-01");
    assert.equal(view["09:00"], "past");
    assert.equal(view["10:00"], "too_soon");
    assert.equal(view["11:00"], "mine");
    assert.equal(view["12:00"], "too_soon");
    assert.equal(view["13:00"], "available");
  },
);

dbTest(
  "a client's booking is checked in order: in_past, not_a_slot, too_soon, too_far, slot_taken",
  async () => {
    const { client, sibling } = await world({
      minNoticeMinutes: 1440,
      horizonDays: 3,
    });
    assert.equal(
      code(await book(client.token, { start: "2026-11-30T10:17:00+01:00" })),
      "in_past",
    );
    assert.equal(
      code(await book(client.token, { start: "2026-12-01T10:17:00+01:00" })),
      "not_a_slot",
    );
    await book(sibling.token, { start: "2026-12-03T10:00:00+01:00" });
    assert.equal(
      code(await book(client.token, { start: "2026-12-01T10:00:00+01:00" })),
      "too_soon",
    );
    assert.equal(
      code(await book(client.token, { start: "2026-12-07T10:00:00+01:00" })),
      "too_far",
    );
    assert.equal(
      code(await book(client.token, { start: "2026-12-03T10:00:00+01:00" })),
      "slot_taken",
    );
  },
);

dbTest(
  "late window: a client may cancel exactly cancelNoticeMinutes ahead, not a minute later",
  async () => {
    const { client, trainer } = await world({ cancelNoticeMinutes: 720 });
    const first = await book(client.token, {
      start: "2026-12-02T10:00:00+01:00",
    });
    const second = await book(client.token, {
      start: "2026-12-02T11:00:00+01:00",
    });
    t.clock.set("2026-12-01T21:00:00Z"); // exactly 12 hours before 10:00
    const onTime = await api(
      t,
      "POST",
      `/api/appointments/${first.body.id}/cancel`,
      { token: client.token },
    );
    assert.equal(onTime.status, 200);
    t.clock.set("2026-12-01T22:01:00Z"); // 11:59 before 11:00
    const late = await api(
      t,
      "POST",
      `/api/appointments/${second.body.id}/cancel`,
      { token: client.token, body: { reason: "late" } },
    );
    assert.equal(late.status, 409);
    assert.equal(code(late), "too_late_to_cancel");
    const unchanged = await api(
      t,
      "GET",
      `/api/appointments/${second.body.id}`,
      { token: client.token },
    );
    assert.equal(unchanged.body.status, "scheduled");
    // The trainer always may.
    const byTrainer = await api(
      t,
      "POST",
      `/api/appointments/${second.body.id}/cancel`,
      { token: trainer.token },
    );
    assert.equal(byTrainer.status, 200);
  },
);

dbTest(
  "a client cannot cancel a session once it has started, even without a late window",
  async () => {
    const { client } = await world();
    const a = await book(client.token, { start: "2026-12-01T10:00:00+01:00" });
    t.clock.set("2026-12-01T09:00:00Z");
    const res = await api(t, "POST", `/api/appointments/${a.body.id}/cancel`, {
      token: client.token,
    });
    assert.equal(res.status, 409);
    assert.equal(code(res), "too_late_to_cancel");
  },
);

const move = (token: string, id: string, start: string) =>
  api(t, "POST", `/api/appointments/${id}/move`, { token, body: { start } });

dbTest(
  "a client moves their own session to a free slot: same id, new time, the trainer is told",
  async () => {
    const { client, sibling } = await world();
    const a = await book(client.token, { start: "2026-12-02T10:00:00+01:00" });
    const moved = await move(
      client.token,
      a.body.id,
      "2026-12-03T14:00:00+01:00",
    );
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.id, a.body.id);
    assert.equal(moved.body.start, "2026-12-03T14:00:00+01:00");
    assert.equal(moved.body.end, "2026-12-03T15:00:00+01:00");
    assert.equal(moved.body.status, "scheduled");
    // The old time is free again for anyone.
    assert.equal(
      code(await book(sibling.token, { start: "2026-12-02T10:00:00+01:00" })),
      "ok",
    );
    const notices = await t.sql<{ recipient: string; kind: string }[]>`
      SELECT recipient, kind FROM notifications
      WHERE appointment_id = ${a.body.id} AND kind = 'moved'`;
    assert.deepEqual(notices.map((n) => [n.recipient, n.kind]), [
      ["trainer", "moved"],
    ]);
    // The reminders follow the session: only the new time's are pending.
    const reminders = await t.sql<{ recipient: string; due_at: Date }[]>`
      SELECT recipient, due_at FROM notifications
      WHERE appointment_id = ${a.body.id} AND kind = 'reminder' AND status = 'pending'
      ORDER BY recipient`;
    assert.deepEqual(
      reminders.map((r) => [r.recipient, r.due_at.toISOString()]),
      [
        ["client", "2026-12-03T11:00:00.000Z"],
        ["trainer", "2026-12-03T11:00:00.000Z"],
      ],
    );
  },
);

dbTest(
  "a move to a taken slot leaves the original untouched",
  async () => {
    const { client, sibling } = await world();
    const a = await book(client.token, { start: "2026-12-02T10:00:00+01:00" });
    await book(sibling.token, { start: "2026-12-02T12:00:00+01:00" });
    const taken = await move(
      client.token,
      a.body.id,
      "2026-12-02T12:00:00+01:00",
    );
    assert.equal(taken.status, 409);
    assert.equal(code(taken), "slot_taken");
    const same = await api(t, "GET", `/api/appointments/${a.body.id}`, {
      token: client.token,
    });
    assert.equal(same.body.start, "2026-12-02T10:00:00+01:00");
    const reminders = await t.sql<{ due_at: Date }[]>`
      SELECT due_at FROM notifications
      WHERE appointment_id = ${a.body.id} AND kind = 'reminder' AND status = 'pending'`;
    assert.deepEqual(
      reminders.map((r) => r.due_at.toISOString()),
      ["2026-12-02T07:00:00.000Z", "2026-12-02T07:00:00.000Z"],
    );
  },
);

dbTest(
  "a move is checked in the contract's order and binds only clients",
  async () => {
    const { client, sibling, trainer } = await world({
      cancelNoticeMinutes: 60,
      minNoticeMinutes: 120,
    });
    const a = await book(client.token, { start: "2026-12-02T10:00:00+01:00" });
    // Another client's session: not found.
    assert.equal(
      (await move(sibling.token, a.body.id, "2026-12-02T11:00:00+01:00"))
        .status,
      404,
    );
    assert.equal(
      code(await move(client.token, a.body.id, "2026-12-02T11:17:00+01:00")),
      "not_a_slot",
    );
    assert.equal(
      code(await move(client.token, a.body.id, "2026-11-30T11:00:00+01:00")),
      "in_past",
    );
    assert.equal(
      code(await move(client.token, a.body.id, "2026-12-01T09:00:00Z")),
      "too_soon",
    );
    // The session's own slot and its neighbours count as free for it.
    assert.equal(
      code(await move(client.token, a.body.id, "2026-12-02T11:00:00+01:00")),
      "ok",
    );
    // A longer session is the trainer's to move.
    const long = await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-04T10:00:00+01:00",
      duration: 90,
    });
    assert.equal(
      code(await move(client.token, long.body.id, "2026-12-04T14:00:00+01:00")),
      "length_mismatch",
    );
    // Inside the late window: too late, whatever the target.
    t.clock.set("2026-12-02T09:30:00Z"); // 10:30, the session is at 11:00
    assert.equal(
      code(await move(client.token, a.body.id, "2026-12-03T11:00:00+01:00")),
      "too_late_to_move",
    );
    // The trainer moves any time, any length, no policies.
    const byTrainer = await move(
      trainer.token,
      a.body.id,
      "2026-12-02T11:45:00+01:00",
    );
    assert.equal(byTrainer.status, 200, JSON.stringify(byTrainer.body));
    const cancelled = await api(
      t,
      "POST",
      `/api/appointments/${long.body.id}/cancel`,
      { token: trainer.token },
    );
    assert.equal(cancelled.status, 200);
    assert.equal(
      code(
        await move(trainer.token, long.body.id, "2026-12-04T14:00:00+01:00"),
      ),
      "already_cancelled",
    );
  },
);

dbTest(
  "a client's move keeps the buffer, not counting the session being moved",
  async () => {
    const { client, trainer } = await world({ bufferMinutes: 30 });
    const a = await book(client.token, { start: "2026-12-02T10:00:00+01:00" });
    // Next door to itself is fine: the moved session does not count.
    assert.equal(
      code(await move(client.token, a.body.id, "2026-12-02T11:00:00+01:00")),
      "ok",
    );
    await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-02T15:10:00+01:00",
      duration: 20,
    });
    assert.equal(
      code(await move(client.token, a.body.id, "2026-12-02T14:00:00+01:00")),
      "slot_taken",
    );
  },
);
