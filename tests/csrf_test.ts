/**
 * CSRF: a request is either bearer-authenticated (cookies ignored) or cookie-authenticated
 * (same-site and a token bound to the session); never a mix that skips the check.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpTrainer } from "./helpers/http.ts";

const t = await testApp();

async function signedIn() {
  const trainer = await signUpTrainer(t);
  const b = new Browser(t);
  const res = await b.post("/signin", {
    email: trainer.email,
    password: "password-1",
  });
  assert.equal(res.status, 303);
  return { trainer, b };
}

const referralCode = async (trainerId: string) =>
  (await t.sql<{ referral_code: string }[]>`
    SELECT referral_code FROM trainers WHERE user_id = ${trainerId}`)[0]
    .referral_code;

const cookieHeader = (b: Browser) =>
  [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");

dbTest(
  "a made-up Authorization header beside a session cookie authenticates nobody, on forms and on the API",
  async () => {
    const { trainer, b } = await signedIn();
    const before = await referralCode(trainer.id);
    for (
      const header of ["Bearer x y", "Bearer", "Basic abc", "Bearer nonsense"]
    ) {
      const form = await b.request("POST", "/profile/referral-code", {}, {
        Authorization: header,
      });
      assert.notEqual(form.status, 200, header);
      assert.equal(await referralCode(trainer.id), before, header);
      const headers = { Authorization: header, Cookie: cookieHeader(b) };
      const booked = await t.app.request("/api/appointments", {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ start: "2026-12-07T10:00:00+01:00" }),
      });
      assert.equal(booked.status, 401, header);
      const settings = await t.app.request("/api/settings", {
        method: "PUT",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ timezone: "UTC" }),
      });
      assert.equal(settings.status, 401, header);
      const signOut = await t.app.request("/api/sessions", {
        method: "DELETE",
        headers,
      });
      assert.equal(signOut.status, 401, header);
    }
    // The browser's session is untouched and still works with its own token.
    assert.equal((await b.get("/profile")).status, 200);
    const ok = await b.post("/profile/referral-code");
    assert.equal(ok.status, 303);
    assert.notEqual(await referralCode(trainer.id), before);
    // A real bearer token still works on its own, without any CSRF token.
    const bearer = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.equal(bearer.status, 200);
  },
);

dbTest(
  "an unsafe cookie request from another site is refused even with the right token",
  async () => {
    const { trainer, b } = await signedIn();
    const before = await referralCode(trainer.id);
    const foreign: Record<string, string>[] = [
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site" },
      { Origin: "https://evil.example" },
      { Origin: "null" },
      { "Sec-Fetch-Site": "cross-site", Origin: "http://spotter.test" },
    ];
    for (const headers of foreign) {
      const res = await b.post("/profile/referral-code", {}, headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.match(res.text, /another site/);
    }
    assert.equal(await referralCode(trainer.id), before);
    const token = await b.csrfToken();
    const api = await t.app.request("/api/settings", {
      method: "PUT",
      headers: {
        Cookie: cookieHeader(b),
        "X-CSRF-Token": token,
        "Sec-Fetch-Site": "cross-site",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ timezone: "UTC" }),
    });
    assert.equal(api.status, 403);
    assert.equal((await api.json()).error.code, "csrf_failed");
    // From the app's own origin (by its public URL or as it was reached) it goes through.
    const own: Record<string, string>[] = [
      { "Sec-Fetch-Site": "same-origin", Origin: "http://spotter.test" },
      { Origin: "http://localhost" },
      { "Sec-Fetch-Site": "none" },
    ];
    for (const headers of own) {
      const res = await b.post("/profile/referral-code", {}, headers);
      assert.equal(res.status, 303, JSON.stringify(headers));
    }
  },
);

dbTest(
  "the CSRF token is bound to the session: new at sign-in, and another session's token is refused",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = new Browser(t);
    const signedOut = await b.csrfToken();
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    const mine = await b.csrfToken();
    assert.notEqual(mine, signedOut);
    const before = await referralCode(trainer.id);
    const stale = await b.request("POST", "/profile/referral-code", {
      _csrf: signedOut,
    });
    assert.equal(stale.status, 403);
    // Same person, another browser: another session, another token.
    const other = new Browser(t);
    await other.post("/signin", {
      email: trainer.email,
      password: "password-1",
    });
    const theirs = await other.csrfToken();
    assert.notEqual(theirs, mine);
    const crossed = await b.request("POST", "/profile/referral-code", {
      _csrf: theirs,
    });
    assert.equal(crossed.status, 403);
    assert.equal(await referralCode(trainer.id), before);
    assert.equal(
      (await b.request("POST", "/profile/referral-code", { _csrf: mine }))
        .status,
      303,
    );
    // Signed out again, the browser gets a fresh signed-out token.
    await b.post("/signout");
    const again = await b.csrfToken();
    assert.notEqual(again, signedOut);
    assert.notEqual(again, mine);
  },
);
