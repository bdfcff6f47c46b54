/**
 * Device cookies (OWASP): a browser that signed in to an account before is exempt from
 * the per-address sign-in budget for that account; the per-account budget still holds.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpTrainer, uniqueEmail } from "./helpers/http.ts";

const t = await testApp();

/** Spends the address's budget of 25 with wrong passwords for made-up accounts. */
async function exhaustAddress(address: Record<string, string>) {
  for (let i = 0; i < 25; i++) {
    const res = await api(t, "POST", "/api/sessions", {
      body: { email: uniqueEmail("guess"), password: "wrong-pass" },
      headers: address,
    });
    assert.equal(res.status, 401);
  }
  const refused = await api(t, "POST", "/api/sessions", {
    body: { email: uniqueEmail("guess"), password: "wrong-pass" },
    headers: address,
  });
  assert.equal(refused.status, 429);
}

dbTest(
  "a browser that signed in before still signs in when others' guesses spent the address's budget",
  async () => {
    const trainer = await signUpTrainer(t);
    const other = await signUpTrainer(t);
    const gym = { "X-Forwarded-For": "203.0.113.90" };
    const member = new Browser(t);
    const first = await member.post("/signin", {
      email: trainer.email,
      password: "password-1",
    }, gym);
    assert.equal(first.status, 303);
    assert.ok(member.cookies.get("spotter_device"), "a device cookie is set");
    await member.post("/signout", {}, gym);

    await exhaustAddress(gym);

    // A new browser on the same Wi-Fi is held back as before.
    const stranger = new Browser(t);
    const held = await stranger.post("/signin", {
      email: trainer.email,
      password: "password-1",
    }, gym);
    assert.equal(held.status, 429);

    // The member's browser is not, for the account it signed in to...
    const again = await member.post("/signin", {
      email: trainer.email,
      password: "password-1",
    }, gym);
    assert.equal(again.status, 303, again.text);
    await member.post("/signout", {}, gym);
    // ...but for another account its cookie counts for nothing.
    const elsewhere = await member.post("/signin", {
      email: other.email,
      password: "password-1",
    }, gym);
    assert.equal(elsewhere.status, 429);
  },
);

dbTest(
  "a device cookie keeps the account's own budget of ten, and a forged one exempts nothing",
  async () => {
    const trainer = await signUpTrainer(t);
    const wifi = { "X-Forwarded-For": "203.0.113.91" };
    const b = new Browser(t);
    assert.equal(
      (await b.post("/signin", {
        email: trainer.email,
        password: "password-1",
      }, wifi)).status,
      303,
    );
    await b.post("/signout", {}, wifi);
    for (let i = 0; i < 10; i++) {
      const res = await b.post("/signin", {
        email: trainer.email,
        password: "wrong-pass",
      }, wifi);
      assert.equal(res.status, 401);
    }
    const blocked = await b.post("/signin", {
      email: trainer.email,
      password: "password-1",
    }, wifi);
    assert.equal(blocked.status, 429);

    // A cookie whose signature was not made by the app is ignored.
    const fresh = await signUpTrainer(t);
    const gym = { "X-Forwarded-For": "203.0.113.92" };
    await exhaustAddress(gym);
    const forger = new Browser(t);
    const [id, issued] = b.cookies.get("spotter_device")!.split(".");
    forger.cookies.set(
      "spotter_device",
      `${fresh.id}.${issued}.${"A".repeat(43)}`,
    );
    assert.ok(id);
    const forged = await forger.post("/signin", {
      email: fresh.email,
      password: "password-1",
    }, gym);
    assert.equal(forged.status, 429);
  },
);
