/**
 * The trainer's business pages (settings, statistics, history, packages, other calendars)
 * put every word through the catalogues: in the pseudo-locale no plain English word is
 * left in what a person reads, and German and Russian pages say real words of their own.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { newPackage, sell } from "./helpers/credits.ts";
import { startFakeCalendar } from "./helpers/fake_calendar.ts";
import { rawEnglish, readableText } from "./helpers/pseudo.ts";
import { t as say } from "../lib/i18n.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00.
const NOW = "2026-12-01T08:00:00Z";
const t = await testApp({
  now: NOW,
  env: { PSEUDO_LOCALE: "1", CALENDARS_ALLOW_PRIVATE: "1" },
});

const XA = { "Accept-Language": "en-XA" };

/** The page's `<main>`: the shell (nav, footer) is the site's. */
const main = (html: string) => {
  const m = html.match(/<main[\s\S]*<\/main>/);
  assert.ok(m, "a <main> element");
  return m[0];
};

/** A past session written straight into the table (the API refuses the past). */
async function past(
  trainerId: string,
  clientId: string,
  start: string,
  status = "completed",
  reason: string | null = null,
) {
  await t.sql`
    INSERT INTO appointments (trainer_id, client_id, starts_at, ends_at, status, notes,
      cancellation_reason, cancelled_by, cancelled_at)
    VALUES (${trainerId}, ${clientId}, ${start}, ${start}::timestamptz + interval '1 hour',
      ${status}, '', ${reason}, ${status === "cancelled" ? "client" : null},
      ${status === "cancelled" ? start : null})`;
}

async function world() {
  t.clock.set(NOW);
  const trainer = await signUpTrainer(t);
  const ada = await signUpClient(t, trainer.referralCode, "Ada Lovelace");
  const b = new Browser(t);
  const res = await b.post("/signin", {
    email: trainer.email,
    password: "password-1",
  });
  assert.equal(res.status, 303);
  return { trainer, ada, b };
}

/** Names and data the test made: not words a catalogue could hold. */
const ALLOWED = [
  "Ada Lovelace",
  "Bob Marley",
  "Core",
  "Tess Trainer",
  "Ten pack",
  "EUR",
  "Europe/Berlin",
  "Europe",
  "Berlin",
  "Legs",
  "CSV",
];

async function noEnglish(b: Browser, path: string, allowed = ALLOWED) {
  const res = await b.get(path, XA);
  assert.equal(res.status, 200, path);
  assert.deepEqual(
    rawEnglish(readableText(main(res.text)), allowed),
    [],
    `English left on ${path}`,
  );
  return res.text;
}

/** The settings page's English (time zone ids are names, which readableText leaves out). */
const settingsEnglish = (html: string) =>
  rawEnglish(readableText(main(html)), ALLOWED);

dbTest(
  "settings, statistics and history speak the pseudo-locale only: empty, with data, and a form with errors",
  async () => {
    const { trainer, ada, b } = await world();
    // Empty first.
    await noEnglish(b, "/stats");
    await noEnglish(b, "/history");
    const settings = await b.get("/settings", XA);
    assert.deepEqual(settingsEnglish(settings.text), []);

    // With data: sessions of every kind, a package sold, a holiday.
    await past(trainer.id, ada.id, "2026-11-02T10:00:00+01:00");
    await past(trainer.id, ada.id, "2026-11-03T10:00:00+01:00", "scheduled");
    await past(
      trainer.id,
      ada.id,
      "2026-11-04T10:00:00+01:00",
      "cancelled",
      "Legs",
    );
    await past(trainer.id, ada.id, "2026-11-05T10:00:00+01:00", "pending");
    const packageId = await newPackage(t, trainer.token, {
      name: "Ten pack",
      sessions: 10,
      validDays: 90,
      priceCents: 45000,
      currency: "EUR",
    });
    await sell(t, trainer.token, ada.id, {
      packageId,
      payment: { method: "cash" },
    }).catch(() => sell(t, trainer.token, ada.id, { sessions: 4 }));
    // Group classes held and cancelled, and a client slipping away (never booked).
    await t.sql`
      INSERT INTO classes (trainer_id, title, starts_at, ends_at, capacity)
      VALUES (${trainer.id}, 'Core', '2026-11-06T17:00:00Z', '2026-11-06T18:00:00Z', 6)`;
    await t.sql`
      INSERT INTO classes (trainer_id, title, starts_at, ends_at, capacity, status)
      VALUES (${trainer.id}, 'Core', '2026-11-13T17:00:00Z', '2026-11-13T18:00:00Z', 6,
        'cancelled')`;
    const bob = await signUpClient(t, trainer.referralCode, "Bob Marley");
    await t
      .sql`UPDATE users SET created_at = '2026-10-01T10:00:00Z' WHERE id = ${bob.id}`;
    for (const weeks of [4, 12, 52]) {
      await noEnglish(b, `/stats?weeks=${weeks}`);
    }
    const stats = await b.get("/stats", XA);
    assert.match(stats.text, /id="h-classes"/);
    assert.match(stats.text, /class="plain slipping"/);
    await noEnglish(b, "/history");
    await noEnglish(b, "/history?status=scheduled");
    await noEnglish(b, "/history?from=2026-11-04&to=2026-11-01");
    // The refused date is echoed as typed ("You typed: nonsense").
    await noEnglish(b, "/history?from=nonsense", [...ALLOWED, "nonsense"]);

    // A settings form with errors in every kind of field.
    const token = /name="_csrf" value="([^"]+)"/.exec(settings.text)![1];
    const bad = await b.request("POST", "/settings", {
      _csrf: token,
      timezone: "Europe/Berlin",
      slotMinutes: "42",
      reminderMinutes: "x",
      "mon.0.start": "10:00",
      "mon.0.end": "09:00",
      "tue.0.start": "25:00",
      "tue.0.end": "12:00",
      "wed.0.start": "09:00",
      "wed.0.end": "12:00",
      "wed.1.start": "11:00",
      "wed.1.end": "13:00",
      newHoliday: "",
      newHolidayTo: "2026-12-24",
      minNotice: "abc",
      minNoticeUnit: "hours",
      horizonDays: "0",
      bufferMinutes: "99",
      cancelNotice: "9",
      cancelNoticeUnit: "days",
    }, XA);
    assert.equal(bad.status, 422);
    assert.deepEqual(settingsEnglish(bad.text), []);
    // A time zone and a holiday the shared rules refuse.
    const rules = await b.post("/settings", {
      timezone: "Mars/Olympus",
      slotMinutes: "60",
      reminderMinutes: "120",
      newHoliday: "2026-13-45",
      newHolidayTo: "",
      horizonDays: "x",
    }, XA);
    assert.equal(rules.status, 422);
    assert.deepEqual(settingsEnglish(rules.text), []);

    // Saved: the flash is the page's own word (the shell shows it).
    const ok = await b.request("POST", "/settings", {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(rules.text)![1],
      timezone: "Europe/Berlin",
      slotMinutes: "60",
      reminderMinutes: "120",
      "mon.0.start": "09:00",
      "mon.0.end": "17:00",
      newHoliday: "2026-12-24",
      newHolidayTo: "2026-12-26",
    }, XA);
    assert.equal(ok.status, 303);
    const saved = await b.get("/settings", XA);
    assert.ok(saved.text.includes(say("en-XA", "business.settings.saved")));
    assert.deepEqual(settingsEnglish(saved.text), []);

    // Other calendars: an address refused, and one added that cannot be read.
    const refused = await b.post("/settings/calendars", {
      url: "ftp://example.test/cal.ics",
      name: "",
    }, XA);
    const flash = (await b.get(refused.headers.get("Location")!, XA)).text
      .replaceAll("&#39;", "'");
    assert.ok(
      flash.includes(
        say("en-XA", "business.calendars.bad_address", {
          problem: say("en-XA", "business.calendars.error.url_scheme"),
        }),
      ),
    );
    const server = startFakeCalendar("Not a calendar at all");
    const added = await b.post("/settings/calendars", {
      url: server.url(),
      name: "Private",
    }, XA);
    await server.close();
    assert.equal(added.status, 303);
    const listed = (await b.get(added.headers.get("Location")!, XA)).text;
    assert.match(listed, /calendar-item calendar-error/);
    assert.ok(
      listed.replaceAll("&#39;", "'").includes(
        say("en-XA", "business.calendars.added_not_in_sync", {
          name: "Private",
          error: say("en-XA", "business.calendars.error.not_icalendar"),
        }),
      ),
    );
    assert.deepEqual(
      settingsEnglish(listed).filter((w) => w !== "Private"),
      [],
    );
  },
);

dbTest(
  "German and Russian trainers read their own words on settings, statistics and history, and the CSV's header",
  async () => {
    const { trainer, ada, b } = await world();
    await past(trainer.id, ada.id, "2026-11-02T10:00:00+01:00");
    await past(trainer.id, ada.id, "2026-11-03T10:00:00+01:00", "scheduled");
    await t.sql`UPDATE users SET language = 'de' WHERE id = ${trainer.id}`;
    const settings = (await b.get("/settings")).text;
    assert.match(settings, /<h2>Arbeitszeiten<\/h2>/);
    assert.match(settings, /<legend>Montag<\/legend>/);
    assert.match(settings, />\s*Einstellungen speichern\s*</);
    const bad = await b.post("/settings", {
      timezone: "Europe/Berlin",
      slotMinutes: "42",
      reminderMinutes: "120",
      "mon.0.start": "25:00",
      "mon.0.end": "12:00",
      minNotice: "9",
      minNoticeUnit: "days",
    });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Beginn muss HH:MM sein\./);
    assert.match(bad.text, /muss eine ganze Zahl von 15 bis 90 sein/);
    assert.match(bad.text, /darf höchstens 7 Tage \(168 Stunden\) sein/);
    assert.match(bad.text, /Nichts wurde gespeichert: 3 Felder müssen/);
    const stats = (await b.get("/stats?weeks=4")).text;
    assert.match(stats, /<h1>Statistik<\/h1>/);
    assert.match(stats, /<caption>Termine pro Woche nach Status<\/caption>/);
    assert.match(stats, /Letzte 4 Wochen/);
    const history = (await b.get("/history")).text;
    assert.match(history, /<h1>Verlauf<\/h1>/);
    assert.match(history, /1 Termin wartet darauf/);
    const csv = (await b.get("/history.csv")).text;
    assert.ok(
      csv.startsWith("Datum,Beginn,Ende,Dauer (Minuten),Kunde,Status"),
      csv.slice(0, 80),
    );

    await t.sql`UPDATE users SET language = 'ru' WHERE id = ${trainer.id}`;
    const ru = (await b.get("/history")).text;
    assert.match(ru, /<h1>История<\/h1>/);
    assert.match(ru, /1 занятие ждёт/);
    const ruStats = (await b.get("/stats")).text;
    assert.match(ruStats, /Доля отмен/);

    // English stays as it was, the CSV's column names too.
    await t.sql`UPDATE users SET language = 'en' WHERE id = ${trainer.id}`;
    const en = (await b.get("/history.csv")).text;
    assert.ok(
      en.startsWith(
        "date,start,end,duration_minutes,client,status,notes,cancelled_by,cancellation_reason,start_iso,credit\r\n",
      ),
    );
  },
);

/** One element of a page, from its opening tag to the end of `closing` after it. */
function part(html: string, opening: RegExp, closing: string) {
  const start = html.search(opening);
  assert.ok(start >= 0, `no ${opening}`);
  return html.slice(start, html.indexOf(closing, start) + closing.length);
}

dbTest(
  "packages and credits speak the pseudo-locale only: a client's credits, a sale with errors, the client's balance, the flashes",
  async () => {
    const { trainer, ada, b } = await world();
    const credits = async (path: string) =>
      part(
        (await b.get(path, XA)).text,
        /<section id="credits" class="credits">/,
        "</section>",
      );
    const english = (html: string) =>
      rawEnglish(readableText(html), [...ALLOWED, "First month"]);
    assert.deepEqual(english(await credits(`/clients/${ada.id}`)), []);
    const packageId = await newPackage(t, trainer.token, {
      name: "Ten pack",
      validDays: 90,
      priceCents: 45000,
      currency: "EUR",
    });
    const sold = await b.post(`/clients/${ada.id}/credits`, {
      source: packageId,
      method: "card",
      amount: "",
      currency: "",
      note: "First month",
    }, XA);
    assert.equal(sold.status, 303);
    const flashed = await b.get(sold.headers.get("Location")!, XA);
    assert.ok(
      flashed.text.includes(
        say("en-XA", "business.credits.sold_until", {
          name: "Ada Lovelace",
          count: 10,
          date: "",
        }).split(",")[0],
      ),
      "the sale's flash in the pseudo-locale",
    );
    await b.post(`/clients/${ada.id}/credits`, {
      source: "custom",
      sessions: "3",
      validDays: "",
      method: "cash",
      amount: "60",
      currency: "EUR",
    }, XA);
    const page = await b.get(`/clients/${ada.id}`, XA);
    const section = part(
      page.text,
      /<section id="credits" class="credits">/,
      "</section>",
    );
    assert.match(section, /<details class="ledger">/);
    assert.deepEqual(english(section), []);

    // A sale with errors in every field it checks.
    for (
      const form of <Record<string, string>[]> [
        { source: "custom", sessions: "3", method: "", amount: "60" },
        { source: "custom", sessions: "201", method: "" },
        { source: "custom", sessions: "", method: "cash", amount: "x" },
        { source: packageId, validDays: "3", method: "cash", currency: "e" },
      ]
    ) {
      const bad = await b.post(`/clients/${ada.id}/credits`, form, XA);
      assert.equal(bad.status, 422);
      assert.deepEqual(
        english(
          part(
            bad.text,
            /<section id="credits" class="credits">/,
            "</section>",
          ),
        ),
        [],
        JSON.stringify(form),
      );
    }

    // The client's own balance on My appointments.
    const cb = new Browser(t);
    await cb.post("/signin", { email: ada.email, password: "password-1" });
    const mine = part(
      (await cb.get("/appointments", XA)).text,
      /<section class="card my-credits"/,
      "</section>",
    );
    assert.match(mine, /data-balance="13"/);
    assert.deepEqual(english(mine), []);
  },
);

Deno.test("the export's CSV headers are words in the downloader's language, English keeps its column names", async () => {
  const { columnName, csvLines } = await import("../views/export_files.ts");
  assert.equal(columnName("client_id"), "client_id");
  assert.equal(columnName("client_id", "de"), "Kunden-ID");
  assert.equal(columnName("no_such_column", "ru"), "no_such_column");
  assert.equal(
    csvLines(["id", "starts_at", "notes"], [], true, "es"),
    "id,empieza,notas\r\n",
  );
  assert.equal(
    csvLines(["id", "starts_at", "notes"], [], true),
    "id,starts_at,notes\r\n",
  );
});

Deno.test("Russian counts sessions with one, few and many", () => {
  const waiting = (count: number) =>
    say("ru", "business.history.waiting", { count });
  assert.match(waiting(0), /^0 занятий ждут/);
  assert.match(waiting(1), /^1 занятие ждёт/);
  assert.match(waiting(2), /^2 занятия ждут/);
  assert.match(waiting(5), /^5 занятий ждут/);
  assert.match(waiting(21), /^21 занятие ждёт/);
  assert.equal(
    say("ru", "business.settings.problem_count", { count: 3 }),
    "Ничего не сохранено: 3 поля нужно исправить.",
  );
});
