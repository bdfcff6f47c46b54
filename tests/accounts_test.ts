import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { STATIC_PATHS } from "../routes/static.ts";
import { THROTTLES } from "../db/throttle.ts";
import { hashPassword } from "../lib/security.ts";
import {
  api,
  Browser,
  signUpClient,
  signUpTrainer,
  uniqueEmail,
} from "./helpers/http.ts";

const t = await testApp();

dbTest(
  "a trainer signs up and gets an id and a readable referral code",
  async () => {
    const res = await api(t, "POST", "/api/trainers", {
      body: {
        name: "Ana",
        email: uniqueEmail(),
        password: "long-enough",
        timezone: "Asia/Kolkata",
      },
    });
    assert.equal(res.status, 201);
    assert.match(res.body.id, /^[0-9a-f-]{36}$/);
    assert.match(
      res.body.referralCode,
      /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/,
    );
  },
);

dbTest(
  "a duplicate e-mail is refused with 409 email_taken, whatever its case",
  async () => {
    const email = uniqueEmail();
    const body = {
      name: "Ana",
      email,
      password: "long-enough",
      timezone: "UTC",
    };
    assert.equal((await api(t, "POST", "/api/trainers", { body })).status, 201);
    const again = await api(t, "POST", "/api/trainers", {
      body: { ...body, email: email.toUpperCase() },
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "email_taken");
  },
);

dbTest(
  "invalid trainer sign-ups answer 422 with the fields at fault and write nothing",
  async () => {
    const email = uniqueEmail();
    const res = await api(t, "POST", "/api/trainers", {
      body: { name: "", email, password: "short", timezone: "Mars/Olympus" },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "validation_failed");
    assert.deepEqual(Object.keys(res.body.error.fields).sort(), [
      "name",
      "password",
      "timezone",
    ]);
    const [row] = await t
      .sql`SELECT count(*)::int AS n FROM users WHERE email = ${email}`;
    assert.equal(row.n, 0);
  },
);

dbTest(
  "malformed JSON answers 400 and wrong types 422, in the contract's error shape",
  async () => {
    const bad = await api(t, "POST", "/api/trainers", { raw: "{not json" });
    assert.equal(bad.status, 400);
    assert.equal(typeof bad.body.error.code, "string");
    assert.equal(typeof bad.body.error.message, "string");
    const wrong = await api(t, "POST", "/api/trainers", {
      body: { name: 42, email: ["x"], password: null, timezone: true },
    });
    assert.equal(wrong.status, 422);
    assert.ok(wrong.body.error.fields.name);
  },
);

dbTest("a body over 64 KiB answers 413", async () => {
  const res = await api(t, "POST", "/api/trainers", {
    body: {
      name: "x".repeat(70 * 1024),
      email: uniqueEmail(),
      password: "long-enough",
      timezone: "UTC",
    },
  });
  assert.equal(res.status, 413);
  assert.equal(res.body.error.code, "payload_too_large");
});

dbTest(
  "a client joins with a code typed loosely and belongs to that trainer",
  async () => {
    const trainer = await signUpTrainer(t);
    const loose = trainer.referralCode.toLowerCase().replaceAll("-", " ");
    const res = await api(t, "POST", "/api/clients", {
      body: {
        referralCode: loose,
        name: "Cleo",
        email: uniqueEmail(),
        password: "long-enough",
      },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.trainerId, trainer.id);
  },
);

dbTest(
  "an unknown referral code answers 422 invalid_referral_code",
  async () => {
    const res = await api(t, "POST", "/api/clients", {
      body: {
        referralCode: "ZZZZ-ZZZZ-ZZZZ",
        name: "Cleo",
        email: uniqueEmail(),
        password: "long-enough",
      },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "invalid_referral_code");
  },
);

dbTest("e-mails are unique across trainers and clients", async () => {
  const trainer = await signUpTrainer(t);
  const res = await api(t, "POST", "/api/clients", {
    body: {
      referralCode: trainer.referralCode,
      name: "Cleo",
      email: trainer.email,
      password: "long-enough",
    },
  });
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, "email_taken");
});

dbTest(
  "sign-in answers a token, role and id; the token works until signed out",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const res = await api(t, "POST", "/api/sessions", {
      body: { email: client.email, password: "password-1" },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ["id", "role", "token"]);
    assert.equal(res.body.role, "client");
    assert.equal(res.body.id, client.id);
    assert.equal(
      (await api(t, "DELETE", "/api/sessions", { token: res.body.token }))
        .status,
      204,
    );
    const after = await api(t, "DELETE", "/api/sessions", {
      token: res.body.token,
    });
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, "unauthorized");
  },
);

dbTest(
  "weak new passwords are refused with 422 and fields.password saying why, on both sign-ups",
  async () => {
    const trainer = await signUpTrainer(t);
    const email = uniqueEmail("weak");
    const cases: [string, RegExp][] = [
      ["12345678", /at least 10 characters/],
      ["password", /at least 10 characters/],
      ["        ", /at least 10 characters/],
      ["          ", /one character repeated/],
      ["1234567890", /most common passwords/],
      ["Password123", /most common passwords/],
      ["qwertyuiop", /most common passwords/],
      [email, /e-mail/],
      [email.toUpperCase(), /e-mail/],
      [`${email.split("@")[0]}!1`, /e-mail/],
    ];
    for (const [password, why] of cases) {
      const asTrainer = await api(t, "POST", "/api/trainers", {
        body: { name: "Weak", email, password, timezone: "UTC" },
      });
      assert.equal(asTrainer.status, 422, password);
      assert.equal(asTrainer.body.error.code, "validation_failed");
      assert.match(asTrainer.body.error.fields.password, why, password);
      const asClient = await api(t, "POST", "/api/clients", {
        body: {
          referralCode: trainer.referralCode,
          name: "Weak",
          email,
          password,
        },
      });
      assert.equal(asClient.status, 422, password);
      assert.match(asClient.body.error.fields.password, why, password);
    }
    const [row] = await t
      .sql`SELECT count(*)::int AS n FROM users WHERE email = ${email}`;
    assert.equal(row.n, 0);
  },
);

dbTest(
  "the sign-up and join forms say the password rule beside the field, and why a password was refused",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = new Browser(t);
    for (const path of ["/signup", `/join/${trainer.referralCode}`]) {
      const form = await b.get(path);
      assert.match(
        form.text,
        /<small class="hint">At least 10 characters; not your e-mail, not a common password.<\/small>/,
        path,
      );
      assert.match(form.text, /minlength="10"/, path);
    }
    const res = await b.post("/join", {
      referralCode: trainer.referralCode,
      name: "Joiner",
      email: uniqueEmail(),
      password: "iloveyou12",
    });
    assert.equal(res.status, 422);
    assert.match(
      res.text,
      /id="f-password-error">is one of the most common passwords/,
    );
  },
);

dbTest(
  "an account made under the old 8-character rule still signs in, and a new weak password is refused on the profile",
  async () => {
    const trainer = await signUpTrainer(t);
    await t.sql`UPDATE users SET password_hash = ${await hashPassword(
      "12345678",
      10,
    )} WHERE id = ${trainer.id}`;
    const old = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "12345678" },
    });
    assert.equal(old.status, 200, JSON.stringify(old.body));
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "12345678" });
    for (
      const [newPassword, why] of [
        ["password123", /most common passwords/],
        [trainer.email, /e-mail/],
      ]
    ) {
      const res = await b.post("/profile", {
        name: "Tess Trainer",
        email: trainer.email,
        newPassword: newPassword as string,
        currentPassword: "12345678",
      });
      assert.equal(res.status, 422);
      assert.match(res.text, why as RegExp);
    }
    const ok = await b.post("/profile", {
      name: "Tess Trainer",
      email: trainer.email,
      newPassword: "kettle-bell-7Qb",
      currentPassword: "12345678",
    });
    assert.equal(ok.status, 303);
  },
);

dbTest("a wrong password and an unknown e-mail get the same 401", async () => {
  const trainer = await signUpTrainer(t);
  const wrong = await api(t, "POST", "/api/sessions", {
    body: { email: trainer.email, password: "nope-nope" },
  });
  const unknown = await api(t, "POST", "/api/sessions", {
    body: { email: uniqueEmail(), password: "nope-nope" },
  });
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, unknown.body);
  assert.equal(wrong.body.error.code, "invalid_credentials");
});

dbTest("passwords and session tokens are stored only as hashes", async () => {
  const trainer = await signUpTrainer(t);
  const [user] = await t
    .sql`SELECT password_hash FROM users WHERE id = ${trainer.id}`;
  assert.match(user.password_hash, /^scrypt\$\d+\$/);
  assert.ok(!user.password_hash.includes("password-1"));
  const tokens = await t
    .sql`SELECT encode(token_hash, 'hex') AS h FROM sessions WHERE user_id = ${trainer.id}`;
  assert.ok(tokens.length > 0);
  for (const row of tokens) assert.notEqual(row.h, trainer.token);
});

dbTest(
  "after 10 failures for one e-mail the 11th attempt answers 429 with Retry-After, even with the right password",
  async () => {
    const trainer = await signUpTrainer(t);
    for (let i = 0; i < 10; i++) {
      const res = await api(t, "POST", "/api/sessions", {
        body: { email: trainer.email, password: "wrong-pass" },
        headers: { "X-Forwarded-For": `10.0.0.${i}` },
      });
      assert.equal(res.status, 401);
    }
    const blocked = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "password-1" },
    });
    assert.equal(blocked.status, 429);
    assert.equal(blocked.body.error.code, "too_many_attempts");
    const wait = Number(blocked.headers.get("Retry-After"));
    assert.ok(wait > 0 && wait <= 900, `Retry-After ${wait}`);
    // Another account is not affected by this e-mail's failures... unless from the same address.
    await t.sql`DELETE FROM sign_in_failures`;
    const ok = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "password-1" },
    });
    assert.equal(ok.status, 200);
  },
);

dbTest("successful sign-ins are not throttled", async () => {
  const trainer = await signUpTrainer(t);
  for (let i = 0; i < 12; i++) {
    const res = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "password-1" },
    });
    assert.equal(res.status, 200);
  }
});

dbTest(
  "a trainer signs up with the form, lands on the profile with the code and join link, and signs out",
  async () => {
    const b = new Browser(t);
    const email = uniqueEmail();
    const res = await b.post("/signup", {
      name: "Form Trainer",
      email,
      password: "password-1",
      timezone: "America/New_York",
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("Location"), "/profile");
    const cookie = res.headers.getSetCookie().find((c) =>
      c.startsWith("spotter_session=")
    )!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    const profile = await b.get("/profile");
    assert.equal(profile.status, 200);
    assert.match(profile.text, /Welcome! Share your code/);
    const code =
      /<strong class="code">([A-Z0-9-]+)<\/strong>/.exec(profile.text)![1];
    assert.match(profile.text, new RegExp(`http://spotter.test/join/${code}`));
    const out = await b.post("/signout");
    assert.equal(out.status, 303);
    assert.equal((await b.get("/profile")).status, 303);
  },
);

dbTest(
  "a trainer regenerates the referral code and the old one stops working",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    assert.equal((await b.post("/profile/referral-code")).status, 303);
    const old = await api(t, "POST", "/api/clients", {
      body: {
        referralCode: trainer.referralCode,
        name: "Late",
        email: uniqueEmail(),
        password: "password-1",
      },
    });
    assert.equal(old.status, 422);
    const join = await b.get(`/join/${trainer.referralCode}`);
    assert.equal(join.status, 404);
    assert.match(join.text, /not valid/);
  },
);

dbTest(
  "a client joins through the join page and sees the trainer's name",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = new Browser(t);
    const page = await b.get(`/join/${trainer.referralCode.toLowerCase()}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Join Tess Trainer on Spotter/);
    const res = await b.post("/join", {
      referralCode: trainer.referralCode,
      name: "Joiner",
      email: uniqueEmail(),
      password: "password-1",
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("Location"), "/calendar");
  },
);

dbTest(
  "form errors re-render the form with messages and keep what was typed",
  async () => {
    const b = new Browser(t);
    const res = await b.post("/signup", {
      name: "Kept Name",
      email: "not-an-email",
      password: "x",
      timezone: "UTC",
    });
    assert.equal(res.status, 422);
    assert.match(res.text, /value="Kept Name"/);
    assert.match(res.text, /must be an e-mail address/);
    assert.match(res.text, /at least 10 characters/);
  },
);

/** The value the re-shown form puts in its password field ("" when empty). */
const passwordShown = (html: string) =>
  /<input id="f-password"[^>]* value="([^"]*)"/.exec(html)?.[1];

dbTest(
  "a join or sign-up refused for another field keeps the typed password (never cached); a refused password is not shown again",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = new Browser(t);
    const join = (form: Record<string, string>) =>
      b.post("/join", {
        referralCode: trainer.referralCode,
        name: "Joiner",
        email: uniqueEmail(),
        password: "kettle & <bell> 7Qb",
        ...form,
      });
    const signUp = (form: Record<string, string>) =>
      b.post("/signup", {
        name: "Sign Upper",
        email: uniqueEmail(),
        password: "kettle & <bell> 7Qb",
        timezone: "Europe/Berlin",
        ...form,
      });
    const kept = [
      ["a wrong code", () => join({ referralCode: "AAAA-BBBB-CCCC" })],
      ["a taken e-mail", () => join({ email: trainer.email })],
      ["an empty name", () => join({ name: "" })],
      ["a bad e-mail", () => signUp({ email: "not-an-email" })],
      ["a taken e-mail on sign-up", () => signUp({ email: trainer.email })],
      ["an unknown zone", () => signUp({ timezone: "Mars/Olympus" })],
    ] as const;
    for (const [why, send] of kept) {
      const res = await send();
      assert.equal(res.status, 422, why);
      assert.match(res.text, /class="error"/, why);
      assert.doesNotMatch(res.text, /id="f-password-error"/, why);
      assert.equal(
        passwordShown(res.text),
        "kettle &amp; &lt;bell&gt; 7Qb",
        why,
      );
      assert.match(res.headers.get("Cache-Control")!, /\bno-store\b/, why);
    }
    const refused = [
      ["too short", () => join({ password: "short-1" })],
      ["common", () => join({ password: "iloveyou12" })],
      ["too long", () => signUp({ password: "Lg-".repeat(70) })],
      ["made from the e-mail", () =>
        signUp({
          email: "ana.lopez@example.test",
          password: "Ana.Lopez123",
        })],
      [
        "refused with another field too",
        () => join({ password: "short-1", referralCode: "" }),
      ],
    ] as const;
    for (const [why, send] of refused) {
      const res = await send();
      assert.equal(res.status, 422, why);
      assert.match(res.text, /id="f-password-error"/, why);
      assert.equal(passwordShown(res.text), "", why);
    }
    // Signing in wrongly keeps the e-mail and clears the password, as it should.
    const signIn = await b.post("/signin", {
      email: trainer.email,
      password: "not-the-password",
    });
    assert.equal(signIn.status, 401);
    assert.match(signIn.text, new RegExp(`value="${trainer.email}"`));
    assert.equal(passwordShown(signIn.text), "");
    assert.doesNotMatch(signIn.text, /not-the-password/);
  },
);

/** The value the re-shown profile form puts in a password field ("" when empty). */
const profilePasswordShown = (html: string, name: string) =>
  new RegExp(`<input id="f-${name}"[^>]* value="([^"]*)"`).exec(html)?.[1];

dbTest(
  "a profile save refused for another field keeps both typed passwords; a refused password is not shown again",
  async () => {
    const trainer = await signUpTrainer(t);
    const other = await signUpTrainer(t);
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    const save = (form: Record<string, string>) =>
      b.post("/profile", {
        name: "Tess Trainer",
        email: uniqueEmail(),
        newPassword: "kettle & <bell> 7Qb",
        currentPassword: "password-1",
        ...form,
      });
    const typedNew = "kettle &amp; &lt;bell&gt; 7Qb";
    const cases = [
      ["an empty name", { name: "" }, typedNew, "password-1"],
      ["a bad e-mail", { email: "not-an-email" }, typedNew, "password-1"],
      ["a taken e-mail", { email: other.email }, typedNew, "password-1"],
      ["a weak new password", { newPassword: "iloveyou12" }, "", "password-1"],
      [
        "a wrong current password",
        { currentPassword: "not-the-password" },
        typedNew,
        "",
      ],
    ] as const;
    for (const [why, form, newShown, currentShown] of cases) {
      const res = await save(form);
      assert.equal(res.status, 422, why);
      assert.match(res.text, /class="error"/, why);
      assert.equal(
        profilePasswordShown(res.text, "newPassword"),
        newShown,
        why,
      );
      assert.equal(
        profilePasswordShown(res.text, "currentPassword"),
        currentShown,
        why,
      );
      assert.match(res.headers.get("Cache-Control")!, /\bno-store\b/, why);
    }
  },
);

dbTest("output is escaped: a name with markup is shown as text", async () => {
  const b = new Browser(t);
  await b.post("/signup", {
    name: `<script>alert(1)</script>`,
    email: uniqueEmail(),
    password: "password-1",
    timezone: "UTC",
  });
  const profile = await b.get("/profile");
  assert.ok(!profile.text.includes("<script>alert(1)</script>"));
  assert.match(profile.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

dbTest("a form post without the CSRF token is refused with 403", async () => {
  const b = new Browser(t);
  await b.get("/signin");
  const res = await b.request("POST", "/signin", {
    email: "a@b.test",
    password: "whatever1",
  });
  assert.equal(res.status, 403);
  assert.match(res.text, /expired or came from another site/);
  const forged = await b.request("POST", "/signin", {
    _csrf: "x".repeat(43),
    email: "a@b.test",
    password: "whatever1",
  });
  assert.equal(forged.status, 403);
});

dbTest(
  "a JSON call riding on a session cookie without the CSRF header is refused",
  async () => {
    const trainer = await signUpTrainer(t);
    const res = await t.app.request("/api/sessions", {
      method: "DELETE",
      headers: { Cookie: `spotter_session=${trainer.token}` },
    });
    assert.equal(res.status, 403);
  },
);

dbTest(
  "the sign-in form sends a client to the page they asked for, never to another site",
  async () => {
    const trainer = await signUpTrainer(t);
    const b = new Browser(t);
    const res = await b.post("/signin", {
      email: trainer.email,
      password: "password-1",
      next: "//evil.example/x",
    });
    assert.equal(res.headers.get("Location"), "/today");
    const b2 = new Browser(t);
    const res2 = await b2.post("/signin", {
      email: trainer.email,
      password: "password-1",
      next: "/profile",
    });
    assert.equal(res2.headers.get("Location"), "/profile");
  },
);

dbTest("a client cannot use trainer-only actions", async () => {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode);
  const b = new Browser(t);
  await b.post("/signin", { email: client.email, password: "password-1" });
  assert.equal((await b.post("/profile/referral-code")).status, 403);
  assert.equal(
    (await b.post("/profile/reminders", { remindersEnabled: "on" })).status,
    403,
  );
});

dbTest(
  "pages carry security headers and unknown pages get a friendly 404",
  async () => {
    const res = await t.app.request("/no-such-page");
    assert.equal(res.status, 404);
    assert.match(await res.text(), /There is no page at this address/);
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self';/, "no eval, no inline script");
    assert.equal(res.headers.get("X-Frame-Options"), "SAMEORIGIN");
    assert.equal(res.headers.get("X-Content-Type-Options"), "nosniff");
    const apiMissing = await api(t, "GET", "/api/nothing-here");
    assert.equal(apiMissing.status, 404);
    assert.equal(apiMissing.body.error.code, "not_found");
  },
);

dbTest("healthz answers ok once migrations have run", async () => {
  const res = await api(t, "GET", "/healthz");
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { ok: true });
});

dbTest("htmx and Alpine are served from the installed packages", async () => {
  for (
    const path of [
      "/static/vendor/htmx.min.js",
      "/static/vendor/alpine.min.js",
      "/static/app.css",
    ]
  ) {
    const res = await t.app.request(path);
    assert.equal(res.status, 200, path);
    assert.ok((await res.text()).length > 1000, path);
  }
});

dbTest(
  "every static path answers with its file, and pages link the icon",
  async () => {
    assert.ok(STATIC_PATHS.includes("/static/favicon.svg"));
    for (const path of STATIC_PATHS) {
      const res = await t.app.request(path);
      assert.equal(res.status, 200, path);
      assert.ok((await res.arrayBuffer()).byteLength > 0, path);
    }
    const icon = await t.app.request("/static/favicon.svg");
    assert.equal(icon.headers.get("Content-Type"), "image/svg+xml");
    const missing = await t.app.request("/static/nothing.js");
    assert.equal(missing.status, 404);
    const signIn = await (await t.app.request("/signin")).text();
    const href = /<link rel="icon" href="(\/static\/favicon\.[\w-]+\.svg)"/
      .exec(signIn)?.[1];
    assert.ok(href, "the page links the fingerprinted icon");
    const linked = await t.app.request(href);
    assert.equal(linked.status, 200);
    assert.equal(linked.headers.get("Content-Type"), "image/svg+xml");
  },
);

dbTest(
  "ten failures from one address do not lock the other accounts there; its own budget of 25 does",
  async () => {
    const trainer = await signUpTrainer(t);
    const address = { "X-Forwarded-For": "203.0.113.77" };
    const fail = () =>
      api(t, "POST", "/api/sessions", {
        body: { email: uniqueEmail("guess"), password: "wrong-pass" },
        headers: address,
      });
    for (let i = 0; i < 10; i++) assert.equal((await fail()).status, 401);
    // A gym shares its Wi-Fi: someone else's ten typos do not lock this trainer out.
    const sameWifi = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "password-1" },
      headers: address,
    });
    assert.equal(sameWifi.status, 200, JSON.stringify(sameWifi.body));
    for (let i = 10; i < 25; i++) assert.equal((await fail()).status, 401);
    const blocked = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "password-1" },
      headers: address,
    });
    assert.equal(blocked.status, 429);
    assert.equal(blocked.body.error.code, "too_many_attempts");
    const elsewhere = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "password-1" },
      headers: { "X-Forwarded-For": "198.51.100.9" },
    });
    assert.equal(elsewhere.status, 200);
    // The sign-in form says the same, with Retry-After.
    const b = new Browser(t);
    const page = await b.post("/signin", {
      email: trainer.email,
      password: "password-1",
    }, address);
    assert.equal(page.status, 429);
    assert.ok(Number(page.headers.get("Retry-After")) > 0);
    assert.match(page.text, /Too many failed attempts/);
  },
);

dbTest(
  "a successful sign-in does not count against the account's ten, and failures around it do",
  async () => {
    const trainer = await signUpTrainer(t);
    const attempt = (password: string, i: number) =>
      api(t, "POST", "/api/sessions", {
        body: { email: trainer.email, password },
        headers: { "X-Forwarded-For": `10.1.0.${i}` },
      });
    for (let i = 0; i < 9; i++) {
      assert.equal((await attempt("wrong-pass", i)).status, 401);
    }
    assert.equal((await attempt("password-1", 9)).status, 200);
    assert.equal((await attempt("wrong-pass", 10)).status, 401);
    const blocked = await attempt("password-1", 11);
    assert.equal(blocked.status, 429);
  },
);

dbTest(
  "the sign-in throttle runs on the app's clock: blocked for 15 minutes after the tenth failure, then free",
  async () => {
    const own = await testApp({ now: "2026-12-01T08:00:00Z" });
    const trainer = await signUpTrainer(own);
    const attempt = (password: string) =>
      api(own, "POST", "/api/sessions", {
        body: { email: trainer.email, password },
        headers: { "X-Forwarded-For": "192.0.2.10" },
      });
    for (let i = 0; i < 10; i++) {
      assert.equal((await attempt("wrong-pass")).status, 401);
      own.clock.advance({ seconds: 30 });
    }
    // The first failure was at 08:00:00; now it is 08:05:00.
    const blocked = await attempt("password-1");
    assert.equal(blocked.status, 429);
    assert.equal(blocked.headers.get("Retry-After"), "600");
    own.clock.set("2026-12-01T08:14:59Z");
    assert.equal((await attempt("password-1")).status, 429);
    own.clock.set("2026-12-01T08:15:00Z");
    assert.equal((await attempt("password-1")).status, 200);
    await own.sql.end();
  },
);

dbTest(
  "a session ends after 30 days on the app's clock",
  async () => {
    const own = await testApp({ now: "2026-12-01T08:00:00Z" });
    const trainer = await signUpTrainer(own);
    const settings = () =>
      api(own, "GET", "/api/settings", { token: trainer.token });
    own.clock.set("2026-12-31T07:59:59Z");
    assert.equal((await settings()).status, 200);
    own.clock.set("2026-12-31T08:00:00Z");
    assert.equal((await settings()).status, 401);
    await own.sql.end();
  },
);

dbTest(
  "sign-ups from one address are throttled after 20 in 15 minutes, through the API and the forms",
  async () => {
    const own = await testApp({ deps: { throttles: THROTTLES } });
    const trainer = await signUpTrainer(own); // from the in-process address, not the one below
    const address = { "X-Forwarded-For": "192.0.2.44" };
    for (let i = 0; i < 20; i++) {
      const res = await api(own, "POST", "/api/clients", {
        body: {
          referralCode: trainer.referralCode,
          name: `Joiner ${i}`,
          email: uniqueEmail("joiner"),
          password: "password-1",
        },
        headers: address,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const email = uniqueEmail("late");
    const refused = await api(own, "POST", "/api/trainers", {
      body: {
        name: "Late",
        email,
        password: "password-1",
        timezone: "UTC",
      },
      headers: address,
    });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, "too_many_attempts");
    assert.equal(refused.headers.get("Retry-After"), "900");
    const [row] = await own
      .sql`SELECT count(*)::int AS n FROM users WHERE email = ${email}`;
    assert.equal(row.n, 0);
    const b = new Browser(own);
    const form = await b.post("/join", {
      referralCode: trainer.referralCode,
      name: "Late",
      email,
      password: "password-1",
    }, address);
    assert.equal(form.status, 429);
    assert.equal(form.headers.get("Retry-After"), "900");
    assert.match(form.text, /Too many sign-ups from this network/);
    assert.match(form.text, /value="Late"/);
    // Another network is not affected, and the budget comes back with time.
    const elsewhere = await api(own, "POST", "/api/trainers", {
      body: { name: "Else", email, password: "password-1", timezone: "UTC" },
      headers: { "X-Forwarded-For": "192.0.2.45" },
    });
    assert.equal(elsewhere.status, 201);
    own.clock.advance({ minutes: 15 });
    const later = await api(own, "POST", "/api/trainers", {
      body: {
        name: "Later",
        email: uniqueEmail("later"),
        password: "password-1",
        timezone: "UTC",
      },
      headers: address,
    });
    assert.equal(later.status, 201);
    await own.sql.end();
  },
);

dbTest(
  "over HTTPS the session and CSRF cookies are Secure __Host- cookies, and an unprefixed one is ignored",
  async () => {
    const secure = await testApp({
      env: { APP_URL: "https://spotter.example" },
    });
    const b = new Browser(secure);
    const form = await b.get("/signup");
    const csrf = form.headers.getSetCookie().find((c) =>
      c.startsWith("__Host-spotter_csrf=")
    )!;
    assert.match(csrf, /; Secure/);
    assert.match(csrf, /; Path=\//);
    assert.doesNotMatch(csrf, /Domain=/i);
    const res = await b.post("/signup", {
      name: "Sec",
      email: uniqueEmail(),
      password: "password-1",
      timezone: "UTC",
    });
    assert.equal(res.status, 303);
    const cookie = res.headers.getSetCookie().find((c) =>
      c.startsWith("__Host-spotter_session=")
    )!;
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; Path=\//);
    assert.match(cookie, /HttpOnly/i);
    assert.doesNotMatch(cookie, /Domain=/i);
    assert.equal((await b.get("/profile")).status, 200);
    // A cookie without the prefix (as a sibling subdomain could plant) signs nobody in.
    const token = b.cookies.get("__Host-spotter_session")!;
    const planted = await secure.app.request("/profile", {
      headers: { Cookie: `spotter_session=${token}` },
      redirect: "manual",
    });
    assert.equal(planted.status, 303);
    assert.match(planted.headers.get("Location")!, /^\/signin/);
    await secure.sql.end();
  },
);
