/** Pages a phone user relies on, checked in-process: day tabs, the join link and QR, a new code. */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";

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
