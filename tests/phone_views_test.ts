/** Pages a phone user relies on, checked in-process: day tabs, the join link and QR, a new code. */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";

// Tuesday 2026-12-01, 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

/** Each day tab's label and what it says under the date. */
const dayTabs = (html: string) =>
  [...html.matchAll(
    /<a [^>]*hx-get="\/calendar[^"]*day=[^>]*>(\w{3} \d+)<small>([^<]*)<\/small>/g,
  )]
    .map((m) => `${m[1]}: ${m[2]}`);

dbTest(
  "day tabs say how many times are free, or that a day is closed, a holiday or past",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    await t
      .sql`UPDATE trainers SET holidays = '{2026-12-03}' WHERE user_id = ${trainer.id}`;
    const b = await signedIn(client.email);
    const res = await b.get("/calendar?week=2026-11-30&day=2026-12-01");
    assert.deepEqual(dayTabs(res.text), [
      "Mon 30: past",
      "Tue 1: 8 free",
      "Wed 2: 8 free",
      "Thu 3: holiday",
      "Fri 4: 8 free",
      "Sat 5: closed",
      "Sun 6: closed",
    ]);
  },
);

dbTest(
  "past the booking horizon a day tab says when the day opens for booking, JS on or off; a booked-up day says full",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const settings = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...settings.body, horizonDays: 7 },
    });
    // Monday 7 December booked up: two four-hour sessions fill 09:00–17:00.
    for (const start of ["09:00", "13:00"]) {
      const made = await api(t, "POST", "/api/appointments", {
        token: trainer.token,
        body: {
          clientId: client.id,
          start: `2026-12-07T${start}:00+01:00`,
          duration: 240,
        },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
    }
    const expected = [
      "Mon 7: full",
      "Tue 8: 8 free",
      "Wed 9: opens on 2 Dec",
      "Thu 10: opens on 3 Dec",
      "Fri 11: opens on 4 Dec",
      "Sat 12: closed",
      "Sun 13: closed",
    ];
    const b = await signedIn(client.email);
    const off = await b.get("/calendar?week=2026-12-07&day=2026-12-09");
    assert.deepEqual(dayTabs(off.text), expected, "JS off: the full week");
    assert.match(off.text, /10:00–11:00 · Not bookable yet/);
    // A phone with JavaScript fetches only the day it shows; every tab still says it.
    b.cookies.set("spotter_view", "day");
    const phone = await b.get("/calendar?week=2026-12-07&day=2026-12-08", {
      "HX-Request": "true",
    });
    assert.deepEqual(dayTabs(phone.text), expected, "JS on: one day fetched");
    // The trainer's own view knows no horizon.
    const tb = await signedIn(trainer.email);
    const own = await tb.get("/calendar?week=2026-12-07&day=2026-12-09");
    assert.ok(!own.text.includes("opens on"), "no horizon for the trainer");
  },
);

dbTest(
  "the profile offers the join link built from APP_URL, a copy button and its QR code as SVG",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = await signedIn(trainer.email);
    const profile = await b.get("/profile");
    const link = `http://spotter.test/join/${trainer.referralCode}`;
    assert.match(
      profile.text,
      new RegExp(`<input id="join-link"[^>]*value="${link}"`),
    );
    assert.match(profile.text, /x-on:click="copy"[^>]*>Copy link</);
    assert.match(profile.text, /<img src="\/profile\/join-qr.svg\?code=/);
    const qr = await b.get("/profile/join-qr.svg");
    assert.equal(qr.status, 200);
    assert.equal(qr.headers.get("Content-Type"), "image/svg+xml");
    assert.match(
      qr.text,
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^]*<path/,
    );
    const client = await signUpClient(t, trainer.referralCode);
    const asClient = await signedIn(client.email);
    assert.equal((await asClient.get("/profile/join-qr.svg")).status, 403);
  },
);

dbTest(
  "'Make a new code' asks first and says what happens; only the confirmed form changes the code",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = await signedIn(trainer.email);
    const profile = await b.get("/profile");
    assert.match(
      profile.text,
      /<a class="button secondary" href="\/profile\/referral-code"/,
    );
    const ask = await b.get("/profile/referral-code");
    assert.equal(ask.status, 200);
    assert.match(ask.text, /Make a new code\?/);
    assert.match(ask.text, /stop working at once/);
    assert.match(ask.text, new RegExp(trainer.referralCode));
    assert.match(ask.text, /Keep my code/);
    const [before] = await t
      .sql`SELECT referral_code FROM trainers WHERE user_id = ${trainer.id}`;
    assert.equal(
      before.referral_code,
      trainer.referralCode,
      "asking changes nothing",
    );
    const made = await b.post("/profile/referral-code");
    assert.equal(made.status, 303);
    const [after] = await t
      .sql`SELECT referral_code FROM trainers WHERE user_id = ${trainer.id}`;
    assert.notEqual(after.referral_code, trainer.referralCode);
  },
);

dbTest(
  "without JavaScript the sign-up asks for a time zone, common zones first, and says so when none is chosen",
  async () => {
    const b = new Browser(t);
    const form = await b.get("/signup");
    const select = /<select id="f-timezone"[^]*?<\/select>/.exec(form.text)![0];
    const options = [...select.matchAll(/<option value="([^"]*)"/g)].map((m) =>
      m[1]
    );
    assert.equal(options[0], "", "nothing chosen yet");
    assert.equal(options[1], "Europe/London");
    assert.ok(options.indexOf("UTC") < options.indexOf("Africa/Abidjan"));
    assert.equal(new Set(options).size, options.length, "each zone once");
    assert.doesNotMatch(select, /selected/);
    const res = await b.post("/signup", {
      name: "Zoe Zone",
      email: "zoe-zone@example.test",
      password: "password-1",
      timezone: "",
    });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="f-timezone"[^>]*aria-invalid="true"/);
  },
);

dbTest(
  "settings add a break from its first to its last day in one save, and refuse one that ends before it starts",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = await signedIn(trainer.email);
    const form = await b.get("/settings");
    assert.match(form.text, /name="newHolidayTo"/);
    assert.match(form.text, /class="save-bar"/);
    const fields = (extra: Record<string, string>) => ({
      timezone: "Europe/Berlin",
      slotMinutes: "60",
      reminderMinutes: "60",
      "mon.0.start": "09:00",
      "mon.0.end": "17:00",
      ...extra,
    });
    const wrong = await b.post(
      "/settings",
      fields({ newHoliday: "2026-12-27", newHolidayTo: "2026-12-24" }),
    );
    assert.equal(wrong.status, 422);
    assert.match(
      wrong.text,
      /id="f-newHolidayTo-error">must not be before the first day</,
    );
    const saved = await b.post(
      "/settings",
      fields({ newHoliday: "2026-12-24", newHolidayTo: "2026-12-27" }),
    );
    assert.equal(saved.status, 303);
    const [row] = await t.sql`
      SELECT ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(holidays) d ORDER BY d) AS days
      FROM trainers WHERE user_id = ${trainer.id}`;
    assert.deepEqual(row.days, [
      "2026-12-24",
      "2026-12-25",
      "2026-12-26",
      "2026-12-27",
    ]);
    // The break is one row with one Remove, and ticking it removes all its days.
    const page = await b.get("/settings");
    assert.equal(page.text.match(/name="removeHoliday"/g)?.length, 1);
    assert.match(page.text, /Remove Thu 24 Dec – Sun 27 Dec 2026 \(4 days\)/);
    const removed = await b.post(
      "/settings",
      fields({ removeHoliday: "2026-12-24/2026-12-27" }),
    );
    assert.equal(removed.status, 303);
    const [left] = await t.sql`
      SELECT cardinality(holidays) AS n FROM trainers WHERE user_id = ${trainer.id}`;
    assert.equal(left.n, 0);
  },
);

dbTest(
  "the smaller things: a wrong time is answered beside its field, no reason is preselected, one Cancel look and one 'Keep it', no '0 sessions.'",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode, "Pia Client");
    const tr = await signedIn(trainer.email);
    const settings = await tr.get("/settings");
    assert.match(
      settings.text,
      /<form method="post" action="\/settings" class="settings" novalidate>/,
    );
    const wrong = await tr.post("/settings", {
      timezone: "Europe/Berlin",
      slotMinutes: "60",
      reminderMinutes: "60",
      "mon.0.start": "25:00",
      "mon.0.end": "17:00",
    });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /<small class="error">Start [^<]+<\/small>/);

    const empty = await tr.get("/schedule?date=2026-12-05&view=day");
    assert.doesNotMatch(empty.text, /0 sessions\./);
    assert.match(empty.text, /No sessions\./);

    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-02T11:00:00+01:00" },
    });
    assert.equal(booked.status, 201);
    const day = await tr.get("/schedule?date=2026-12-02&view=day");
    assert.match(day.text, /<button type="button" class="danger"[^>]*>Cancel</);
    assert.match(day.text, /Keep it/);
    assert.doesNotMatch(day.text, /Never mind/);

    const c = await signedIn(client.email);
    const mine = await c.get("/appointments");
    assert.match(mine.text, /name="reason" value="sick"/);
    assert.doesNotMatch(mine.text, /name="reason" value="[a-z]+" checked/);
    // An operator's delivery note shows to the trainer, never to the client.
    await tr.post(`/schedule/${booked.body.id}/cancel`, {
      back: "/schedule?date=2026-12-02&view=day",
    });
    const noted = await t.sql`
      UPDATE notifications SET status = 'skipped', error = 'e-mail is not configured'
      WHERE recipient_id = ${client.id} RETURNING id`;
    assert.ok(noted.length > 0);
    assert.match((await c.get("/notifications")).text, /Cancelled/);
    assert.doesNotMatch(
      (await c.get("/notifications")).text,
      /not configured/,
    );
  },
);

dbTest("statistics count one session as '1 session'", async () => {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode, "Uno Client");
  const booked = await api(t, "POST", "/api/appointments", {
    token: client.token,
    body: { start: "2026-12-02T11:00:00+01:00" },
  });
  assert.equal(booked.status, 201);
  const tr = await signedIn(trainer.email);
  const stats = await tr.get("/stats");
  assert.match(stats.text, /of 1 agreed session</);
  assert.doesNotMatch(stats.text, /\b1 sessions\b/);
});
