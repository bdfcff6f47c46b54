import assert from "node:assert/strict";
import { createApp } from "../app.tsx";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";

// Two apps on one database stand for two app processes: each remembers the sessions it
// has read (routes/middleware.ts), and a change made through one must count in the other
// from its next request on.
const t = await testApp();
const other = { app: createApp(t.deps) };

const appointments = (app: { app: typeof other.app }, token: string) =>
  api(app, "GET", "/api/appointments", { token });

dbTest(
  "a session signed out through one process is refused at once by another that remembers it",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    for (const token of [trainer.token, client.token]) {
      assert.equal((await appointments(other, token)).status, 200);
      assert.equal((await appointments(other, token)).status, 200);
      const out = await api(t, "DELETE", "/api/sessions", { token });
      assert.equal(out.status, 204);
      const after = await appointments(other, token);
      assert.equal(after.status, 401);
      assert.equal(after.body.error.code, "unauthorized");
    }
  },
);

dbTest(
  "signing one client out leaves the other sessions of their trainer's calendar signed in",
  async () => {
    const trainer = await signUpTrainer(t);
    const leaving = await signUpClient(t, trainer.referralCode);
    const staying = await signUpClient(t, trainer.referralCode);
    for (const token of [trainer.token, leaving.token, staying.token]) {
      assert.equal((await appointments(other, token)).status, 200);
    }
    await api(t, "DELETE", "/api/sessions", { token: leaving.token });
    assert.equal((await appointments(other, leaving.token)).status, 401);
    assert.equal((await appointments(other, staying.token)).status, 200);
    assert.equal((await appointments(other, trainer.token)).status, 200);
  },
);

dbTest(
  "a new password signs the other sessions out in every process, and a new name shows in every process",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const here = new Browser(t);
    const there = new Browser(other);
    for (const b of [here, there]) {
      const res = await b.post("/signin", {
        email: client.email,
        password: "password-1",
      });
      assert.equal(res.status, 303);
    }
    assert.match((await there.get("/profile")).text, /value="Cleo Client"/);

    const renamed = await here.post("/profile", {
      name: "Cleo Renamed",
      email: client.email,
      newPassword: "",
      currentPassword: "",
    });
    assert.equal(renamed.status, 303);
    const profile = await there.get("/profile");
    assert.equal(profile.status, 200);
    assert.match(profile.text, /value="Cleo Renamed"/);

    // The API token from sign-up is another session of the same client.
    assert.equal((await appointments(other, client.token)).status, 200);
    const changed = await here.post("/profile", {
      name: "Cleo Renamed",
      email: client.email,
      newPassword: "kettle-bell-7Qb",
      currentPassword: "password-1",
    });
    assert.equal(changed.status, 303);
    assert.equal((await appointments(other, client.token)).status, 401);
    assert.equal((await there.get("/profile")).status, 303);
    assert.equal((await here.get("/profile")).status, 200);
  },
);

dbTest(
  "a remembered session is refused from the instant it ends, without any change to the data",
  async () => {
    const trainer = await signUpTrainer(t);
    assert.equal((await appointments(other, trainer.token)).status, 200);
    t.clock.advance({ hours: 30 * 24 - 1 });
    assert.equal((await appointments(other, trainer.token)).status, 200);
    t.clock.advance({ hours: 1 });
    assert.equal((await appointments(other, trainer.token)).status, 401);
  },
);

dbTest(
  "a session deleted in the database, as another process or the expiry sweep does, is refused",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    assert.equal((await appointments(other, client.token)).status, 200);
    await t.sql`DELETE FROM sessions WHERE user_id = ${client.id}`;
    assert.equal((await appointments(other, client.token)).status, 401);
  },
);
