/**
 * Walk-in clients: a trainer adds someone who does not use apps, books for them like any
 * client, and invites them to claim the account once. Only that trainer sees them.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpTrainer } from "./helpers/http.ts";
import { startDeliveryRig } from "./helpers/delivery_rig.ts";
import { eraseClient, eraseTrainer } from "../db/erasure.ts";

// Tuesday 2026-12-01 09:00 in Berlin.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

/** Adds a walk-in through the form; the new client's id. */
async function addWalkIn(b: Browser, form: Record<string, string>) {
  await b.get("/clients/add");
  const res = await b.post("/clients/add", form);
  assert.equal(res.status, 303, res.text);
  const id = /^\/clients\/([0-9a-f-]{36})$/.exec(
    res.headers.get("Location")!,
  )?.[1];
  assert.ok(id, res.headers.get("Location")!);
  return id;
}

/** Invites the walk-in from their page; the invitation link it shows once. */
async function invite(b: Browser, id: string) {
  await b.get(`/clients/${id}`);
  const res = await b.post(`/clients/${id}/invite`);
  assert.equal(res.status, 200);
  const link = /id="claim-link"[^>]*value="([^"]+)"/.exec(res.text)?.[1] ??
    /value="([^"]+)"[^>]*id="claim-link"/.exec(res.text)?.[1];
  assert.ok(link, "the page shows the invitation link");
  return { link: link.replace("http://spotter.test", ""), page: res.text };
}

dbTest(
  "a trainer adds a walk-in with a name and a phone, books for them, and nothing is sent to nobody",
  async () => {
    const trainer = await signUpTrainer(t);
    const other = await signUpTrainer(t);
    const b = await signedIn(trainer.email);
    const list = await b.get("/clients");
    assert.match(list.text, /href="\/clients\/add"[^>]*>Add client</);
    const id = await addWalkIn(b, { name: "Walk In", phone: "+49 30 1234" });
    const page = await b.get(`/clients/${id}`);
    assert.match(page.text, /No sign-in yet/);
    assert.match(page.text, /href="tel:\+49301234"/);
    assert.match((await b.get("/clients")).text, /Walk In/);
    const listed = await api(t, "GET", "/api/clients", {
      token: trainer.token,
    });
    const row = listed.body.clients.find((c: { id: string }) => c.id === id);
    assert.equal(row.name, "Walk In");
    assert.equal(row.email, null);

    // Booked like any client, by their trainer.
    const booked = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: id, start: "2026-12-02T10:00:00+01:00" },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    assert.match(
      (await b.get("/schedule?date=2026-12-02")).text,
      /Walk In/,
    );
    // The notice to them has nowhere to go: skipped, not failed, and the outbox goes on.
    // Its reminder is due at 08:00 on the day.
    t.clock.set("2026-12-02T07:30:00Z");
    const rig = await startDeliveryRig(t);
    try {
      await rig.deliver();
    } finally {
      await rig.close();
      t.clock.set("2026-12-01T08:00:00Z");
    }
    const notes = await t.sql<
      { kind: string; status: string; error: string | null }[]
    >`
      SELECT kind, status, error FROM notifications
      WHERE appointment_id = ${booked.body.id} AND recipient = 'client'`;
    assert.ok(notes.some((n) => n.kind === "reminder"), JSON.stringify(notes));
    for (const n of notes) {
      assert.equal(n.status, "skipped");
      assert.match(n.error!, /no Telegram chat and no e-mail address/);
    }

    // Only that trainer sees them.
    const ob = await signedIn(other.email);
    assert.equal((await ob.get(`/clients/${id}`)).status, 404);
    await ob.get("/clients");
    assert.equal((await ob.post(`/clients/${id}/invite`)).status, 404);
    assert.ok(!(await ob.get("/clients")).text.includes("Walk In"));
    const stranger = await api(t, "POST", "/api/appointments", {
      token: other.token,
      body: { clientId: id, start: "2026-12-02T12:00:00+01:00" },
    });
    assert.equal(stranger.status, 422);
    assert.equal(stranger.body.error.code, "unknown_client");
  },
);

dbTest(
  "a bad name, e-mail or phone is answered beside its field and nothing is written",
  async () => {
    const trainer = await signUpTrainer(t);
    const taken = await signUpTrainer(t);
    const b = await signedIn(trainer.email);
    const count = async () =>
      (await t.sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM clients WHERE trainer_id = ${trainer.id}`)[
        0
      ]
        .n;
    await b.get("/clients/add");
    for (
      const [form, field] of [
        [{ name: " ", email: "", phone: "" }, "name"],
        [{ name: "A", email: "not-an-address", phone: "" }, "email"],
        [{ name: "A", email: "", phone: "call me" }, "phone"],
        [{ name: "A", email: taken.email, phone: "" }, "email"],
      ] as const
    ) {
      const res = await b.post("/clients/add", form);
      assert.equal(res.status, 422, JSON.stringify(form));
      assert.match(res.text, new RegExp(`id="f-${field}-error"`));
    }
    assert.equal(await count(), 0);
  },
);

dbTest(
  "a walk-in cannot sign in or reset a password; an invitation claims the account once, with its history",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = await signedIn(trainer.email);
    const email = `walk-${crypto.randomUUID()}@example.test`;
    const id = await addWalkIn(b, { name: "Ada Walk", email, phone: "" });
    const booked = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: id, start: "2026-12-03T10:00:00+01:00" },
    });
    assert.equal(booked.status, 201);

    // No sign-in exists for them, and no reset link makes one.
    const guest = new Browser(t);
    await guest.get("/signin");
    const tried = await guest.post("/signin", { email, password: "!" });
    assert.notEqual(tried.status, 303);
    await guest.get("/password-reset");
    await guest.post("/password-reset", { email });
    const [{ n: resets }] = await t.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM password_resets WHERE user_id = ${id}`;
    assert.equal(resets, 0);

    const { link, page } = await invite(b, id);
    assert.match(page, new RegExp(`href="mailto:${encodeURIComponent(email)}`));
    const claimer = new Browser(t);
    const form = await claimer.get(link);
    assert.equal(form.status, 200);
    assert.match(form.text, /Claim your account/);
    const weak = await claimer.post(link, { email, password: "short" });
    assert.equal(weak.status, 422, "a weak password is refused");
    const claimed = await claimer.post(link, {
      email,
      password: "a long enough secret 1",
    });
    assert.equal(claimed.status, 303, claimed.text);
    assert.equal(claimed.headers.get("Location"), "/appointments");
    const mine = await claimer.get("/appointments");
    assert.equal(mine.status, 200);
    assert.match(mine.text, /Thursday, 3 December 2026|Thu 3 Dec/);

    // Now a normal client: they sign in, and the trainer's page has no invitation left.
    const again = new Browser(t);
    await again.get("/signin");
    assert.equal(
      (await again.post("/signin", {
        email,
        password: "a long enough secret 1",
      })).status,
      303,
    );
    assert.ok(!(await b.get(`/clients/${id}`)).text.includes("No sign-in yet"));

    // The same link a second time claims nothing.
    const twice = new Browser(t);
    assert.equal((await twice.get(link)).status, 409);
    const reused = await twice.post(link, {
      email: "someone-else@example.test",
      password: "another long secret 2",
    });
    assert.equal(reused.status, 409);
    assert.match(reused.text, /already used/);
    const [user] = await t.sql<{ email: string }[]>`
      SELECT email FROM users WHERE id = ${id}`;
    assert.equal(user.email, email);
    // Nor can the trainer invite a client who has a sign-in.
    await b.get(`/clients/${id}`);
    const reinvite = await b.post(`/clients/${id}/invite`);
    assert.equal(reinvite.status, 303);
    assert.match((await b.get(`/clients/${id}`)).text, /nothing to claim/);
  },
);

dbTest(
  "a walk-in without an address gives one when claiming; a new invitation replaces the old link",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = await signedIn(trainer.email);
    const id = await addWalkIn(b, { name: "No Mail", email: "", phone: "" });
    const first = await invite(b, id);
    const second = await invite(b, id);
    assert.notEqual(first.link, second.link);
    const c = new Browser(t);
    assert.equal((await c.get(first.link)).status, 404, "the old link is gone");
    await c.get(second.link);
    const noMail = await c.post(second.link, {
      email: "",
      password: "a long enough secret 3",
    });
    assert.equal(noMail.status, 422);
    assert.match(noMail.text, /Give an e-mail address/);
    const email = `claimed-${crypto.randomUUID()}@example.test`;
    const ok = await c.post(second.link, {
      email,
      password: "a long enough secret 3",
    });
    assert.equal(ok.status, 303);
    const [row] = await t.sql<{ email: string; unclaimed: boolean }[]>`
      SELECT u.email, c.unclaimed FROM users u JOIN clients c ON c.user_id = u.id
      WHERE u.id = ${id}`;
    assert.deepEqual({ ...row }, { email, unclaimed: false });
    // An expired invitation claims nothing either.
    const late = await addWalkIn(b, { name: "Too Late", email: "", phone: "" });
    const old = await invite(b, late);
    t.clock.set("2026-12-16T08:00:00Z");
    assert.equal((await new Browser(t).get(old.link)).status, 404);
    t.clock.set("2026-12-01T08:00:00Z");
  },
);

dbTest(
  "removing a walk-in or closing a business with walk-ins deletes them and tells them nothing",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = await signedIn(trainer.email);
    const plain = await addWalkIn(b, {
      name: "Gone Soon",
      email: "",
      phone: "",
    });
    const typed = await addWalkIn(b, {
      name: "Typed Address",
      email: `typed-${crypto.randomUUID()}@example.test`,
      phone: "",
    });
    const removed = await eraseClient(t.sql, {
      clientId: plain,
      trainerId: trainer.id,
      by: "trainer",
      now: t.clock.now(),
    });
    assert.equal(removed.ok, true);
    await eraseTrainer(t.sql, trainer.id, t.clock.now());
    const [{ n }] = await t.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM users WHERE id IN (${plain}, ${typed})`;
    assert.equal(n, 0);
    const [{ told }] = await t.sql<{ told: number }[]>`
      SELECT count(*)::int AS told FROM account_messages
      WHERE kind IN ('client_removed', 'trainer_left')
        AND email LIKE 'typed-%'`;
    assert.equal(told, 0, "an unclaimed walk-in is told nothing");
  },
);
