/**
 * Deleting accounts: a client leaving, a trainer removing a client. Gone means gone from
 * every text column of the database, except the anonymous "Former client" history.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { columnsContaining } from "./helpers/db_search.ts";
import { FakeSmtp } from "./helpers/fake_smtp.ts";
import { createMailer } from "../jobs/mailer.ts";
import { deliverAccountMessages } from "../jobs/account_mail.ts";
import { deliverDue } from "../jobs/deliver.ts";

const smtp = await FakeSmtp.start();
const mailer = createMailer({ smtpUrl: smtp.url, from: "Spotter <a@b.test>" });
globalThis.addEventListener("unload", () => {
  mailer.close();
  void smtp.close();
});

/** A client with a history: sessions past, cancelled and upcoming, a class place, notes. */
async function clientWithHistory(name: string) {
  const t = await testApp({ now: "2026-12-01T08:00:00Z" });
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode, name);
  await t
    .sql`UPDATE users SET telegram_chat_id = 777001 WHERE id = ${client.id}`;
  const book = async (start: string, notes: string) => {
    const res = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: client.id, start, notes },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  // A package paid for, whose credits pay the sessions booked next (a ledger to erase).
  const grant = await api(t, "POST", `/api/clients/${client.id}/credits`, {
    token: trainer.token,
    body: {
      sessions: 10,
      paid: {
        amountCents: 5000,
        currency: "EUR",
        method: "cash",
        note: `${name} paid`,
      },
    },
  });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  const past = await book("2026-12-02T10:00:00+01:00", `${name} knee`);
  const cancelled = await book("2026-12-03T10:00:00+01:00", "");
  const upcoming = await book("2026-12-20T10:00:00+01:00", `for ${name}`);
  const cancel = await api(t, "POST", `/api/appointments/${cancelled}/cancel`, {
    token: client.token,
    body: { reason: `${name} is ill` },
  });
  assert.equal(cancel.status, 200);
  const klass = await api(t, "POST", "/api/classes", {
    token: trainer.token,
    body: { title: "Core", start: "2026-12-21T18:00:00+01:00", capacity: 4 },
  });
  assert.equal(klass.status, 201, JSON.stringify(klass.body));
  const seat = await api(t, "POST", `/api/classes/${klass.body.id}/seats`, {
    token: client.token,
    body: {},
  });
  assert.equal(seat.status, 201, JSON.stringify(seat.body));
  const notes = await api(t, "PATCH", `/api/clients/${client.id}`, {
    token: trainer.token,
    body: { tags: ["vip"], notes: `${name} prefers mornings` },
  });
  assert.equal(notes.status, 200);
  // The notices of all this are sent (to confirmed addresses): the trainer's log keeps them.
  await t.sql`UPDATE users SET email_verified_at = created_at`;
  const sent = await deliverDue({
    sql: t.sql,
    now: t.clock.now(),
    appUrl: t.deps.config.appUrl,
    mailer,
  });
  assert.ok(sent.sent > 0);
  t.clock.set("2026-12-05T08:00:00Z");
  const done = await api(t, "PATCH", `/api/appointments/${past}`, {
    token: trainer.token,
    body: { status: "completed" },
  });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const deliver = () =>
    deliverAccountMessages({
      sql: t.sql,
      now: t.clock.now(),
      appUrl: t.deps.config.appUrl,
      mailer,
    });
  return { t, trainer, client, past, cancelled, upcoming, deliver };
}

const uniqueName = () => `Quilla Vantablack${crypto.randomUUID().slice(0, 8)}`;

dbTest(
  "a client deletes their account: upcoming sessions cancelled, the trainer told, the name gone from every column",
  async () => {
    const name = uniqueName();
    const { t, trainer, client, past, cancelled, upcoming, deliver } =
      await clientWithHistory(name);
    assert.ok(
      (await columnsContaining(t.sql, name)).length >= 3,
      "the search finds the name while the client exists",
    );
    const b = new Browser(t);
    await b.post("/signin", { email: client.email, password: "password-1" });
    const page = await b.get("/profile/delete");
    assert.equal(page.status, 200);
    assert.match(page.text, /Former client/);

    const wrong = await b.post("/profile/delete", { password: "not-mine-1" });
    assert.equal(wrong.status, 422);
    assert.equal(
      (await t.sql`SELECT 1 FROM users WHERE id = ${client.id}`).length,
      1,
    );

    const res = await b.post("/profile/delete", { password: "password-1" });
    assert.equal(res.status, 303);
    assert.equal((await b.get("/profile")).status, 303);
    assert.equal(
      (await api(t, "GET", "/api/appointments", { token: client.token }))
        .status,
      401,
    );

    // The trainer hears of it by e-mail; then no message holds the name any more.
    assert.equal((await deliver()).sent, 1);
    const told = smtp.received.findLast((m) => m.to.includes(trainer.email));
    assert.ok(told);
    assert.match(told.subject, /closed their Spotter account/);
    assert.match(told.text, /1 upcoming session/);

    assert.deepEqual(await columnsContaining(t.sql, name), []);
    assert.deepEqual(await columnsContaining(t.sql, client.email), []);
    assert.deepEqual(
      await columnsContaining(t.sql, client.email.split("@")[0]),
      [],
    );
    assert.equal(
      (await t.sql`SELECT 1 FROM users WHERE telegram_chat_id = 777001`).length,
      0,
    );
    const credits = await t.sql`
      SELECT 1 FROM credit_grants WHERE client_id = ${client.id}
      UNION ALL SELECT 1 FROM credit_ledger WHERE client_id = ${client.id}`;
    assert.equal(credits.length, 0, "the client's credits and ledger stay");

    // The trainer's history keeps the sessions, anonymised.
    const list = await api(t, "GET", "/api/appointments", {
      token: trainer.token,
    });
    const byId = new Map(
      list.body.appointments.map((a: { id: string }) => [a.id, a]),
    );
    // deno-lint-ignore no-explicit-any
    const get = (id: string) => byId.get(id) as any;
    assert.equal(get(past).status, "completed");
    assert.equal(get(past).notes, "");
    assert.equal(get(cancelled).cancellationReason, null);
    assert.equal(get(upcoming).status, "cancelled");
    assert.notEqual(get(past).clientId, client.id);
    const history = await (async () => {
      const tb = new Browser(t);
      await tb.post("/signin", {
        email: trainer.email,
        password: "password-1",
      });
      return (await tb.get("/history")).text;
    })();
    assert.match(history, /Former client/);
    // No list of clients shows the Former client.
    const clients = await api(t, "GET", "/api/clients", {
      token: trainer.token,
    });
    assert.equal(clients.body.clients.length, 0);
    // Nobody signs in as the Former client.
    const [former] = await t.sql<{ email: string }[]>`
      SELECT email FROM users WHERE role = 'former_client'`;
    const signIn = await api(t, "POST", "/api/sessions", {
      body: { email: former.email, password: "!" },
    });
    assert.equal(signIn.status, 401);
  },
);

dbTest(
  "a trainer removes a client with their password; another trainer's client is not found",
  async () => {
    const name = uniqueName();
    const { t, trainer, client, deliver } = await clientWithHistory(name);
    const other = await signUpTrainer(t);
    const ob = new Browser(t);
    await ob.post("/signin", { email: other.email, password: "password-1" });
    assert.equal((await ob.get(`/clients/${client.id}/remove`)).status, 404);
    const foreign = await ob.post(`/clients/${client.id}/remove`, {
      password: "password-1",
    });
    assert.equal(foreign.status, 404);

    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    const detail = await b.get(`/clients/${client.id}`);
    assert.match(detail.text, new RegExp(`/clients/${client.id}/remove`));
    const wrong = await b.post(`/clients/${client.id}/remove`, {
      password: "wrong-pass-1",
    });
    assert.equal(wrong.status, 422);
    for (const password of ["", "x".repeat(5000)]) {
      const odd = await b.post(`/clients/${client.id}/remove`, { password });
      assert.equal(odd.status, 422);
    }
    assert.equal((await b.post("/clients/not-an-id/remove")).status, 404);
    assert.ok((await columnsContaining(t.sql, name)).length > 0);
    const res = await b.post(`/clients/${client.id}/remove`, {
      password: "password-1",
    });
    assert.equal(res.status, 303);
    assert.equal((await deliver()).sent, 1);
    const told = smtp.received.findLast((m) => m.to.includes(client.email));
    assert.ok(told, "the client is told");
    assert.deepEqual(await columnsContaining(t.sql, name), []);
    assert.deepEqual(await columnsContaining(t.sql, client.email), []);
    // A second removal finds nobody.
    assert.equal(
      (await b.post(`/clients/${client.id}/remove`, { password: "password-1" }))
        .status,
      404,
    );
  },
);
