import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { WEEKDAYS } from "../domain/types.ts";

// Tuesday 2026-12-01, 09:00 in Berlin.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

dbTest(
  "a client sees the trainer's week with free, booked, own and past slots and the zone stated",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const other = await signUpClient(t, trainer.referralCode, "Secret Name");
    await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-01T11:00:00+01:00" },
    });
    await api(t, "POST", "/api/appointments", {
      token: other.token,
      body: { start: "2026-12-01T12:00:00+01:00" },
    });
    const b = await signedIn(client.email);
    const res = await b.get("/calendar");
    assert.equal(res.status, 200);
    assert.match(res.text, /<!DOCTYPE html>/);
    assert.match(res.text, /Europe\/Berlin \(UTC\+01:00\)/);
    assert.match(res.text, /09:00–10:00 · Past/);
    assert.match(res.text, /10:00–11:00 · Free/);
    assert.match(res.text, /11:00–12:00 · Your session/);
    assert.match(res.text, /12:00–13:00 · Booked/);
    assert.ok(
      !res.text.includes("Secret Name"),
      "another client's name never shows",
    );
    assert.equal(res.headers.get("Vary"), "HX-Request, Accept-Encoding");
  },
);

dbTest(
  "week navigation answers a fragment to htmx and the full page otherwise",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const b = await signedIn(client.email);
    const fragment = await b.get("/calendar?week=2026-12-07&day=2026-12-08", {
      "HX-Request": "true",
    });
    assert.equal(fragment.status, 200);
    assert.ok(!fragment.text.includes("<!DOCTYPE html>"));
    assert.match(fragment.text, /^<section id="week"/);
    assert.match(fragment.text, /7 December 2026 – 13 December 2026/);
    assert.match(fragment.text, /aria-current="date"[^>]*>Tue 8/);
    const full = await b.get("/calendar?week=2026-12-07");
    assert.match(full.text, /<!DOCTYPE html>/);
    assert.match(full.text, /Book a session/);
    const bad = await b.get("/calendar?week=not-a-date");
    assert.equal(bad.status, 200, "a bad week falls back to this week");
  },
);

dbTest("holidays and days without hours are marked", async () => {
  const trainer = await signUpTrainer(t);
  const settings = await api(t, "GET", "/api/settings", {
    token: trainer.token,
  });
  await api(t, "PUT", "/api/settings", {
    token: trainer.token,
    body: { ...settings.body, holidays: ["2026-12-02"] },
  });
  const client = await signUpClient(t, trainer.referralCode);
  const b = await signedIn(client.email);
  const res = await b.get("/calendar");
  assert.match(res.text, /Holiday: no sessions/);
  assert.match(res.text, /No working hours/);
});

dbTest(
  "a client books through the confirm step and lands on a confirmation that says what and when",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const b = await signedIn(client.email);
    const start = "2026-12-02T09:00:00Z";
    const confirm = await b.get(`/book?start=${encodeURIComponent(start)}`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /Confirm your booking/);
    assert.match(confirm.text, /Tess Trainer/);
    assert.match(confirm.text, /Wednesday,? 2 December 2026/);
    assert.match(confirm.text, /10:00–11:00 \(60 min\)/);
    const res = await b.post("/book", { start, notes: "Legs please" });
    assert.equal(res.status, 303);
    const location = res.headers.get("Location")!;
    assert.match(location, /^\/appointments\/[0-9a-f-]{36}\?booked=1$/);
    const done = await b.get(location);
    assert.match(done.text, /You(&#39;|')re booked!/);
    assert.match(done.text, /Wednesday,? 2 December 2026/);
    assert.match(done.text, /10:00–11:00 \(60 min\)/);
    assert.match(done.text, /Legs please/);
    assert.match(done.text, /calendar\.ics/);
    const ics = await b.get(location.replace("?booked=1", "/calendar.ics"));
    assert.equal(
      ics.headers.get("Content-Type"),
      "text/calendar; charset=utf-8",
    );
    assert.match(
      ics.text,
      /DTSTART:20261202T090000Z\r\nDTEND:20261202T100000Z/,
    );
  },
);

dbTest(
  "the same confirm form sent twice (a double tap, a retry) books once and shows the booking both times",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const b = await signedIn(client.email);
    const start = "2026-12-02T11:00:00Z";
    const confirm = await b.get(`/book?start=${encodeURIComponent(start)}`);
    const key = /name="key" value="([0-9a-f-]{36})"/.exec(confirm.text)?.[1];
    assert.ok(key, "the confirm form carries a key");
    const again = await b.get(`/book?start=${encodeURIComponent(start)}`);
    assert.doesNotMatch(again.text, new RegExp(key), "a new key each time");

    const first = await b.post("/book", { start, key, notes: "Twice" });
    const second = await b.post("/book", { start, key, notes: "Twice" });
    assert.equal(first.status, 303);
    assert.match(
      first.headers.get("Location")!,
      /^\/appointments\/[0-9a-f-]{36}\?booked=1$/,
    );
    assert.equal(second.headers.get("Location"), first.headers.get("Location"));
    const [{ n }] = await t.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM appointments WHERE client_id = ${client.id}`;
    assert.equal(n, 1);

    // The key belongs to what was sent with it: other input is refused, nothing booked.
    const changed = await b.post("/book", {
      start: "2026-12-02T13:00:00Z",
      key,
    });
    assert.equal(changed.status, 303);
    const week = await b.get(changed.headers.get("Location")!);
    assert.match(week.text, /This form was already sent/);
    const [{ m }] = await t.sql<{ m: number }[]>`
      SELECT count(*)::int AS m FROM appointments WHERE client_id = ${client.id}`;
    assert.equal(m, 1);
  },
);

dbTest(
  "someone else being faster gives a friendly message and the refreshed week, not an error page",
  async () => {
    const trainer = await signUpTrainer(t);
    const fast = await signUpClient(t, trainer.referralCode);
    const slow = await signUpClient(t, trainer.referralCode);
    const start = "2026-12-03T10:00:00+01:00";
    const b = await signedIn(slow.email);
    await b.get(`/book?start=${encodeURIComponent(start)}`);
    await api(t, "POST", "/api/appointments", {
      token: fast.token,
      body: { start },
    });
    const res = await b.post("/book", { start });
    assert.equal(res.status, 303);
    assert.equal(
      res.headers.get("Location"),
      "/calendar?week=2026-12-03&day=2026-12-03",
    );
    const week = await b.get(res.headers.get("Location")!);
    assert.match(week.text, /Someone else just booked that time/);
    assert.match(week.text, /10:00–11:00 · Booked/);
    // With htmx the cell swaps in place, in its new state, with the message.
    const cell = await b.post("/book?cell=1", { start }, {
      "HX-Request": "true",
    });
    assert.equal(cell.status, 200);
    assert.match(cell.text, /slot-booked/);
    assert.match(cell.text, /Someone else just booked that time/);
  },
);

dbTest(
  "with htmx a free cell opens its confirm step in place and booking navigates to the confirmation",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const b = await signedIn(client.email);
    const start = "2026-12-04T09:00:00Z";
    const cell = await b.get(
      `/book?start=${encodeURIComponent(start)}&cell=1`,
      { "HX-Request": "true" },
    );
    assert.match(cell.text, /^<li id="slot-\d+" class="slot slot-confirm">/);
    const res = await b.post("/book?cell=1", { start }, {
      "HX-Request": "true",
    });
    assert.equal(res.status, 204);
    assert.match(
      res.headers.get("HX-Location")!,
      /\/appointments\/[0-9a-f-]{36}\?booked=1/,
    );
    const back = await b.get(
      `/calendar/cell?start=${encodeURIComponent(start)}`,
      { "HX-Request": "true" },
    );
    assert.match(back.text, /Your session/);
  },
);

dbTest(
  "My appointments lists upcoming and history, and a client cancels with a reason",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-07T10:00:00+01:00" },
    });
    const b = await signedIn(client.email);
    const upcoming = await b.get("/appointments");
    assert.match(upcoming.text, /Monday,? 7 December 2026/);
    assert.match(upcoming.text, /<dialog/);
    const cancelPage = await b.get(`/appointments/${booked.body.id}/cancel`);
    assert.match(cancelPage.text, /Why are you cancelling/);
    const res = await b.post(`/appointments/${booked.body.id}/cancel`, {
      reason: "schedule",
      details: "Work trip",
    });
    assert.equal(res.status, 303);
    const history = await b.get(res.headers.get("Location")!);
    assert.match(
      history.text,
      /Cancelled your session on Monday,? 7 December 2026 at 10:00/,
    );
    assert.match(history.text, /Reason: Schedule conflict: Work trip/);
    const again = await b.post(`/appointments/${booked.body.id}/cancel`, {
      reason: "sick",
    });
    assert.equal(again.status, 303);
    assert.match(
      (await b.get(again.headers.get("Location")!)).text,
      /already cancelled/,
    );
    const stored = await api(t, "GET", `/api/appointments/${booked.body.id}`, {
      token: trainer.token,
    });
    assert.equal(
      stored.body.cancellationReason,
      "Schedule conflict: Work trip",
    );
  },
);

dbTest(
  "pages refuse the wrong role and other people's appointments",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const other = await signUpClient(t, trainer.referralCode);
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-08T10:00:00+01:00" },
    });
    const tb = await signedIn(trainer.email);
    assert.equal((await tb.get("/appointments")).status, 403);
    assert.equal(
      (await tb.get("/book?start=2026-12-08T10:00:00Z")).status,
      403,
    );
    const ob = await signedIn(other.email);
    assert.equal((await ob.get(`/appointments/${booked.body.id}`)).status, 404);
    assert.equal(
      (await ob.post(`/appointments/${booked.body.id}/cancel`, {
        reason: "sick",
      })).status,
      404,
    );
    assert.equal(
      (await ob.get(`/appointments/${booked.body.id}/calendar.ics`)).status,
      404,
    );
    const anon = new Browser(t);
    const res = await anon.get("/calendar");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("Location"), "/signin?next=%2Fcalendar");
  },
);

dbTest("a trainer's calendar names the client on booked cells", async () => {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode, "Visible Name");
  await api(t, "POST", "/api/appointments", {
    token: client.token,
    body: { start: "2026-12-01T14:00:00+01:00" },
  });
  const b = await signedIn(trainer.email);
  const res = await b.get("/calendar");
  assert.match(res.text, /14:00–15:00 · Visible Name/);
  assert.match(res.text, /Your calendar/);
});

dbTest(
  "a single cell answers in the viewer's terms: the trainer sees the name, another client just 'Booked'",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode, "Cell Owner");
    const other = await signUpClient(t, trainer.referralCode);
    const start = "2026-12-09T09:00:00Z";
    await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start },
    });
    const path = `/calendar/cell?start=${encodeURIComponent(start)}`;
    const tb = await signedIn(trainer.email);
    assert.match(
      (await tb.get(path, { "HX-Request": "true" })).text,
      /10:00–11:00 · Cell Owner/,
    );
    const ob = await signedIn(other.email);
    const cell = (await ob.get(path, { "HX-Request": "true" })).text;
    assert.match(cell, /10:00–11:00 · Booked/);
    assert.ok(!cell.includes("Cell Owner"));
  },
);

dbTest(
  "a trainer's free cell leads to a new-session form prefilled with that date and time",
  async () => {
    const trainer = await signUpTrainer(t);
    await signUpClient(t, trainer.referralCode);
    const b = await signedIn(trainer.email);
    const week = await b.get("/calendar?week=2026-12-07");
    assert.match(
      week.text,
      /href="\/schedule\?date=2026-12-07&amp;time=09:00#new-session"[^>]*>09:00–10:00 · Free/,
    );
    const form = await b.get("/schedule?date=2026-12-07&time=09:00");
    assert.match(form.text, /name="time" type="time" value="09:00"/);
    assert.match(form.text, /name="date" type="date" value="2026-12-07"/);
    const bad = await b.get("/schedule?date=2026-12-07&time=99:99");
    assert.doesNotMatch(bad.text, /value="99:99"/);
  },
);

/** Runs `fn` with the app's clock at `iso`, then puts it back. */
async function at(iso: string, fn: () => Promise<void>) {
  const before = t.clock.current;
  t.clock.set(iso);
  try {
    await fn();
  } finally {
    t.clock.current = before;
  }
}

const selectedDay = (html: string) =>
  /aria-current="date"[^>]*>([^<]+)</.exec(html)?.[1];

dbTest(
  "a client opens on the first day with a free slot: tomorrow once today's slots have passed",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const b = await signedIn(client.email);
    await at("2026-12-01T08:00:00Z", async () => {
      assert.equal(selectedDay((await b.get("/calendar")).text), "Tue 1");
    });
    // 18:30 in Berlin: Tuesday's last slot (16:00–17:00) is over.
    await at("2026-12-01T17:30:00Z", async () => {
      const res = await b.get("/calendar");
      assert.match(res.text, /30 November 2026 – 6 December 2026/);
      assert.equal(selectedDay(res.text), "Wed 2");
    });
    // Asking for a day still shows that day, free slots or not.
    await at("2026-12-01T17:30:00Z", async () => {
      const res = await b.get("/calendar?week=2026-11-30&day=2026-12-01");
      assert.equal(selectedDay(res.text), "Tue 1");
    });
  },
);

dbTest(
  "on Friday evening a client opens on next week's first free day; with no hours at all, on this week",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const b = await signedIn(client.email);
    // Friday 4 December, 19:00 in Berlin: nothing is left this week (weekends are off).
    await at("2026-12-04T18:00:00Z", async () => {
      const res = await b.get("/calendar");
      assert.match(res.text, /7 December 2026 – 13 December 2026/);
      assert.equal(selectedDay(res.text), "Mon 7");
    });
    const settings = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    const none = Object.fromEntries(WEEKDAYS.map((day) => [day, []]));
    const put = await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...settings.body, workingHours: none },
    });
    assert.equal(put.status, 200);
    await at("2026-12-04T18:00:00Z", async () => {
      const res = await b.get("/calendar");
      assert.match(res.text, /30 November 2026 – 6 December 2026/);
      assert.equal(selectedDay(res.text), "Fri 4");
    });
  },
);

dbTest(
  "on a Sunday evening the trainer's calendar opens on next week, not a week of past slots; it and the schedule say their jobs",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = await signedIn(trainer.email);
    // Wednesday: this week still has slots ahead.
    await at("2026-12-02T08:00:00Z", async () => {
      const res = await b.get("/calendar");
      assert.match(res.text, /30 November 2026 – 6 December 2026/);
      assert.equal(selectedDay(res.text), "Wed 2");
    });
    // Sunday 6 December, 20:00 in Berlin.
    await at("2026-12-06T19:00:00Z", async () => {
      const res = await b.get("/calendar");
      assert.match(res.text, /7 December 2026 – 13 December 2026/);
      assert.equal(selectedDay(res.text), "Mon 7");
      assert.doesNotMatch(res.text, /· Past/);
      assert.match(res.text, /pick a free one to book a\s+client/);
      assert.match(res.text, /href="\/schedule"/);
      // A week asked for is that week, past or not.
      const asked = await b.get("/calendar?week=2026-11-30");
      assert.match(asked.text, /30 November 2026 – 6 December 2026/);
      const schedule = await b.get("/schedule");
      assert.match(schedule.text, /confirm, complete, move or\s+cancel/);
      assert.match(schedule.text, /href="\/calendar"/);
    });
  },
);

dbTest(
  "a phone that shows one day at a time gets that day's slots only, with every day's tab",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const b = await signedIn(client.email);
    const path = "/calendar?week=2026-12-07&day=2026-12-09";
    const week = await b.get(path, { "HX-Request": "true" });
    assert.equal(week.text.match(/<div class="day/g)?.length, 7);
    assert.match(week.text, /data-days="7"/);
    b.cookies.set("spotter_view", "day");
    const day = await b.get(path, { "HX-Request": "true" });
    assert.equal(day.text.match(/<div class="day/g)?.length, 1);
    assert.match(day.text, /data-days="1"/);
    assert.match(day.text, /<div class="day selected"><h3>Wed 9 Dec<\/h3>/);
    // The tabs still say what every day holds.
    assert.equal(day.text.match(/<small>\d+ free<\/small>/g)?.length, 5);
    assert.ok(
      day.text.length * 2 < week.text.length,
      "less than half the week",
    );
    // Anything else in the cookie is the whole week.
    b.cookies.set("spotter_view", "days");
    const other = await b.get(path, { "HX-Request": "true" });
    assert.equal(other.text.match(/<div class="day/g)?.length, 7);
  },
);
