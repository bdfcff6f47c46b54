/**
 * The pages for policies, rescheduling and weekly series, without JavaScript (plain
 * forms through the in-process app). Tuesday 2026-12-01 09:00 in Berlin.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";

const NOW = "2026-12-01T08:00:00Z";
const t = await testApp({ now: NOW });

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

async function world(policies: Record<string, unknown> = {}) {
  t.clock.set(NOW);
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode, "Mo Mover");
  const other = await signUpClient(t, trainer.referralCode, "Other");
  const current = await api(t, "GET", "/api/settings", {
    token: trainer.token,
  });
  await api(t, "PUT", "/api/settings", {
    token: trainer.token,
    body: { ...current.body, ...policies },
  });
  return {
    trainer,
    client,
    other,
    tb: await signedIn(trainer.email),
    cb: await signedIn(client.email),
  };
}

async function follow(b: Browser, res: { headers: Headers }) {
  const to = res.headers.get("Location");
  assert.ok(to, "a redirect");
  return await b.get(to);
}

dbTest(
  "a client moves a session from My appointments: calendar in move mode, confirm, moved",
  async () => {
    const { client, other, cb } = await world();
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-02T10:00:00+01:00" },
    });
    await api(t, "POST", "/api/appointments", {
      token: other.token,
      body: { start: "2026-12-02T12:00:00+01:00" },
    });
    const id = booked.body.id;
    const list = await cb.get("/appointments");
    assert.match(list.text, new RegExp(`href="/appointments/${id}/move"`));

    const start = await cb.get(`/appointments/${id}/move`);
    assert.equal(start.status, 303);
    const calendar = await follow(cb, start);
    assert.match(calendar.text, /Move your session/);
    assert.match(calendar.text, /Keep it as it is/);
    // Free slots move it; the other client's time is booked; week links stay in move mode.
    assert.match(calendar.text, /11:00–12:00 · Move here/);
    // Its own time is where it is now, not a place to move it to.
    assert.match(calendar.text, /10:00–11:00 · Your session now/);
    const ownCell = `slot-${
      Temporal.Instant.from("2026-12-02T09:00:00Z").epochMilliseconds / 1000
    }`;
    assert.match(
      calendar.text,
      new RegExp(`id="${ownCell}"[^>]*><a href="/appointments/${id}">`),
    );
    assert.doesNotMatch(
      calendar.text,
      new RegExp(`id="${ownCell}"[^<]*<a href="/appointments/${id}/move`),
    );
    assert.match(calendar.text, /12:00–13:00 · Booked/);
    assert.match(calendar.text, new RegExp(`&amp;move=${id}`));

    const target = encodeURIComponent("2026-12-02T13:00:00+01:00");
    const confirm = await cb.get(`/appointments/${id}/move?start=${target}`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /Move your session\?/);
    const moved = await cb.post(`/appointments/${id}/move`, {
      start: "2026-12-02T12:00:00Z",
    });
    assert.equal(moved.status, 303);
    const detail = await follow(cb, moved);
    assert.match(
      detail.text,
      /Moved your session to Wednesday,? 2 December 2026 at 13:00/,
    );

    // A taken slot sends the client back to pick again, the session untouched.
    const lost = await cb.post(`/appointments/${id}/move`, {
      start: "2026-12-02T11:00:00Z",
    });
    const again = await follow(cb, lost);
    assert.match(again.text, /Someone else just booked that time/);
    assert.match(again.text, /Move your session/);
    const still = await api(t, "GET", `/api/appointments/${id}`, {
      token: client.token,
    });
    assert.equal(still.body.start, "2026-12-02T13:00:00+01:00");
  },
);

dbTest(
  "inside the late window My appointments says to contact the trainer instead of offering cancel",
  async () => {
    const { client, cb } = await world({ cancelNoticeMinutes: 720 });
    const soon = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-01T15:00:00+01:00" },
    });
    const later = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-03T15:00:00+01:00" },
    });
    const list = await cb.get("/appointments");
    assert.match(
      list.text,
      /Less than 12 hours to go: contact your trainer to cancel or move it\./,
    );
    assert.doesNotMatch(
      list.text,
      new RegExp(`/appointments/${soon.body.id}/(cancel|move)"`),
    );
    assert.match(
      list.text,
      new RegExp(`/appointments/${later.body.id}/cancel"`),
    );
    // The rule holds on the server too.
    const refused = await cb.post(`/appointments/${soon.body.id}/cancel`, {
      reason: "sick",
    });
    const page = await follow(cb, refused);
    assert.match(page.text, /too soon to be cancelled/);
  },
);

dbTest(
  "the client's calendar says why a slot cannot be booked yet",
  async () => {
    const { cb } = await world({ minNoticeMinutes: 120, horizonDays: 7 });
    const today = await cb.get("/calendar?week=2026-11-30&day=2026-12-01");
    assert.match(today.text, /10:00–11:00 · Too soon to book/);
    assert.match(today.text, /11:00–12:00 · Free/);
    const far = await cb.get("/calendar?week=2026-12-07&day=2026-12-09");
    assert.match(far.text, /10:00–11:00 · Not bookable yet/);
  },
);

dbTest(
  "a weekly series from the schedule form lists its conflicts first, then books the free dates",
  async () => {
    const { trainer, client, other, tb } = await world();
    await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: other.id, start: "2026-12-14T18:30:00+01:00" },
    });
    const form = {
      clientId: client.id,
      date: "2026-12-07",
      time: "18:00",
      duration: "60",
      notes: "",
      weeks: "3",
    };
    const preview = await tb.post("/schedule", form);
    assert.equal(preview.status, 409);
    assert.match(
      preview.text,
      /1 of the 3 dates conflicts\. Nothing is booked yet/,
    );
    assert.match(
      preview.text,
      /14 December 2026, 18:00<\/time> <strong class="error">— overlaps the session with Other, 18:30–19:30/,
    );
    assert.match(preview.text, /Book the 2 free dates, skip 1/);
    const [{ n }] = await t.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM appointments WHERE client_id = ${client.id}`;
    assert.equal(n, 0);

    const saved = await tb.post("/schedule", { ...form, onConflict: "skip" });
    assert.equal(saved.status, 303);
    const day = await follow(tb, saved);
    assert.match(day.text, /Weekly sessions booked with Mo Mover: 2/);
    assert.match(day.text, /1 date was skipped/);

    const clientPage = await tb.get(`/clients/${client.id}`);
    assert.match(clientPage.text, /Weekly series/);
    assert.match(clientPage.text, /Weekly on Mondays at 18:00: 3 weeks/);
    assert.match(clientPage.text, /2 still ahead/);

    // Cancel this and the following ones from the first occurrence.
    const [first] = await t.sql<{ id: string }[]>`
      SELECT id FROM appointments WHERE client_id = ${client.id} ORDER BY starts_at LIMIT 1`;
    const ask = await tb.get(`/schedule/${first.id}/cancel`);
    assert.match(
      ask.text,
      /Also cancel the later sessions of this weekly series/,
    );
    const done = await tb.post(`/schedule/${first.id}/cancel`, {
      reason: "Moving gyms",
      following: "1",
      back: "/schedule?date=2026-12-07&view=day",
    });
    assert.match(
      (await follow(tb, done)).text,
      /Cancelled 2 sessions of the weekly series/,
    );
    const left = await t.sql`
      SELECT 1 FROM appointments WHERE client_id = ${client.id} AND status = 'scheduled'`;
    assert.equal(left.length, 0);
  },
);

dbTest(
  "a series without conflicts books at once; bad repeat fields are shown beside them",
  async () => {
    const { client, tb } = await world();
    const form = {
      clientId: client.id,
      date: "2026-12-08",
      time: "07:00",
      duration: "45",
      notes: "",
    };
    const bad = await tb.post("/schedule", { ...form, weeks: "60" });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /f-weeks-error/);
    const both = await tb.post("/schedule", {
      ...form,
      weeks: "2",
      until: "2026-12-22",
    });
    assert.match(both.text, /give exactly one of weeks or until/);
    const ok = await tb.post("/schedule", { ...form, until: "2026-12-22" });
    assert.equal(ok.status, 303);
    assert.match(
      (await follow(tb, ok)).text,
      /Weekly sessions booked with Mo Mover: 3/,
    );
  },
);
