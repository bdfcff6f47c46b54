import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { visitOf } from "../routes/pages_today.tsx";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const NOW = "2026-12-01T08:00:00Z";
const t = await testApp({ now: NOW });

async function world(options: { confirmation?: boolean } = {}) {
  t.clock.set(NOW);
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode, "Ada Early");
  const other = await signUpClient(t, trainer.referralCode, "Ben Later");
  if (options.confirmation) {
    const settings = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...settings.body, requiresConfirmation: true },
    });
  }
  const b = new Browser(t);
  const signIn = await b.post("/signin", {
    email: trainer.email,
    password: "password-1",
  });
  assert.equal(signIn.status, 303);
  assert.equal(signIn.headers.get("Location"), "/today");
  return { trainer, client, other, b };
}

async function book(token: string, body: Record<string, unknown>) {
  const res = await api(t, "POST", "/api/appointments", { token, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

/** The text of one section of Today, by its heading id. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  assert.ok(start >= 0, `no section ${id}`);
  return html.slice(start, html.indexOf("</section>", start));
}

dbTest(
  "a trainer's home is Today; a client's stays the calendar, and clients may not open Today",
  async () => {
    const { client, b } = await world();
    const home = await b.get("/");
    assert.equal(home.headers.get("Location"), "/today");
    assert.match(await b.get("/today").then((r) => r.text), /<h1>Today<\/h1>/);
    const cb = new Browser(t);
    const res = await cb.post("/signin", {
      email: client.email,
      password: "password-1",
    });
    assert.equal(res.headers.get("Location"), "/calendar");
    assert.equal((await cb.get("/")).headers.get("Location"), "/calendar");
    assert.equal((await cb.get("/today")).status, 403);
  },
);

dbTest(
  "Today lists today's sessions in order with the client's tags and note, not tomorrow's",
  async () => {
    const { trainer, client, other, b } = await world();
    await api(t, "PATCH", `/api/clients/${other.id}`, {
      token: trainer.token,
      body: { tags: ["knee"], notes: "Careful with squats" },
    });
    await book(trainer.token, {
      clientId: other.id,
      start: "2026-12-01T15:00:00+01:00",
      notes: "Bring bands",
    });
    await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-01T10:00:00+01:00",
    });
    await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-02T10:00:00+01:00",
    });
    const html = (await b.get("/today")).text;
    const today = section(html, "today-sessions");
    assert.match(today, /2 sessions today/);
    const ada = today.indexOf("Ada Early");
    const ben = today.indexOf("Ben Later");
    assert.ok(ada >= 0 && ben > ada, "10:00 before 15:00");
    assert.match(today, /10:00–11:00/);
    assert.match(today, /<span class="tag">knee<\/span>/);
    assert.match(today, /Careful with squats/);
    assert.match(today, /Bring bands/);
    assert.doesNotMatch(today, /12:00/);
    // The next free slot after 09:00 today is 09:00 itself (10:00 is taken): then 11:00.
    const free = section(html, "today-free");
    assert.match(free, /date=2026-12-01&amp;time=09:00/);
    assert.match(free, /date=2026-12-01&amp;time=11:00/);
    assert.doesNotMatch(free, /time=10:00/);
  },
);

dbTest(
  "a pending request is confirmed from Today and the trainer lands back on Today",
  async () => {
    const { client, b } = await world({ confirmation: true });
    const id = await book(client.token, { start: "2026-12-03T10:00:00+01:00" });
    const page = await b.get("/today");
    const pending = section(page.text, "today-pending");
    assert.match(pending, /Ada Early/);
    assert.match(pending, new RegExp(`action="/schedule/${id}/confirm"`));
    assert.match(pending, new RegExp(`action="/schedule/${id}/cancel"`));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await b.post(`/schedule/${id}/confirm`, {
      _csrf: csrf,
      back: "/today",
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("Location"), "/today");
    const after = await b.get("/today");
    assert.match(after.text, /Session with Ada Early confirmed/);
    assert.match(section(after.text, "today-pending"), /No other requests/);
  },
);

dbTest(
  "a declined request from Today goes back to Today and shows among the cancellations",
  async () => {
    const { client, b } = await world({ confirmation: true });
    const id = await book(client.token, { start: "2026-12-03T10:00:00+01:00" });
    const page = await b.get("/today");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await b.post(`/schedule/${id}/cancel`, {
      _csrf: csrf,
      back: "/today",
      reason: "Fully booked",
    });
    assert.equal(res.headers.get("Location"), "/today");
    const after = (await b.get("/today")).text;
    assert.match(after, /Request from Ada Early declined/);
    const cancelled = section(after, "today-cancelled");
    assert.match(cancelled, /Ada Early/);
    assert.match(cancelled, /Fully booked/);
  },
);

dbTest(
  "cancellations since the last visit: a later visit shows only what was cancelled after the previous one",
  async () => {
    const { trainer, client, b } = await world();
    const first = await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-03T10:00:00+01:00",
    });
    const second = await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-04T10:00:00+01:00",
    });
    await api(t, "POST", `/api/appointments/${first}/cancel`, {
      token: client.token,
      body: { reason: "ill" },
    });
    const visit1 = section((await b.get("/today")).text, "today-cancelled");
    assert.match(visit1, /Cancelled since last week/);
    assert.match(visit1, /ill/);
    t.clock.advance({ hours: 3 });
    await api(t, "POST", `/api/appointments/${second}/cancel`, {
      token: client.token,
      body: { reason: "travel" },
    });
    const visit2 = section((await b.get("/today")).text, "today-cancelled");
    assert.match(visit2, /Cancelled since your last visit/);
    assert.match(visit2, /travel/);
    assert.doesNotMatch(visit2, /ill/);
    // Coming back a few minutes later (after a confirm, say) is the same visit.
    t.clock.advance({ minutes: 5 });
    const again = section((await b.get("/today")).text, "today-cancelled");
    assert.match(again, /travel/);
  },
);

Deno.test("a visit continues within 30 minutes and a bad cookie is a first visit", () => {
  const at = (iso: string) => Temporal.Instant.from(iso);
  const t0 = at("2026-12-01T08:00:00Z").epochMilliseconds;
  assert.equal(visitOf("garbage", at("2026-12-01T08:00:00Z")).since, undefined);
  const later = visitOf(`${t0}.0`, at("2026-12-01T08:20:00Z"));
  assert.equal(later.since, undefined);
  const next = visitOf(later.cookie, at("2026-12-01T10:00:00Z"));
  assert.equal(next.since?.toString(), "2026-12-01T08:20:00Z");
  const same = visitOf(next.cookie, at("2026-12-01T10:10:00Z"));
  assert.equal(same.since?.toString(), "2026-12-01T08:20:00Z");
});

dbTest(
  "Today points to earlier sessions still waiting to be marked, and only those before today",
  async () => {
    const { trainer, client, b } = await world();
    assert.doesNotMatch((await b.get("/today")).text, /waits? to be marked/);
    t.clock.set("2026-11-20T08:00:00Z");
    await book(trainer.token, {
      clientId: client.id,
      start: "2026-11-24T10:00:00+01:00",
    });
    await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-01T08:00:00+01:00",
    });
    t.clock.set(NOW);
    const html = (await b.get("/today")).text;
    assert.match(html, /1 earlier session waits to be marked/);
    assert.match(html, /href="\/history\?status=scheduled"/);
  },
);

dbTest(
  "today's group classes are listed among the sessions by time, and Classes is in the trainer's nav",
  async () => {
    const { trainer, client, b } = await world();
    await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-01T09:30:00+01:00",
      duration: 30,
    });
    const made = await api(t, "POST", "/api/classes", {
      token: trainer.token,
      body: {
        title: "Strength circuit",
        start: "2026-12-01T10:00:00+01:00",
        duration: 60,
        capacity: 6,
      },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-01T12:00:00+01:00",
    });
    const today = await b.get("/today");
    const times = [
      ...today.text.matchAll(
        /<strong class="session-time">(\d\d:\d\d)–/g,
      ),
    ].map((m) => m[1]);
    assert.deepEqual(times, ["09:30", "10:00", "12:00"]);
    assert.match(today.text, /href="\/classes\/[^"]+">Strength circuit</);
    assert.match(today.text, /<nav aria-label="Main">.*href="\/classes"/s);
    const classes = await b.get("/classes");
    assert.match(classes.text, /<a href="\/classes" aria-current="page">/);
  },
);
