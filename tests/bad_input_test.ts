/** Whatever a caller sends, the answer is a clear 4xx in the contract's shape, never a 500. */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";

const t = await testApp({ now: "2026-12-01T08:00:00Z" });

const BODIES: unknown[] = [
  null,
  [],
  "text",
  42,
  true,
  {},
  { start: null, clientId: null, reason: null, notes: null, tags: null },
  { start: [], duration: "sixty", status: 7, notes: { a: 1 } },
  { start: "2026-12-02T10:00:00+25:00", duration: 1e308, clientId: "🙂" },
  { start: "0000-00-00T00:00:00Z", duration: -5, status: "lost" },
  { start: "2026-12-02T10:00:00+01:00", duration: 60.5 },
  { timezone: 5, slotMinutes: null, workingHours: [] },
  { timezone: "UTC", slotMinutes: 60, workingHours: { mon: "9-5" } },
  {
    timezone: "UTC",
    slotMinutes: 60,
    workingHours: { mon: [{ start: 9, end: 17 }] },
  },
  { timezone: "UTC", slotMinutes: 60, workingHours: { mon: [null] } },
  { email: 1, password: {}, name: [], referralCode: null },
  { tags: [1, 2], notes: 3 },
  { tags: ["x".repeat(100)] },
  { start: "2026-12-04T10:00:00+01:00", notes: "a\u0000b", reason: "\u0000" },
  {
    name: "N\u0000",
    email: "nul@example.test",
    password: "password-1",
    timezone: "UTC",
  },
  { tags: ["a\u0000"], notes: "\u0000" },
];

const RAW = ["{", "[1,", "\u0000", "null", '"str"', '{"a":1}{'];

const ENDPOINTS = (
  ids: { appt: string; client: string; trainer: string; klass: string },
) =>
  [
    ["POST", "/api/trainers"],
    ["POST", "/api/clients"],
    ["POST", "/api/sessions"],
    ["PUT", "/api/settings"],
    ["POST", "/api/appointments"],
    ["PATCH", `/api/appointments/${ids.appt}`],
    ["POST", `/api/appointments/${ids.appt}/cancel`],
    ["PATCH", `/api/clients/${ids.client}`],
    ["POST", "/api/telegram/link"],
    ["POST", "/api/classes"],
    ["POST", `/api/classes/${ids.klass}/seats`],
    ["DELETE", `/api/classes/${ids.klass}/seats/me`],
    ["DELETE", `/api/classes/${ids.klass}/seats/${ids.client}`],
    ["POST", `/api/classes/${ids.klass}/cancel`],
  ] as const;

const QUERIES = (trainer: string) => [
  `/api/trainers/${trainer}/slots?from=2026-12-01&to=2026-99-01`,
  `/api/trainers/${trainer}/slots?from[]=1&to=2`,
  `/api/trainers/${trainer}/slots?from=2026-12-01&to=2026-12-01&from=2026-12-02`,
  `/api/trainers/%00/slots?from=2026-12-01&to=2026-12-01`,
  `/api/appointments?from=yesterday`,
  `/api/appointments?status=scheduled,,`,
  `/api/appointments?from=2026-12-05&to=2026-12-01`,
  `/api/appointments/%E2%9C%93`,
  `/api/notifications?appointmentId=nope`,
  `/api/notifications?classId=nope`,
  `/api/trainers/${trainer}/classes?from=2026-12-01&to=2026-99-01`,
  `/api/trainers/${trainer}/classes?from=2026-12-05&to=2026-12-01`,
  `/api/trainers/%00/classes?from=2026-12-01&to=2026-12-01`,
  `/api/classes/%E2%9C%93`,
  `/classes/not-an-id`,
  `/calendar?week=2026-02-30&day=%00`,
  `/calendar/cell?start=garbage`,
  `/book?start=2026-12-02T10:00:00`,
  `/schedule?date=9999-99-99&view=month`,
  `/appointments/not-an-id`,
  `/join/%F0%9F%98%80`,
];

dbTest(
  "no input makes the JSON API answer 5xx, and errors keep the contract's shape",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const appt = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-02T10:00:00+01:00" },
    });
    const klass = await api(t, "POST", "/api/classes", {
      token: trainer.token,
      body: {
        title: "Circuit",
        start: "2026-12-03T18:00:00+01:00",
        capacity: 4,
      },
    });
    const ids = {
      appt: appt.body.id,
      client: client.id,
      trainer: trainer.id,
      klass: klass.body.id,
    };
    for (const token of [trainer.token, client.token]) {
      for (const [method, path] of ENDPOINTS(ids)) {
        for (const body of BODIES) {
          const res = await api(t, method, path, { token, body });
          assert.ok(
            res.status < 500,
            `${method} ${path} ${JSON.stringify(body)} → ${res.status}`,
          );
          if (res.status >= 400) {
            assert.equal(
              typeof res.body?.error?.code,
              "string",
              `${method} ${path}`,
            );
          }
        }
        for (const raw of RAW) {
          const res = await api(t, method, path, { token, raw });
          assert.ok(
            res.status < 500,
            `${method} ${path} raw ${JSON.stringify(raw)} → ${res.status}`,
          );
        }
      }
      for (const path of QUERIES(trainer.id)) {
        const res = await api(t, "GET", path, { token });
        assert.ok(res.status < 500, `GET ${path} → ${res.status}`);
      }
    }
  },
);

dbTest("no form input makes a page answer 5xx", async () => {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode);
  const appt = await api(t, "POST", "/api/appointments", {
    token: client.token,
    body: { start: "2026-12-03T10:00:00+01:00" },
  });
  const junk = [
    {},
    { start: "x", notes: "y".repeat(5000) },
    {
      name: "",
      email: "@",
      password: "1",
      timezone: "Nowhere/City",
      referralCode: "?",
    },
    {
      clientId: "x",
      date: "2026-13-40",
      time: "25:61",
      duration: "NaN",
      notes: "\u0000",
    },
    { reason: "other", details: "z".repeat(10_000) },
    {
      "mon.0.start": "99:99",
      "mon.0.end": "",
      slotMinutes: "abc",
      holidays: "2026-02-31",
    },
    { tags: ",,,", notes: "\u0000" },
  ];
  const trainerPosts = [
    "/schedule",
    `/schedule/${appt.body.id}/edit`,
    `/schedule/${appt.body.id}/cancel`,
    `/schedule/${appt.body.id}/complete`,
    `/schedule/${appt.body.id}/confirm`,
    "/schedule/not-an-id/delete",
    "/settings",
    `/clients/${client.id}`,
    "/clients/not-an-id",
    "/profile",
  ];
  const clientPosts = [
    "/book",
    "/book?cell=1",
    `/appointments/${appt.body.id}/cancel`,
    "/profile",
  ];
  for (
    const [email, paths] of [[trainer.email, trainerPosts], [
      client.email,
      clientPosts,
    ]] as const
  ) {
    const b = new Browser(t);
    await b.post("/signin", { email, password: "password-1" });
    for (const path of paths) {
      for (const form of junk) {
        const res = await b.post(path, form as Record<string, string>, {
          "HX-Request": "true",
        });
        assert.ok(
          res.status < 500,
          `POST ${path} ${JSON.stringify(form).slice(0, 80)} → ${res.status}`,
        );
      }
    }
  }
  const anon = new Browser(t);
  for (const form of junk) {
    for (const path of ["/signup", "/join", "/signin"]) {
      const res = await anon.post(path, form as Record<string, string>);
      assert.ok(res.status < 500, `POST ${path} → ${res.status}`);
    }
  }
});

dbTest(
  "a JSON body sent with the session cookie but labelled multipart/form-data without a boundary is 400 malformed_request",
  async () => {
    // Found by tests/fuzz_test.ts: the CSRF check's failed form parse stayed cached and the
    // route's read of the body then threw, a 500.
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const appt = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-07T10:00:00+01:00" },
    });
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    const headers = {
      Cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      "X-CSRF-Token": await b.csrfToken(),
      "Content-Type": "multipart/form-data",
    };
    for (
      const [method, path] of [
        ["POST", `/api/appointments/${appt.body.id}/cancel`],
        ["POST", `/api/appointments/${appt.body.id}/move`],
        ["POST", "/api/appointments"],
        ["PUT", "/api/settings"],
        ["POST", "/api/series"],
      ]
    ) {
      const res = await api(t, method, path, { headers, raw: '{"a":1}' });
      assert.equal(res.status, 400, `${method} ${path} → ${res.status}`);
      assert.equal(res.body.error.code, "malformed_request");
    }
  },
);
