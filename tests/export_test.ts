/** Downloads of one's data (a client's JSON, a trainer's ZIP), and closing a business. */
import assert from "node:assert/strict";
import { strFromU8, unzipSync } from "fflate";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { columnsContaining } from "./helpers/db_search.ts";
import { FakeSmtp } from "./helpers/fake_smtp.ts";
import { createMailer } from "../jobs/mailer.ts";
import { deliverAccountMessages } from "../jobs/account_mail.ts";

const smtp = await FakeSmtp.start();
const mailer = createMailer({ smtpUrl: smtp.url, from: "Spotter <a@b.test>" });
globalThis.addEventListener("unload", () => {
  mailer.close();
  void smtp.close();
});

const tag = () => crypto.randomUUID().slice(0, 8);

async function business() {
  const t = await testApp({ now: "2026-12-01T08:00:00Z" });
  const trainer = await signUpTrainer(t, { name: `Tamsin ${tag()}` });
  const ana = await signUpClient(t, trainer.referralCode, `Ana ${tag()}`);
  const ben = await signUpClient(t, trainer.referralCode, `Ben ${tag()}`);
  const book = async (clientId: string, start: string, notes: string) => {
    const res = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId, start, notes },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const anaSession = await book(
    ana.id,
    "2026-12-02T10:00:00+01:00",
    "ana-note",
  );
  const benSession = await book(
    ben.id,
    "2026-12-02T12:00:00+01:00",
    "ben-secret",
  );
  await api(t, "PATCH", `/api/clients/${ben.id}`, {
    token: trainer.token,
    body: { tags: ["vip", "knee"], notes: '=HYPERLINK("x")\nline two' },
  });
  const klass = await api(t, "POST", "/api/classes", {
    token: trainer.token,
    body: { title: "Core", start: "2026-12-03T18:00:00+01:00", capacity: 4 },
  });
  await api(t, "POST", `/api/classes/${klass.body.id}/seats`, {
    token: ana.token,
    body: {},
  });
  const grant = async (clientId: string, note: string) => {
    const res = await api(t, "POST", `/api/clients/${clientId}/credits`, {
      token: trainer.token,
      body: {
        sessions: 5,
        paid: { amountCents: 25000, currency: "EUR", method: "cash", note },
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const anaGrant = await grant(ana.id, "ana-paid");
  const benGrant = await grant(ben.id, "ben-paid-secret");
  return {
    t,
    trainer,
    ana,
    ben,
    anaSession,
    benSession,
    classId: klass.body.id,
    anaGrant,
    benGrant,
  };
}

async function signedIn(t: Awaited<ReturnType<typeof testApp>>, email: string) {
  const b = new Browser(t);
  await b.post("/signin", { email, password: "password-1" });
  return b;
}

dbTest(
  "a client downloads their own data as JSON, and nothing of another client",
  async () => {
    const { t, ana, ben, anaSession, benSession, classId, anaGrant, benGrant } =
      await business();
    const b = await signedIn(t, ana.email);
    const profile = await b.get("/profile");
    assert.match(profile.text, /href="\/profile\/export"/);
    const res = await t.app.request("/profile/export", {
      headers: {
        Cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get("Content-Disposition")!,
      /^attachment; filename="spotter-my-data-/,
    );
    const text = await res.text();
    const data = JSON.parse(text);
    assert.equal(data.profile.email, ana.email);
    assert.deepEqual(data.appointments.map((a: { id: string }) => a.id), [
      anaSession,
    ]);
    assert.equal(data.appointments[0].notes, "ana-note");
    assert.equal(data.classSeats[0].class_id, classId);
    assert.ok(data.notifications.length > 0, "the notices to Ana");
    assert.ok(Array.isArray(data.signedInDevices));
    assert.deepEqual(data.credits.grants.map((g: { id: string }) => g.id), [
      anaGrant,
    ]);
    assert.equal(data.credits.grants[0].paid_note, "ana-paid");
    assert.deepEqual(
      data.credits.ledger.map((e: { kind: string }) => e.kind),
      ["granted"],
    );
    // Nothing of Ben's.
    for (
      const other of [
        ben.email,
        ben.id,
        benSession,
        benGrant,
        "ben-secret",
        "ben-paid-secret",
        "HYPERLINK",
      ]
    ) {
      assert.ok(!text.includes(other), `Ana's export holds ${other}`);
    }
  },
);

dbTest(
  "a trainer downloads the business as a ZIP of CSV files and one JSON, only their own",
  async () => {
    const { t, trainer, ana, ben, anaSession, benSession, anaGrant, benGrant } =
      await business();
    const rival = await signUpTrainer(t, { name: "Rival" });
    const stranger = await signUpClient(
      t,
      rival.referralCode,
      `Stranger ${tag()}`,
    );
    const rivalPackage = await api(t, "POST", "/api/packages", {
      token: rival.token,
      body: { name: "Rival ten", sessions: 10 },
    });
    assert.equal(rivalPackage.status, 201, JSON.stringify(rivalPackage.body));
    const rivalGrant = await api(
      t,
      "POST",
      `/api/clients/${stranger.id}/credits`,
      {
        token: rival.token,
        body: { packageId: rivalPackage.body.id },
      },
    );
    assert.equal(rivalGrant.status, 201, JSON.stringify(rivalGrant.body));
    const b = await signedIn(t, trainer.email);
    const res = await t.app.request("/profile/export", {
      headers: {
        Cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("Content-Type"), "application/zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    assert.deepEqual(Object.keys(files).sort(), [
      "appointments.csv",
      "business.json",
      "class_seats.csv",
      "classes.csv",
      "clients.csv",
      "credit_grants.csv",
      "credit_ledger.csv",
      "notifications.csv",
      "other_calendars.csv",
      "packages.csv",
      "series.csv",
    ]);
    const json = JSON.parse(strFromU8(files["business.json"]));
    assert.equal(json.email, trainer.email);
    assert.equal(json.timezone, "Europe/Berlin");
    const clients = strFromU8(files["clients.csv"]);
    assert.match(clients, /^id,name,email,tags,notes,joined_at\r\n/);
    assert.ok(clients.includes(ana.email) && clients.includes(ben.email));
    // Quoted where it holds a line break; a formula is defused.
    assert.ok(
      clients.includes(`"vip, knee","'=HYPERLINK(""x"")\nline two"`),
      clients,
    );
    const appointments = strFromU8(files["appointments.csv"]);
    assert.equal(appointments.trim().split("\r\n").length, 3);
    assert.ok(
      appointments.includes(anaSession) && appointments.includes(benSession),
    );
    assert.ok(strFromU8(files["notifications.csv"]).split("\r\n").length > 2);
    const grants = strFromU8(files["credit_grants.csv"]);
    assert.equal(grants.trim().split("\r\n").length, 3);
    for (const kept of [anaGrant, benGrant, "ana-paid", "ben-paid-secret"]) {
      assert.ok(grants.includes(kept), `the grants lack ${kept}`);
    }
    const ledger = strFromU8(files["credit_ledger.csv"]);
    assert.match(ledger, /^grant_id,client_id,at,kind,delta,/);
    assert.equal(ledger.trim().split("\r\n").length, 3);
    assert.match(strFromU8(files["packages.csv"]), /^id,name,sessions,/);
    assert.match(strFromU8(files["other_calendars.csv"]), /^id,name,url,/);
    assert.equal(json.require_credit, false);
    const all = Object.values(files).map((f) => strFromU8(f)).join("\n");
    for (
      const other of [
        rival.email,
        stranger.email,
        stranger.id,
        rivalGrant.body.id,
        rivalPackage.body.id,
        "Rival",
      ]
    ) {
      assert.ok(!all.includes(other), `the export holds ${other}`);
    }
    // A client's session cannot fetch the business.
    const cb = await signedIn(t, ana.email);
    const mine = await cb.get("/profile/export");
    assert.ok(!mine.text.includes(ben.email));
  },
);

dbTest(
  "a trainer closes the business only after downloading it: everything goes in one step, the clients are told",
  async () => {
    const { t, trainer, ana, ben } = await business();
    const b = await signedIn(t, trainer.email);
    const early = await b.get("/profile/delete");
    assert.equal(early.status, 303);
    const refused = await b.post("/profile/delete", { password: "password-1" });
    assert.equal(refused.status, 303);
    assert.equal(
      (await t.sql`SELECT 1 FROM users WHERE id = ${trainer.id}`).length,
      1,
    );

    const zip = await t.app.request("/profile/export", {
      headers: {
        Cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    await zip.arrayBuffer(); // downloaded to the end
    const profile = await b.get("/profile");
    assert.match(profile.text, /Close my business/);
    assert.equal((await b.get("/profile/delete")).status, 200);
    assert.equal(
      (await b.post("/profile/delete", { password: "nope-nope-1" })).status,
      422,
    );
    const done = await b.post("/profile/delete", { password: "password-1" });
    assert.equal(done.status, 303);

    const sent = await deliverAccountMessages({
      sql: t.sql,
      now: t.clock.now(),
      appUrl: t.deps.config.appUrl,
      mailer,
    });
    assert.equal(sent.sent, 2);
    for (const client of [ana, ben]) {
      assert.ok(smtp.received.some((m) => m.to.includes(client.email)));
      assert.equal(
        (await api(t, "GET", "/api/appointments", { token: client.token }))
          .status,
        401,
      );
    }
    for (const gone of [trainer.email, ana.email, ben.email, trainer.id]) {
      assert.deepEqual(await columnsContaining(t.sql, gone), [], gone);
    }
    for (
      const table of [
        "users",
        "appointments",
        "classes",
        "clients",
        "notifications",
      ]
    ) {
      const [row] = await t.sql.unsafe(
        `SELECT count(*)::int AS n FROM ${table}`,
      );
      assert.equal(row.n, 0, table);
    }
  },
);
