/**
 * The trainer's pages offer Delete only where `mayDelete` allows it: a session the client
 * knows of is cancelled (which tells them), never deleted, until it is over.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const NOW = "2026-12-01T08:00:00Z";
const t = await testApp({ now: NOW });

const offersDelete = (html: string, id: string) =>
  html.includes(`href="/schedule/${id}/delete?`) ||
  html.includes(`action="/schedule/${id}/delete"`);
const offersCancel = (html: string, id: string) =>
  html.includes(`action="/schedule/${id}/cancel"`);

dbTest(
  "Delete is offered for an untold, cancelled or ended session, and hidden where the client knows of a live one",
  async () => {
    t.clock.set(NOW);
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode, "Own Client");
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    const own = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-02T10:00:00+01:00" },
    });
    const made = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: client.id, start: "2026-12-02T12:00:00+01:00" },
    });
    const told = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: client.id, start: "2026-12-02T14:00:00+01:00" },
    });
    for (const r of [own, made, told]) assert.equal(r.status, 201);
    // The notice about the 14:00 session reached the client.
    await t.sql`UPDATE notifications SET status = 'sent', sent_at = now()
      WHERE appointment_id = ${told.body.id} AND recipient = 'client'`;
    const agenda = (await b.get("/schedule?date=2026-12-02")).text;
    assert.ok(!offersDelete(agenda, own.body.id), "they booked it themselves");
    assert.ok(offersCancel(agenda, own.body.id));
    assert.ok(offersDelete(agenda, made.body.id), "nobody was told yet");
    assert.ok(!offersDelete(agenda, told.body.id), "the client was told");
    assert.ok(offersCancel(agenda, told.body.id));

    // Without JavaScript the Delete step of a told session offers Cancel instead.
    const step = await b.get(`/schedule/${own.body.id}/delete`);
    assert.equal(step.status, 200);
    assert.match(step.text, /The client knows about this session/);
    assert.ok(!offersDelete(step.text, own.body.id));
    assert.ok(offersCancel(step.text, own.body.id));
    const untold = await b.get(`/schedule/${made.body.id}/delete`);
    assert.match(untold.text, /Delete this session\?/);
    assert.ok(offersDelete(untold.text, made.body.id));

    // Cancelled, it may go.
    const cancelled = await api(
      t,
      "POST",
      `/api/appointments/${told.body.id}/cancel`,
      { token: trainer.token, body: {} },
    );
    assert.equal(cancelled.status, 200);
    // Over, it may go too.
    t.clock.set("2026-12-02T10:00:00Z");
    const later = (await b.get("/schedule?date=2026-12-02")).text;
    assert.ok(offersDelete(later, own.body.id), "it is over");
    assert.ok(offersDelete(later, told.body.id), "it is cancelled");

    // The JSON DELETE keeps the contract's 204 for any session of the trainer's.
    t.clock.set(NOW);
    const again = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-03T10:00:00+01:00" },
    });
    const gone = await api(t, "DELETE", `/api/appointments/${again.body.id}`, {
      token: trainer.token,
    });
    assert.equal(gone.status, 204);
  },
);
