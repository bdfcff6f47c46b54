/**
 * Who speaks what: a new account takes the browser's language (or the API's `language`
 * field), the profile changes it, and `<html lang>` follows the viewer (signed out: the
 * browser's `Accept-Language`).
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpTrainer, uniqueEmail } from "./helpers/http.ts";

const t = await testApp();

const languageOf = async (id: string) =>
  (await t.sql<{ language: string }[]>`
    SELECT language FROM users WHERE id = ${id}`)[0].language;

const htmlLang = (page: string) => /<html lang="([^"]+)"/.exec(page)?.[1];

dbTest(
  "a signed-out page is in the browser's language, English when none fits",
  async () => {
    const browser = new Browser(t);
    const ask = async (accept?: string) =>
      htmlLang(
        (await browser.get(
          "/signin",
          accept ? { "Accept-Language": accept } : {},
        )).text,
      );
    assert.equal(await ask("ru-RU,ru;q=0.9,en;q=0.5"), "ru");
    assert.equal(await ask("fr-FR, de;q=0.8"), "de");
    assert.equal(await ask("es-419"), "es");
    assert.equal(await ask("fr, ja;q=0.5"), "en");
    assert.equal(await ask("de;q=0, es;q=0.4"), "es");
    assert.equal(await ask(), "en");
  },
);

dbTest(
  "the JSON sign-up takes an optional language, else Accept-Language, else English",
  async () => {
    const es = await signUpTrainer(t, { language: "es" });
    assert.equal(await languageOf(es.id), "es");
    const plain = await signUpTrainer(t);
    assert.equal(await languageOf(plain.id), "en");
    const res = await api(t, "POST", "/api/clients", {
      body: {
        referralCode: es.referralCode,
        name: "Dmitri",
        email: uniqueEmail(),
        password: "password-1",
      },
      headers: { "Accept-Language": "ru-RU,ru;q=0.9" },
    });
    assert.equal(res.status, 201);
    assert.equal(await languageOf(res.body.id), "ru");
  },
);

dbTest(
  "a language Spotter does not speak is a validation error that writes nothing",
  async () => {
    const email = uniqueEmail();
    const res = await api(t, "POST", "/api/trainers", {
      body: {
        name: "Fleur",
        email,
        password: "password-1",
        timezone: "Europe/Paris",
        language: "fr",
      },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "validation_failed");
    assert.match(res.body.error.fields.language, /en, de, es, ru/);
    const [{ n }] = await t.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM users WHERE email = ${email}`;
    assert.equal(n, 0);
  },
);

dbTest(
  "a trainer who signs up in a German browser reads German, and the profile switches it",
  async () => {
    const browser = new Browser(t);
    const german = { "Accept-Language": "de-DE,de;q=0.9" };
    await browser.get("/signup", german);
    const signed = await browser.post("/signup", {
      name: "Greta",
      email: uniqueEmail(),
      password: "password-1",
      timezone: "Europe/Berlin",
    }, german);
    assert.equal(signed.status, 303);
    const profile = await browser.get("/profile", { "Accept-Language": "en" });
    assert.equal(htmlLang(profile.text), "de", "the account's language wins");
    assert.match(
      profile.text,
      /<option value="de" lang="de" selected>Deutsch<\/option>/,
    );

    const saved = await browser.post("/profile/language", { language: "ru" });
    assert.equal(saved.status, 303);
    assert.equal(htmlLang((await browser.get("/profile")).text), "ru");

    const refused = await browser.post("/profile/language", { language: "xx" });
    assert.equal(refused.status, 303);
    assert.equal(htmlLang((await browser.get("/profile")).text), "ru");
  },
);
