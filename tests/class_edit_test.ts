import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { renderMessage } from "../lib/messages.ts";
import type { NotificationPayload } from "../domain/notifications.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function world(clients: number) {
  const trainer = await signUpTrainer(t);
  const people = [];
  for (let i = 0; i < clients; i++) {
    people.push(await signUpClient(t, trainer.referralCode, `Client ${i + 1}`));
  }
  return { trainer, clients: people };
}

async function classAt(token: string, start: string, capacity = 2) {
  const res = await api(t, "POST", "/api/classes", {
    token,
    body: { title: "Strength circuit", start, capacity, duration: 60 },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

const join = (token: string, id: string) =>
  api(t, "POST", `/api/classes/${id}/seats`, { token });
const change = (token: string, id: string, body: Record<string, unknown>) =>
  api(t, "PATCH", `/api/classes/${id}`, { token, body });
const show = (token: string, id: string) =>
  api(t, "GET", `/api/classes/${id}`, { token });

type Row = {
  kind: string;
  recipient_id: string;
  status: string;
  due_at: Date;
  payload: NotificationPayload;
};
const noticesOf = (id: string) =>
  t.sql<Row[]>`
    SELECT kind, recipient_id, status, due_at, payload FROM notifications
    WHERE class_id = ${id} ORDER BY created_at, id`;

dbTest(
  "a trainer moves and renames a class: everyone in it is told once, reminders follow the new time",
  async () => {
    const { trainer, clients } = await world(3);
    const id = await classAt(trainer.token, "2026-12-10T17:00:00Z");
    for (const c of clients) await join(c.token, id);
    const res = await change(trainer.token, id, {
      title: "Mobility",
      start: "2026-12-11T16:00:00Z",
      duration: 45,
      notes: "Bring a band",
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      [res.body.title, res.body.start, res.body.end, res.body.notes],
      [
        "Mobility",
        "2026-12-11T17:00:00+01:00",
        "2026-12-11T17:45:00+01:00",
        "Bring a band",
      ],
    );
    assert.equal(res.body.booked, 2);
    assert.equal(res.body.waitlisted, 1);
    const rows = await noticesOf(id);
    const moved = rows.filter((r) => r.kind === "moved");
    // Booked and waiting alike hear of it, once each; the trainer made it and is not told.
    assert.deepEqual(
      moved.map((r) => r.recipient_id).sort(),
      clients.map((c) => c.id).sort(),
    );
    assert.equal(moved[0].payload.previousTitle, "Strength circuit");
    assert.equal(moved[0].payload.previousStartsAt, "2026-12-10T17:00:00.000Z");
    // The reminders are the new time's: two booked seats and the trainer, none pending
    // for the old time.
    const reminders = rows.filter((r) =>
      r.kind === "reminder" && r.status === "pending"
    );
    assert.deepEqual(
      reminders.map((r) => r.recipient_id).sort(),
      [clients[0].id, clients[1].id, trainer.id].sort(),
    );
    for (const r of reminders) {
      assert.equal(r.payload.startsAt, "2026-12-11T16:00:00.000Z");
      assert.equal(r.payload.classTitle, "Mobility");
    }
    const words = renderMessage({
      kind: "moved",
      recipient: "client",
      payload: moved[0].payload,
    }, "http://spotter.test");
    assert.match(words.subject, /^Changed: Mobility/);
    assert.match(
      words.text,
      /changed Strength circuit from .*10 Dec.* to .*11 Dec/,
    );
    assert.match(words.text, /now called Mobility/);
    // A second change tells everyone again (a new version), a notes-only change nobody.
    assert.equal(
      (await change(trainer.token, id, { start: "2026-12-11T17:00:00Z" }))
        .status,
      200,
    );
    assert.equal(
      (await change(trainer.token, id, { notes: "Bring water" })).status,
      200,
    );
    const after = await noticesOf(id);
    assert.equal(after.filter((r) => r.kind === "moved").length, 6);
    const second = after.filter((r) => r.kind === "moved").at(-1)!;
    assert.match(
      renderMessage(
        { kind: "moved", recipient: "client", payload: second.payload },
        "http://spotter.test",
      ).text,
      /changed the time of Mobility from/,
    );
    assert.deepEqual(
      after.filter((r) => r.kind === "reminder" && r.status === "pending")
        .map((r) => r.payload.startsAt),
      Array(3).fill("2026-12-11T17:00:00.000Z"),
    );
    // The feed's event carries a SEQUENCE that grew with each move.
    const feed = await api(t, "GET", "/api/feeds", { token: trainer.token });
    assert.equal(feed.status, 200);
    const ics = await t.app.request(new URL(feed.body.url).pathname);
    assert.match(await ics.text(), /SEQUENCE:2/);
  },
);

dbTest(
  "a renamed class tells its people without a time; the message says the old and new names",
  async () => {
    const { trainer, clients } = await world(1);
    const id = await classAt(trainer.token, "2026-12-10T17:00:00Z");
    await join(clients[0].token, id);
    assert.equal(
      (await change(trainer.token, id, { title: "Kettlebells" })).status,
      200,
    );
    const [moved] = (await noticesOf(id)).filter((r) => r.kind === "moved");
    assert.equal(moved.payload.previousStartsAt, undefined);
    const text = renderMessage(
      { kind: "moved", recipient: "client", payload: moved.payload },
      "http://spotter.test",
    ).text;
    assert.match(
      text,
      /renamed Strength circuit on .*: it is now called Kettlebells/,
    );
    const de = renderMessage(
      {
        kind: "moved",
        recipient: "client",
        payload: moved.payload,
        language: "de",
      },
      "http://spotter.test",
    ).text;
    assert.match(de, /umbenannt/);
  },
);

dbTest(
  "a larger capacity seats the waitlist in its order, each told and reminded",
  async () => {
    const { trainer, clients } = await world(5);
    const id = await classAt(trainer.token, "2026-12-10T17:00:00Z");
    for (const c of clients) await join(c.token, id);
    const res = await change(trainer.token, id, { capacity: 4 });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.booked, res.body.waitlisted], [4, 1]);
    assert.equal((await show(clients[2].token, id)).body.mine, "booked");
    assert.equal((await show(clients[3].token, id)).body.mine, "booked");
    const last = await show(clients[4].token, id);
    assert.deepEqual([last.body.mine, last.body.position], ["waitlisted", 1]);
    const rows = await noticesOf(id);
    assert.deepEqual(
      rows.filter((r) => r.kind === "promoted").map((r) => r.recipient_id)
        .sort(),
      [clients[2].id, clients[3].id].sort(),
    );
    assert.equal(rows.filter((r) => r.kind === "moved").length, 0);
    assert.deepEqual(
      rows.filter((r) => r.kind === "reminder").map((r) => r.recipient_id)
        .sort(),
      [...clients.slice(0, 4).map((c) => c.id), trainer.id].sort(),
    );
  },
);

dbTest(
  "a class change is refused in the contract's order and leaves the class as it was",
  async () => {
    const { trainer, clients } = await world(2);
    const other = await world(0);
    const id = await classAt(trainer.token, "2026-12-10T17:00:00Z", 3);
    for (const c of clients) await join(c.token, id);
    const refused = async (
      token: string,
      body: Record<string, unknown>,
      status: number,
      code: string,
    ) => {
      const res = await change(token, id, body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code);
    };
    await refused(clients[0].token, { title: "Mine" }, 403, "forbidden");
    await refused(other.trainer.token, { title: "Mine" }, 404, "not_found");
    await refused(
      trainer.token,
      { title: "", capacity: 51 },
      422,
      "validation_failed",
    );
    await refused(trainer.token, { duration: 7 }, 422, "validation_failed");
    await refused(trainer.token, { capacity: 1 }, 422, "validation_failed");
    const small = await change(trainer.token, id, { capacity: 2 });
    assert.equal(small.status, 200);
    // Below the two seats taken: refused with the field it concerns.
    await refused(
      trainer.token,
      { capacity: 2, start: "2026-11-30T09:00:00Z" },
      422,
      "in_past",
    );
    const booked = await api(t, "POST", "/api/appointments", {
      token: clients[0].token,
      body: { trainerId: trainer.id, start: "2026-12-11T09:00:00Z" },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    await refused(
      trainer.token,
      { start: "2026-12-11T08:30:00Z" },
      409,
      "slot_taken",
    );
    const unchanged = await show(trainer.token, id);
    assert.deepEqual(
      [unchanged.body.title, unchanged.body.start, unchanged.body.capacity],
      ["Strength circuit", "2026-12-10T18:00:00+01:00", 2],
    );
    // The class itself is no conflict: a later start overlapping its old time is fine.
    assert.equal(
      (await change(trainer.token, id, { start: "2026-12-10T17:30:00Z" }))
        .status,
      200,
    );
    const third = await signUpClient(t, trainer.referralCode, "Client 3");
    await join(third.token, id);
    const below = await change(trainer.token, id, { capacity: 2 });
    assert.equal(below.status, 200, "2 booked, one waiting: 2 is allowed");
    const cancelled = await classAt(trainer.token, "2026-12-15T17:00:00Z");
    await api(t, "POST", `/api/classes/${cancelled}/cancel`, {
      token: trainer.token,
    });
    const gone = await change(trainer.token, cancelled, { title: "Back" });
    assert.equal(gone.status, 409);
    assert.equal(gone.body.error.code, "class_cancelled");
    t.clock.set("2026-12-10T17:45:00Z");
    try {
      const started = await change(trainer.token, id, { notes: "Late note" });
      assert.equal(started.status, 409);
      assert.equal(started.body.error.code, "class_started");
    } finally {
      t.clock.set("2026-12-01T08:00:00Z");
    }
  },
);

dbTest(
  "capacity below the seats booked is refused on the capacity field",
  async () => {
    const { trainer, clients } = await world(3);
    const id = await classAt(trainer.token, "2026-12-10T17:00:00Z", 3);
    for (const c of clients) await join(c.token, id);
    const res = await change(trainer.token, id, { capacity: 2 });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "capacity_below_booked");
    assert.equal((await show(trainer.token, id)).body.capacity, 3);
  },
);

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

dbTest(
  "the class page's edit form starts filled in, says who is told, and keeps what was typed when refused",
  async () => {
    const { trainer, clients } = await world(2);
    const id = await classAt(trainer.token, "2026-12-10T17:00:00Z");
    for (const c of clients) await join(c.token, id);
    const b = await signedIn(trainer.email);
    const classPage = await b.get(`/classes/${id}`);
    assert.match(classPage.text, new RegExp(`href="/classes/${id}/edit"`));
    const form = await b.get(`/classes/${id}/edit`);
    assert.equal(form.status, 200);
    assert.match(form.text, /value="Strength circuit"/);
    assert.match(form.text, /value="2026-12-10"/);
    assert.match(form.text, /value="18:00"/);
    assert.match(form.text, /Everyone in the class \(2\s+people\) is told/);
    const refused = await b.post(`/classes/${id}/edit`, {
      title: "Evening circuit",
      date: "2026-12-10",
      time: "18:00",
      duration: "60",
      capacity: "1",
      notes: "",
    });
    assert.equal(refused.status, 422);
    assert.match(refused.text, /must be a whole number from 2 to 50/);
    assert.match(refused.text, /value="Evening circuit"/);
    const saved = await b.post(`/classes/${id}/edit`, {
      title: "Evening circuit",
      date: "2026-12-10",
      time: "19:00",
      duration: "",
      capacity: "2",
      notes: "",
    });
    assert.equal(saved.status, 303);
    const shown = await b.get(`/classes/${id}`);
    assert.match(shown.text, /Class saved\. Everyone in it is told\./);
    assert.match(shown.text, /Evening circuit/);
    const json = await show(trainer.token, id);
    assert.deepEqual([json.body.start, json.body.duration], [
      "2026-12-10T19:00:00+01:00",
      60,
    ]);
    const client = await signedIn(clients[0].email);
    const denied = await client.get(`/classes/${id}/edit`);
    assert.equal(denied.status, 403);
    assert.doesNotMatch(
      (await client.get(`/classes/${id}`)).text,
      /\/edit"/,
    );
  },
);
