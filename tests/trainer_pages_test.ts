import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const NOW = "2026-12-01T08:00:00Z";
const t = await testApp({ now: NOW });

async function world() {
  t.clock.set(NOW);
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode, "Own Client");
  const sibling = await signUpClient(t, trainer.referralCode, "Other Client");
  const otherTrainer = await signUpTrainer(t);
  const stranger = await signUpClient(t, otherTrainer.referralCode, "Stranger");
  const b = new Browser(t);
  const signIn = await b.post("/signin", {
    email: trainer.email,
    password: "password-1",
  });
  assert.equal(signIn.status, 303);
  return { trainer, client, sibling, otherTrainer, stranger, b };
}

/** A trainer's booking through the API (any length, any time in the future). */
async function bookAs(
  token: string,
  clientId: string,
  start: string,
  duration = 60,
) {
  const res = await api(t, "POST", "/api/appointments", {
    token,
    body: { clientId, start, duration },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

const getAppointment = (token: string, id: string) =>
  api(t, "GET", `/api/appointments/${id}`, { token });

async function countAppointments(trainerId: string) {
  const [row] = await t.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM appointments WHERE trainer_id = ${trainerId}`;
  return row.n;
}

/** Follows a 303 and returns the next page. */
async function follow(
  b: Browser,
  res: { status: number; headers: Headers },
) {
  assert.equal(res.status, 303);
  return await b.get(res.headers.get("Location")!);
}

const decode = (s: string) =>
  s.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">").replaceAll("&amp;", "&");

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
    out[m[1]] = decode(m[2]);
  }
  return out;
}

/** What a browser without JavaScript would post from the form with `action`. */
function formFields(html: string, action: string): Record<string, string[]> {
  const start = html.indexOf(`action="${action}"`);
  assert.ok(start >= 0, `no form posting to ${action}`);
  const form = html.slice(start, html.indexOf("</form>", start));
  const fields: Record<string, string[]> = {};
  const add = (name: string, value: string) =>
    (fields[name] ??= []).push(value);
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const a = attrs(tag);
    if (!a.name) continue;
    if (a.type === "checkbox" && !/\schecked/.test(tag)) continue;
    add(a.name, a.value ?? "on");
  }
  for (const m of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attrs(m[1]).name;
    const chosen = [...m[2].matchAll(/<option\b[^>]*>/g)]
      .find(([o]) => /\sselected/.test(o));
    if (name && chosen) add(name, attrs(chosen[0]).value);
  }
  for (
    const m of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)
  ) {
    add(attrs(m[1]).name, decode(m[2]));
  }
  return fields;
}

/** Posts a form as URL-encoded pairs, repeated names included. */
async function postFields(
  b: Browser,
  path: string,
  fields: Record<string, string[]>,
) {
  const body = new URLSearchParams();
  for (const [name, values] of Object.entries(fields)) {
    for (const v of values) body.append(name, v);
  }
  if (!body.has("_csrf")) body.set("_csrf", await b.csrfToken());
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await t.app.request(path, {
    method: "POST",
    headers: {
      Cookie: cookie,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: body.toString(),
    redirect: "manual",
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A full settings form with the defaults of a new trainer, to be overridden. */
function settingsForm(extra: Record<string, string> = {}) {
  return {
    timezone: "Europe/Berlin",
    slotMinutes: "60",
    "mon.0.start": "09:00",
    "mon.0.end": "17:00",
    reminderMinutes: "120",
    remindersEnabled: "on",
    ...extra,
  };
}

dbTest(
  "the settings form saves valid input and says so",
  async () => {
    const { trainer, b } = await world();
    const page = await b.get("/settings");
    assert.equal(page.status, 200);
    assert.match(page.text, /<option value="Europe\/Berlin" selected/);
    assert.match(page.text, /<option value="Pacific\/Chatham"/);
    const res = await b.post(
      "/settings",
      settingsForm({
        timezone: "America/New_York",
        slotMinutes: "45",
        "wed.0.start": "07:00",
        "wed.0.end": "24:00",
        reminderMinutes: "60",
        requiresConfirmation: "on",
        newHoliday: "2026-12-24",
      }),
    );
    assert.equal(res.headers.get("Location"), "/settings");
    const after = await follow(b, res);
    assert.match(after.text, /Settings saved\./);
    const saved = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.deepEqual(saved.body, {
      timezone: "America/New_York",
      slotMinutes: 45,
      workingHours: {
        mon: [{ start: "09:00", end: "17:00" }],
        tue: [],
        wed: [{ start: "07:00", end: "24:00" }],
        thu: [],
        fri: [],
        sat: [],
        sun: [],
      },
      holidays: ["2026-12-24"],
      remindersEnabled: true,
      reminderMinutes: 60,
      requiresConfirmation: true,
      // Left unticked: clients book without a credit.
      requireCredit: false,
      // Booking policies the form did not touch keep their defaults.
      minNoticeMinutes: 0,
      horizonDays: null,
      bufferMinutes: 0,
      cancelNoticeMinutes: 0,
    });
  },
);

dbTest(
  "the settings form answers 422 with a message next to each bad field and keeps what was typed",
  async () => {
    const { trainer, b } = await world();
    const before = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    const res = await b.post(
      "/settings",
      settingsForm({
        slotMinutes: "42",
        "tue.0.start": "09:00",
        "tue.0.end": "12:00",
        "tue.1.start": "11:00",
        "tue.1.end": "13:00",
        "thu.0.start": "18:00",
        "thu.0.end": "08:00",
        newHoliday: "2026-02-30",
        reminderMinutes: "soon",
      }),
    );
    assert.equal(res.status, 422);
    assert.match(res.text, /Nothing was saved/);
    assert.match(
      res.text,
      /id="f-slotMinutes-error">must be a whole number from 15 to 90 that divides by 5</,
    );
    assert.match(res.text, /Start overlaps 09:00–12:00\./);
    assert.match(res.text, /End must be after the start\./);
    assert.match(
      res.text,
      /id="f-newHoliday-error">&quot;2026-02-30&quot; is not a date YYYY-MM-DD</,
    );
    assert.match(
      res.text,
      /id="f-reminderMinutes-error">must be a whole number of minutes from 15 to 2880</,
    );
    // What was typed comes back, in the rows where it was typed.
    assert.match(res.text, /name="slotMinutes"[^>]*value="42"/);
    assert.match(res.text, /name="tue\.1\.start" value="11:00"/);
    assert.match(res.text, /name="thu\.0\.start" value="18:00"/);
    assert.match(res.text, /name="newHoliday"[^>]*value="2026-02-30"/);
    assert.match(res.text, /name="reminderMinutes"[^>]*value="soon"/);
    const after = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.deepEqual(after.body, before.body);
  },
);

dbTest(
  "the settings form round-trips several ranges a day and holidays, and clearing a row removes it",
  async () => {
    const { trainer, b } = await world();
    const saved = await b.post(
      "/settings",
      settingsForm({
        "tue.0.start": "13:00",
        "tue.0.end": "18:00",
        "tue.1.start": "07:00",
        "tue.1.end": "12:00",
        "tue.2.start": "19:00",
        "tue.2.end": "21:00",
        newHoliday: "2026-12-25",
      }),
    );
    assert.equal(saved.status, 303);
    // A second holiday added on the page as served.
    const withHoliday = formFields(
      (await b.get("/settings")).text,
      "/settings",
    );
    withHoliday.newHoliday = ["2026-12-24"];
    assert.equal((await postFields(b, "/settings", withHoliday)).status, 303);
    // The page as served, posted back unchanged, changes nothing.
    const page = await b.get("/settings");
    assert.match(page.text, /name="tue\.0\.start" value="13:00"/);
    assert.match(page.text, /name="tue\.2\.end" value="21:00"/);
    // Two spare rows per day without JavaScript.
    assert.match(page.text, /name="tue\.4\.start" value=""/);
    assert.doesNotMatch(page.text, /name="tue\.5\.start"/);
    const fields = formFields(page.text, "/settings");
    const again = await postFields(b, "/settings", fields);
    assert.equal(again.status, 303);
    const settings = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.deepEqual(settings.body.workingHours.tue, [
      { start: "13:00", end: "18:00" },
      { start: "07:00", end: "12:00" },
      { start: "19:00", end: "21:00" },
    ]);
    assert.deepEqual(settings.body.holidays, ["2026-12-24", "2026-12-25"]);

    // Clear the middle range, tick one holiday for removal.
    const edited = formFields((await b.get("/settings")).text, "/settings");
    edited["tue.1.start"] = [""];
    edited["tue.1.end"] = [""];
    edited.removeHoliday = ["2026-12-24"];
    assert.equal((await postFields(b, "/settings", edited)).status, 303);
    const after = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.deepEqual(after.body.workingHours.tue, [
      { start: "13:00", end: "18:00" },
      { start: "19:00", end: "21:00" },
    ]);
    assert.deepEqual(after.body.holidays, ["2026-12-25"]);
    assert.deepEqual(after.body.workingHours.mon, [{
      start: "09:00",
      end: "17:00",
    }]);
  },
);

dbTest("a client gets 403 on each trainer page", async () => {
  const { trainer, client } = await world();
  const id = await bookAs(
    trainer.token,
    client.id,
    "2026-12-02T10:00:00+01:00",
  );
  const b = new Browser(t);
  await b.post("/signin", { email: client.email, password: "password-1" });
  for (
    const path of [
      "/settings",
      "/schedule",
      "/schedule?date=2026-12-02&view=week",
      `/schedule/${id}/edit`,
      `/schedule/${id}/cancel`,
      `/schedule/${id}/delete`,
      "/clients",
      `/clients/${client.id}`,
      "/stats",
    ]
  ) {
    const res = await b.get(path);
    assert.equal(res.status, 403, path);
    assert.match(res.text, /Not allowed/);
  }
  for (
    const path of [
      "/settings",
      "/schedule",
      `/schedule/${id}/edit`,
      `/schedule/${id}/cancel`,
      `/schedule/${id}/complete`,
      `/schedule/${id}/confirm`,
      `/schedule/${id}/delete`,
      `/clients/${client.id}`,
    ]
  ) {
    assert.equal((await b.post(path, {})).status, 403, path);
  }
  assert.equal(
    (await getAppointment(trainer.token, id)).body.status,
    "scheduled",
  );
  // Signed out: off to sign in.
  const anonymous = await new Browser(t).get("/schedule");
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.headers.get("Location"), "/signin?next=%2Fschedule");
});

dbTest(
  "the schedule shows the day's sessions with client names at local times in the trainer's zone",
  async () => {
    const { trainer, client, sibling, b } = await world();
    await bookAs(trainer.token, client.id, "2026-12-02T09:00:00Z");
    // 23:30 UTC on the 2nd is 00:30 on the 3rd in Berlin.
    await bookAs(trainer.token, sibling.id, "2026-12-02T23:30:00Z", 45);
    const day = await b.get("/schedule?date=2026-12-02&view=day");
    assert.equal(day.status, 200);
    assert.match(day.text, /Wednesday, 2 December 2026/);
    assert.match(day.text, /Europe\/Berlin \(UTC\+01:00\)/);
    assert.match(day.text, /10:00–11:00/);
    assert.match(day.text, /Own Client/);
    assert.match(day.text, /60 min/);
    assert.match(day.text, /badge-booked/);
    assert.doesNotMatch(day.text, /Other Client <span/);
    assert.match(day.text, /href="\/schedule\?date=2026-12-01&amp;view=day"/);
    assert.match(day.text, /href="\/schedule\?date=2026-12-03&amp;view=day"/);

    const next = await b.get("/schedule?date=2026-12-03&view=day");
    assert.match(next.text, /00:30–01:15/);
    assert.match(next.text, /Other Client/);

    const week = await b.get("/schedule?date=2026-12-03&view=week");
    assert.match(week.text, /Week of Monday, 30 November 2026/);
    assert.match(week.text, /Own Client[\s\S]*Other Client/);
    assert.match(week.text, /2 sessions\./);

    // htmx gets the agenda alone, and caches are told the answer varies.
    const swap = await b.get("/schedule?date=2026-12-02&view=day", {
      "HX-Request": "true",
    });
    assert.equal(swap.status, 200);
    assert.match(swap.text, /^<section id="agenda"/);
    assert.doesNotMatch(swap.text, /<html/);
    assert.match(swap.headers.get("Vary") ?? "", /HX-Request/);
    // ...and the new-session form's date follows the day swapped in.
    assert.match(
      swap.text,
      /<input id="f-date" name="date" type="date" value="2026-12-02" required data-hx-swap-oob="true">/,
    );
    const full = await b.get("/schedule?date=2026-12-02&view=day");
    assert.equal(full.text.match(/id="f-date"/g)?.length, 1);
    assert.doesNotMatch(full.text, /hx-swap-oob/);

    // Without a date: today in the trainer's zone.
    const today = await b.get("/schedule");
    assert.match(today.text, /Tuesday, 1 December 2026/);
    assert.match(today.text, /No sessions\./);
  },
);

dbTest(
  "a session is created through the form, also outside working hours",
  async () => {
    const { trainer, client, b } = await world();
    const page = await b.get("/schedule");
    assert.match(page.text, /<option value="[^"]+"\s*>Own Client<\/option>/);
    const res = await b.post("/schedule", {
      clientId: client.id,
      date: "2026-12-05",
      time: "20:00",
      duration: "90",
      notes: "Saturday evening special",
    });
    assert.equal(
      res.headers.get("Location"),
      "/schedule?date=2026-12-05&view=day",
    );
    const after = await follow(b, res);
    assert.match(
      after.text,
      /Session booked with Own Client on Saturday,? 5 December 2026 at 20:00\./,
    );
    assert.match(after.text, /20:00–21:30/);
    assert.match(after.text, /Saturday evening special/);
    const list = await api(
      t,
      "GET",
      "/api/appointments?from=2026-12-05&to=2026-12-05",
      {
        token: trainer.token,
      },
    );
    assert.equal(list.body.appointments.length, 1);
    const [a] = list.body.appointments;
    assert.equal(a.start, "2026-12-05T20:00:00+01:00");
    assert.equal(a.duration, 90);
    assert.equal(a.status, "scheduled");
    assert.equal(a.clientId, client.id);
  },
);

dbTest(
  "an overlapping, past or invalid session is refused with a message and nothing is written",
  async () => {
    const { trainer, client, sibling, stranger, b } = await world();
    await bookAs(trainer.token, client.id, "2026-12-02T10:00:00+01:00");
    const count = await countAppointments(trainer.id);
    const overlap = await b.post("/schedule", {
      clientId: sibling.id,
      date: "2026-12-02",
      time: "10:30",
      duration: "60",
      notes: "",
    });
    assert.equal(overlap.status, 409);
    assert.match(overlap.text, /overlaps another session/);
    // The form keeps what was typed.
    assert.match(overlap.text, /name="time" type="time" value="10:30"/);
    assert.match(
      overlap.text,
      new RegExp(`<option value="${sibling.id}" selected`),
    );

    const past = await b.post("/schedule", {
      clientId: sibling.id,
      date: "2026-12-01",
      time: "08:00",
      duration: "60",
    });
    assert.equal(past.status, 422);
    assert.match(past.text, /is in the past/);

    const invalid = await b.post("/schedule", {
      clientId: stranger.id,
      date: "2026-13-01",
      time: "25:00",
      duration: "17",
    });
    assert.equal(invalid.status, 422);
    assert.match(invalid.text, /is not one of your clients/);
    assert.match(invalid.text, /must be a real date/);
    assert.match(invalid.text, /must be a time HH:MM/);
    assert.match(invalid.text, /from 15 to 240 that divides by 5/);

    const noClient = await b.post("/schedule", {
      clientId: "not-a-uuid",
      date: "2026-12-09",
      time: "10:00",
      duration: "60",
    });
    assert.equal(noClient.status, 422);
    assert.match(noClient.text, /is not one of your clients/);

    // A year the database cannot store is a wrong date, not a failed request.
    const yearZero = await b.post("/schedule", {
      clientId: client.id,
      date: "0000-01-01",
      time: "10:00",
      duration: "60",
    });
    assert.equal(yearZero.status, 422);
    assert.match(yearZero.text, /must be a real date/);
    const shown = await b.get("/schedule?date=0000-01-01");
    assert.equal(shown.status, 200);
    assert.match(shown.text, /Tuesday, 1 December 2026/);
    assert.equal(await countAppointments(trainer.id), count);
  },
);

dbTest(
  "a session is moved through its edit page, never onto another",
  async () => {
    const { trainer, client, sibling, b } = await world();
    const id = await bookAs(
      trainer.token,
      client.id,
      "2026-12-02T10:00:00+01:00",
    );
    await bookAs(trainer.token, sibling.id, "2026-12-02T14:00:00+01:00");
    const page = await b.get(`/schedule/${id}/edit`);
    assert.equal(page.status, 200);
    assert.match(page.text, /name="date" type="date" value="2026-12-02"/);
    assert.match(page.text, /name="time" type="time" value="10:00"/);
    assert.match(page.text, /name="duration" type="number" value="60"/);

    const clash = await b.post(`/schedule/${id}/edit`, {
      date: "2026-12-02",
      time: "13:30",
      duration: "60",
      notes: "",
    });
    assert.equal(clash.status, 409);
    assert.match(clash.text, /overlaps another session/);
    assert.equal(
      (await getAppointment(trainer.token, id)).body.start,
      "2026-12-02T10:00:00+01:00",
    );

    const res = await b.post(`/schedule/${id}/edit`, {
      date: "2026-12-03",
      time: "18:30",
      duration: "45",
      notes: "Moved to the evening",
    });
    assert.equal(
      res.headers.get("Location"),
      "/schedule?date=2026-12-03&view=day",
    );
    const after = await follow(b, res);
    assert.match(after.text, /moved to Thursday, 3 December 2026 at 18:30/);
    const a = (await getAppointment(trainer.token, id)).body;
    assert.equal(a.start, "2026-12-03T18:30:00+01:00");
    assert.equal(a.duration, 45);
    assert.equal(a.notes, "Moved to the evening");
  },
);

dbTest("a session is cancelled with a reason", async () => {
  const { trainer, client, b } = await world();
  const id = await bookAs(
    trainer.token,
    client.id,
    "2026-12-02T10:00:00+01:00",
  );
  const agenda = await b.get("/schedule?date=2026-12-02&view=week");
  assert.match(agenda.text, new RegExp(`href="/schedule/${id}/cancel\\?back=`));
  const confirm = await b.get(`/schedule/${id}/cancel`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.text, /Cancel this session\?/);
  assert.match(confirm.text, /name="reason"/);

  const tooLong = await b.post(`/schedule/${id}/cancel`, {
    reason: "x".repeat(501),
  });
  assert.equal(tooLong.status, 422);
  assert.match(tooLong.text, /must be at most 500 characters/);
  assert.equal(
    (await getAppointment(trainer.token, id)).body.status,
    "scheduled",
  );

  const res = await b.post(`/schedule/${id}/cancel`, {
    reason: "Trainer is ill",
    back: "/schedule?date=2026-12-02&view=week",
  });
  assert.equal(
    res.headers.get("Location"),
    "/schedule?date=2026-12-02&view=week",
  );
  const after = await follow(b, res);
  assert.match(after.text, /Session with Own Client cancelled\./);
  assert.match(after.text, /Cancelled by you: Trainer is ill/);
  const a = (await getAppointment(trainer.token, id)).body;
  assert.equal(a.status, "cancelled");
  assert.equal(a.cancellationReason, "Trainer is ill");

  // An outside address in `back` is ignored.
  const twice = await b.post(`/schedule/${id}/cancel`, {
    back: "https://evil.example/",
  });
  assert.equal(
    twice.headers.get("Location"),
    "/schedule?date=2026-12-02&view=day",
  );
  assert.match((await follow(b, twice)).text, /already cancelled/);
});

dbTest(
  "a session is marked completed only once it has started",
  async () => {
    const { trainer, client, b } = await world();
    const id = await bookAs(
      trainer.token,
      client.id,
      "2026-12-01T10:00:00+01:00",
    );
    const before = await b.get("/schedule");
    assert.doesNotMatch(before.text, /Mark completed/);
    const early = await b.post(`/schedule/${id}/complete`);
    assert.match(
      (await follow(b, early)).text,
      /A session can be completed only once it has started\./,
    );
    assert.equal(
      (await getAppointment(trainer.token, id)).body.status,
      "scheduled",
    );

    t.clock.set("2026-12-01T09:15:00Z");
    const during = await b.get("/schedule");
    assert.match(during.text, new RegExp(`action="/schedule/${id}/complete"`));
    const res = await b.post(`/schedule/${id}/complete`, {
      back: "/schedule?date=2026-12-01&view=day",
    });
    assert.match((await follow(b, res)).text, /marked completed/);
    assert.equal(
      (await getAppointment(trainer.token, id)).body.status,
      "completed",
    );
    t.clock.set(NOW);
  },
);

dbTest("a pending request is confirmed from the schedule", async () => {
  const { trainer, client, b } = await world();
  await b.post(
    "/settings",
    settingsForm({
      "wed.0.start": "09:00",
      "wed.0.end": "17:00",
      requiresConfirmation: "on",
    }),
  );
  const booked = await api(t, "POST", "/api/appointments", {
    token: client.token,
    body: { start: "2026-12-02T11:00:00+01:00" },
  });
  assert.equal(booked.body.status, "pending");
  const id = booked.body.id;
  const agenda = await b.get("/schedule?date=2026-12-02");
  assert.match(agenda.text, /badge-waiting/);
  assert.match(agenda.text, new RegExp(`action="/schedule/${id}/confirm"`));
  const res = await b.post(`/schedule/${id}/confirm`);
  assert.match(
    (await follow(b, res)).text,
    /Session with Own Client confirmed\./,
  );
  assert.equal(
    (await getAppointment(trainer.token, id)).body.status,
    "scheduled",
  );
  const again = await b.post(`/schedule/${id}/confirm`);
  assert.match((await follow(b, again)).text, /not waiting for confirmation/);
});

dbTest(
  "a session the client knows about is cancelled, not deleted, until it is over",
  async () => {
    const { trainer, client, b } = await world();
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-02T10:00:00+01:00" },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    const id = booked.body.id as string;
    const refused = await b.post(`/schedule/${id}/delete`);
    assert.match((await follow(b, refused)).text, /Cancel it instead/);
    assert.equal(
      (await getAppointment(trainer.token, id)).body.status,
      "scheduled",
    );
    // Once it is over, nobody waits for it any more.
    t.clock.set("2026-12-02T10:00:00Z");
    const deleted = await b.post(`/schedule/${id}/delete`);
    assert.match(
      (await follow(b, deleted)).text,
      /Session with Own Client deleted\./,
    );
    assert.equal((await getAppointment(trainer.token, id)).status, 404);
  },
);

dbTest("a cancelled session can be deleted", async () => {
  const { trainer, client, b } = await world();
  const booked = await api(t, "POST", "/api/appointments", {
    token: client.token,
    body: { start: "2026-12-02T10:00:00+01:00" },
  });
  const id = booked.body.id as string;
  const cancelled = await api(t, "POST", `/api/appointments/${id}/cancel`, {
    token: trainer.token,
    body: {},
  });
  assert.equal(cancelled.status, 200);
  await follow(b, await b.post(`/schedule/${id}/delete`));
  assert.equal((await getAppointment(trainer.token, id)).status, 404);
});

dbTest("a session is deleted after a confirm step", async () => {
  const { trainer, client, b } = await world();
  const id = await bookAs(
    trainer.token,
    client.id,
    "2026-12-02T10:00:00+01:00",
  );
  const confirm = await b.get(`/schedule/${id}/delete`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.text, /Delete this session\?/);
  assert.match(confirm.text, new RegExp(`action="/schedule/${id}/delete"`));
  const res = await b.post(`/schedule/${id}/delete`);
  assert.match(
    (await follow(b, res)).text,
    /Session with Own Client deleted\./,
  );
  assert.equal((await getAppointment(trainer.token, id)).status, 404);
  assert.equal((await b.get(`/schedule/${id}/edit`)).status, 404);
});

dbTest(
  "another trainer's session or a malformed id gets a friendly 404 and changes nothing",
  async () => {
    const { otherTrainer, stranger, b } = await world();
    const id = await bookAs(
      otherTrainer.token,
      stranger.id,
      "2026-12-02T10:00:00+01:00",
    );
    for (
      const path of [
        `/schedule/${id}/edit`,
        `/schedule/${id}/cancel`,
        `/schedule/${id}/delete`,
      ]
    ) {
      const res = await b.get(path);
      assert.equal(res.status, 404, path);
      assert.match(res.text, /Session was not found\./);
      assert.match(res.text, /Go to the start page/);
    }
    for (const action of ["edit", "cancel", "complete", "confirm", "delete"]) {
      const res = await b.post(`/schedule/${id}/${action}`, {
        date: "2026-12-09",
        time: "10:00",
        duration: "60",
      });
      assert.equal(res.status, 404, action);
    }
    const a = (await getAppointment(otherTrainer.token, id)).body;
    assert.equal(a.status, "scheduled");
    assert.equal(a.start, "2026-12-02T10:00:00+01:00");
    assert.equal((await b.get("/schedule/not-a-uuid/edit")).status, 404);
    assert.equal((await b.post("/schedule/1'--/delete")).status, 404);
    assert.equal((await b.get(`/clients/${stranger.id}`)).status, 404);
    assert.equal(
      (await b.post(`/clients/${stranger.id}`, { tags: "x", notes: "x" }))
        .status,
      404,
    );
    assert.equal((await b.get("/clients/nope")).status, 404);
  },
);

dbTest(
  "the clients page shows tags, notes and stats, filters by tag and saves edits",
  async () => {
    const { trainer, client, sibling, b } = await world();
    await bookAs(trainer.token, client.id, "2026-12-02T10:00:00+01:00");
    const cancelled = await bookAs(
      trainer.token,
      client.id,
      "2026-12-03T10:00:00+01:00",
    );
    await api(t, "POST", `/api/appointments/${cancelled}/cancel`, {
      token: trainer.token,
      body: {},
    });
    const form = await b.get(`/clients/${client.id}`);
    assert.equal(form.status, 200);
    assert.match(form.text, /name="tags"/);

    const res = await b.post(`/clients/${client.id}`, {
      tags: " beginner, mornings ,, beginner ",
      notes: "Knee injury in 2025",
    });
    assert.equal(res.headers.get("Location"), "/clients");
    const list = await follow(b, res);
    assert.match(list.text, /Saved Own Client\./);
    assert.match(
      list.text,
      /class="tag" href="\/clients\?tag=beginner">beginner</,
    );
    assert.match(
      list.text,
      /class="tag" href="\/clients\?tag=mornings">mornings</,
    );
    assert.match(list.text, /Knee injury in 2025/);
    assert.match(list.text, /1 booked · 0 completed · 1 cancelled/);
    assert.match(
      list.text,
      /Next: <time datetime="2026-12-02T09:00:00Z">Wed 2 Dec 2026, 10:00<\/time>/,
    );
    assert.match(list.text, /Other Client/);
    const clients = await api(t, "GET", "/api/clients", {
      token: trainer.token,
    });
    const saved = clients.body.clients.find((c: { id: string }) =>
      c.id === client.id
    );
    assert.deepEqual(saved.tags, ["beginner", "mornings"]);
    assert.equal(saved.notes, "Knee injury in 2025");

    const filtered = await b.get("/clients?tag=beginner");
    assert.match(filtered.text, /Own Client/);
    assert.doesNotMatch(filtered.text, /Other Client/);

    const bad = await b.post(`/clients/${sibling.id}`, {
      tags: `fine, ${"y".repeat(41)}`,
      notes: "kept",
    });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /is longer than 40 characters/);
    assert.match(bad.text, /name="tags" value="fine, y+"/);
    assert.match(bad.text, />kept<\/textarea>/);
    const after = await api(t, "GET", "/api/clients", { token: trainer.token });
    assert.deepEqual(
      after.body.clients.find((c: { id: string }) => c.id === sibling.id).tags,
      [],
    );
  },
);

dbTest(
  "a client's page lists only their sessions, upcoming soonest first, then past ones, and books for them",
  async () => {
    const { trainer, client, sibling, stranger, b } = await world();
    await bookAs(trainer.token, client.id, "2026-12-01T10:00:00+01:00");
    await bookAs(trainer.token, client.id, "2026-12-04T16:00:00+01:00");
    await bookAs(trainer.token, client.id, "2026-12-03T09:00:00+01:00", 30);
    await bookAs(trainer.token, sibling.id, "2026-12-02T12:00:00+01:00");
    t.clock.set("2026-12-01T12:00:00Z"); // the first session is over

    const page = decode((await b.get(`/clients/${client.id}`)).text);
    const upcoming = page.slice(
      page.indexOf("<h3>Upcoming</h3>"),
      page.indexOf("<h3>Past</h3>"),
    );
    const past = page.slice(page.indexOf("<h3>Past</h3>"));
    assert.match(
      upcoming,
      /Thursday, 3 December 2026, 09:00–\s*09:30[\s\S]*30 min[\s\S]*Friday, 4 December 2026, 16:00–\s*17:00/,
    );
    assert.match(
      upcoming,
      /href="\/schedule\?date=2026-12-03&view=day"/,
    );
    assert.match(past, /Tuesday, 1 December 2026, 10:00–\s*11:00/);
    assert.doesNotMatch(past, /December 2026, 1[26]:00/);
    assert.doesNotMatch(page, /Wednesday, 2 December 2026/); // the sibling's

    // "New session for this client" opens the schedule with them chosen.
    const href = /href="(\/schedule\?client=[^"#]+)#new-session"/.exec(page)
      ?.[1];
    assert.ok(href, "no link to book for this client");
    const schedule = await b.get(href);
    assert.match(
      schedule.text,
      new RegExp(
        `<option value="${client.id}" selected>Own Client</option>`,
      ),
    );
    // Someone who is not their client is never chosen.
    const foreign = await b.get(`/schedule?client=${stranger.id}`);
    assert.doesNotMatch(foreign.text, /<option [^>]*selected>/);
  },
);

/** The number shown above `label` in the stats section starting with `heading`. */
function stat(html: string, heading: string, label: string): string {
  const start = html.indexOf(`<h2>${heading}`);
  assert.ok(start >= 0, `no section ${heading}`);
  const end = html.indexOf("</section>", start);
  const section = html.slice(start, end);
  const match = new RegExp(`<strong>([^<]*)</strong>${label}`).exec(section);
  assert.ok(match, `no ${label} in ${heading}`);
  return match[1];
}

dbTest(
  "the stats page shows the numbers of a small known data set",
  async () => {
    const { trainer, client, sibling, b } = await world();
    // Booked while they were in the future, then the clock comes back to now.
    t.clock.set("2026-11-29T00:00:00Z");
    const monday = await bookAs(
      trainer.token,
      client.id,
      "2026-11-30T10:00:00+01:00",
    );
    t.clock.set(NOW);
    await api(t, "PATCH", `/api/appointments/${monday}`, {
      token: trainer.token,
      body: { status: "completed" },
    });
    await bookAs(trainer.token, client.id, "2026-12-01T10:00:00+01:00");
    const wednesday = await bookAs(
      trainer.token,
      sibling.id,
      "2026-12-02T10:00:00+01:00",
    );
    await api(t, "POST", `/api/appointments/${wednesday}/cancel`, {
      token: trainer.token,
      body: { reason: "sick" },
    });
    await bookAs(trainer.token, sibling.id, "2026-12-03T13:00:00+01:00", 120);
    await bookAs(trainer.token, client.id, "2026-12-05T10:00:00+01:00"); // Saturday, off hours
    await bookAs(trainer.token, sibling.id, "2026-12-07T16:00:00+01:00");
    await bookAs(trainer.token, client.id, "2026-12-08T10:00:00+01:00");
    await bookAs(trainer.token, client.id, "2026-12-15T14:00:00+01:00");

    const page = await b.get("/stats");
    assert.equal(page.status, 200);
    assert.match(page.text, /30 Nov 2026 to 6 Dec 2026/);
    assert.equal(stat(page.text, "This week", "Booked"), "3");
    assert.equal(stat(page.text, "This week", "Completed"), "1");
    assert.equal(stat(page.text, "This week", "Cancelled"), "1");
    assert.equal(stat(page.text, "This week", "Cancellation rate"), "20%");
    assert.equal(stat(page.text, "This month", "Booked"), "6");
    assert.equal(stat(page.text, "This month", "Completed"), "0");
    assert.equal(stat(page.text, "This month", "Cancelled"), "1");
    assert.equal(stat(page.text, "This month", "Cancellation rate"), "14%");
    assert.equal(stat(page.text, "Overall", "Clients"), "2");
    assert.equal(
      stat(page.text, "Overall", "Cancellation rate, all time"),
      "13%",
    );
    assert.equal(stat(page.text, "Overall", "Busiest weekday"), "Tuesday");
    assert.equal(stat(page.text, "Overall", "Busiest hour"), "10:00–11:00");
    assert.match(page.text, /4 sessions start then/);
    // Dec 1–7 from Tuesday 09:00: 5 working days × 8 slots; 1 + 2 + 1 of them booked.
    assert.equal(
      stat(page.text, "Utilisation", "of working time booked"),
      "10%",
    );
    assert.equal(stat(page.text, "Utilisation", "Booked slots"), "4");
    assert.equal(stat(page.text, "Utilisation", "Free slots"), "36");
    assert.match(page.text, /4 h of 40 h/);
  },
);

dbTest(
  "a new trainer's stats page has nothing to divide by and says so",
  async () => {
    const { b } = await world();
    const page = await b.get("/stats");
    assert.equal(page.status, 200);
    assert.equal(stat(page.text, "This week", "Cancellation rate"), "–");
    assert.equal(stat(page.text, "Overall", "Busiest weekday"), "–");
    assert.equal(
      stat(page.text, "Utilisation", "of working time booked"),
      "0%",
    );
  },
);

dbTest(
  "the settings form sets the booking rules for clients, says what each means, and names a bad one beside it",
  async () => {
    const { trainer, b } = await world();
    const page = await b.get("/settings");
    assert.match(page.text, /Booking rules for clients/);
    assert.match(page.text, /today plus 30 days is the last day/);
    const bad = await b.post(
      "/settings",
      settingsForm({ bufferMinutes: "75", horizonDays: "abc" }),
    );
    assert.equal(bad.status, 422);
    assert.match(
      bad.text,
      /id="f-bufferMinutes-error">must be a whole number of minutes from 0 to 60/,
    );
    assert.match(
      bad.text,
      /id="f-horizonDays-error">must be a whole number of days from 1 to 365/,
    );
    const before = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.equal(before.body.bufferMinutes, 0);
    const saved = await b.post(
      "/settings",
      settingsForm({
        minNotice: "1.5",
        minNoticeUnit: "hours",
        horizonDays: "30",
        bufferMinutes: "15",
        cancelNotice: "2",
        cancelNoticeUnit: "days",
      }),
    );
    assert.equal(saved.status, 303);
    const after = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.equal(after.body.minNoticeMinutes, 90);
    assert.equal(after.body.horizonDays, 30);
    assert.equal(after.body.bufferMinutes, 15);
    assert.equal(after.body.cancelNoticeMinutes, 2880);
    // Shown back in hours and days, never in minutes.
    const shown = await b.get("/settings");
    assert.match(shown.text, /name="minNotice"[^>]*value="1.5"/);
    assert.match(shown.text, /<option value="days" selected>days<\/option>/);
    assert.match(shown.text, /name="cancelNotice"[^>]*value="2"/);
    assert.doesNotMatch(shown.text, /Minimum notice \(minutes\)/);
    // Clear messages for a wrong amount or a notice longer than the rules allow.
    const wrong = await b.post(
      "/settings",
      settingsForm({
        minNotice: "soon",
        minNoticeUnit: "hours",
        cancelNotice: "8",
        cancelNoticeUnit: "days",
      }),
    );
    assert.equal(wrong.status, 422);
    assert.match(
      wrong.text,
      /id="f-minNotice-error">must be a number of hours, like 2 or 1.5</,
    );
    assert.match(
      wrong.text,
      /id="f-cancelNotice-error">can be at most 7 days \(168 hours\)</,
    );
    assert.match(wrong.text, /name="cancelNotice"[^>]*value="8"/);
    const kept = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.equal(kept.body.cancelNoticeMinutes, 2880);
    // An empty horizon is no limit again.
    await b.post("/settings", settingsForm({ horizonDays: "" }));
    const cleared = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.equal(cleared.body.horizonDays, null);
    assert.equal(cleared.body.minNoticeMinutes, 0);
  },
);

dbTest(
  "a refused impossible date or time stays in sight as typed beside its field, where a date or time input would drop it",
  async () => {
    const { client, b } = await world();
    const session = await b.post("/schedule", {
      clientId: client.id,
      date: "2026-02-30",
      time: "25:00",
      duration: "60",
      until: "2026-13-01",
    });
    assert.equal(session.status, 422);
    for (const [name, typed] of [["date", "2026-02-30"], ["time", "25:00"]]) {
      assert.match(
        session.text,
        new RegExp(
          `id="f-${name}"[^>]*aria-describedby="f-${name}-typed[^"]*"`,
        ),
      );
      assert.match(
        session.text,
        new RegExp(`id="f-${name}-typed">You typed: ${typed}<`),
      );
    }
    assert.match(session.text, /id="f-until-typed">You typed: 2026-13-01</);
    const holiday = await b.post(
      "/settings",
      settingsForm({ newHoliday: "2026-02-30" }),
    );
    assert.match(
      holiday.text,
      /id="f-newHoliday-typed">You typed: 2026-02-30</,
    );
    const history = await b.get("/history?from=2026-02-30");
    assert.match(history.text, /id="h-from-typed">You typed: 2026-02-30</);
    // A value the input keeps is not echoed.
    const fine = await b.post("/schedule", {
      clientId: client.id,
      date: "2026-12-05",
      time: "20:00",
      duration: "7",
    });
    assert.equal(fine.status, 422);
    assert.doesNotMatch(fine.text, /You typed/);
  },
);
