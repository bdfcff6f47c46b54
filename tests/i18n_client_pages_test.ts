/**
 * The client's pages speak the viewer's language: in the pseudo-locale (`PSEUDO_LOCALE=1`,
 * `Accept-Language: en-XA`) no plain English word is left in the week, the booking
 * confirm, a session's page, the move and cancel steps, My appointments, a class seat,
 * the calendar feed, the contact form and the packages page (the names and data this
 * test made aside); German and Russian readers get their own words, and Russian counts
 * free times with its own plural forms. Tuesday 2026-12-01, 09:00 in Berlin.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { rawEnglish, readableText } from "./helpers/pseudo.ts";
import { daySummary, type DayView } from "../views/WeekGrid.tsx";
import { t as say } from "../lib/i18n.ts";
import type { Slot } from "../domain/types.ts";

const NOW = "2026-12-01T08:00:00Z";
const t = await testApp({ now: NOW, env: { PSEUDO_LOCALE: "1" } });

const XA = { "Accept-Language": "en-XA" };
const HTMX = { ...XA, "HX-Request": "true" };

const TRAINER = "Tess Trainer";
const CLIENT = "Cleo Client";
const PHONE = "+49 170 1234567";
const MAIL = "tess@example.test";
const CLASS = "Strength circuit";
/** Names and data this test made, and the zone's id: not words. */
const ALLOWED = [
  TRAINER,
  CLIENT,
  MAIL,
  CLASS,
  "Work trip",
  "Europe/Berlin",
  "UTC",
  "Spotter",
];

/**
 * What a person reads of a page's own part: its `<main>` (the shell is another area's)
 * and its title, or the whole of an htmx fragment.
 */
function ownText(html: string, title = true): string {
  const main = html.match(/<main[\s\S]*<\/main>/)?.[0];
  if (main === undefined) return readableText(html);
  const head = title ? html.match(/<title>([\s\S]*?)<\/title>/)?.[1] : "";
  return `${readableText(head ?? "")} ${readableText(main)}`;
}

function assertNoEnglish(
  res: { status: number; text: string },
  what: string,
  allowed: readonly string[] = ALLOWED,
  /** The page's title is the route's: false where the route is another area's. */
  title = true,
) {
  assert.ok(res.status < 500, `${what}: status ${res.status}`);
  assert.deepEqual(rawEnglish(ownText(res.text, title), allowed), [], what);
}

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

async function settle(token: string, policies: Record<string, unknown>) {
  const current = await api(t, "GET", "/api/settings", { token });
  const res = await api(t, "PUT", "/api/settings", {
    token,
    body: { ...current.body, ...policies },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function book(token: string, start: string) {
  const res = await api(t, "POST", "/api/appointments", {
    token,
    body: { start },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

async function follow(b: Browser, res: { headers: Headers }) {
  const to = res.headers.get("Location");
  assert.ok(to, "a redirect");
  return await b.get(to, XA);
}

/** A trainer with a holiday, booking policies and a contact; a client with sessions. */
async function world(policies: Record<string, unknown> = {}) {
  t.clock.set(NOW);
  const trainer = await signUpTrainer(t, { name: TRAINER });
  await settle(trainer.token, {
    minNoticeMinutes: 120,
    horizonDays: 7,
    cancelNoticeMinutes: 720,
    holidays: ["2026-12-04"],
    ...policies,
  });
  const client = await signUpClient(t, trainer.referralCode, CLIENT);
  const other = await signUpClient(t, trainer.referralCode, "Someone Else");
  const tb = await signedIn(trainer.email);
  const cb = await signedIn(client.email);
  return { trainer, client, other, tb, cb };
}

dbTest("the week, its fragments and a cell leave no English word", async () => {
  const { client, other, cb, tb } = await world();
  await book(client.token, "2026-12-02T11:00:00+01:00");
  await book(other.token, "2026-12-02T12:00:00+01:00");
  const week = await cb.get("/calendar?week=2026-11-30&day=2026-12-01", XA);
  assert.equal(week.status, 200);
  assertNoEnglish(week, "client's week");
  // Past, too soon, free, own, booked, a holiday, a day past the horizon.
  assert.match(week.text, /slot-past/);
  assert.match(week.text, /slot-mine/);
  assert.match(week.text, /slot-booked/);
  const next = await cb.get("/calendar?week=2026-12-07&day=2026-12-09", HTMX);
  assert.doesNotMatch(next.text, /<main/);
  assertNoEnglish(next, "next week's fragment (not bookable yet)");
  const cell = await cb.get(
    `/calendar/cell?start=${encodeURIComponent("2026-12-02T10:00:00Z")}`,
    XA,
  );
  assertNoEnglish(cell, "one cell");
  const trainerWeek = await tb.get(
    "/calendar?week=2026-11-30&day=2026-12-02",
    XA,
  );
  // The trainer's grid names the clients.
  assertNoEnglish(trainerWeek, "trainer's week", [...ALLOWED, "Someone Else"]);
});

dbTest(
  "booking: the confirm page and cell, the confirmation, a refused note",
  async () => {
    const { cb, tb, other } = await world();
    // Inside the cancel window (12 hours), then outside it.
    const soon = encodeURIComponent("2026-12-01T15:00:00Z");
    const inside = await cb.get(`/book?start=${soon}`, XA);
    assert.equal(inside.status, 200);
    assertNoEnglish(inside, "confirm inside the cancel window");
    const later = encodeURIComponent("2026-12-03T09:00:00Z");
    const page = await cb.get(`/book?start=${later}`, XA);
    assertNoEnglish(page, "confirm page");
    const cell = await cb.get(`/book?start=${later}&cell=1`, HTMX);
    assert.match(cell.text, /confirm-panel/);
    assertNoEnglish(cell, "confirm in its cell");
    const start = "2026-12-03T09:00:00Z";
    const tooLong = await cb.post(
      "/book",
      { start, notes: "x".repeat(2001) },
      XA,
    );
    assertNoEnglish(await follow(cb, tooLong), "a note too long");
    const noTime = await cb.post("/book", { start: "soon" }, XA);
    assertNoEnglish(await follow(cb, noTime), "no time picked");
    const booked = await cb.post("/book", { start }, XA);
    const confirmation = await follow(cb, booked);
    assert.match(confirmation.text, /flash-ok/);
    assertNoEnglish(confirmation, "you're booked");
    // Back to the same confirm: the time is theirs.
    const again = await cb.get(`/book?start=${later}`, XA);
    assertNoEnglish(await follow(cb, again), "already yours");
    // A past time: refused with a message on the week.
    const past = await cb.post("/book", { start: "2026-12-01T07:00:00Z" }, XA);
    assertNoEnglish(await follow(cb, past), "a past time refused");
    // Someone else was faster: in the cell (htmx), and on the week htmx swaps in.
    const raced = "2026-12-03T11:00:00Z";
    await book(other.token, raced);
    const lost = await cb.post("/book?cell=1", { start: raced }, HTMX);
    assert.match(lost.text, /slot-notice/);
    assertNoEnglish(lost, "lost a race, in the cell");
    const lostWeek = await cb.post("/book", { start: raced }, HTMX);
    assert.match(lostWeek.text, /flash-error/);
    assertNoEnglish(lostWeek, "lost a race, the week");
    // The trainer reads the session's page too.
    const id = confirmation.text.match(
      /\/appointments\/([0-9a-f-]{36})\/cancel/,
    )
      ?.[1];
    assert.ok(id, "the confirmation links its cancel step");
    assertNoEnglish(await tb.get(`/appointments/${id}`, XA), "trainer's view");
  },
);

dbTest("requests: a trainer who confirms, and a pending session", async () => {
  const { client, cb } = await world({ requiresConfirmation: true });
  const start = "2026-12-03T10:00:00Z";
  const confirm = await cb.get(`/book?start=${encodeURIComponent(start)}`, XA);
  assertNoEnglish(confirm, "request confirm");
  const sent = await follow(cb, await cb.post("/book", { start }, XA));
  assertNoEnglish(sent, "request sent");
  await book(client.token, "2026-12-02T14:00:00+01:00");
  const week = await cb.get("/calendar?week=2026-11-30&day=2026-12-02", XA);
  assert.match(week.text, /slot-waiting/);
  assertNoEnglish(week, "week with a request");
});

dbTest("My appointments, a session's page, moving and cancelling", async () => {
  const { trainer, client, cb, tb } = await world();
  const empty = await cb.get("/appointments", XA);
  assertNoEnglish(empty, "nothing booked yet");
  assertNoEnglish(
    await cb.get("/appointments?tab=history", XA),
    "no past sessions",
  );
  // The trainer shares a phone and an e-mail: every "contact your trainer" has links.
  const contact = await tb.post("/profile/contact", {
    contactPhone: PHONE,
    contactEmail: MAIL,
  });
  assert.equal(contact.status, 303);
  const id = await book(client.token, "2026-12-02T11:00:00+01:00");
  const soon = await book(client.token, "2026-12-01T16:00:00+01:00");
  const list = await cb.get("/appointments", XA);
  assert.match(list.text, /late-window/);
  assert.match(list.text, /<dialog/);
  assertNoEnglish(list, "upcoming, one inside the window", [...ALLOWED, PHONE]);
  assertNoEnglish(await cb.get(`/appointments/${id}`, XA), "a session");
  assertNoEnglish(
    await cb.get(`/appointments/${soon}`, XA),
    "a session too late to change",
    [...ALLOWED, PHONE],
  );
  const pick = await cb.get(`/appointments/${id}/move`, XA);
  const moving = await follow(cb, pick);
  assert.match(moving.text, /slot-mine/);
  assertNoEnglish(moving, "move mode");
  const to = encodeURIComponent("2026-12-02T13:00:00+01:00");
  const step = await cb.get(`/appointments/${id}/move?start=${to}`, XA);
  assert.equal(step.status, 200);
  assertNoEnglish(step, "confirm the move");
  const moved = await cb.post(`/appointments/${id}/move`, {
    start: "2026-12-02T13:00:00+01:00",
  }, XA);
  assertNoEnglish(await follow(cb, moved), "moved");
  assertNoEnglish(await cb.get(`/appointments/${id}/cancel`, XA), "cancel");
  const cancelled = await cb.post(`/appointments/${id}/cancel`, {
    reason: "schedule",
    details: "Work trip",
  }, XA);
  const history = await follow(cb, cancelled);
  assertNoEnglish(history, "cancelled, in the history", [...ALLOWED, PHONE]);
  assertNoEnglish(
    await cb.get(`/appointments/${id}`, XA),
    "a cancelled session's reason",
  );
  // The reason is stored in English for every reader; pages say it in theirs.
  const stored = await api(t, "GET", `/api/appointments/${id}`, {
    token: trainer.token,
  });
  assert.equal(stored.body.cancellationReason, "Schedule conflict: Work trip");
});

dbTest("a seat in a class and the step to give it up", async () => {
  const { trainer, client, cb } = await world();
  const made = await api(t, "POST", "/api/classes", {
    token: trainer.token,
    body: { title: CLASS, capacity: 2, start: "2026-12-03T17:00:00+01:00" },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.id as string;
  const joined = await api(t, "POST", `/api/classes/${id}/seats`, {
    token: client.token,
  });
  assert.ok(joined.status < 300, JSON.stringify(joined.body));
  assertNoEnglish(await cb.get("/appointments", XA), "classes ahead");
  // The class pages' routes (and titles: the class's own) are the trainer area's.
  assertNoEnglish(
    await cb.get(`/classes/${id}/leave`, XA),
    "give up a seat",
    ALLOWED,
    false,
  );
});

dbTest(
  "the calendar feed, its reset, the contact form and the packages page",
  async () => {
    const { cb, tb } = await world();
    const feed = await cb.get("/feeds", XA);
    assert.equal(feed.status, 200);
    assertNoEnglish(feed, "calendar feed");
    const reset = await cb.post("/feeds/reset", {}, XA);
    assertNoEnglish(await follow(cb, reset), "a new feed link");
    const bad = await tb.post("/profile/contact", {
      contactPhone: "call me maybe",
      contactEmail: "",
    }, XA);
    assert.equal(bad.status, 422);
    assertNoEnglish(bad, "contact form with an error");
    const saved = await tb.post("/profile/contact", {
      contactPhone: PHONE,
      contactEmail: "",
    }, XA);
    assert.equal(saved.status, 303);
    const packages = await tb.get("/packages", XA);
    assert.equal(packages.status, 200);
    // The packages page's route (and so its title) is the trainer's business area's.
    assertNoEnglish(packages, "no packages yet");
  },
);

dbTest("German and Russian readers get their own words", async () => {
  const { client, cb, tb } = await world();
  const id = await book(client.token, "2026-12-02T11:00:00+01:00");
  assert.equal(
    (await cb.post("/profile/language", { language: "de" })).status,
    303,
  );
  const week = await cb.get("/calendar?week=2026-11-30&day=2026-12-02");
  assert.match(week.text, /Termin buchen/);
  assert.match(
    week.text,
    /Zeiten in Europe\/Berlin \(UTC\+01:00\), der Zeitzone von Tess Trainer\./,
  );
  assert.match(week.text, /11:00–12:00 · Ihr Termin/);
  assert.match(week.text, /Nächste Woche →/);
  const list = await cb.get("/appointments");
  assert.match(list.text, /<h1>Meine Termine<\/h1>/);
  assert.match(list.text, /Anstehend/);
  const confirm = await cb.get(
    `/book?start=${encodeURIComponent("2026-12-03T09:00:00Z")}`,
  );
  assert.match(confirm.text, /Buchung bestätigen/);
  assert.match(confirm.text, /Diesen Termin buchen/);
  assert.equal(
    (await tb.post("/profile/language", { language: "ru" })).status,
    303,
  );
  const trainerWeek = await tb.get("/calendar?week=2026-11-30&day=2026-12-02");
  assert.match(trainerWeek.text, /Ваш календарь/);
  assert.match(trainerWeek.text, /11:00–12:00 · Cleo Client/);
  assert.match(trainerWeek.text, /Групповые занятия/);
  assert.match(trainerWeek.text, /<a href="\/schedule">расписание<\/a>/);
  // The same client, signed out of German, in Russian by its profile.
  assert.equal(
    (await cb.post("/profile/language", { language: "ru" })).status,
    303,
  );
  const feed = await cb.get("/feeds");
  assert.match(feed.text, /Ваша секретная ссылка/);
  assert.match(
    feed.text,
    /<strong>Старая ссылка сразу перестанет работать\.<\/strong>/,
  );
  // A cancel: the flash says the date as Russian does, the reason in Russian words.
  const cancelled = await cb.post(`/appointments/${id}/cancel`, {
    reason: "sick",
  });
  const history = await cb.get(cancelled.headers.get("Location")!);
  assert.match(
    history.text,
    /Ваше занятие среда, 2 декабря 2026 г\. в 11:00 отменено\./,
  );
  assert.match(history.text, /Причина: Болезнь/);
  // The "Add to calendar" file names the session in the reader's words.
  const kept = await book(client.token, "2026-12-03T11:00:00+01:00");
  const file = await cb.get(`/appointments/${kept}/calendar.ics`);
  assert.equal(file.status, 200);
  assert.match(file.text, /SUMMARY:Тренировка: тренер Tess Trainer/);
});

dbTest("a day tab counts free times with Russian's plural forms", () => {
  const slot = (i: number): Slot => ({
    start: Temporal.Instant.from("2026-12-02T08:00:00Z").add({ hours: i }),
    end: Temporal.Instant.from("2026-12-02T09:00:00Z").add({ hours: i }),
    date: "2026-12-02",
    status: "available",
  });
  const day = (free: number): DayView => ({
    date: Temporal.PlainDate.from("2026-12-02"),
    holiday: false,
    slots: Array.from({ length: free }, (_, i) => slot(i)),
  });
  const ru = (n: number) =>
    daySummary((key, values) => say("ru", key, values), day(n));
  assert.equal(ru(0), "закрыто");
  assert.equal(ru(1), "1 свободный");
  assert.equal(ru(2), "2 свободных");
  assert.equal(ru(5), "5 свободных");
  assert.equal(ru(21), "21 свободный");
  assert.equal(
    daySummary((key, values) => say("en", key, values), day(3)),
    "3 free",
  );
  return Promise.resolve();
});
