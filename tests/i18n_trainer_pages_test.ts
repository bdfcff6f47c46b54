/**
 * The trainer's day in the viewer's language: Today, the schedule and its fragment, the
 * session forms and confirm steps, weekly series, clients, walk-ins and the claim page,
 * and group classes, in every state a test can reach (empty, with data, a form refused),
 * leave no English word in the pseudo-locale; German and Russian pages say real words.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { rawEnglish, readableText } from "./helpers/pseudo.ts";
import { t as say } from "../lib/i18n.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const NOW = "2026-12-01T08:00:00Z";
const t = await testApp({ now: NOW, env: { PSEUDO_LOCALE: "1" } });
const XA = { "Accept-Language": "en-XA" };

/** The names and data this file makes (the e-mail addresses too, as they are made). */
const ALLOWED: string[] = [
  "Tess Trainer",
  "Ada Early",
  "Wally Walker",
  "Europe/Berlin",
  "UTC",
  "Europe",
  "Berlin",
  "Yoga",
  "knee",
  "Sick",
];

/** What a person reads of the page's `<main>` (the shell is checked by the site's test). */
function ownText(html: string): string {
  return readableText(html.match(/<main[\s\S]*<\/main>/)?.[0] ?? html);
}

/** Asserts that a page (or fragment) in the pseudo-locale has no plain English word left. */
function assertNoEnglish(html: string, what: string) {
  assert.deepEqual(rawEnglish(ownText(html), ALLOWED), [], what);
}

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

/** GETs `path` in the pseudo-locale and checks it. */
async function sweep(b: Browser, path: string, headers = {}, status = 200) {
  const res = await b.get(path, { ...XA, ...headers });
  assert.equal(res.status, status, path);
  assertNoEnglish(res.text, `${path} ${JSON.stringify(headers)}`);
  return res.text;
}

/** POSTs a form in the pseudo-locale; follows a 303 to check the flash, or checks the form. */
async function postAndSweep(
  b: Browser,
  path: string,
  form: Record<string, string>,
  status: number,
) {
  const res = await b.post(path, form, XA);
  assert.equal(res.status, status, `${path}: ${res.text.slice(0, 500)}`);
  if (status === 303) {
    const next = res.headers.get("Location")!;
    const page = await b.get(next, XA);
    assert.match(page.text, /class="flash/, `${path} → ${next} has a flash`);
    assertNoEnglish(page.text, `${path} → ${next}`);
    return { location: next, text: page.text };
  }
  assertNoEnglish(res.text, `${path} (${status})`);
  return { location: "", text: res.text };
}

async function world() {
  t.clock.set(NOW);
  const trainer = await signUpTrainer(t);
  const b = await signedIn(trainer.email);
  return { trainer, b };
}

dbTest(
  "a new trainer's empty pages are all in the pseudo-locale",
  async () => {
    const { b } = await world();
    await sweep(b, "/today");
    await sweep(b, "/schedule");
    await sweep(b, "/schedule?date=2026-12-01&view=week");
    await sweep(b, "/clients");
    await sweep(b, "/clients/add");
    await sweep(b, "/classes");
  },
);

dbTest(
  "sessions, requests, series, clients and their forms leave no English word in the pseudo-locale",
  async () => {
    const { trainer, b } = await world();
    const client = await signUpClient(t, trainer.referralCode, "Ada Early");
    ALLOWED.push(client.email);
    const settings = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...settings.body, requiresConfirmation: true },
    });
    await api(t, "PATCH", `/api/clients/${client.id}`, {
      token: trainer.token,
      body: { tags: ["knee"], notes: "" },
    });
    // A request from the client, waiting for the trainer (Thursday 10:00).
    const request = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-03T10:00:00+01:00" },
    });
    assert.equal(request.status, 201, JSON.stringify(request.body));

    // The schedule form: refused, then a session today, then one to cancel.
    await postAndSweep(b, "/schedule", {
      clientId: "",
      date: "2026-13-01",
      time: "25:00",
      duration: "7",
      notes: "",
    }, 422);
    await postAndSweep(b, "/schedule", {
      clientId: client.id,
      date: "2026-12-01",
      time: "10:00",
      duration: "60",
      notes: "",
      weeks: "60",
    }, 422);
    await postAndSweep(b, "/schedule", {
      clientId: client.id,
      date: "2026-12-01",
      time: "10:00",
      duration: "60",
      notes: "",
    }, 303);
    const later = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: client.id, start: "2026-12-02T11:00:00+01:00" },
    });
    assert.equal(later.status, 201);
    // A weekly series over the request: its dates are checked first, then the free ones booked.
    const series = {
      clientId: client.id,
      date: "2026-12-03",
      time: "10:00",
      duration: "60",
      notes: "",
      weeks: "3",
    };
    await postAndSweep(b, "/schedule", series, 409);
    const booked = await postAndSweep(
      b,
      "/schedule",
      { ...series, onConflict: "skip" },
      303,
    );
    assert.ok(booked.location.startsWith("/schedule?date=2026-12-10"));

    // The agenda, its htmx fragment and the week.
    await sweep(b, "/schedule?date=2026-12-10&view=day");
    await sweep(b, "/schedule?date=2026-12-03&view=week");
    await sweep(b, "/schedule?date=2026-12-03&view=week", {
      "HX-Request": "true",
    });

    // One session's forms and confirm steps.
    const id = later.body.id as string;
    await sweep(b, `/schedule/${id}/edit`);
    await postAndSweep(b, `/schedule/${id}/edit`, {
      date: "2026-12-02",
      time: "99:00",
      duration: "60",
      notes: "",
    }, 422);
    await postAndSweep(b, `/schedule/${id}/edit`, {
      date: "2026-12-02",
      time: "12:00",
      duration: "60",
      notes: "",
    }, 303);
    await sweep(b, `/schedule/${id}/cancel?back=%2Ftoday`);
    await sweep(b, `/schedule/${id}/delete?back=%2Ftoday`);
    await postAndSweep(b, `/schedule/${id}/cancel`, {
      back: "/today",
      reason: "9".repeat(501),
    }, 422);
    await postAndSweep(b, `/schedule/${id}/cancel`, {
      back: "/today",
      reason: "Sick",
    }, 303);
    await sweep(b, `/schedule/${id}/edit`);
    await sweep(b, `/schedule/${request.body.id}/cancel?back=%2Ftoday`);

    // The weekly series' page and its cancel step.
    const seriesId = /href="\/series\/([0-9a-f-]{36})"/.exec(
      await sweep(b, `/clients/${client.id}`),
    )?.[1];
    assert.ok(seriesId, "the client's page links the series");
    await sweep(b, `/series/${seriesId}`);
    await sweep(b, `/series/${seriesId}/cancel?from=2026-12-17`);
    await sweep(b, `/series/${seriesId}/cancel?from=2027-03-01`);
    const refused = await b.get(`/series/${seriesId}/cancel?from=soon`, XA);
    assert.equal(refused.status, 422);
    assertNoEnglish(refused.text, "a refused series date");
    await postAndSweep(b, `/series/${seriesId}/cancel`, {
      from: "2026-12-17",
      reason: "",
    }, 303);

    // Today, an hour on: the session at 10:00 has started.
    t.clock.set("2026-12-01T09:30:00Z");
    const today = await sweep(b, "/today");
    assert.match(today, /session-pending/);
    await postAndSweep(b, `/schedule/${request.body.id}/confirm`, {
      back: "/today",
    }, 303);

    // Clients: the list, a tag, a refused save, a saved one.
    await sweep(b, "/clients");
    await sweep(b, "/clients?tag=knee");
    await sweep(b, "/clients?tag=z9");
    await postAndSweep(b, `/clients/${client.id}`, {
      tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(","),
      notes: "",
    }, 422);
    await postAndSweep(b, `/clients/${client.id}`, {
      tags: "knee",
      notes: "",
    }, 303);
  },
);

dbTest(
  "walk-ins, their invitation and the claim page leave no English word in the pseudo-locale",
  async () => {
    const { b } = await world();
    const added = await postAndSweep(b, "/clients/add", {
      name: "Wally Walker",
      email: "",
      phone: "+49 30 1234",
    }, 303);
    const id = added.location.split("/").pop()!;
    const invited = await b.post(`/clients/${id}/invite`, {}, XA);
    assert.equal(invited.status, 200);
    assertNoEnglish(invited.text, "the invitation link");
    const link = /id="claim-link"[^>]*value="([^"]+)"/.exec(invited.text)?.[1]
      ?.replace("http://spotter.test", "");
    assert.ok(link);
    const claimer = new Browser(t);
    await sweep(claimer, link);
    await sweep(claimer, "/claim/not-a-real-token", {}, 404);
  },
);

dbTest(
  "classes: the list, a class's page, its edit form and their refusals leave no English word",
  async () => {
    const { trainer, b } = await world();
    const client = await signUpClient(t, trainer.referralCode, "Ada Early");
    await postAndSweep(b, "/classes", {
      title: "",
      date: "2026-12-32",
      time: "18:00",
      duration: "7",
      capacity: "1",
      notes: "",
    }, 422);
    const made = await postAndSweep(b, "/classes", {
      title: "Yoga",
      date: "2026-12-02",
      time: "18:00",
      duration: "60",
      capacity: "2",
      notes: "",
    }, 303);
    const href = made.location;
    await postAndSweep(b, `${href}/seats`, { clientId: client.id }, 303);
    await sweep(b, "/classes");
    await sweep(b, href);
    await sweep(b, `${href}/edit`);
    await postAndSweep(b, `${href}/edit`, {
      title: "Yoga",
      date: "2026-12-02",
      time: "18:00",
      duration: "60",
      capacity: "0",
      notes: "",
    }, 422);
    await postAndSweep(b, `${href}/edit`, {
      title: "Yoga",
      date: "2026-12-02",
      time: "19:00",
      duration: "60",
      capacity: "3",
      notes: "",
    }, 303);
    await sweep(b, "/schedule?date=2026-12-02");
    await postAndSweep(b, `${href}/cancel`, { reason: "Sick" }, 303);
    await sweep(b, "/classes");
  },
);

dbTest(
  "German and Russian trainers read their own words, and Russian counts sessions its own way",
  async () => {
    const { trainer, b } = await world();
    const client = await signUpClient(t, trainer.referralCode, "Ada Early");
    await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: client.id, start: "2026-12-01T10:00:00+01:00" },
    });
    const setLanguage = (language: string) =>
      t.sql`UPDATE users SET language = ${language} WHERE id = ${trainer.id}`;

    await setLanguage("de");
    const de = (await b.get("/today")).text;
    assert.match(de, /<h1>Heute<\/h1>/);
    assert.match(de, /1 Termin heute/);
    assert.match(de, /Nächste freie Zeiteinheiten/);
    const deSchedule = (await b.get("/schedule")).text;
    assert.match(deSchedule, /<h1>Terminplan<\/h1>/);
    assert.match(deSchedule, /Neuer Termin/);
    assert.match(deSchedule, /Termin buchen/);
    assert.match((await b.get("/clients")).text, /Schlagwörter und Notizen/);
    const deRefused = await b.post("/schedule", {
      clientId: "",
      date: "2026-12-01",
      time: "11:00",
      duration: "60",
    });
    assert.equal(deRefused.status, 422);
    assert.match(deRefused.text, /wählen Sie einen Kunden/);

    await setLanguage("ru");
    const ru = (await b.get("/today")).text;
    assert.match(ru, /<h1>Сегодня<\/h1>/);
    assert.match(ru, /1 занятие сегодня/);
    const ruSchedule = (await b.get("/schedule?view=week")).text;
    assert.match(ruSchedule, /Расписание/);
    assert.match(ruSchedule, /Следующая неделя/);
    const forms = [0, 1, 2, 5, 21].map((count) =>
      say("ru", "trainer.today.sessions", { count })
    );
    assert.deepEqual(forms, [
      "0 занятий сегодня",
      "1 занятие сегодня",
      "2 занятия сегодня",
      "5 занятий сегодня",
      "21 занятие сегодня",
    ]);
    assert.deepEqual(
      [0, 1, 2, 5, 21].map((count) =>
        say("ru", "trainer.series.cancel_button", { count })
      ),
      [
        "Отменить 0 занятий",
        "Отменить 1 занятие",
        "Отменить 2 занятия",
        "Отменить 5 занятий",
        "Отменить 21 занятие",
      ],
    );
    // English stays as it was.
    await setLanguage("en");
    assert.match((await b.get("/today")).text, /1 session today/);
  },
);
