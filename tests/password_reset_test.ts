/** "Forgot password?": one-time links by e-mail and Telegram, through the pages and the API. */
import assert from "node:assert/strict";
import { dbTest, testApp, type TestContext } from "./helpers/app.ts";
import { api, Browser, signUpTrainer, uniqueEmail } from "./helpers/http.ts";
import { FakeSmtp } from "./helpers/fake_smtp.ts";
import { FakeTelegram } from "./helpers/fake_telegram.ts";
import { createMailer } from "../jobs/mailer.ts";
import { createTelegramApi } from "../jobs/telegram.ts";
import { deliverAccountMessages } from "../jobs/account_mail.ts";
import { THROTTLES } from "../db/throttle.ts";
import { sha256 } from "../lib/security.ts";

const smtp = await FakeSmtp.start();
const fake = await FakeTelegram.start();
const mailer = createMailer({ smtpUrl: smtp.url, from: "Spotter <a@b.test>" });
const telegram = createTelegramApi({
  token: fake.token,
  apiRoot: fake.url,
  timeoutSeconds: 1,
});
const t = await testApp({
  env: { SMTP_URL: smtp.url, TELEGRAM_BOT_TOKEN: fake.token },
  deps: {
    throttles: { ...THROTTLES, signUpPerAddress: { limit: 1e5, minutes: 15 } },
  },
});

globalThis.addEventListener("unload", () => {
  mailer.close();
  void smtp.close();
  void fake.close();
});

const deliver = (ctx: TestContext = t) =>
  deliverAccountMessages({
    sql: ctx.sql,
    now: ctx.clock.now(),
    appUrl: ctx.deps.config.appUrl,
    mailer,
    telegram,
  });

/** The reset link in the last e-mail to `email`. */
function mailedLink(email: string): string {
  const mail = smtp.received.findLast((m) =>
    m.to.includes(email) && /Reset/.test(m.subject)
  );
  assert.ok(mail, `an e-mail went to ${email}`);
  const link = /http:\/\/spotter\.test(\/password-reset\/[\w-]{43})/.exec(
    mail.text.replace(/=\r?\n/g, ""),
  );
  assert.ok(link, mail.text);
  return link[1];
}

/** A trainer whose sign-up e-mail (the address confirmation) is already out. */
async function trainerAccount() {
  const trainer = await signUpTrainer(t);
  await deliver();
  return trainer;
}

let address = 0;
const from = () => ({ "X-Forwarded-For": `198.18.0.${++address % 250}` });

dbTest(
  "a reset link by e-mail sets a new password once, and ends every session",
  async () => {
    const trainer = await trainerAccount();
    const res = await api(t, "POST", "/api/password-resets", {
      body: { email: trainer.email.toUpperCase() },
      headers: from(),
    });
    assert.equal(res.status, 202);
    assert.equal((await deliver()).sent, 1);
    const path = mailedLink(trainer.email);
    // The message row is gone once sent, and only a hash of the token is kept.
    assert.equal(
      (await t.sql`SELECT 1 FROM account_messages`).length,
      0,
    );
    const token = path.split("/").pop()!;
    assert.equal(
      (await t.sql`SELECT 1 FROM password_resets
        WHERE token_hash = ${sha256(token)}`).length,
      1,
    );

    // The page asks for a new password; a weak one is refused and nothing is used up.
    const b = new Browser(t);
    assert.equal((await b.get(path)).status, 200);
    const weak = await b.post(path, { password: "short" });
    assert.equal(weak.status, 422);
    const done = await b.post(path, { password: "a-new-password-7" });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("Location"), "/signin");

    // Every session ended; the old password no longer works, the new one does.
    assert.equal(
      (await api(t, "GET", "/api/settings", { token: trainer.token })).status,
      401,
    );
    const old = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "password-1" },
      headers: from(),
    });
    assert.equal(old.status, 401);
    const fresh = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "a-new-password-7" },
      headers: from(),
    });
    assert.equal(fresh.status, 200);

    // Used once: a second use is refused, on the page and through the API.
    assert.equal((await b.get(path)).status, 404);
    const again = await api(
      t,
      "POST",
      `/api${path.replace("password-reset", "password-resets")}`,
      {
        body: { password: "another-password-8" },
      },
    );
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, "invalid_reset_link");
  },
);

dbTest("a reset link expires after 30 minutes", async () => {
  const trainer = await trainerAccount();
  await api(t, "POST", "/api/password-resets", {
    body: { email: trainer.email },
    headers: from(),
  });
  await deliver();
  const token = mailedLink(trainer.email).split("/").pop()!;
  t.clock.advance({ minutes: 31 });
  const late = await api(t, "POST", `/api/password-resets/${token}`, {
    body: { password: "a-new-password-7" },
  });
  assert.equal(late.status, 404);
  assert.equal(late.body.error.code, "invalid_reset_link");
  const signIn = await api(t, "POST", "/api/sessions", {
    body: { email: trainer.email, password: "password-1" },
    headers: from(),
  });
  assert.equal(signIn.status, 200);
});

dbTest(
  "a link sets the password of its own account only, and made-up links do nothing",
  async () => {
    const ana = await trainerAccount();
    const ben = await trainerAccount();
    await api(t, "POST", "/api/password-resets", {
      body: { email: ana.email },
      headers: from(),
    });
    await deliver();
    const token = mailedLink(ana.email).split("/").pop()!;
    const used = await api(t, "POST", `/api/password-resets/${token}`, {
      body: { password: "a-new-password-7" },
    });
    assert.equal(used.status, 204);
    // Ben's account keeps its password and its session.
    assert.equal(
      (await api(t, "GET", "/api/settings", { token: ben.token })).status,
      200,
    );
    const benIn = await api(t, "POST", "/api/sessions", {
      body: { email: ben.email, password: "password-1" },
      headers: from(),
    });
    assert.equal(benIn.status, 200);
    const benNew = await api(t, "POST", "/api/sessions", {
      body: { email: ben.email, password: "a-new-password-7" },
      headers: from(),
    });
    assert.equal(benNew.status, 401);
    for (const made of ["x", "A".repeat(43), "not-a-token-at-all"]) {
      const res = await api(t, "POST", `/api/password-resets/${made}`, {
        body: { password: "a-new-password-7" },
      });
      assert.equal(res.status, 404, made);
    }
  },
);

dbTest(
  "an unknown address gets the same answer and no message; a known one with a chat gets Telegram too",
  async () => {
    const trainer = await trainerAccount();
    const before = smtp.received.length;
    const unknown = await api(t, "POST", "/api/password-resets", {
      body: { email: uniqueEmail("nobody") },
      headers: from(),
    });
    await t
      .sql`UPDATE users SET telegram_chat_id = 4242 WHERE id = ${trainer.id}`;
    const known = await api(t, "POST", "/api/password-resets", {
      body: { email: trainer.email },
      headers: from(),
    });
    assert.equal(unknown.status, known.status);
    assert.deepEqual(unknown.body, known.body);
    const sent = fake.calls.length;
    assert.equal((await deliver()).sent, 2);
    assert.equal(smtp.received.length, before + 1);
    const call = fake.calls.slice(sent).find((c) => c.method === "sendMessage");
    assert.equal(call?.body.chat_id, 4242);
    const tgToken =
      /password-reset\/([\w-]{43})/.exec(String(call?.body.text))![1];
    // Either link works, once; the other is gone with it.
    assert.equal(
      (await api(t, "POST", `/api/password-resets/${tgToken}`, {
        body: { password: "a-new-password-7" },
      })).status,
      204,
    );
    const mailToken = mailedLink(trainer.email).split("/").pop()!;
    assert.equal(
      (await api(t, "POST", `/api/password-resets/${mailToken}`, {
        body: { password: "a-new-password-8" },
      })).status,
      404,
    );
  },
);

dbTest(
  "reset requests are throttled per address (429) and per account (silently)",
  async () => {
    const trainer = await trainerAccount();
    const here = { "X-Forwarded-For": "198.19.0.1" };
    const before = smtp.received.filter((m) => m.to.includes(trainer.email))
      .length;
    for (let i = 0; i < 10; i++) {
      const res = await api(t, "POST", "/api/password-resets", {
        body: { email: i < 5 ? trainer.email : uniqueEmail("x") },
        headers: here,
      });
      assert.equal(res.status, 202);
    }
    const refused = await api(t, "POST", "/api/password-resets", {
      body: { email: trainer.email },
      headers: here,
    });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("Retry-After")) > 0);
    await deliver();
    const after = smtp.received.filter((m) => m.to.includes(trainer.email))
      .length;
    assert.equal(after - before, 3, "three links per account an hour");
    // The form says the same as the API.
    const b = new Browser(t);
    const page = await b.post(
      "/password-reset",
      { email: trainer.email },
      here,
    );
    assert.equal(page.status, 429);
  },
);

dbTest(
  "the sign-in page links to the reset form, which works without JavaScript",
  async () => {
    const trainer = await trainerAccount();
    const b = new Browser(t);
    const signIn = await b.get("/signin");
    assert.match(signIn.text, /href="\/password-reset"/);
    const sent = await b.post(
      "/password-reset",
      { email: trainer.email },
      from(),
    );
    assert.equal(sent.status, 200);
    assert.match(sent.text, /If an account has this address/);
    const bad = await b.post(
      "/password-reset",
      { email: "not an address" },
      from(),
    );
    assert.equal(bad.status, 422);
  },
);
