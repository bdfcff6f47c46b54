/**
 * The JSON API answers an error's `message` in the caller's language (their own, or the
 * browser's when signed out); `code`, `fields` and the status stay the contract's.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";

const t = await testApp({ now: "2026-12-01T08:00:00Z" });

dbTest(
  "a refusal's message is in the caller's language, its code the contract's",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const past = { start: "2026-11-30T09:00:00+01:00" };
    const english = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: past,
    });
    assert.equal(english.status, 422);
    assert.equal(english.body.error.code, "in_past");
    assert.equal(
      english.body.error.message,
      "That time has already passed. Pick another one.",
    );
    await t.sql`UPDATE users SET language = 'de' WHERE id = ${client.id}`;
    const german = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: past,
    });
    assert.equal(german.status, 422);
    assert.equal(german.body.error.code, "in_past");
    assert.match(german.body.error.message, /vorbei/);
    // A validation error keeps its fields (the contract's words) and says the rest in German.
    const bad = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "soon" },
    });
    assert.equal(bad.body.error.code, "validation_failed");
    assert.equal(bad.body.error.message, "Einige Felder sind nicht gültig.");
    assert.ok(bad.body.error.fields.start);
    // A trainer reads the trainer's words of the same refusal, in Russian.
    await t.sql`UPDATE users SET language = 'ru' WHERE id = ${trainer.id}`;
    const other = await signUpClient(t, trainer.referralCode, "Other");
    await api(t, "POST", "/api/appointments", {
      token: other.token,
      body: { start: "2026-12-02T10:00:00+01:00" },
    });
    const clash = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: client.id, start: "2026-12-02T10:00:00+01:00" },
    });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, "slot_taken");
    assert.match(clash.body.error.message, /[а-я]/);
    const { t: translate } = await import("../lib/i18n.ts");
    assert.equal(
      clash.body.error.message,
      translate("ru", "refusal.slot_taken.trainer"),
    );
  },
);

dbTest("signed out, the browser's language words the error", async () => {
  const res = await api(t, "GET", "/api/appointments", {
    headers: { "Accept-Language": "ru-RU,ru;q=0.9" },
  });
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, "unauthorized");
  assert.equal(res.body.error.message, "Сначала войдите.");
});

dbTest(
  "an account refusal's message is in the browser's language too",
  async () => {
    const res = await api(t, "POST", "/api/password-resets/not-a-real-token", {
      headers: { "Accept-Language": "de-DE" },
      body: { password: "a new password 123" },
    });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "invalid_reset_link");
    const { t: translate } = await import("../lib/i18n.ts");
    assert.equal(
      res.body.error.message,
      translate("de", "refusal.invalid_reset_link"),
    );
  },
);

dbTest(
  "a refused form's error page speaks the browser's language",
  async () => {
    const res = await t.app.request("/signin", {
      method: "POST",
      headers: {
        "Accept-Language": "ru",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "email=a%40b.test&password=x",
    });
    assert.equal(res.status, 403);
    const { t: translate } = await import("../lib/i18n.ts");
    const page = await res.text();
    assert.ok(page.includes(translate("ru", "error.csrf_expired")), page);
  },
);
