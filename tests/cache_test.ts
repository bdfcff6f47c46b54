import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpTrainer } from "./helpers/http.ts";

const t = await testApp();
const NO_STORE = "private, no-store";

dbTest(
  "pages for signed-in people and every API answer say Cache-Control: private, no-store",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    for (const path of ["/calendar", "/profile", "/schedule", "/clients"]) {
      const res = await b.get(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get("Cache-Control"), NO_STORE, path);
    }
    const answers = [
      await api(t, "GET", "/api/settings", { token: trainer.token }),
      await api(t, "GET", "/api/appointments", { token: trainer.token }),
      await api(t, "POST", "/api/sessions", {
        body: { email: trainer.email, password: "password-1" },
      }),
      await api(t, "GET", "/api/settings"), // 401
      await api(t, "GET", "/api/nothing-here"), // 404
      await api(t, "POST", "/api/trainers", { raw: "{not json" }), // 400
    ];
    for (const res of answers) {
      assert.equal(res.headers.get("Cache-Control"), NO_STORE, `${res.status}`);
    }
    // A refused form (403 from the CSRF check) and a redirect say it too.
    const forged = await b.request("POST", "/profile/referral-code", {});
    assert.equal(forged.status, 403);
    assert.equal(forged.headers.get("Cache-Control"), NO_STORE);
    const signOut = await b.post("/signout");
    assert.equal(signOut.status, 303);
    assert.equal(signOut.headers.get("Cache-Control"), NO_STORE);
  },
);

dbTest("static files keep their own caching", async () => {
  // The plain path revalidates; the fingerprinted one a page links is cached for a year.
  const plain = await t.app.request("/static/app.css");
  assert.equal(plain.status, 200);
  assert.equal(plain.headers.get("Cache-Control"), "public, no-cache");
  const page = await (await t.app.request("/signin")).text();
  const href = /href="(\/static\/app\.[\w-]+\.css)"/.exec(page)![1];
  const linked = await t.app.request(href);
  assert.equal(linked.status, 200);
  assert.equal(
    linked.headers.get("Cache-Control"),
    "public, max-age=31536000, immutable",
  );
});
