import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { FakeSmtp } from "./helpers/fake_smtp.ts";
import { deliverDue } from "../jobs/deliver.ts";
import { createMailer } from "../jobs/mailer.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function world(clients = 3) {
  const trainer = await signUpTrainer(t);
  const people = [];
  for (let i = 0; i < clients; i++) {
    people.push(await signUpClient(t, trainer.referralCode, `Client ${i + 1}`));
  }
  return { trainer, clients: people };
}

const newClass = (token: string, body: Record<string, unknown>) =>
  api(t, "POST", "/api/classes", {
    token,
    body: { title: "Strength circuit", capacity: 2, ...body },
  });

async function classAt(token: string, start: string, capacity = 2) {
  const res = await newClass(token, { start, capacity });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

const join = (token: string, id: string, body?: unknown) =>
  api(t, "POST", `/api/classes/${id}/seats`, { token, body });
const leave = (token: string, id: string, who = "me", reason?: string) =>
  api(t, "DELETE", `/api/classes/${id}/seats/${who}`, {
    token,
    body: reason === undefined ? undefined : { reason },
  });
const show = (token: string, id: string) =>
  api(t, "GET", `/api/classes/${id}`, { token });

dbTest(
  "a trainer creates a class and gets the contract's class back",
  async () => {
    const { trainer, clients } = await world(1);
    const res = await newClass(trainer.token, {
      start: "2026-12-02T17:00:00Z",
      duration: 45,
      capacity: 8,
      notes: "Bring a mat",
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual({ ...res.body, id: undefined }, {
      id: undefined,
      trainerId: trainer.id,
      title: "Strength circuit",
      start: "2026-12-02T18:00:00+01:00",
      end: "2026-12-02T18:45:00+01:00",
      duration: 45,
      capacity: 8,
      booked: 0,
      waitlisted: 0,
      seatsLeft: 8,
      status: "scheduled",
      notes: "Bring a mat",
      cancellationReason: null,
    });
    const forClient = await show(clients[0].token, res.body.id);
    assert.equal(forClient.body.mine, null);
    assert.equal(forClient.body.position, null);
    assert.equal(forClient.body.roster, undefined);
    const byClient = await newClass(clients[0].token, {
      start: "2026-12-02T17:00:00Z",
    });
    assert.equal(byClient.status, 403);
  },
);

dbTest(
  "creating a class checks fields, then the past, then overlaps",
  async () => {
    const { trainer, clients } = await world(1);
    const bad = await newClass(trainer.token, {
      title: "",
      start: "2026-11-01T09:00:00Z",
      capacity: 51,
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(Object.keys(bad.body.error.fields).sort(), [
      "capacity",
      "title",
    ]);
    assert.equal(
      (await newClass(trainer.token, {
        start: "2026-12-02T09:00:00Z",
        capacity: 1,
      }))
        .body.error.fields.capacity !== undefined,
      true,
    );
    const past = await newClass(trainer.token, {
      start: "2026-12-01T07:00:00Z",
    });
    assert.equal(past.status, 422);
    assert.equal(past.body.error.code, "in_past");
    const booked = await api(t, "POST", "/api/appointments", {
      token: clients[0].token,
      body: { start: "2026-12-02T09:00:00Z" },
    });
    assert.equal(booked.status, 201);
    const overlap = await newClass(trainer.token, {
      start: "2026-12-02T09:30:00Z",
    });
    assert.equal(overlap.status, 409);
    assert.equal(overlap.body.error.code, "slot_taken");
  },
);

dbTest(
  "a class blocks one-to-one time: its slots are booked and a booking over it is slot_taken",
  async () => {
    const { trainer, clients } = await world(1);
    await classAt(trainer.token, "2026-12-03T09:00:00Z");
    const slots = await api(
      t,
      "GET",
      `/api/trainers/${trainer.id}/slots?from=2026-12-03&to=2026-12-03`,
      { token: clients[0].token },
    );
    assert.equal(slots.status, 200, JSON.stringify(slots.body));
    const at10 = slots.body.slots.find((s: { start: string }) =>
      s.start === "2026-12-03T10:00:00+01:00"
    );
    assert.equal(at10.status, "booked");
    const byClient = await api(t, "POST", "/api/appointments", {
      token: clients[0].token,
      body: { start: "2026-12-03T09:00:00Z" },
    });
    assert.equal(byClient.status, 409);
    assert.equal(byClient.body.error.code, "slot_taken");
    const byTrainer = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: clients[0].id, start: "2026-12-03T08:30:00Z" },
    });
    assert.equal(byTrainer.status, 409);
    assert.equal(byTrainer.body.error.code, "slot_taken");
    const other = await newClass(trainer.token, {
      start: "2026-12-03T09:45:00Z",
    });
    assert.equal(other.status, 409);
    assert.equal(other.body.error.code, "slot_taken");
  },
);

dbTest(
  "the database refuses a class over a live session even without the code's check",
  async () => {
    const { trainer, clients } = await world(1);
    const booked = await api(t, "POST", "/api/appointments", {
      token: clients[0].token,
      body: { start: "2026-12-04T09:00:00Z" },
    });
    assert.equal(booked.status, 201);
    await assert.rejects(
      t.sql`
      INSERT INTO classes (trainer_id, title, starts_at, ends_at, capacity)
      VALUES (${trainer.id}, 'Sneaky', '2026-12-04T09:30:00Z', '2026-12-04T10:30:00Z', 4)`,
      (e: { code?: string }) => e.code === "23P01",
    );
    const id = await classAt(trainer.token, "2026-12-04T11:00:00Z");
    await assert.rejects(
      t.sql`
      INSERT INTO appointments (trainer_id, client_id, starts_at, ends_at, status)
      VALUES (${trainer.id}, ${
        clients[0].id
      }, '2026-12-04T11:30:00Z', '2026-12-04T12:30:00Z', 'scheduled')`,
      (e: { code?: string }) => e.code === "23P01",
    );
    await assert.rejects(
      t.sql`UPDATE classes SET booked = 3 WHERE id = ${id}`,
      (e: { code?: string }) => e.code === "23514",
    );
  },
);

dbTest(
  "seats fill up, then the waitlist takes places 1, 2 in joining order",
  async () => {
    const { trainer, clients } = await world(4);
    const id = await classAt(trainer.token, "2026-12-08T17:00:00Z");
    const answers = [];
    for (const c of clients) answers.push(await join(c.token, id));
    assert.deepEqual(
      answers.map((a) => [a.status, a.body.status, a.body.position]),
      [
        [201, "booked", null],
        [201, "booked", null],
        [201, "waitlisted", 1],
        [201, "waitlisted", 2],
      ],
    );
    assert.equal(answers[0].body.classId, id);
    assert.equal(answers[0].body.clientId, clients[0].id);
    const again = await join(clients[0].token, id);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "already_joined");
    const view = await show(clients[3].token, id);
    assert.equal(view.body.mine, "waitlisted");
    assert.equal(view.body.position, 2);
    assert.equal(view.body.seatsLeft, 0);
    assert.equal(view.body.waitlisted, 2);
    const full = await show(trainer.token, id);
    assert.deepEqual(
      full.body.roster.map((r: { clientId: string }) => r.clientId),
      [clients[0].id, clients[1].id],
    );
    assert.deepEqual(
      full.body.waitlist.map((w: { name: string; position: number }) => [
        w.name,
        w.position,
      ]),
      [["Client 3", 1], ["Client 4", 2]],
    );
  },
);

dbTest("leaving the waitlist moves everyone behind up one", async () => {
  const { trainer, clients } = await world(5);
  const id = await classAt(trainer.token, "2026-12-09T17:00:00Z");
  for (const c of clients) await join(c.token, id);
  const left = await leave(clients[2].token, id);
  assert.equal(left.status, 204);
  const full = await show(trainer.token, id);
  assert.deepEqual(
    full.body.waitlist.map((w: { name: string; position: number }) => [
      w.name,
      w.position,
    ]),
    [["Client 4", 1], ["Client 5", 2]],
  );
  assert.equal((await leave(clients[2].token, id)).status, 404);
  // Nobody was promoted and nobody told: a waitlist place is no seat. The two booked
  // seats and the trainer have their reminders, nobody on the waitlist has one.
  const notices = await api(t, "GET", `/api/notifications?classId=${id}`, {
    token: trainer.token,
  });
  assert.deepEqual(
    notices.body.notifications.map((n: { kind: string; recipientId: string }) =>
      `${n.kind}:${n.recipientId}`
    ).sort(),
    [clients[0].id, clients[1].id, trainer.id].map((who) => `reminder:${who}`)
      .sort(),
  );
});

dbTest(
  "a freed seat goes to the first waiting, who is told once; the trainer hears of the seat given up",
  async () => {
    const { trainer, clients } = await world(4);
    const id = await classAt(trainer.token, "2026-12-10T17:00:00Z");
    for (const c of clients) await join(c.token, id);
    const gone = await leave(clients[0].token, id, "me", "Knee hurts");
    assert.equal(gone.status, 204);
    const promoted = await show(clients[2].token, id);
    assert.equal(promoted.body.mine, "booked");
    assert.equal(promoted.body.position, null);
    const last = await show(clients[3].token, id);
    assert.equal(last.body.position, 1);
    const notices = await api(t, "GET", `/api/notifications?classId=${id}`, {
      token: trainer.token,
    });
    type Note = {
      kind: string;
      recipient: string;
      recipientId: string;
      classId: string;
      appointmentId: null;
    };
    const list: Note[] = notices.body.notifications;
    const kinds = list.filter((n) => n.kind !== "reminder").map((
      n,
    ) => [n.kind, n.recipient, n.classId, n.appointmentId]).sort();
    assert.deepEqual(kinds, [
      ["cancelled", "trainer", id, null],
      ["promoted", "client", id, null],
    ]);
    // The seat given up took its reminder with it; the promoted client has one now.
    assert.deepEqual(
      list.filter((n) => n.kind === "reminder").map((n) => n.recipientId)
        .sort(),
      [clients[1].id, clients[2].id, trainer.id].sort(),
    );
    const mine = await api(t, "GET", "/api/notifications", {
      token: clients[2].token,
    });
    assert.deepEqual(
      mine.body.notifications.map((n: { kind: string }) => n.kind).sort(),
      ["promoted", "reminder"],
    );
    const [row] = await t.sql<{ reason: string }[]>`
    SELECT payload->>'reason' AS reason FROM notifications
    WHERE class_id = ${id} AND kind = 'cancelled'`;
    assert.equal(row.reason, "Knee hurts");
  },
);

dbTest("appointment notices carry classId null", async () => {
  const { clients } = await world(1);
  const booked = await api(t, "POST", "/api/appointments", {
    token: clients[0].token,
    body: { start: "2026-12-11T09:00:00Z" },
  });
  const list = await api(
    t,
    "GET",
    `/api/notifications?appointmentId=${booked.body.id}`,
    { token: clients[0].token },
  );
  for (const n of list.body.notifications) assert.equal(n.classId, null);
});

dbTest(
  "the trainer adds and removes people at any time; the removed client is told",
  async () => {
    const { trainer, clients } = await world(3);
    const id = await classAt(trainer.token, "2026-12-14T17:00:00Z");
    for (const c of clients) {
      const added = await join(trainer.token, id, { clientId: c.id });
      assert.equal(added.status, 201);
    }
    const stranger = await signUpClient(
      t,
      (await signUpTrainer(t)).referralCode,
    );
    const unknown = await join(trainer.token, id, { clientId: stranger.id });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, "unknown_client");
    const removed = await leave(trainer.token, id, clients[1].id, "Injury");
    assert.equal(removed.status, 204);
    assert.equal((await leave(trainer.token, id, clients[1].id)).status, 404);
    assert.equal((await show(clients[2].token, id)).body.mine, "booked");
    const told = await api(t, "GET", "/api/notifications", {
      token: clients[1].token,
    });
    assert.deepEqual(
      told.body.notifications.map((n: { kind: string }) => n.kind),
      ["cancelled"],
      "told, and the removed seat's reminder is gone",
    );
    assert.equal(
      (await leave(clients[0].token, id, clients[0].id)).status,
      403,
    );
    assert.equal((await leave(trainer.token, id, "me")).status, 403);
  },
);

dbTest("nobody is promoted once the class has started", async () => {
  const { trainer, clients } = await world(3);
  const id = await classAt(trainer.token, "2026-12-01T10:00:00Z");
  for (const c of clients) await join(c.token, id);
  t.clock.set("2026-12-01T10:05:00Z");
  try {
    const late = await leave(clients[0].token, id);
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, "too_late_to_cancel");
    assert.equal((await leave(trainer.token, id, clients[0].id)).status, 204);
    const waiting = await show(clients[2].token, id);
    assert.equal(waiting.body.mine, "waitlisted");
    assert.equal(waiting.body.position, 1);
    assert.equal(waiting.body.booked, 1);
    const joinLate = await join(clients[0].token, id);
    assert.equal(joinLate.status, 422);
    assert.equal(joinLate.body.error.code, "in_past");
    // The waitlist may always be left.
    assert.equal((await leave(clients[2].token, id)).status, 204);
  } finally {
    t.clock.set("2026-12-01T08:00:00Z");
  }
});

dbTest(
  "a seat at exactly the notice limit is allowed, a minute before it too soon; the horizon binds clients only",
  async () => {
    const { trainer, clients } = await world(2);
    await t.sql`
    UPDATE trainers SET min_notice_minutes = 120, horizon_days = 10
    WHERE user_id = ${trainer.id}`;
    // Now is 08:00Z: the notice ends at 10:00Z.
    const atLimit = await classAt(trainer.token, "2026-12-01T10:00:00Z");
    const soonRes = await newClass(trainer.token, {
      start: "2026-12-01T08:59:00Z",
      duration: 60,
    });
    assert.equal(soonRes.status, 201, JSON.stringify(soonRes.body));
    t.clock.set("2026-12-01T07:00:00Z");
    const justInside = await join(clients[1].token, soonRes.body.id);
    t.clock.set("2026-12-01T08:00:00Z");
    assert.equal(justInside.status, 422);
    assert.equal(justInside.body.error.code, "too_soon");
    const trainerAdds = await join(trainer.token, soonRes.body.id, {
      clientId: clients[0].id,
    });
    assert.equal(trainerAdds.status, 201);
    const ok = await join(clients[0].token, atLimit);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const far = await classAt(trainer.token, "2026-12-12T10:00:00Z");
    const tooFar = await join(clients[1].token, far);
    assert.equal(tooFar.status, 422);
    assert.equal(tooFar.body.error.code, "too_far");
    const lastDay = await classAt(trainer.token, "2026-12-11T10:00:00Z");
    assert.equal((await join(clients[1].token, lastDay)).status, 201);
  },
);

dbTest(
  "the late window binds giving up a booked seat, never the waitlist nor the promotion",
  async () => {
    const { trainer, clients } = await world(3);
    await t.sql`
    UPDATE trainers SET cancel_notice_minutes = 720 WHERE user_id = ${trainer.id}`;
    const id = await classAt(trainer.token, "2026-12-01T15:00:00Z");
    for (const c of clients) await join(c.token, id);
    const late = await leave(clients[0].token, id);
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, "too_late_to_cancel");
    assert.equal((await leave(trainer.token, id, clients[0].id)).status, 204);
    assert.equal((await show(clients[2].token, id)).body.mine, "booked");
  },
);

dbTest(
  "cancelling a class frees its time and tells everyone in it once",
  async () => {
    const { trainer, clients } = await world(3);
    const id = await classAt(trainer.token, "2026-12-15T09:00:00Z");
    for (const c of clients) await join(c.token, id);
    const cancelled = await api(t, "POST", `/api/classes/${id}/cancel`, {
      token: trainer.token,
      body: { reason: "Gym closed" },
    });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, "cancelled");
    assert.equal(cancelled.body.cancellationReason, "Gym closed");
    const again = await api(t, "POST", `/api/classes/${id}/cancel`, {
      token: trainer.token,
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "already_cancelled");
    const byClient = await api(t, "POST", `/api/classes/${id}/cancel`, {
      token: clients[0].token,
    });
    assert.equal(byClient.status, 403);
    const notices = await api(t, "GET", `/api/notifications?classId=${id}`, {
      token: trainer.token,
    });
    assert.deepEqual(
      notices.body.notifications.map((
        n: { recipientId: string; kind: string },
      ) => `${n.kind}:${n.recipientId}`).sort(),
      clients.map((c) => `cancelled:${c.id}`).sort(),
      "everyone told once, and no reminder is left",
    );
    const joinCancelled = await join(clients[0].token, id);
    assert.equal(joinCancelled.status, 409);
    assert.equal(joinCancelled.body.error.code, "class_cancelled");
    const leaveCancelled = await leave(clients[0].token, id);
    assert.equal(leaveCancelled.status, 409);
    assert.equal(leaveCancelled.body.error.code, "class_cancelled");
    const booked = await api(t, "POST", "/api/appointments", {
      token: clients[0].token,
      body: { start: "2026-12-15T09:00:00Z" },
    });
    assert.equal(booked.status, 201);
  },
);

dbTest(
  "a client of another trainer gets 404 for the class, its seats and its list",
  async () => {
    const { trainer } = await world(0);
    const id = await classAt(trainer.token, "2026-12-16T09:00:00Z");
    const other = await signUpTrainer(t);
    const stranger = await signUpClient(t, other.referralCode);
    assert.equal((await show(stranger.token, id)).status, 404);
    assert.equal((await show(other.token, id)).status, 404);
    assert.equal((await join(stranger.token, id)).status, 404);
    assert.equal(
      (await join(other.token, id, { clientId: stranger.id })).status,
      404,
    );
    assert.equal((await leave(stranger.token, id)).status, 404);
    const list = await api(
      t,
      "GET",
      `/api/trainers/${trainer.id}/classes?from=2026-12-01&to=2026-12-31`,
      { token: stranger.token },
    );
    assert.equal(list.status, 404);
    assert.equal((await show(stranger.token, "not-a-uuid")).status, 404);
  },
);

dbTest(
  "the class list takes 1 to 62 days, by start, cancelled ones included, with the client's place",
  async () => {
    const { trainer, clients } = await world(1);
    const a = await classAt(trainer.token, "2026-12-17T09:00:00Z");
    const b = await classAt(trainer.token, "2026-12-17T07:00:00Z");
    await api(t, "POST", `/api/classes/${a}/cancel`, { token: trainer.token });
    await join(clients[0].token, b);
    const url = (from: string, to: string) =>
      `/api/trainers/${trainer.id}/classes?from=${from}&to=${to}`;
    const list = await api(t, "GET", url("2026-12-17", "2026-12-17"), {
      token: clients[0].token,
    });
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.classes.map((
        k: { id: string; status: string; mine: string },
      ) => [
        k.id,
        k.status,
        k.mine,
      ]),
      [[b, "scheduled", "booked"], [a, "cancelled", null]],
    );
    const trainerList = await api(t, "GET", url("2026-12-01", "2027-01-31"), {
      token: trainer.token,
    });
    assert.equal(trainerList.status, 200);
    assert.equal(trainerList.body.classes[0].mine, undefined);
    const tooLong = await api(t, "GET", url("2026-12-01", "2027-02-01"), {
      token: trainer.token,
    });
    assert.equal(tooLong.status, 422);
    const missing = await api(
      t,
      "GET",
      `/api/trainers/${trainer.id}/classes?from=2026-12-01`,
      { token: trainer.token },
    );
    assert.equal(missing.status, 422);
  },
);

dbTest("a moved session may not land on a class", async () => {
  const { trainer, clients } = await world(1);
  await classAt(trainer.token, "2026-12-18T11:00:00Z");
  const booked = await api(t, "POST", "/api/appointments", {
    token: clients[0].token,
    body: { start: "2026-12-18T09:00:00Z" },
  });
  assert.equal(booked.status, 201);
  const moved = await api(t, "PATCH", `/api/appointments/${booked.body.id}`, {
    token: trainer.token,
    body: { start: "2026-12-18T11:30:00Z" },
  });
  assert.equal(moved.status, 409);
  assert.equal(moved.body.error.code, "slot_taken");
});

dbTest(
  "the promoted client gets one e-mail naming the class; delivery handles class rows",
  async () => {
    const smtp = await FakeSmtp.start();
    try {
      const { trainer, clients } = await world(3);
      const id = await classAt(trainer.token, "2026-12-21T17:00:00Z");
      for (const c of clients) await join(c.token, id);
      assert.equal((await leave(clients[0].token, id)).status, 204);
      const mailer = createMailer({
        smtpUrl: smtp.url,
        from: "Spotter <no-reply@spotter.test>",
      });
      // Mail goes to confirmed addresses only.
      await t.sql`UPDATE users SET email_verified_at = created_at
        WHERE email_verified_at IS NULL`;
      const report = await deliverDue({
        sql: t.sql,
        now: t.clock.now(),
        appUrl: "http://spotter.test",
        mailer,
      });
      assert.equal(report.failed, 0);
      const toPromoted = smtp.received.filter((m) =>
        m.to.includes(clients[2].email)
      );
      assert.equal(toPromoted.length, 1);
      assert.match(toPromoted[0].subject, /Strength circuit/);
      assert.match(toPromoted[0].text, /yours now/);
      const again = await deliverDue({
        sql: t.sql,
        now: t.clock.now(),
        appUrl: "http://spotter.test",
        mailer,
      });
      assert.equal(again.sent, 0);
      const list = await api(t, "GET", `/api/notifications?classId=${id}`, {
        token: clients[2].token,
      });
      assert.deepEqual(
        list.body.notifications.map((n: { kind: string; status: string }) => [
          n.kind,
          n.status,
        ]),
        [["reminder", "pending"], ["promoted", "sent"]],
      );
    } finally {
      await smtp.close();
    }
  },
);

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

dbTest(
  "a trainer creates a class with the form, sees roster and waitlist, removes someone and cancels with a reason",
  async () => {
    const { trainer, clients } = await world(3);
    const b = await signedIn(trainer.email);
    const bad = await b.post("/classes", {
      title: "",
      date: "2026-12-22",
      time: "18:00",
      capacity: "1",
    });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /must be a whole number from 2 to 50/);
    const made = await b.post("/classes", {
      title: "Strength circuit",
      date: "2026-12-22",
      time: "18:00",
      duration: "45",
      capacity: "2",
    });
    assert.equal(made.status, 303);
    const href = made.headers.get("Location")!;
    const id = href.split("/").pop()!;
    const clash = await b.post("/classes", {
      title: "Clash",
      date: "2026-12-22",
      time: "18:30",
      capacity: "4",
    });
    assert.equal(clash.status, 409);
    for (const c of clients) await join(c.token, id);
    const shown = await b.get(href);
    assert.equal(shown.status, 200);
    assert.match(shown.text, /Booked \(2 of 2\)/);
    assert.match(shown.text, /#1 Client 3/);
    const removed = await b.post(`/classes/${id}/remove`, {
      clientId: clients[0].id,
    });
    assert.equal(removed.status, 303);
    assert.match((await b.get(href)).text, /Nobody waiting/);
    const list = await b.get("/classes");
    assert.match(list.text, /Strength circuit · Full/);
    const cancelled = await b.post(`/classes/${id}/cancel`, { reason: "Flu" });
    assert.equal(cancelled.status, 303);
    const after = await show(trainer.token, id);
    assert.equal(after.body.status, "cancelled");
    assert.equal(after.body.cancellationReason, "Flu");
    const week = await b.get("/calendar?week=2026-12-21&day=2026-12-22");
    assert.match(week.text, /Strength circuit · Cancelled/);
  },
);

dbTest(
  "a client's class page answers a refusal with a message, and another trainer's class is not found",
  async () => {
    const { trainer, clients } = await world(1);
    const id = await classAt(trainer.token, "2026-12-23T17:00:00Z");
    await api(t, "POST", `/api/classes/${id}/cancel`, { token: trainer.token });
    const b = await signedIn(clients[0].email);
    const refused = await b.post(`/classes/${id}/seats`);
    assert.equal(refused.status, 303);
    const page = await b.get(`/classes/${id}`);
    assert.match(page.text, /This class is cancelled/);
    const other = await signUpTrainer(t);
    const theirs = await classAt(other.token, "2026-12-23T17:00:00Z");
    assert.equal((await b.get(`/classes/${theirs}`)).status, 404);
    assert.equal((await b.post(`/classes/${theirs}/seats`)).status, 404);
  },
);

dbTest(
  "statistics count attendance and fill rate per class; a cancelled class is listed but not held",
  async () => {
    const { trainer, clients } = await world(3);
    t.clock.set("2026-12-01T08:00:00Z");
    const held = await classAt(trainer.token, "2026-12-03T17:00:00Z", 4);
    const dropped = await classAt(trainer.token, "2026-12-04T17:00:00Z", 2);
    assert.equal((await join(clients[0].token, held)).status, 201);
    assert.equal((await join(clients[1].token, held)).status, 201);
    assert.equal((await join(clients[2].token, dropped)).status, 201);
    await api(t, "POST", `/api/classes/${dropped}/cancel`, {
      token: trainer.token,
    });
    const stats = await api(t, "GET", "/api/stats?weeks=4", {
      token: trainer.token,
    });
    assert.equal(stats.status, 200);
    assert.deepEqual(stats.body.groupClasses.totals, {
      classes: 1,
      cancelled: 1,
      seatsOffered: 4,
      seatsBooked: 2,
      fillRate: 0.5,
    });
    assert.deepEqual(
      stats.body.groupClasses.classes.map((
        k: { id: string; booked: number; fillRate: number; status: string },
      ) => [k.id, k.status, k.booked, k.fillRate]),
      [[held, "scheduled", 2, 0.5], [dropped, "cancelled", 1, 0.5]],
    );
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    const page = await b.get("/stats?weeks=4");
    assert.match(
      page.text,
      /2 of 4 seats taken in 1 class held: 50% full \(1 cancelled\)/,
    );
    assert.match(page.text, /Strength circuit \(cancelled\)/);
  },
);

dbTest(
  "the schedule's agenda shows each day's classes among its sessions: time, title, seats taken of capacity, a link to the class",
  async () => {
    const { trainer, clients } = await world(2);
    const morning = await api(t, "POST", "/api/appointments", {
      token: clients[0].token,
      body: { start: "2026-12-02T09:00:00+01:00" },
    });
    assert.equal(morning.status, 201);
    const id = await classAt(trainer.token, "2026-12-02T10:00:00+01:00", 8);
    assert.equal((await join(clients[1].token, id)).status, 201);
    await api(t, "POST", "/api/appointments", {
      token: clients[0].token,
      body: { start: "2026-12-02T14:00:00+01:00" },
    });
    const other = await classAt(trainer.token, "2026-12-03T10:00:00+01:00");
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    const text = (html: string) =>
      html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");
    const day = (await b.get("/schedule?date=2026-12-02&view=day")).text;
    assert.match(
      text(day),
      /09:00–10:00 Booked .*10:00–11:00 Group class Strength circuit · 1\/8 seats taken.*14:00–15:00 Booked/,
    );
    assert.ok(day.includes(`href="/classes/${id}"`));
    assert.ok(!day.includes(`href="/classes/${other}"`));
    assert.match(text(day), /2 sessions\. 1 class\./);
    // The week, and the htmx swap of it, show both days' classes.
    const week = await b.get("/schedule?date=2026-12-02&view=week", {
      "HX-Request": "true",
    });
    assert.ok(week.text.includes(`href="/classes/${id}"`));
    assert.ok(week.text.includes(`href="/classes/${other}"`));
    assert.doesNotMatch(week.text, /<html/);
  },
);
