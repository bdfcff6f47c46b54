/**
 * The site's shell and account pages say every word through the catalogues: rendered in
 * the pseudo-locale (`PSEUDO_LOCALE=1`, `Accept-Language: en-XA`) no plain English word is
 * left, German and Russian read as themselves, and the signed-out footer's language
 * switch keeps a visitor's pick in a cookie that `Accept-Language` does not override
 * (while a signed-in user's own language still does).
 */
import assert from "node:assert/strict";
import { html } from "hono/html";
import { jsx } from "hono/jsx";
import { dbTest, testApp } from "./helpers/app.ts";
import {
  api,
  Browser,
  signUpClient,
  signUpTrainer,
  uniqueEmail,
} from "./helpers/http.ts";
import { rawEnglish, readableText } from "./helpers/pseudo.ts";
import { insertSession } from "./helpers/notify.ts";
import { LocaleContext } from "../views/locale.ts";
import { NewPasswordForm } from "../views/RecoveryViews.tsx";
import { DevicesCard } from "../views/DeviceViews.tsx";
import { TelegramCard } from "../views/TelegramCard.tsx";
import { ErrorPage } from "../views/Layout.tsx";
import { type Locale, t as say } from "../lib/i18n.ts";
import { fieldWords } from "../routes/validation.ts";

const t = await testApp({ env: { PSEUDO_LOCALE: "1" } });

const XA = { "Accept-Language": "en-XA" };

/** Brand names, the languages each named in itself, and the zone ids of the zone select. */
const ALWAYS = [
  "Spotter",
  "Telegram",
  "English",
  "Deutsch",
  "Español",
  "Europe/Berlin",
];

/** What a person reads of a page, from its title on. */
function readable(page: string): string {
  const from = page.indexOf("<title>");
  return readableText(from >= 0 ? page.slice(from) : page);
}

const english = (page: string, allowed: readonly string[] = []) =>
  rawEnglish(readable(page), [...allowed, ...ALWAYS]);

/** One view rendered in `locale`, as `page()` provides it. */
const render = async <P extends object>(
  locale: Locale,
  // deno-lint-ignore no-explicit-any
  view: (props: P) => any,
  props: P,
) =>
  String(
    await html`${
      jsx(LocaleContext.Provider, { value: locale }, jsx(view, props))
    }`,
  );

dbTest("signed out, every page and form speaks the pseudo-locale", async () => {
  const trainer = await signUpTrainer(t);
  const b = new Browser(t);
  const pages: [string, number][] = [
    ["/", 200],
    ["/signup", 200],
    ["/join", 200],
    [`/join/${trainer.referralCode}`, 200],
    ["/join/NOPE-NOPE-NOPE", 404],
    ["/signin", 200],
    ["/password-reset", 200],
    [`/password-reset/${"x".repeat(43)}`, 404],
    [`/verify-email/${"y".repeat(43)}`, 200],
    ["/no-such-page", 404],
  ];
  for (const [path, status] of pages) {
    const res = await b.get(path, XA);
    assert.equal(res.status, status, path);
    assert.deepEqual(
      english(res.text, ["Tess Trainer", trainer.referralCode]),
      [],
      path,
    );
  }
  const posts: [string, Record<string, string>, number][] = [
    [
      "/signup",
      { name: "", email: "nope", password: "short", timezone: "" },
      422,
    ],
    ["/signup", {
      name: "Ann",
      email: trainer.email,
      password: "aaaaaaaaaaaa",
      timezone: "UTC",
    }, 422],
    ["/join", { referralCode: "", name: "", email: "", password: "" }, 422],
    ["/join", {
      referralCode: "ZZZZ-ZZZZ-ZZZZ",
      name: "Jo",
      email: uniqueEmail(),
      password: "password-1",
    }, 422],
    ["/signin", { email: trainer.email, password: "wrong-one" }, 401],
    ["/password-reset", { email: "" }, 422],
    ["/password-reset", { email: trainer.email }, 200],
    [`/password-reset/${"x".repeat(43)}`, { password: "password-2" }, 404],
    [`/verify-email/${"y".repeat(43)}`, {}, 404],
  ];
  for (const [path, form, status] of posts) {
    const res = await b.post(path, form, XA);
    assert.equal(res.status, status, `POST ${path} ${JSON.stringify(form)}`);
    assert.deepEqual(
      english(res.text, ["Ann", "Jo", trainer.email]),
      [],
      `POST ${path}`,
    );
  }
  // A form without its token: the error page.
  const forged = await b.request("POST", "/signin", { email: "x" }, XA);
  assert.equal(forged.status, 403);
  assert.deepEqual(english(forged.text), []);
  // A validation message the forms show, and the one a form with a repeated password gets.
  assert.match(
    (await b.post("/signup", {
      name: "A",
      email: "a@x.test",
      password: "aaaaaaaaaaaa",
      timezone: "UTC",
    }, XA)).text,
    /id="f-password-error">\[/,
  );
});

dbTest(
  "a trainer's profile, notifications and account pages speak the pseudo-locale",
  async () => {
    const b = new Browser(t);
    const email = uniqueEmail("trainer");
    const signUp = await b.post("/signup", {
      name: "Tess Trainer",
      email,
      password: "password-1",
      timezone: "Europe/Berlin",
    }, XA);
    assert.equal(signUp.status, 303);
    const profile = await b.get("/profile", XA);
    const code = /<strong class="code">([A-Z0-9-]+)<\/strong>/.exec(
      profile.text,
    )![1];
    const allowed = ["Tess Trainer", email, code, "Cleo Client"];
    const client = await signUpClient(t, code);
    // The welcome flash, the referral card, the unconfirmed e-mail, devices, data, language.
    assert.deepEqual(english(profile.text, allowed), []);
    assert.match(profile.text, /id="devices"/);
    assert.match(profile.text, /id="confirm-email"/);
    for (const path of ["/notifications", "/profile/referral-code"]) {
      const res = await b.get(path, XA);
      assert.equal(res.status, 200, path);
      assert.deepEqual(english(res.text, allowed), [], path);
    }
    // A profile refused: every field's message in the pseudo-locale.
    const refused = await b.post("/profile", {
      name: "",
      email: "not-an-address",
      newPassword: "short",
      currentPassword: "",
    }, XA);
    assert.equal(refused.status, 422);
    assert.deepEqual(english(refused.text, allowed), []);
    const wrong = await b.post("/profile", {
      name: "Tess Trainer",
      email,
      newPassword: "a-new-password-9",
      currentPassword: "not-it-at-all",
    }, XA);
    assert.equal(wrong.status, 422);
    assert.deepEqual(english(wrong.text, allowed), []);
    // Closing the business before downloading it: back on the profile with the refusal.
    const close = await b.get("/profile/delete", XA);
    assert.equal(close.status, 303);
    assert.deepEqual(english((await b.get("/profile", XA)).text, allowed), []);
    // Flashes of the profile's forms.
    for (
      const [path, form] of [
        ["/profile/reminders", { remindersEnabled: "on" }],
        ["/profile/reminders", {}],
        ["/profile/referral-code", {}],
        ["/profile/telegram/unlink", {}],
        ["/profile/telegram", {}],
        ["/profile/verify-email", {}],
        ["/profile/sessions/signout-others", {}],
      ] as const
    ) {
      const res = await b.post(path, form, XA);
      assert.equal(res.status, 303, path);
      const next = await b.get(res.headers.get("Location")!, XA);
      const now = /<strong class="code">([A-Z0-9-]+)<\/strong>/.exec(next.text)
        ?.[1];
      assert.deepEqual(english(next.text, [...allowed, now ?? code]), [], path);
    }
    // With a client, a booking and its notices: the log, the filter and the remove page.
    const trainerId = (await t.sql<{ id: string }[]>`
    SELECT id FROM users WHERE email = ${email}`)[0].id;
    await insertSession(t.sql, {
      trainerId,
      clientId: client.id,
      start: "2026-12-02T09:00:00Z",
      now: t.clock.now(),
    });
    const log = await b.get("/notifications", XA);
    assert.match(log.text, /<tbody>/);
    assert.deepEqual(english(log.text, [...allowed, client.email]), []);
    const filtered = await b.get(`/notifications?client=${client.id}`, XA);
    assert.deepEqual(english(filtered.text, [...allowed, client.email]), []);
    const unknown = await b.get(
      "/clients/00000000-0000-4000-8000-000000000000/remove",
      XA,
    );
    assert.equal(unknown.status, 404);
    assert.deepEqual(english(unknown.text, allowed), []);
    const remove = await b.get(`/clients/${client.id}/remove`, XA);
    assert.equal(remove.status, 200);
    assert.deepEqual(english(remove.text, allowed), []);
    const removeWrong = await b.post(`/clients/${client.id}/remove`, {
      password: "wrong-password",
    }, XA);
    assert.equal(removeWrong.status, 422);
    assert.deepEqual(english(removeWrong.text, allowed), []);
    const removed = await b.post(`/clients/${client.id}/remove`, {
      password: "password-1",
    }, XA);
    assert.equal(removed.status, 303);
    // The clients page is the trainer area's: only its flash is checked here.
    const clients = await b.get(removed.headers.get("Location")!, XA);
    const flash = /<p\s+class="flash[^"]*"[^>]*>([\s\S]*?)<\/p>/.exec(
      clients.text,
    );
    assert.ok(flash);
    assert.deepEqual(rawEnglish(flash[1]), []);
    const out = await b.post("/signout", {}, XA);
    assert.equal(out.status, 303);
    assert.deepEqual(english((await b.get("/signin", XA)).text), []);
  },
);

dbTest(
  "a client's profile, notifications and delete pages speak the pseudo-locale",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    await insertSession(t.sql, {
      trainerId: trainer.id,
      clientId: client.id,
      start: "2026-12-02T09:00:00Z",
      now: t.clock.now(),
    });
    const b = new Browser(t);
    await b.post(
      "/signin",
      { email: client.email, password: "password-1" },
      XA,
    );
    const allowed = [
      "Tess Trainer",
      "Cleo Client",
      client.email,
      trainer.email,
    ];
    for (const path of ["/profile", "/notifications", "/profile/delete"]) {
      const res = await b.get(path, XA);
      assert.equal(res.status, 200, path);
      assert.deepEqual(english(res.text, allowed), [], path);
    }
    const reminders = await b.post("/notifications/reminders", {}, XA);
    assert.deepEqual(
      english(
        (await b.get(reminders.headers.get("Location")!, XA)).text,
        allowed,
      ),
      [],
    );
    const wrong = await b.post(
      "/profile/delete",
      { password: "nope-nope" },
      XA,
    );
    assert.equal(wrong.status, 422);
    assert.deepEqual(english(wrong.text, allowed), []);
    const gone = await b.post(
      "/profile/delete",
      { password: "password-1" },
      XA,
    );
    assert.equal(gone.status, 303);
    assert.deepEqual(english((await b.get("/", XA)).text, allowed), []);
  },
);

dbTest(
  "views a route cannot reach without mail or a bot speak the pseudo-locale",
  async () => {
    const now = Temporal.Instant.from("2026-12-01T08:00:00Z");
    const session = (id: string, via: "browser" | "api", current: boolean) => ({
      id,
      via,
      current,
      userAgent: via === "api" ? "curl/8.5.0" : undefined,
      createdAt: now,
      lastUsedAt: now,
    });
    const parts = [
      await render("en-XA", NewPasswordForm, {
        csrf: "c",
        token: "t",
        error: "x",
        fieldError: "y",
      }),
      await render("en-XA", DevicesCard, {
        csrf: "c",
        timezone: "Europe/Berlin",
        sessions: [session("1", "browser", true), session("2", "api", false)],
      }),
      await render("en-XA", TelegramCard, {
        csrf: "c",
        available: true,
        linked: false,
        link: "https://t.me/x",
      }),
      await render("en-XA", TelegramCard, {
        csrf: "c",
        available: true,
        linked: true,
      }),
      await render("en-XA", TelegramCard, {
        csrf: "c",
        available: false,
        linked: false,
      }),
      ...await Promise.all(
        [403, 409, 503, 500].map((status) =>
          render("en-XA", ErrorPage, { status, message: "z" })
        ),
      ),
    ];
    for (const part of parts) {
      assert.deepEqual(
        rawEnglish(readableText(part), ["curl", "Telegram"]),
        [],
      );
    }
    assert.match(
      await render("de", ErrorPage, { status: 503, message: "z" }),
      /Kurz nicht verfügbar/,
    );
  },
);

dbTest(
  "German and Russian pages read as themselves, validation messages too",
  async () => {
    const b = new Browser(t);
    const de = await b.get("/signin", { "Accept-Language": "de-DE,de;q=0.9" });
    assert.match(de.text, /<html lang="de">/);
    assert.match(de.text, /Passwort vergessen\?/);
    assert.match(de.text, /<title>Anmelden · Spotter<\/title>/);
    assert.match(de.text, /Sprache/);
    const form = await b.post("/signup", {
      name: "",
      email: "",
      password: "short",
      timezone: "",
    }, { "Accept-Language": "de" });
    assert.equal(form.status, 422);
    assert.match(form.text, /id="f-name-error">ist erforderlich</);
    assert.match(form.text, /muss mindestens 10 Zeichen lang sein/);
    const ru = await b.get("/password-reset", { "Accept-Language": "ru" });
    assert.match(ru.text, /Сброс пароля/);
    assert.match(ru.text, /Прислать ссылку/);
    const missing = await b.get("/nowhere", { "Accept-Language": "ru" });
    assert.equal(missing.status, 404);
    assert.match(missing.text, /По этому адресу нет страницы\./);
    // A signed-in Russian reader: nav, profile cards and the saved-language flash.
    const trainer = await signUpTrainer(t, { language: "ru" });
    const signedIn = new Browser(t);
    await signedIn.post("/signin", {
      email: trainer.email,
      password: "password-1",
    });
    const profile = await signedIn.get("/profile");
    assert.match(profile.text, /<h2>Пригласить клиентов<\/h2>/);
    assert.match(profile.text, /Устройства, где выполнен вход/);
    assert.match(profile.text, />Расписание</);
    const saved = await signedIn.post("/profile/language", { language: "de" });
    assert.equal(saved.status, 303);
    const nowDe = await signedIn.get("/profile");
    assert.match(nowDe.text, /Ihre Sprache ist gespeichert\./);
    assert.match(nowDe.text, />Terminplan</);
  },
);

Deno.test("Russian counts attempts, minutes and characters with its own forms", () => {
  const attempts = (count: number) =>
    say("ru", "site.notifications.attempts", { count });
  assert.equal(attempts(0), "0 попыток");
  assert.equal(attempts(1), "1 попытка");
  assert.equal(attempts(2), "2 попытки");
  assert.equal(attempts(5), "5 попыток");
  assert.equal(attempts(21), "21 попытка");
  const minutes = (minutes: number) =>
    say("ru", "site.signin.too_many", { minutes });
  assert.match(minutes(1), /через 1 минуту\.$/);
  assert.match(minutes(2), /через 2 минуты\.$/);
  assert.match(minutes(5), /через 5 минут\.$/);
  assert.match(minutes(21), /через 21 минуту\.$/);
  assert.equal(
    say("en", "site.signin.too_many", { minutes: 15 }),
    "Too many failed attempts. Try again in 15 minutes.",
  );
  assert.equal(
    fieldWords("must be at most 200 characters", "ru"),
    "не длиннее 200 символов",
  );
  assert.equal(
    fieldWords("must be at least 10 characters", "es"),
    "debe tener al menos 10 caracteres",
  );
  assert.equal(fieldWords("is required", "en"), "is required");
  assert.equal(fieldWords("something new", "de"), "something new");
});

dbTest(
  "the signed-out footer's language switch keeps the pick in a cookie, back on the same page",
  async () => {
    const b = new Browser(t);
    const signin = await b.get("/signin", { "Accept-Language": "de" });
    assert.match(signin.text, /<form method="post" action="\/language"/);
    assert.match(
      signin.text,
      /<input type="hidden" name="next" value="\/signin"/,
    );
    assert.match(
      signin.text,
      /<option value="ru" lang="ru"\s*>Русский<\/option>/,
    );
    assert.match(
      signin.text,
      /<option value="de" lang="de" selected>Deutsch/,
    );
    const res = await b.post("/language", { lang: "ru", next: "/signin" });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("Location"), "/signin");
    const cookie = res.headers.getSetCookie().find((c) =>
      c.startsWith("spotter_lang=")
    );
    assert.ok(cookie);
    assert.match(cookie, /^spotter_lang=ru;/);
    assert.match(cookie, /Max-Age=31536000/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\//);
    // The cookie wins over the browser's Accept-Language.
    const ru = await b.get("/signin", { "Accept-Language": "de" });
    assert.match(ru.text, /<html lang="ru">/);
    assert.match(ru.text, /Забыли пароль\?/);
    // Only same-site paths: anything else goes to the start page; a bad pick sets nothing.
    for (
      const next of [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:x",
        "",
      ]
    ) {
      const away = await b.post("/language", { lang: "es", next });
      assert.equal(away.headers.get("Location"), "/", next);
    }
    assert.match((await b.get("/signin")).text, /¿Olvidaste la contraseña\?/);
    const bad = await b.post("/language", { lang: "xx", next: "/join" });
    assert.equal(bad.status, 303);
    assert.equal(bad.headers.get("Location"), "/join");
    assert.equal(
      bad.headers.getSetCookie().some((c) => c.startsWith("spotter_lang=")),
      false,
    );
    // Without the form's token the switch is refused, like every form.
    const forged = await b.request("POST", "/language", {
      lang: "de",
      next: "/",
    });
    assert.equal(forged.status, 403);
    // A new account takes the picked language; signed in, the account's own wins.
    const email = uniqueEmail("trainer");
    await b.post("/signup", {
      name: "Tess Trainer",
      email,
      password: "password-1",
      timezone: "Europe/Berlin",
    }, { "Accept-Language": "de" });
    const [{ language }] = await t.sql<{ language: string }[]>`
    SELECT language FROM users WHERE email = ${email}`;
    assert.equal(language, "es");
    const mine = await b.post("/profile/language", { language: "ru" });
    assert.equal(mine.status, 303);
    const profile = await b.get("/profile", { "Accept-Language": "de" });
    assert.match(profile.text, /<html lang="ru">/);
    assert.doesNotMatch(profile.text, /action="\/language"/);
    // The JSON API is left as it is.
    const apiAnswer = await api(t, "POST", "/api/sessions", {
      body: { email, password: "wrong" },
    });
    assert.equal(apiAnswer.status, 401);
  },
);
