/** Confirmed addresses: a link at sign-up and after a change; no e-mail notice before. */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import {
  api,
  Browser,
  signUpClient,
  signUpTrainer,
  uniqueEmail,
} from "./helpers/http.ts";
import { FakeSmtp } from "./helpers/fake_smtp.ts";
import { FakeTelegram } from "./helpers/fake_telegram.ts";
import { createMailer } from "../jobs/mailer.ts";
import { createTelegramApi } from "../jobs/telegram.ts";
import { deliverAccountMessages } from "../jobs/account_mail.ts";
import { deliverDue } from "../jobs/deliver.ts";

const smtp = await FakeSmtp.start();
const fake = await FakeTelegram.start();
const mailer = createMailer({ smtpUrl: smtp.url, from: "Spotter <a@b.test>" });
const telegram = createTelegramApi({
  token: fake.token,
  apiRoot: fake.url,
  timeoutSeconds: 1,
});
globalThis.addEventListener("unload", () => {
  mailer.close();
  void smtp.close();
  void fake.close();
});
const t = await testApp({
  now: "2026-12-01T08:00:00Z",
  env: { SMTP_URL: smtp.url },
});

const deliverAll = async () => {
  const deps = {
    sql: t.sql,
    now: t.clock.now(),
    appUrl: t.deps.config.appUrl,
    mailer,
    telegram,
  };
  await deliverAccountMessages(deps);
  return await deliverDue(deps);
};

const mailsTo = (email: string) =>
  smtp.received.filter((m) => m.to.includes(email));

function verifyPath(email: string): string {
  const mail = mailsTo(email).findLast((m) => /Confirm/.test(m.subject));
  assert.ok(mail, `a confirmation link went to ${email}`);
  return /http:\/\/spotter\.test(\/verify-email\/[\w-]{43})/.exec(
    mail.text.replace(/=\r?\n/g, ""),
  )![1];
}

let hour = 9;
const book = (token: string, clientId: string) =>
  api(t, "POST", "/api/appointments", {
    token,
    body: {
      clientId,
      start: `2026-12-1${hour++ % 10}T10:00:00+01:00`,
    },
  });

dbTest(
  "until its link is used an address gets no e-mail notices (Telegram still does); then it does",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    await deliverAll();
    const path = verifyPath(client.email);

    const b = new Browser(t);
    await b.post("/signin", { email: client.email, password: "password-1" });
    assert.match((await b.get("/profile")).text, /Confirm your e-mail address/);

    assert.equal((await book(trainer.token, client.id)).status, 201);
    const before = mailsTo(client.email).length;
    const held = await deliverAll();
    assert.equal(mailsTo(client.email).length, before, "nothing mailed yet");
    assert.ok(held.skipped >= 1);

    // Telegram is not held back.
    await t
      .sql`UPDATE users SET telegram_chat_id = 515151 WHERE id = ${client.id}`;
    assert.equal((await book(trainer.token, client.id)).status, 201);
    const calls = fake.calls.length;
    await deliverAll();
    assert.ok(
      fake.calls.slice(calls).some((c) => c.body.chat_id === 515151),
    );
    await t
      .sql`UPDATE users SET telegram_chat_id = NULL WHERE id = ${client.id}`;

    // The link's page confirms only on its button (a mail scanner's GET does nothing).
    assert.equal((await b.get(path)).status, 200);
    assert.match((await b.get("/profile")).text, /Confirm your e-mail address/);
    const confirmed = await b.post(path);
    assert.equal(confirmed.status, 303);
    assert.doesNotMatch((await b.get("/profile")).text, /id="confirm-email"/);
    assert.equal((await b.post(path)).status, 404, "used once");

    assert.equal((await book(trainer.token, client.id)).status, 201);
    await deliverAll();
    assert.ok(mailsTo(client.email).length > before, "now e-mail comes");
  },
);

dbTest(
  "changing the address needs the password, tells the old one and needs a new confirmation",
  async () => {
    const trainer = await signUpTrainer(t);
    await deliverAll();
    const first = verifyPath(trainer.email);
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    assert.equal((await b.post(first)).status, 303);

    const next = uniqueEmail("moved");
    const refused = await b.post("/profile", {
      name: "Tess Trainer",
      email: next,
      currentPassword: "wrong-pass-1",
    });
    assert.equal(refused.status, 422);
    const saved = await b.post("/profile", {
      name: "Tess Trainer",
      email: next,
      currentPassword: "password-1",
    });
    assert.equal(saved.status, 303);
    await deliverAll();
    const told = mailsTo(trainer.email).findLast((m) =>
      /was changed/.test(m.subject)
    );
    assert.ok(told, "the old address is told");
    assert.ok(told.text.replace(/=\r?\n/g, "").includes(next));
    assert.match((await b.get("/profile")).text, /Confirm your e-mail address/);
    const [row] = await t.sql<{ verified: boolean }[]>`
      SELECT email_verified_at IS NOT NULL AS verified FROM users WHERE id = ${trainer.id}`;
    assert.equal(row.verified, false);
    assert.equal((await b.post(verifyPath(next))).status, 303);
    assert.doesNotMatch((await b.get("/profile")).text, /id="confirm-email"/);
  },
);

dbTest(
  "a link for an address the account no longer has confirms nothing",
  async () => {
    const trainer = await signUpTrainer(t);
    await deliverAll();
    const old = verifyPath(trainer.email);
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    await b.post("/profile", {
      name: "Tess Trainer",
      email: uniqueEmail("other"),
      currentPassword: "password-1",
    });
    const res = await b.post(old);
    assert.equal(res.status, 404);
    assert.match(res.text, /no longer has/);
    assert.equal((await b.post("/verify-email/not-a-token")).status, 404);
    // Three links an hour per account: sign-up's, the changed address's, and one more.
    for (let i = 0; i < 3; i++) await b.post("/profile/verify-email");
    const limited = await b.post("/profile/verify-email");
    assert.equal(limited.status, 303);
    assert.equal(
      (await t.sql`SELECT 1 FROM account_messages WHERE user_id = ${trainer.id}
      AND kind = 'verify_email'`).length,
      2, // sign-up's was sent already
    );
  },
);
