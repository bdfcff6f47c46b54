/** The profile lists the account's signed-in devices and signs any of them out. */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpTrainer } from "./helpers/http.ts";
import { deviceName } from "../views/DeviceViews.tsx";

const t = await testApp({ now: "2026-12-01T08:00:00Z" });

const PHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
const DESKTOP =
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

async function signedIn(email: string, userAgent: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" }, {
    "User-Agent": userAgent,
  });
  assert.equal(res.status, 303);
  return b;
}

const signOutIds = (html: string) =>
  [...html.matchAll(/action="\/profile\/sessions\/([0-9a-f-]{36})\/signout"/g)]
    .map((m) => m[1]);

Deno.test("a user agent gives a rough device name", () => {
  assert.equal(deviceName(PHONE), "Safari on iPhone");
  assert.equal(deviceName(DESKTOP), "Firefox on Linux");
  assert.equal(
    deviceName(
      "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
    ),
    "Chrome on Android",
  );
  assert.equal(deviceName("curl/8.5.0"), "curl");
  assert.equal(deviceName(undefined), "Unknown device");
});

dbTest(
  "the profile lists each browser and API token with when it signed in and was last used",
  async () => {
    const trainer = await signUpTrainer(t); // signs in once through the API
    const phone = await signedIn(trainer.email, PHONE);
    t.clock.advance({ minutes: 10 });
    await signedIn(trainer.email, DESKTOP);
    t.clock.advance({ minutes: 20 });
    assert.equal(
      (await api(t, "GET", "/api/settings", { token: trainer.token })).status,
      200,
    );
    const profile = await phone.get("/profile");
    assert.equal(profile.status, 200);
    const devices = profile.text.slice(profile.text.indexOf('id="devices"'));
    assert.match(devices, /Safari on iPhone/);
    assert.match(devices, /Firefox on Linux/);
    assert.match(devices, /API token/);
    assert.match(devices, /This device/);
    // Two API tokens: sign-up answers one, the sign-in after it another.
    assert.equal(signOutIds(devices).length, 4);
    // Times are the trainer's (Berlin): the API token signed in at 09:00, used at 09:30.
    assert.match(devices, /Signed in [^·]*09:00 · last used [^<]*09:30/);
    assert.match(devices, /Sign out everywhere else/);
  },
);

dbTest(
  "signing out one device ends only that session; another account's device is not found",
  async () => {
    const trainer = await signUpTrainer(t);
    const other = await signUpTrainer(t);
    const phone = await signedIn(trainer.email, PHONE);
    const desktop = await signedIn(trainer.email, DESKTOP);
    const html = (await desktop.get("/profile")).text;
    const phoneId =
      /Safari on iPhone[\s\S]*?\/profile\/sessions\/([0-9a-f-]{36})\//
        .exec(html.slice(html.indexOf('id="devices"')))![1];

    // Not this account's: 404, and that session lives on.
    const foreign = await signedIn(other.email, DESKTOP);
    const refused = await foreign.post(`/profile/sessions/${phoneId}/signout`);
    assert.equal(refused.status, 404);
    assert.equal(
      (await foreign.post("/profile/sessions/not-an-id/signout")).status,
      404,
    );
    assert.equal((await phone.get("/profile")).status, 200);

    const done = await desktop.post(`/profile/sessions/${phoneId}/signout`);
    assert.equal(done.status, 303);
    assert.equal((await phone.get("/profile")).status, 303); // to the sign-in page
    assert.equal((await desktop.get("/profile")).status, 200);
    assert.equal(
      (await api(t, "GET", "/api/settings", { token: trainer.token })).status,
      200,
    );
  },
);

dbTest(
  "sign out everywhere else keeps only this browser; signing out this one signs it out",
  async () => {
    const trainer = await signUpTrainer(t);
    const phone = await signedIn(trainer.email, PHONE);
    const desktop = await signedIn(trainer.email, DESKTOP);
    const res = await desktop.post("/profile/sessions/signout-others");
    assert.equal(res.status, 303);
    assert.equal((await phone.get("/profile")).status, 303);
    assert.equal(
      (await api(t, "GET", "/api/settings", { token: trainer.token })).status,
      401,
    );
    const html = (await desktop.get("/profile")).text;
    const ids = signOutIds(html);
    assert.equal(ids.length, 1);
    assert.match(html, /No other device is signed in/);
    const out = await desktop.post(`/profile/sessions/${ids[0]}/signout`);
    assert.equal(out.headers.get("Location"), "/signin");
    assert.equal((await desktop.get("/profile")).status, 303);
  },
);
