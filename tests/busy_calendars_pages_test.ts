import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { startFakeCalendar } from "./helpers/fake_calendar.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const t = await testApp({
  now: "2026-12-01T08:00:00Z",
  env: { CALENDARS_ALLOW_PRIVATE: "1" },
});
// Wednesday 10:30–11:00 Berlin.
const server = startFakeCalendar(
  [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Apple Inc.//macOS 15.1//EN",
    "BEGIN:VEVENT",
    "UID:dentist@icloud.com",
    "DTSTAMP:20261130T120000Z",
    "DTSTART:20261202T093000Z",
    "DTEND:20261202T100000Z",
    "SUMMARY:Dentist <Dr. Who>",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n"),
);

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

const flashOf = async (b: Browser, res: { headers: Headers }) => {
  const to = res.headers.get("Location")!;
  return (await b.get(to)).text;
};

dbTest(
  "a trainer adds, syncs and removes a calendar on the settings page; the calendar shows Busy with the title to them and only Booked to clients",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const tb = await signedIn(trainer.email);
    const cb = await signedIn(client.email);

    const settings = await tb.get("/settings");
    assert.match(settings.text, /Your other calendars/);
    assert.match(settings.text, /Secret address in iCal format/);
    assert.match(settings.text, /Public Calendar/);
    assert.match(settings.text, /Publish a calendar/);

    const added = await tb.post("/settings/calendars", {
      url: server.url(),
      name: "Home",
    });
    assert.equal(added.status, 303);
    assert.match(await flashOf(tb, added), /Added Home: 1 busy time/);
    const listed = await tb.get("/settings");
    assert.match(listed.text, /In sync: 1 busy time in the coming year/);
    assert.match(
      listed.text,
      /Last synced Tuesday, 1 December 2026 at 09:00|Last synced .*09:00/,
    );
    const id =
      /\/settings\/calendars\/([0-9a-f-]{36})\/sync/.exec(listed.text)![1];

    const week = await tb.get("/calendar?week=2026-11-30&day=2026-12-02");
    assert.match(week.text, /10:00–11:00 · Busy · Dentist &lt;Dr. Who&gt;/);
    const clientWeek = await cb.get("/calendar?week=2026-11-30&day=2026-12-02");
    assert.match(clientWeek.text, /10:00–11:00 · Booked/);
    assert.doesNotMatch(clientWeek.text, /Dentist/);
    // A client cannot reach the booking screen for it either.
    const book = await cb.get(
      `/book?start=${encodeURIComponent("2026-12-02T09:00:00Z")}`,
    );
    assert.equal(book.status, 303);
    assert.equal(book.headers.get("Location"), "/calendar");

    // The trainer may book over it, and is told what it overlaps.
    const booked = await tb.post("/schedule", {
      clientId: client.id,
      date: "2026-12-02",
      time: "10:00",
      duration: "60",
      notes: "",
    });
    assert.equal(booked.status, 303, booked.text);
    assert.match(
      await flashOf(tb, booked),
      /overlaps “Dentist &lt;Dr. Who&gt;” in your other calendars/,
    );

    server.failWith = 404;
    try {
      const sync = await tb.post(`/settings/calendars/${id}/sync`);
      assert.match(
        await flashOf(tb, sync),
        /Home is not in sync: The calendar&#39;s server refused/,
      );
      assert.match((await tb.get("/settings")).text, /Not in sync: /);
    } finally {
      server.failWith = undefined;
    }
    assert.match(
      await flashOf(tb, await tb.post(`/settings/calendars/${id}/sync`)),
      /Home is in sync/,
    );

    // Another trainer cannot remove it; its owner can, and the busy time goes at once.
    const other = await signUpTrainer(t);
    const ob = await signedIn(other.email);
    assert.match(
      await flashOf(ob, await ob.post(`/settings/calendars/${id}/delete`)),
      /not found/,
    );
    const gone = await tb.post(`/settings/calendars/${id}/delete`);
    assert.match(await flashOf(tb, gone), /Calendar removed/);
    assert.doesNotMatch(
      (await tb.get("/calendar?week=2026-11-30&day=2026-12-02")).text,
      /Busy ·/,
    );
    // Clients have no such forms.
    assert.equal(
      (await cb.post("/settings/calendars", { url: server.url() })).status,
      403,
    );
  },
);

dbTest(
  "a bad address on the settings form says what is wrong and adds nothing",
  async () => {
    const trainer = await signUpTrainer(t);
    const tb = await signedIn(trainer.email);
    const res = await tb.post("/settings/calendars", {
      url: "ftp://example.com/x.ics",
    });
    assert.match(
      await flashOf(tb, res),
      /must be an https:, http: or webcal: address/,
    );
    assert.doesNotMatch((await tb.get("/settings")).text, /Sync now/);
  },
);

dbTest("the fake calendar server stops", async () => {
  await server.close();
});
