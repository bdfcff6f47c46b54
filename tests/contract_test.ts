/**
 * Acceptance tests of the public JSON API against /work/shared/api.md, line by line.
 * Only what the contract states explicitly is asserted; where it is silent, nothing is.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import {
  api,
  type JsonResponse,
  signUpClient,
  signUpTrainer,
  uniqueEmail,
} from "./helpers/http.ts";

/** Tuesday 2026-12-01, 09:00 in Berlin. */
const NOW = "2026-12-01T08:00:00Z";
const t = await testApp({ now: NOW });

type Who = { id: string; token: string; referralCode?: string };
type Day = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
type Range = { start: string; end: string };

const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const RANDOM_UUID = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";

let address = 0;
/** A fresh client address, so sign-in failures of one test never throttle another. */
const freshAddress = () => ({ "X-Forwarded-For": `198.51.100.${++address}` });

/** The contract's error shape; `fields` only for validation (422). */
function assertError(res: JsonResponse, status: number, code?: string) {
  const where = `${res.status} ${JSON.stringify(res.body)}`;
  assert.equal(res.status, status, where);
  assert.match(res.headers.get("Content-Type") ?? "", /^application\/json/i);
  const error = res.body?.error;
  assert.equal(typeof error, "object", where);
  assert.equal(typeof error.code, "string", where);
  assert.match(error.code, SNAKE, where);
  assert.equal(typeof error.message, "string", where);
  assert.ok(error.message.length > 0, where);
  if (status !== 422) {
    assert.equal(
      error.fields,
      undefined,
      `fields outside validation: ${where}`,
    );
  } else if (error.fields !== undefined) {
    assert.equal(typeof error.fields, "object", where);
    for (const why of Object.values(error.fields)) {
      assert.equal(typeof why, "string", where);
    }
  }
  if (code) assert.equal(error.code, code, where);
}

const week = (
  days: Partial<Record<Day, Range[]>>,
): Record<Day, Range[]> => ({
  mon: [],
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [],
  sun: [],
  ...days,
});

async function settingsOf(trainer: Who) {
  const res = await api(t, "GET", "/api/settings", { token: trainer.token });
  assert.equal(res.status, 200);
  return res.body;
}

async function setSettings(trainer: Who, change: Record<string, unknown>) {
  const res = await api(t, "PUT", "/api/settings", {
    token: trainer.token,
    body: { ...await settingsOf(trainer), ...change },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** A trainer in `timezone` with the given settings, and one client of theirs. */
async function trainerWithClient(
  timezone = "Europe/Berlin",
  change: Record<string, unknown> = {},
) {
  const trainer = await signUpTrainer(t, { timezone });
  if (Object.keys(change).length) await setSettings(trainer, change);
  const client = await signUpClient(t, trainer.referralCode, "Own Client");
  return { trainer, client };
}

const slots = (who: Who, trainerId: string, from: string, to = from) =>
  api(t, "GET", `/api/trainers/${trainerId}/slots?from=${from}&to=${to}`, {
    token: who.token,
  });

/** Slots as `[start, end, status]` triples. */
async function slotTriples(
  who: Who,
  trainerId: string,
  from: string,
  to = from,
) {
  const res = await slots(who, trainerId, from, to);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.slots.map((
    s: { start: string; end: string; status: string },
  ) => [s.start, s.end, s.status]);
}

const book = (
  who: Who,
  body: unknown,
  headers: Record<string, string> = {},
) => api(t, "POST", "/api/appointments", { token: who.token, body, headers });

async function booked(who: Who, body: unknown) {
  const res = await book(who, body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const patch = (who: Who, id: string, body: unknown) =>
  api(t, "PATCH", `/api/appointments/${id}`, { token: who.token, body });

const cancel = (who: Who, id: string, body?: unknown) =>
  api(t, "POST", `/api/appointments/${id}/cancel`, { token: who.token, body });

const notificationsOf = (who: Who, appointmentId: string) =>
  api(t, "GET", `/api/notifications?appointmentId=${appointmentId}`, {
    token: who.token,
  });

async function statsOf(trainer: Who, clientId: string) {
  const res = await api(t, "GET", "/api/clients", { token: trainer.token });
  assert.equal(res.status, 200);
  return res.body.clients.find((c: { id: string }) => c.id === clientId)
    ?.stats;
}

/** A body of exactly `bytes` bytes of valid JSON. */
function jsonOfSize(bytes: number, base: Record<string, unknown>) {
  const empty = JSON.stringify({ ...base, pad: "" });
  return JSON.stringify({ ...base, pad: "x".repeat(bytes - empty.length) });
}

// ---------------------------------------------------------------- conventions

dbTest("GET /healthz answers 200 with {ok: true} as JSON", async () => {
  const res = await api(t, "GET", "/healthz");
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { ok: true });
  assert.match(res.headers.get("Content-Type") ?? "", /^application\/json/i);
});

dbTest(
  "successful JSON answers are sent as application/json",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const appt = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const answers = [
      await api(t, "GET", "/api/settings", { token: trainer.token }),
      await slots(client, trainer.id, "2026-12-02"),
      await api(t, "GET", "/api/appointments", { token: client.token }),
      await api(t, "GET", `/api/appointments/${appt.id}`, {
        token: trainer.token,
      }),
      await api(t, "GET", "/api/clients", { token: trainer.token }),
      await notificationsOf(trainer, appt.id),
    ];
    for (const res of answers) {
      assert.equal(res.status, 200);
      assert.match(
        res.headers.get("Content-Type") ?? "",
        /^application\/json/i,
      );
    }
  },
);

dbTest(
  "an unknown API path answers 404 in the contract's error shape",
  async () => {
    const trainer = await signUpTrainer(t);
    assertError(
      await api(t, "GET", "/api/no-such-thing", { token: trainer.token }),
      404,
    );
  },
);

dbTest(
  "malformed JSON answers 400 in the error shape on every endpoint that takes a body",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const appt = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const calls: [string, string, string | undefined][] = [
      ["POST", "/api/trainers", undefined],
      ["POST", "/api/clients", undefined],
      ["POST", "/api/sessions", undefined],
      ["PUT", "/api/settings", trainer.token],
      ["POST", "/api/appointments", client.token],
      ["POST", "/api/appointments", trainer.token],
      ["POST", `/api/appointments/${appt.id}/cancel`, client.token],
      ["PATCH", `/api/appointments/${appt.id}`, trainer.token],
      ["PATCH", `/api/clients/${client.id}`, trainer.token],
    ];
    for (const [method, path, token] of calls) {
      const res = await api(t, method, path, {
        token,
        raw: '{"start": ',
        headers: freshAddress(),
      });
      assertError(res, 400);
    }
    // Nothing was cancelled by the malformed cancel.
    const after = await api(t, "GET", `/api/appointments/${appt.id}`, {
      token: client.token,
    });
    assert.equal(after.body.status, "scheduled");
  },
);

dbTest(
  "a body of exactly 64 KiB is not refused as too large; one byte more answers 413",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const at = jsonOfSize(64 * 1024, { notes: "n" });
    assert.equal(new TextEncoder().encode(at).length, 65536);
    const fits = await api(t, "PATCH", `/api/clients/${client.id}`, {
      token: trainer.token,
      raw: at,
    });
    assert.notEqual(fits.status, 413, JSON.stringify(fits.body));
    const over = jsonOfSize(64 * 1024 + 1, { notes: "n" });
    assert.equal(new TextEncoder().encode(over).length, 65537);
    assertError(
      await api(t, "PATCH", `/api/clients/${client.id}`, {
        token: trainer.token,
        raw: over,
      }),
      413,
    );
  },
);

dbTest(
  "a body over 64 KiB answers 413 on every endpoint that takes one, also when streamed without a length",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const appt = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const big = jsonOfSize(70 * 1024, {
      email: uniqueEmail(),
      password: "password-1",
    });
    const calls: [string, string, string | undefined][] = [
      ["POST", "/api/trainers", undefined],
      ["POST", "/api/clients", undefined],
      ["POST", "/api/sessions", undefined],
      ["PUT", "/api/settings", trainer.token],
      ["POST", "/api/appointments", client.token],
      ["POST", `/api/appointments/${appt.id}/cancel`, client.token],
      ["PATCH", `/api/appointments/${appt.id}`, trainer.token],
      ["PATCH", `/api/clients/${client.id}`, trainer.token],
    ];
    for (const [method, path, token] of calls) {
      assertError(
        await api(t, method, path, {
          token,
          raw: big,
          headers: freshAddress(),
        }),
        413,
      );
      // The same body as a stream: no Content-Length to trust.
      const bytes = new TextEncoder().encode(big);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 8192) {
            controller.enqueue(bytes.slice(i, i + 8192));
          }
          controller.close();
        },
      });
      const res = await t.app.request(path, {
        method,
        headers: {
          "Content-Type": "application/json",
          ...(token && { Authorization: `Bearer ${token}` }),
          ...freshAddress(),
        },
        body: stream,
      });
      assert.equal(res.status, 413, `${method} ${path} streamed`);
      await res.body?.cancel();
    }
    const after = await api(t, "GET", `/api/appointments/${appt.id}`, {
      token: client.token,
    });
    assert.equal(after.body.status, "scheduled");
  },
);

// ----------------------------------------------------------------------- auth

dbTest(
  "every signed-in endpoint answers 401 in the error shape without a token or with an unknown one",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const appt = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const calls: [string, string, unknown][] = [
      ["GET", "/api/settings", undefined],
      ["PUT", "/api/settings", {}],
      [
        "GET",
        `/api/trainers/${trainer.id}/slots?from=2026-12-01&to=2026-12-01`,
        undefined,
      ],
      ["POST", "/api/appointments", { start: "2026-12-03T10:00:00+01:00" }],
      ["GET", "/api/appointments", undefined],
      ["GET", `/api/appointments/${appt.id}`, undefined],
      ["POST", `/api/appointments/${appt.id}/cancel`, {}],
      ["PATCH", `/api/appointments/${appt.id}`, { notes: "x" }],
      ["DELETE", `/api/appointments/${appt.id}`, undefined],
      ["GET", "/api/clients", undefined],
      ["PATCH", `/api/clients/${client.id}`, { notes: "x" }],
      ["GET", `/api/notifications?appointmentId=${appt.id}`, undefined],
      ["POST", "/api/telegram/link", undefined],
      ["DELETE", "/api/telegram/link", undefined],
      ["DELETE", "/api/sessions", undefined],
    ];
    for (const [method, path, body] of calls) {
      assertError(await api(t, method, path, { body }), 401);
      assertError(
        await api(t, method, path, { body, token: "not-a-real-token" }),
        401,
      );
    }
    const still = await api(t, "GET", `/api/appointments/${appt.id}`, {
      token: client.token,
    });
    assert.equal(still.status, 200);
    assert.equal(still.body.status, "scheduled");
  },
);

dbTest(
  "a client calling a trainer-only endpoint gets 403, even for an id that does not exist",
  async () => {
    t.clock.set(NOW);
    const { client } = await trainerWithClient();
    const appt = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const calls: [string, string, unknown][] = [
      ["GET", "/api/settings", undefined],
      ["PUT", "/api/settings", {}],
      ["GET", "/api/clients", undefined],
      ["PATCH", `/api/clients/${client.id}`, { notes: "x" }],
      ["PATCH", `/api/clients/${RANDOM_UUID}`, { notes: "x" }],
      ["PATCH", `/api/appointments/${appt.id}`, { notes: "x" }],
      ["PATCH", `/api/appointments/${RANDOM_UUID}`, { notes: "x" }],
      ["DELETE", `/api/appointments/${appt.id}`, undefined],
      ["DELETE", `/api/appointments/${RANDOM_UUID}`, undefined],
    ];
    for (const [method, path, body] of calls) {
      assertError(
        await api(t, method, path, { body, token: client.token }),
        403,
      );
    }
  },
);

dbTest(
  "DELETE /api/sessions answers 204 and the token stops working at once, everywhere",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const out = await api(t, "DELETE", "/api/sessions", {
      token: client.token,
    });
    assert.equal(out.status, 204);
    assert.equal(out.body, null);
    for (
      const path of [
        "/api/appointments",
        `/api/trainers/${trainer.id}/slots?from=2026-12-01&to=2026-12-01`,
        "/api/notifications",
      ]
    ) {
      assertError(await api(t, "GET", path, { token: client.token }), 401);
    }
    assertError(
      await book(client, { start: "2026-12-02T10:00:00+01:00" }),
      401,
    );
    const tOut = await api(t, "DELETE", "/api/sessions", {
      token: trainer.token,
    });
    assert.equal(tOut.status, 204);
    assertError(
      await api(t, "GET", "/api/settings", { token: trainer.token }),
      401,
    );
  },
);

dbTest(
  "sign-up answers 201 {id, referralCode} for trainers and 201 {id, trainerId} for clients",
  async () => {
    const trainerRes = await api(t, "POST", "/api/trainers", {
      body: {
        name: "Tia",
        email: uniqueEmail(),
        password: "password-1",
        timezone: "Asia/Kathmandu",
      },
    });
    assert.equal(trainerRes.status, 201);
    assert.match(
      trainerRes.headers.get("Content-Type") ?? "",
      /^application\/json/i,
    );
    assert.equal(typeof trainerRes.body.id, "string");
    assert.equal(typeof trainerRes.body.referralCode, "string");
    const clientRes = await api(t, "POST", "/api/clients", {
      body: {
        referralCode: trainerRes.body.referralCode,
        name: "Cal",
        email: uniqueEmail(),
        password: "password-1",
      },
    });
    assert.equal(clientRes.status, 201);
    assert.equal(typeof clientRes.body.id, "string");
    assert.equal(clientRes.body.trainerId, trainerRes.body.id);
  },
);

dbTest(
  'a trainer signs in and gets {token, role: "trainer", id}',
  async () => {
    const trainer = await signUpTrainer(t);
    const res = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "password-1" },
    });
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.token, "string");
    assert.equal(res.body.role, "trainer");
    assert.equal(res.body.id, trainer.id);
    const me = await api(t, "GET", "/api/settings", { token: res.body.token });
    assert.equal(me.status, 200);
  },
);

dbTest(
  "passwords need at least 8 characters (here 10, and not a common one): 7 are refused with 422 and fields.password, a strong 10 are accepted",
  async () => {
    for (const password of ["1234567", "12345678", "123456789"]) {
      const short = await api(t, "POST", "/api/trainers", {
        body: {
          name: "Tia",
          email: uniqueEmail(),
          password,
          timezone: "Europe/Berlin",
        },
      });
      assertError(short, 422);
      assert.ok(short.body.error.fields?.password, JSON.stringify(short.body));
    }
    const exact = await api(t, "POST", "/api/trainers", {
      body: {
        name: "Tia",
        email: uniqueEmail(),
        password: "kettle-7Qb",
        timezone: "Europe/Berlin",
      },
    });
    assert.equal(exact.status, 201, JSON.stringify(exact.body));
  },
);

dbTest(
  "a trainer cannot sign up with an e-mail a client already uses (409 email_taken)",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const res = await api(t, "POST", "/api/trainers", {
      body: {
        name: "Dup",
        email: client.email,
        password: "password-1",
        timezone: "Europe/Berlin",
      },
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, "email_taken");
  },
);

dbTest(
  "a 409 email_taken is a conflict, not a validation error, so it carries no fields",
  async () => {
    const trainer = await signUpTrainer(t);
    const asTrainer = await api(t, "POST", "/api/trainers", {
      body: {
        name: "Dup",
        email: trainer.email,
        password: "password-1",
        timezone: "Europe/Berlin",
      },
    });
    const asClient = await api(t, "POST", "/api/clients", {
      body: {
        referralCode: trainer.referralCode,
        name: "Dup",
        email: trainer.email,
        password: "password-1",
      },
    });
    assert.deepEqual(
      [asTrainer.body.error.fields, asClient.body.error.fields],
      [undefined, undefined],
    );
    assertError(asTrainer, 409, "email_taken");
    assertError(asClient, 409, "email_taken");
  },
);

dbTest(
  "wrong credentials answer 401 invalid_credentials in the error shape, the same for an unknown e-mail",
  async () => {
    const trainer = await signUpTrainer(t);
    const wrong = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "not-the-password" },
      headers: freshAddress(),
    });
    assertError(wrong, 401, "invalid_credentials");
    const unknown = await api(t, "POST", "/api/sessions", {
      body: { email: uniqueEmail(), password: "not-the-password" },
      headers: freshAddress(),
    });
    assertError(unknown, 401, "invalid_credentials");
    assert.deepEqual(unknown.body, wrong.body);
  },
);

dbTest(
  "failed sign-ins from one address, each for another e-mail, end in 429 too_many_attempts with Retry-After",
  async () => {
    const headers = freshAddress();
    let blocked: JsonResponse | undefined;
    for (let i = 0; i < 30 && !blocked; i++) {
      const res = await api(t, "POST", "/api/sessions", {
        body: { email: uniqueEmail("nobody"), password: "wrong-password" },
        headers,
      });
      if (res.status === 429) blocked = res;
      else assertError(res, 401, "invalid_credentials");
    }
    assert.ok(blocked, "never throttled after 30 failures from one address");
    assertError(blocked, 429, "too_many_attempts");
    const retry = blocked.headers.get("Retry-After");
    assert.ok(retry, "Retry-After missing");
    assert.ok(
      /^\d+$/.test(retry) ? Number(retry) > 0 : !isNaN(Date.parse(retry)),
      `Retry-After ${retry}`,
    );
  },
);

dbTest(
  "sign-ups are not throttled, even from an address whose sign-ins are",
  async () => {
    const headers = freshAddress();
    for (let i = 0; i < 15; i++) {
      await api(t, "POST", "/api/sessions", {
        body: { email: uniqueEmail("nobody"), password: "wrong-password" },
        headers,
      });
    }
    const trainerRes = await api(t, "POST", "/api/trainers", {
      body: {
        name: "Late",
        email: uniqueEmail(),
        password: "password-1",
        timezone: "Europe/Berlin",
      },
      headers,
    });
    assert.equal(trainerRes.status, 201, JSON.stringify(trainerRes.body));
    const clientRes = await api(t, "POST", "/api/clients", {
      body: {
        referralCode: trainerRes.body.referralCode,
        name: "Late client",
        email: uniqueEmail(),
        password: "password-1",
      },
      headers,
    });
    assert.equal(clientRes.status, 201, JSON.stringify(clientRes.body));
  },
);

// ------------------------------------------------------------------- settings

dbTest(
  "a new trainer's settings hold the sign-up zone, 60-minute slots, Mon–Fri 09:00–17:00, reminders on at 120",
  async () => {
    const trainer = await signUpTrainer(t, { timezone: "America/New_York" });
    const s = await settingsOf(trainer);
    assert.equal(s.timezone, "America/New_York");
    assert.equal(s.slotMinutes, 60);
    const nine = [{ start: "09:00", end: "17:00" }];
    assert.deepEqual(
      {
        mon: s.workingHours.mon,
        tue: s.workingHours.tue,
        wed: s.workingHours.wed,
        thu: s.workingHours.thu,
        fri: s.workingHours.fri,
        sat: s.workingHours.sat,
        sun: s.workingHours.sun,
      },
      week({ mon: nine, tue: nine, wed: nine, thu: nine, fri: nine }),
    );
    assert.deepEqual(s.holidays, []);
    assert.equal(s.remindersEnabled, true);
    assert.equal(s.reminderMinutes, 120);
  },
);

dbTest(
  "PUT /api/settings without the optional fields keeps remindersEnabled, reminderMinutes and holidays",
  async () => {
    const trainer = await signUpTrainer(t);
    await setSettings(trainer, {
      remindersEnabled: false,
      reminderMinutes: 45,
      holidays: ["2026-12-24"],
    });
    const res = await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: {
        timezone: "Europe/Berlin",
        slotMinutes: 30,
        workingHours: week({ mon: [{ start: "08:00", end: "12:00" }] }),
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.slotMinutes, 30);
    assert.equal(res.body.remindersEnabled, false);
    assert.equal(res.body.reminderMinutes, 45);
    assert.deepEqual(res.body.holidays, ["2026-12-24"]);
    assert.deepEqual(await settingsOf(trainer), res.body);
  },
);

dbTest(
  "reminderMinutes accepts 15 and 2880 and refuses 14 and 2881 with fields.reminderMinutes",
  async () => {
    const trainer = await signUpTrainer(t);
    for (const ok of [15, 2880]) {
      assert.equal(
        (await setSettings(trainer, { reminderMinutes: ok })).reminderMinutes,
        ok,
      );
    }
    const before = await settingsOf(trainer);
    for (const bad of [14, 2881, 0, -120, "120", null]) {
      const res = await api(t, "PUT", "/api/settings", {
        token: trainer.token,
        body: { ...before, reminderMinutes: bad },
      });
      assertError(res, 422);
      assert.ok(
        res.body.error.fields?.reminderMinutes,
        `${bad}: ${JSON.stringify(res.body)}`,
      );
    }
    assert.deepEqual(await settingsOf(trainer), before);
  },
);

dbTest(
  "slotMinutes accepts 15, 85 and 90 and refuses 0, 14, 88, 91, 100 and 60.5 with fields.slotMinutes",
  async () => {
    const trainer = await signUpTrainer(t);
    for (const ok of [15, 85, 90]) {
      assert.equal(
        (await setSettings(trainer, { slotMinutes: ok })).slotMinutes,
        ok,
      );
    }
    const before = await settingsOf(trainer);
    for (const bad of [0, 14, 88, 91, 100, 60.5, -60]) {
      const res = await api(t, "PUT", "/api/settings", {
        token: trainer.token,
        body: { ...before, slotMinutes: bad },
      });
      assertError(res, 422);
      assert.ok(
        res.body.error.fields?.slotMinutes,
        `${bad}: ${JSON.stringify(res.body)}`,
      );
    }
  },
);

dbTest(
  "working ranges: 24:00 may end a day; 24:00 as a start, start equal to end, 25:00 and H:MM are refused",
  async () => {
    const trainer = await signUpTrainer(t);
    const ok = await setSettings(trainer, {
      workingHours: week({ sat: [{ start: "20:00", end: "24:00" }] }),
    });
    assert.deepEqual(ok.workingHours.sat, [{ start: "20:00", end: "24:00" }]);
    const before = await settingsOf(trainer);
    const bad: Range[][] = [
      [{ start: "24:00", end: "24:00" }],
      [{ start: "10:00", end: "10:00" }],
      [{ start: "10:00", end: "25:00" }],
      [{ start: "9:00", end: "12:00" }],
      [{ start: "09:00", end: "12:60" }],
      [{ start: "08:00", end: "12:00" }, { start: "11:59", end: "13:00" }],
      [{ start: "11:00", end: "13:00" }, { start: "09:00", end: "12:00" }],
    ];
    for (const ranges of bad) {
      const res = await api(t, "PUT", "/api/settings", {
        token: trainer.token,
        body: { ...before, workingHours: week({ wed: ranges }) },
      });
      assertError(res, 422);
      assert.ok(res.body.error.fields, JSON.stringify(ranges));
    }
    assert.deepEqual(await settingsOf(trainer), before);
  },
);

dbTest(
  "holidays must be real YYYY-MM-DD dates and timezone an IANA name, else 422 with fields",
  async () => {
    const trainer = await signUpTrainer(t);
    const before = await settingsOf(trainer);
    const cases: [Record<string, unknown>, string][] = [
      [{ holidays: ["2026-12-5"] }, "holidays"],
      [{ holidays: ["25.12.2026"] }, "holidays"],
      [{ timezone: "CET+1" }, "timezone"],
      [{ remindersEnabled: "yes" }, "remindersEnabled"],
    ];
    for (const [change, field] of cases) {
      const res = await api(t, "PUT", "/api/settings", {
        token: trainer.token,
        body: { ...before, ...change },
      });
      assertError(res, 422);
      assert.ok(res.body.error.fields?.[field], JSON.stringify(res.body));
    }
  },
);

// ---------------------------------------------------------------------- slots

dbTest(
  "slots answer timezone, slotMinutes and ordered {start, end, status} in the trainer's offset, both dates inclusive",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const res = await slots(client, trainer.id, "2026-12-03", "2026-12-04");
    assert.equal(res.status, 200);
    assert.equal(res.body.timezone, "Europe/Berlin");
    assert.equal(res.body.slotMinutes, 60);
    assert.equal(res.body.slots.length, 16);
    const starts = res.body.slots.map((s: { start: string }) => s.start);
    assert.equal(starts[0], "2026-12-03T09:00:00+01:00");
    assert.equal(starts[15], "2026-12-04T16:00:00+01:00");
    for (const s of res.body.slots) {
      assert.match(s.start, OFFSET_TIME);
      assert.match(s.end, OFFSET_TIME);
      assert.equal(s.status, "available");
    }
    const sorted = [...starts].sort((a, b) =>
      Temporal.Instant.compare(
        Temporal.Instant.from(a),
        Temporal.Instant.from(b),
      )
    );
    assert.deepEqual(starts, sorted);
  },
);

dbTest(
  "a slot must end by the range's end: 45-minute slots in 09:00–12:00 and 60-minute ones in 13:00–14:30",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient("Europe/Berlin", {
      slotMinutes: 45,
      workingHours: week({ wed: [{ start: "09:00", end: "12:00" }] }),
    });
    assert.deepEqual(await slotTriples(client, trainer.id, "2026-12-02"), [
      ["2026-12-02T09:00:00+01:00", "2026-12-02T09:45:00+01:00", "available"],
      ["2026-12-02T09:45:00+01:00", "2026-12-02T10:30:00+01:00", "available"],
      ["2026-12-02T10:30:00+01:00", "2026-12-02T11:15:00+01:00", "available"],
      ["2026-12-02T11:15:00+01:00", "2026-12-02T12:00:00+01:00", "available"],
    ]);
    await setSettings(trainer, {
      slotMinutes: 60,
      workingHours: week({ wed: [{ start: "13:00", end: "14:30" }] }),
    });
    assert.deepEqual(await slotTriples(client, trainer.id, "2026-12-02"), [
      ["2026-12-02T13:00:00+01:00", "2026-12-02T14:00:00+01:00", "available"],
    ]);
  },
);

dbTest(
  "slots are ordered by start even when the day's ranges are listed out of order",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient("Europe/Berlin", {
      workingHours: week({
        wed: [{ start: "15:00", end: "16:00" }, {
          start: "09:00",
          end: "10:00",
        }],
        thu: [{ start: "09:00", end: "10:00" }],
      }),
    });
    assert.deepEqual(
      (await slotTriples(client, trainer.id, "2026-12-02", "2026-12-03")).map((
        s: string[],
      ) => s[0]),
      [
        "2026-12-02T09:00:00+01:00",
        "2026-12-02T15:00:00+01:00",
        "2026-12-03T09:00:00+01:00",
      ],
    );
  },
);

dbTest(
  "a range ending at 24:00 lays slots out up to midnight",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient("Europe/Berlin", {
      workingHours: week({ wed: [{ start: "22:00", end: "24:00" }] }),
    });
    assert.deepEqual(
      await slotTriples(client, trainer.id, "2026-12-02", "2026-12-03"),
      [
        ["2026-12-02T22:00:00+01:00", "2026-12-02T23:00:00+01:00", "available"],
        ["2026-12-02T23:00:00+01:00", "2026-12-03T00:00:00+01:00", "available"],
      ],
    );
    assert.equal(
      (await book(client, { start: "2026-12-02T23:00:00+01:00" })).status,
      201,
    );
  },
);

dbTest(
  "holidays and days without ranges have no slots, and a client cannot book them (422 not_a_slot)",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient("Europe/Berlin", {
      holidays: ["2026-12-03"],
    });
    const res = await slots(client, trainer.id, "2026-12-02", "2026-12-06");
    const days = new Set(
      res.body.slots.map((s: { start: string }) => s.start.slice(0, 10)),
    );
    assert.deepEqual([...days], ["2026-12-02", "2026-12-04"]);
    assertError(
      await book(client, { start: "2026-12-03T10:00:00+01:00" }),
      422,
      "not_a_slot",
    );
    assertError(
      await book(client, { start: "2026-12-06T10:00:00+01:00" }),
      422,
      "not_a_slot",
    );
  },
);

dbTest(
  "spring forward in New York: 01:00–04:00 on Sunday 2026-03-08 holds two slots, -05:00 then -04:00",
  async () => {
    t.clock.set("2026-03-01T12:00:00Z");
    const { trainer, client } = await trainerWithClient("America/New_York", {
      workingHours: week({ sun: [{ start: "01:00", end: "04:00" }] }),
    });
    assert.deepEqual(await slotTriples(client, trainer.id, "2026-03-08"), [
      ["2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00", "available"],
      ["2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00", "available"],
    ]);
    const appt = await booked(client, { start: "2026-03-08T06:00:00Z" });
    assert.equal(appt.start, "2026-03-08T01:00:00-05:00");
    assert.equal(appt.end, "2026-03-08T03:00:00-04:00");
    assert.equal(appt.duration, 60);
  },
);

dbTest(
  "a range start that does not exist locally moves forward to the first valid instant (02:30 → 03:00)",
  async () => {
    t.clock.set("2026-03-01T12:00:00Z");
    const { trainer, client } = await trainerWithClient("America/New_York", {
      slotMinutes: 30,
      workingHours: week({ sun: [{ start: "02:30", end: "04:00" }] }),
    });
    assert.deepEqual(await slotTriples(client, trainer.id, "2026-03-08"), [
      ["2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00", "available"],
      ["2026-03-08T03:30:00-04:00", "2026-03-08T04:00:00-04:00", "available"],
    ]);
    const berlin = await trainerWithClient("Europe/Berlin", {
      workingHours: week({ sun: [{ start: "02:30", end: "05:00" }] }),
    });
    assert.deepEqual(
      await slotTriples(berlin.client, berlin.trainer.id, "2026-03-29"),
      [
        ["2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00", "available"],
        ["2026-03-29T04:00:00+02:00", "2026-03-29T05:00:00+02:00", "available"],
      ],
    );
  },
);

dbTest(
  "fall back in New York: 00:00–03:00 on Sunday 2026-11-01 holds four real hours",
  async () => {
    t.clock.set("2026-10-20T12:00:00Z");
    const { trainer, client } = await trainerWithClient("America/New_York", {
      workingHours: week({ sun: [{ start: "00:00", end: "03:00" }] }),
    });
    assert.deepEqual(await slotTriples(client, trainer.id, "2026-11-01"), [
      ["2026-11-01T00:00:00-04:00", "2026-11-01T01:00:00-04:00", "available"],
      ["2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "available"],
      ["2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00", "available"],
      ["2026-11-01T02:00:00-05:00", "2026-11-01T03:00:00-05:00", "available"],
    ]);
    // The second 01:00 is a slot, bookable under either spelling of its instant.
    const appt = await booked(client, { start: "2026-11-01T06:00:00Z" });
    assert.equal(appt.start, "2026-11-01T01:00:00-05:00");
  },
);

dbTest(
  "a local time that occurs twice means its first occurrence, for a range's start and its end",
  async () => {
    t.clock.set("2026-10-20T12:00:00Z");
    const { trainer, client } = await trainerWithClient("America/New_York", {
      slotMinutes: 30,
      workingHours: week({ sun: [{ start: "01:30", end: "02:00" }] }),
    });
    // 01:30 first occurrence (-04:00) to 02:00 (-05:00): 90 real minutes.
    assert.deepEqual(await slotTriples(client, trainer.id, "2026-11-01"), [
      ["2026-11-01T01:30:00-04:00", "2026-11-01T01:00:00-05:00", "available"],
      ["2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00", "available"],
      ["2026-11-01T01:30:00-05:00", "2026-11-01T02:00:00-05:00", "available"],
    ]);
    await setSettings(trainer, {
      slotMinutes: 60,
      workingHours: week({ sun: [{ start: "00:00", end: "01:30" }] }),
    });
    // 00:00 (-04:00) to the first 01:30 (-04:00): 90 real minutes, one 60-minute slot.
    assert.deepEqual(await slotTriples(client, trainer.id, "2026-11-01"), [
      ["2026-11-01T00:00:00-04:00", "2026-11-01T01:00:00-04:00", "available"],
    ]);
  },
);

dbTest(
  "Lord Howe's half-hour DST answers +10:30 and +11:00, and its change days hold their real length",
  async () => {
    t.clock.set("2026-01-01T00:00:00Z");
    const { trainer, client } = await trainerWithClient("Australia/Lord_Howe", {
      slotMinutes: 30,
      workingHours: week({
        sun: [{ start: "01:00", end: "04:00" }],
        wed: [{ start: "09:00", end: "09:30" }],
      }),
    });
    const winter = await slotTriples(client, trainer.id, "2026-07-01");
    assert.deepEqual(winter, [
      ["2026-07-01T09:00:00+10:30", "2026-07-01T09:30:00+10:30", "available"],
    ]);
    const summer = await slotTriples(client, trainer.id, "2026-12-02");
    assert.deepEqual(summer, [
      ["2026-12-02T09:00:00+11:00", "2026-12-02T09:30:00+11:00", "available"],
    ]);
    // 2026-10-04: 02:00 +10:30 becomes 02:30 +11:00; 01:00–04:00 is 2½ real hours.
    assert.deepEqual(
      (await slotTriples(client, trainer.id, "2026-10-04")).map((s: string[]) =>
        s[0]
      ),
      [
        "2026-10-04T01:00:00+10:30",
        "2026-10-04T01:30:00+10:30",
        "2026-10-04T02:30:00+11:00",
        "2026-10-04T03:00:00+11:00",
        "2026-10-04T03:30:00+11:00",
      ],
    );
    // 2026-04-05: 02:00 +11:00 becomes 01:30 +10:30; 01:00–04:00 is 3½ real hours.
    assert.deepEqual(
      (await slotTriples(client, trainer.id, "2026-04-05")).map((s: string[]) =>
        s[0]
      ),
      [
        "2026-04-05T01:00:00+11:00",
        "2026-04-05T01:30:00+11:00",
        "2026-04-05T01:30:00+10:30",
        "2026-04-05T02:00:00+10:30",
        "2026-04-05T02:30:00+10:30",
        "2026-04-05T03:00:00+10:30",
        "2026-04-05T03:30:00+10:30",
      ],
    );
  },
);

dbTest(
  "Kathmandu slots and appointments answer +05:45, with dates in the trainer's zone",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient("Asia/Kathmandu", {
      workingHours: week({ wed: [{ start: "05:00", end: "07:00" }] }),
    });
    assert.deepEqual(await slotTriples(client, trainer.id, "2026-12-02"), [
      ["2026-12-02T05:00:00+05:45", "2026-12-02T06:00:00+05:45", "available"],
      ["2026-12-02T06:00:00+05:45", "2026-12-02T07:00:00+05:45", "available"],
    ]);
    // 05:00 in Kathmandu on the 2nd is still the 1st in UTC.
    const appt = await booked(client, { start: "2026-12-01T23:15:00Z" });
    assert.equal(appt.start, "2026-12-02T05:00:00+05:45");
    assert.equal(appt.end, "2026-12-02T06:00:00+05:45");
    const list = await api(
      t,
      "GET",
      "/api/appointments?from=2026-12-02&to=2026-12-02",
      { token: client.token },
    );
    assert.deepEqual(list.body.appointments.map((a: { id: string }) => a.id), [
      appt.id,
    ]);
  },
);

dbTest(
  "a slot that starts exactly now is not past; one that started a minute ago is",
  async () => {
    t.clock.set("2026-12-02T09:00:00Z"); // 10:00 in Berlin
    const { trainer, client } = await trainerWithClient();
    const day = await slotTriples(client, trainer.id, "2026-12-02");
    assert.deepEqual(day.slice(0, 2).map((s: string[]) => s[2]), [
      "past",
      "available",
    ]);
    t.clock.set("2026-12-02T09:01:00Z");
    const later = await slotTriples(client, trainer.id, "2026-12-02");
    assert.deepEqual(later.slice(0, 3).map((s: string[]) => s[2]), [
      "past",
      "past",
      "available",
    ]);
    t.clock.set(NOW);
  },
);

dbTest(
  "status precedence: past beats mine and booked, mine beats booked",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const sibling = await signUpClient(t, trainer.referralCode, "Sibling");
    await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    await booked(sibling, { start: "2026-12-02T11:00:00+01:00" });
    // The trainer's own booking for the client, overlapping two slots.
    await booked(trainer, {
      clientId: client.id,
      start: "2026-12-02T12:30:00+01:00",
      duration: 60,
    });
    const statuses = async (who: Who) =>
      (await slotTriples(who, trainer.id, "2026-12-02")).slice(1, 6).map((
        s: string[],
      ) => s[2]);
    assert.deepEqual(await statuses(client), [
      "mine",
      "booked",
      "mine",
      "mine",
      "available",
    ]);
    assert.deepEqual(await statuses(sibling), [
      "booked",
      "mine",
      "booked",
      "booked",
      "available",
    ]);
    assert.deepEqual(await statuses(trainer), [
      "booked",
      "booked",
      "booked",
      "booked",
      "available",
    ]);
    t.clock.set("2026-12-02T12:01:00Z"); // 13:01 in Berlin
    for (const who of [client, sibling, trainer]) {
      assert.deepEqual(await statuses(who), [
        "past",
        "past",
        "past",
        "past",
        "available",
      ]);
    }
    t.clock.set(NOW);
  },
);

dbTest(
  "a booked slot never names the other client",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const sibling = await signUpClient(t, trainer.referralCode, "Zed Secret");
    const appt = await booked(sibling, { start: "2026-12-02T10:00:00+01:00" });
    const res = await slots(client, trainer.id, "2026-12-02");
    const text = JSON.stringify(res.body);
    assert.ok(!text.includes("Zed Secret"));
    assert.ok(!text.includes(sibling.id));
    assert.ok(!text.includes(appt.id));
  },
);

dbTest(
  "a pending appointment makes its slot booked for others and mine for its client, and blocks it with 409 slot_taken",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient("Europe/Berlin", {
      requiresConfirmation: true,
    });
    const sibling = await signUpClient(t, trainer.referralCode);
    const req = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    assert.equal(req.status, "pending");
    const statusAt = async (who: Who) =>
      (await slotTriples(who, trainer.id, "2026-12-02"))[1][2];
    assert.equal(await statusAt(client), "mine");
    assert.equal(await statusAt(sibling), "booked");
    assertError(
      await book(sibling, { start: "2026-12-02T10:00:00+01:00" }),
      409,
      "slot_taken",
    );
    assertError(
      await book(trainer, {
        clientId: sibling.id,
        start: "2026-12-02T10:30:00+01:00",
        duration: 15,
      }),
      409,
      "slot_taken",
    );
  },
);

dbTest(
  "cancelling frees the slot at once: it shows available to everyone",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const appt = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    assert.equal(
      (await cancel(trainer, appt.id, { reason: "Ill" })).status,
      200,
    );
    for (const who of [client, trainer]) {
      assert.equal(
        (await slotTriples(who, trainer.id, "2026-12-02"))[1][2],
        "available",
      );
    }
  },
);

dbTest(
  "a completed appointment is neither scheduled nor pending, so a later slot it overlaps is not booked",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const long = await booked(trainer, {
      clientId: client.id,
      start: "2026-12-02T10:00:00+01:00",
      duration: 180,
    });
    t.clock.set("2026-12-02T09:30:00Z"); // 10:30 in Berlin
    const done = await patch(trainer, long.id, { status: "completed" });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const day = await slotTriples(client, trainer.id, "2026-12-02");
    t.clock.set(NOW);
    assert.deepEqual(day.slice(2, 4).map((s: string[]) => s[2]), [
      "available",
      "available",
    ]);
  },
);

dbTest(
  "the 62-day limit counts calendar days in the trainer's zone, across DST changes",
  async () => {
    t.clock.set("2026-01-01T00:00:00Z");
    const { trainer, client } = await trainerWithClient("America/New_York");
    // 2026-03-01 … 2026-05-01 is 62 days including the 23-hour 8 March.
    const spring = await slots(client, trainer.id, "2026-03-01", "2026-05-01");
    assert.equal(spring.status, 200, JSON.stringify(spring.body));
    assert.equal(
      spring.body.slots.at(-1).start,
      "2026-05-01T16:00:00-04:00",
    );
    assertError(
      await slots(client, trainer.id, "2026-03-01", "2026-05-02"),
      422,
    );
    // 2026-10-01 … 2026-12-01 is 62 days including the 25-hour 1 November.
    const fall = await slots(trainer, trainer.id, "2026-10-01", "2026-12-01");
    assert.equal(fall.status, 200, JSON.stringify(fall.body));
    assertError(
      await slots(trainer, trainer.id, "2026-09-30", "2026-12-01"),
      422,
    );
    t.clock.set(NOW);
  },
);

// --------------------------------------------------------------- appointments

dbTest(
  "an appointment answer has the contract's fields with times in the trainer's offset, whatever offset was sent",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    // The same wall times in Berlin (10:00, 11:00, 12:00, 13:00), spelled with other offsets.
    const spellings = [
      "2026-12-02T10:00:00+01:00",
      "2026-12-02T10:00:00Z",
      "2026-12-02T06:00:00-05:00",
      "2026-12-02T17:45:00+05:45",
    ];
    for (const [i, start] of spellings.entries()) {
      const appt = await booked(
        i % 2 ? client : trainer,
        i % 2 ? { start } : { clientId: client.id, start },
      );
      for (
        const key of [
          "id",
          "trainerId",
          "clientId",
          "start",
          "end",
          "duration",
          "status",
          "notes",
          "cancellationReason",
        ]
      ) {
        assert.ok(key in appt, `${key} missing: ${JSON.stringify(appt)}`);
      }
      assert.equal(appt.trainerId, trainer.id);
      assert.equal(appt.clientId, client.id);
      const hour = String(10 + i).padStart(2, "0");
      assert.equal(appt.start, `2026-12-02T${hour}:00:00+01:00`);
      assert.equal(
        appt.end,
        `2026-12-02T${String(11 + i).padStart(2, "0")}:00:00+01:00`,
      );
      assert.equal(appt.duration, 60);
      assert.equal(appt.status, "scheduled");
      assert.equal(appt.cancellationReason, null);
      const again = await api(t, "GET", `/api/appointments/${appt.id}`, {
        token: client.token,
      });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, appt);
    }
  },
);

dbTest(
  "a session across a DST change answers its end in the new offset",
  async () => {
    t.clock.set("2026-03-01T12:00:00Z");
    const { trainer, client } = await trainerWithClient("America/New_York");
    const appt = await booked(trainer, {
      clientId: client.id,
      start: "2026-03-08T01:30:00-05:00",
      duration: 60,
    });
    assert.equal(appt.start, "2026-03-08T01:30:00-05:00");
    assert.equal(appt.end, "2026-03-08T03:30:00-04:00");
    assert.equal(appt.duration, 60);
    t.clock.set(NOW);
  },
);

dbTest(
  "answers follow the trainer's zone after it changes",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const appt = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    await setSettings(trainer, { timezone: "Asia/Kathmandu" });
    const res = await api(t, "GET", `/api/appointments/${appt.id}`, {
      token: client.token,
    });
    assert.equal(res.body.start, "2026-12-02T14:45:00+05:45");
    assert.equal(res.body.end, "2026-12-02T15:45:00+05:45");
  },
);

dbTest(
  "a client cannot book a slot that has already started (422 in_past)",
  async () => {
    t.clock.set("2026-12-02T09:10:00Z"); // 10:10 in Berlin
    const { client } = await trainerWithClient();
    assertError(
      await book(client, { start: "2026-12-02T10:00:00+01:00" }),
      422,
      "in_past",
    );
    t.clock.set(NOW);
  },
);

dbTest(
  "checks run in order: past before not-a-slot before overlap",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const sibling = await signUpClient(t, trainer.referralCode);
    await booked(sibling, { start: "2026-12-02T10:00:00+01:00" });
    // Off-grid and overlapping: not_a_slot comes first.
    assertError(
      await book(client, { start: "2026-12-02T10:30:00+01:00" }),
      422,
      "not_a_slot",
    );
    // Past and overlapping for the trainer: in_past comes first.
    t.clock.set("2026-12-02T12:00:00Z");
    assertError(
      await book(trainer, {
        clientId: client.id,
        start: "2026-12-02T10:00:00+01:00",
      }),
      422,
      "in_past",
    );
    t.clock.set(NOW);
  },
);

dbTest(
  "a trainer's booking defaults to slotMinutes and takes 15 to 240 minutes that divide by 5",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient("Europe/Berlin", {
      slotMinutes: 45,
    });
    const byDefault = await booked(trainer, {
      clientId: client.id,
      start: "2026-12-06T08:00:00+01:00",
    });
    assert.equal(byDefault.duration, 45);
    assert.equal(byDefault.end, "2026-12-06T08:45:00+01:00");
    const shortest = await booked(trainer, {
      clientId: client.id,
      start: "2026-12-06T10:00:00+01:00",
      duration: 15,
    });
    assert.equal(shortest.end, "2026-12-06T10:15:00+01:00");
    const longest = await booked(trainer, {
      clientId: client.id,
      start: "2026-12-06T11:00:00+01:00",
      duration: 240,
    });
    assert.equal(longest.end, "2026-12-06T15:00:00+01:00");
    for (const duration of [10, 0, 250, 62, 60.5, "60"]) {
      const res = await book(trainer, {
        clientId: client.id,
        start: "2026-12-07T18:00:00+01:00",
        duration,
      });
      assertError(res, 422);
      assert.ok(
        res.body.error.fields?.duration,
        `${duration}: ${JSON.stringify(res.body)}`,
      );
    }
    // A client's booking always lasts slotMinutes.
    const mine = await booked(client, { start: "2026-12-02T09:45:00+01:00" });
    assert.equal(mine.duration, 45);
  },
);

dbTest(
  "appointments that only touch do not overlap",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const sibling = await signUpClient(t, trainer.referralCode);
    await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    await booked(sibling, { start: "2026-12-02T11:00:00+01:00" });
    await booked(trainer, {
      clientId: client.id,
      start: "2026-12-02T09:15:00+01:00",
      duration: 45,
    });
  },
);

dbTest(
  "the same Idempotency-Key replays the first answer even when it was an error and the slot is free now",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const sibling = await signUpClient(t, trainer.referralCode);
    const theirs = await booked(sibling, {
      start: "2026-12-02T10:00:00+01:00",
    });
    const headers = { "Idempotency-Key": "retry-409" };
    const first = await book(
      client,
      { start: "2026-12-02T10:00:00+01:00" },
      headers,
    );
    assertError(first, 409, "slot_taken");
    await cancel(sibling, theirs.id);
    const again = await book(
      client,
      { start: "2026-12-02T10:00:00+01:00" },
      headers,
    );
    assert.equal(again.status, first.status);
    assert.deepEqual(again.body, first.body);
    const list = await api(t, "GET", "/api/appointments", {
      token: client.token,
    });
    assert.equal(list.body.appointments.length, 0);
  },
);

dbTest(
  "identical requests with one Idempotency-Key sent at once get one answer and book once",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const headers = { "Idempotency-Key": "double-tap" };
    const body = { start: "2026-12-02T10:00:00+01:00" };
    const answers = await Promise.all([
      book(client, body, headers),
      book(client, body, headers),
      book(client, body, headers),
    ]);
    assert.deepEqual(answers.map((a) => a.status), [201, 201, 201]);
    assert.deepEqual(answers[1].body, answers[0].body);
    assert.deepEqual(answers[2].body, answers[0].body);
    const all = await api(t, "GET", "/api/appointments", {
      token: trainer.token,
    });
    assert.equal(all.body.appointments.length, 1);
  },
);

dbTest(
  "a replayed booking answers the first body even after the appointment changed, and books nothing more",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const headers = { "Idempotency-Key": "tap-once" };
    const body = { start: "2026-12-02T10:00:00+01:00" };
    const first = await book(client, body, headers);
    assert.equal(first.status, 201);
    assert.equal((await cancel(client, first.body.id)).status, 200);
    const again = await book(client, body, headers);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    const all = await api(t, "GET", "/api/appointments", {
      token: trainer.token,
    });
    assert.deepEqual(all.body.appointments.map((a: { id: string }) => a.id), [
      first.body.id,
    ]);
  },
);

dbTest(
  "an Idempotency-Key is per user: another user's same key is independent; a different request is 422 idempotency_key_reused",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const sibling = await signUpClient(t, trainer.referralCode);
    const headers = { "Idempotency-Key": "shared-key" };
    const a = await book(
      client,
      { start: "2026-12-02T10:00:00+01:00" },
      headers,
    );
    assert.equal(a.status, 201);
    const b = await book(
      sibling,
      { start: "2026-12-02T11:00:00+01:00" },
      headers,
    );
    assert.equal(b.status, 201, JSON.stringify(b.body));
    assert.notEqual(b.body.id, a.body.id);
    assert.equal(b.body.clientId, sibling.id);
    const c = await book(trainer, {
      clientId: client.id,
      start: "2026-12-02T12:00:00+01:00",
    }, headers);
    assert.equal(c.status, 201, JSON.stringify(c.body));
    const reused = await book(
      client,
      { start: "2026-12-02T13:00:00+01:00" },
      headers,
    );
    assertError(reused, 422, "idempotency_key_reused");
    const trainerReused = await book(trainer, {
      clientId: client.id,
      start: "2026-12-02T12:00:00+01:00",
      notes: "changed",
    }, headers);
    assertError(trainerReused, 422, "idempotency_key_reused");
    const trainerReplay = await book(trainer, {
      clientId: client.id,
      start: "2026-12-02T12:00:00+01:00",
    }, headers);
    assert.equal(trainerReplay.status, 201);
    assert.deepEqual(trainerReplay.body, c.body);
    const all = await api(t, "GET", "/api/appointments", {
      token: trainer.token,
    });
    assert.equal(all.body.appointments.length, 3);
  },
);

dbTest(
  "GET /api/appointments matches from/to as dates in the trainer's zone against the start, ordered by start",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient("America/New_York");
    // 23:30 on the 2nd in New York is the 3rd in UTC.
    const late = await booked(trainer, {
      clientId: client.id,
      start: "2026-12-02T23:30:00-05:00",
    });
    const early = await booked(trainer, {
      clientId: client.id,
      start: "2026-12-02T00:00:00-05:00",
    });
    const next = await booked(trainer, {
      clientId: client.id,
      start: "2026-12-03T01:00:00-05:00",
    });
    for (const who of [trainer, client]) {
      const day = await api(
        t,
        "GET",
        "/api/appointments?from=2026-12-02&to=2026-12-02",
        { token: who.token },
      );
      assert.equal(day.status, 200);
      assert.deepEqual(day.body.appointments.map((a: { id: string }) => a.id), [
        early.id,
        late.id,
      ]);
      const third = await api(t, "GET", "/api/appointments?from=2026-12-03", {
        token: who.token,
      });
      assert.deepEqual(
        third.body.appointments.map((a: { id: string }) => a.id),
        [next.id],
      );
      const upTo = await api(t, "GET", "/api/appointments?to=2026-12-02", {
        token: who.token,
      });
      assert.deepEqual(
        upTo.body.appointments.map((a: { id: string }) => a.id),
        [
          early.id,
          late.id,
        ],
      );
    }
    assert.equal(late.start, "2026-12-02T23:30:00-05:00");
  },
);

dbTest(
  "GET /api/appointments?status= filters by each status",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const s = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const c = await booked(client, { start: "2026-12-02T11:00:00+01:00" });
    await cancel(client, c.id, { reason: "No" });
    const done = await booked(trainer, {
      clientId: client.id,
      start: "2026-12-01T09:30:00+01:00",
    });
    t.clock.set("2026-12-01T08:45:00Z");
    assert.equal(
      (await patch(trainer, done.id, { status: "completed" })).status,
      200,
    );
    t.clock.set(NOW);
    await setSettings(trainer, { requiresConfirmation: true });
    const p = await booked(client, { start: "2026-12-03T10:00:00+01:00" });
    assert.equal(p.status, "pending");
    const expected: Record<string, string[]> = {
      scheduled: [s.id],
      pending: [p.id],
      cancelled: [c.id],
      completed: [done.id],
    };
    for (const [status, ids] of Object.entries(expected)) {
      for (const who of [trainer, client]) {
        const res = await api(t, "GET", `/api/appointments?status=${status}`, {
          token: who.token,
        });
        assert.equal(res.status, 200);
        assert.deepEqual(
          res.body.appointments.map((a: { id: string }) => a.id),
          ids,
          status,
        );
      }
    }
  },
);

dbTest(
  "cancel answers the appointment as cancelled with its reason; without a body it cancels too",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const a = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const res = await cancel(client, a.id, { reason: "Travelling" });
    assert.equal(res.status, 200);
    assert.equal(res.body.id, a.id);
    assert.equal(res.body.status, "cancelled");
    assert.equal(res.body.cancellationReason, "Travelling");
    assert.equal(res.body.start, a.start);
    const b = await booked(client, { start: "2026-12-02T11:00:00+01:00" });
    const bare = await api(t, "POST", `/api/appointments/${b.id}/cancel`, {
      token: trainer.token,
    });
    assert.equal(bare.status, 200, JSON.stringify(bare.body));
    assert.equal(bare.body.status, "cancelled");
    assertError(
      await cancel(trainer, b.id, { reason: "x" }),
      409,
      "already_cancelled",
    );
  },
);

dbTest(
  "a cancelled session cannot be moved (409), and a completed one can be neither moved nor cancelled",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const a = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    await cancel(client, a.id);
    assertError(
      await patch(trainer, a.id, { start: "2026-12-03T10:00:00+01:00" }),
      409,
    );
    assertError(await patch(trainer, a.id, { duration: 30 }), 409);
    const b = await booked(client, { start: "2026-12-02T11:00:00+01:00" });
    t.clock.set("2026-12-02T10:01:00Z");
    assert.equal(
      (await patch(trainer, b.id, { status: "completed" })).status,
      200,
    );
    assertError(
      await patch(trainer, b.id, { start: "2026-12-04T10:00:00+01:00" }),
      409,
    );
    assertError(await cancel(client, b.id), 409);
    t.clock.set(NOW);
  },
);

dbTest(
  "a move is checked like a trainer's booking: any hours, but not overlapping another session or in the past",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const a = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    await booked(client, { start: "2026-12-02T12:00:00+01:00" });
    const saturday = await patch(trainer, a.id, {
      start: "2026-12-05T20:10:00+01:00",
    });
    assert.equal(saturday.status, 200, JSON.stringify(saturday.body));
    assert.equal(saturday.body.start, "2026-12-05T20:10:00+01:00");
    assert.equal(saturday.body.end, "2026-12-05T21:10:00+01:00");
    // Moving over part of its own old time is no conflict.
    const nudge = await patch(trainer, a.id, {
      start: "2026-12-05T20:40:00+01:00",
    });
    assert.equal(nudge.status, 200, JSON.stringify(nudge.body));
    assertError(
      await patch(trainer, a.id, { start: "2026-12-02T12:30:00+01:00" }),
      409,
      "slot_taken",
    );
    assertError(
      await patch(trainer, a.id, { start: "2026-11-30T12:00:00+01:00" }),
      422,
      "in_past",
    );
    const longer = await patch(trainer, a.id, { duration: 240 });
    assert.equal(longer.status, 200);
    assert.equal(longer.body.end, "2026-12-06T00:40:00+01:00");
    const badLength = await patch(trainer, a.id, { duration: 250 });
    assertError(badLength, 422);
  },
);

dbTest(
  "a session may be completed once it has started",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const a = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    t.clock.set("2026-12-02T09:00:30Z");
    const res = await patch(trainer, a.id, { status: "completed" });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, "completed");
    t.clock.set(NOW);
  },
);

dbTest(
  "DELETE removes an appointment from GET, lists, stats and slots; a second DELETE is 404",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const keep = await booked(client, { start: "2026-12-02T09:00:00+01:00" });
    const gone = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const gone2 = await booked(client, { start: "2026-12-02T11:00:00+01:00" });
    await cancel(client, gone2.id);
    assert.deepEqual(await statsOf(trainer, client.id), {
      booked: 2,
      cancelled: 1,
      completed: 0,
    });
    for (const id of [gone.id, gone2.id]) {
      const del = await api(t, "DELETE", `/api/appointments/${id}`, {
        token: trainer.token,
      });
      assert.equal(del.status, 204);
      assert.equal(del.body, null);
      for (const who of [trainer, client]) {
        assertError(
          await api(t, "GET", `/api/appointments/${id}`, { token: who.token }),
          404,
        );
      }
      assertError(
        await api(t, "DELETE", `/api/appointments/${id}`, {
          token: trainer.token,
        }),
        404,
      );
    }
    for (const who of [trainer, client]) {
      for (
        const q of ["", "?status=cancelled", "?from=2026-12-02&to=2026-12-02"]
      ) {
        const list = await api(t, "GET", `/api/appointments${q}`, {
          token: who.token,
        });
        assert.deepEqual(
          list.body.appointments.map((a: { id: string }) => a.id),
          q === "?status=cancelled" ? [] : [keep.id],
        );
      }
    }
    assert.deepEqual(await statsOf(trainer, client.id), {
      booked: 1,
      cancelled: 0,
      completed: 0,
    });
    assert.equal(
      (await slotTriples(client, trainer.id, "2026-12-02"))[1][2],
      "available",
    );
  },
);

dbTest(
  "another client's appointment answers exactly like one that does not exist",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const sibling = await signUpClient(t, trainer.referralCode);
    const otherTrainer = await signUpTrainer(t);
    const a = await booked(sibling, { start: "2026-12-02T10:00:00+01:00" });
    const pairs: [Who, string, string, unknown][] = [
      [client, "GET", "", undefined],
      [client, "POST", "/cancel", { reason: "x" }],
      [otherTrainer, "GET", "", undefined],
      [otherTrainer, "POST", "/cancel", { reason: "x" }],
      [otherTrainer, "PATCH", "", { notes: "x" }],
      [otherTrainer, "DELETE", "", undefined],
    ];
    for (const [who, method, suffix, body] of pairs) {
      const real = await api(t, method, `/api/appointments/${a.id}${suffix}`, {
        token: who.token,
        body,
      });
      const none = await api(
        t,
        method,
        `/api/appointments/${RANDOM_UUID}${suffix}`,
        {
          token: who.token,
          body,
        },
      );
      assertError(real, 404);
      assert.deepEqual(real.body, none.body, `${method} ${suffix}`);
    }
    const still = await api(t, "GET", `/api/appointments/${a.id}`, {
      token: sibling.token,
    });
    assert.equal(still.body.status, "scheduled");
  },
);

// -------------------------------------------------------------------- clients

dbTest(
  "GET /api/clients lists id, name, email, tags, notes and stats; booked counts scheduled and pending",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const sibling = await signUpClient(t, trainer.referralCode, "Sib");
    await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const c = await booked(client, { start: "2026-12-02T11:00:00+01:00" });
    await cancel(trainer, c.id);
    const done = await booked(trainer, {
      clientId: client.id,
      start: "2026-12-01T09:30:00+01:00",
    });
    t.clock.set("2026-12-01T09:00:00Z");
    assert.equal(
      (await patch(trainer, done.id, { status: "completed" })).status,
      200,
    );
    t.clock.set(NOW);
    await setSettings(trainer, { requiresConfirmation: true });
    const p = await booked(client, { start: "2026-12-03T10:00:00+01:00" });
    assert.equal(p.status, "pending");
    await booked(sibling, { start: "2026-12-03T11:00:00+01:00" });

    const res = await api(t, "GET", "/api/clients", { token: trainer.token });
    assert.equal(res.status, 200);
    const mine = res.body.clients.find((x: { id: string }) =>
      x.id === client.id
    );
    assert.equal(mine.name, "Own Client");
    assert.equal(mine.email, client.email);
    assert.deepEqual(mine.tags, []);
    assert.ok("notes" in mine);
    assert.deepEqual(mine.stats, { booked: 2, cancelled: 1, completed: 1 });
    const sib = res.body.clients.find((x: { id: string }) =>
      x.id === sibling.id
    );
    assert.deepEqual(sib.stats, { booked: 1, cancelled: 0, completed: 0 });
    const patched = await api(t, "PATCH", `/api/clients/${client.id}`, {
      token: trainer.token,
      body: { tags: ["am"] },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.id, client.id);
    assert.equal(patched.body.name, "Own Client");
    assert.equal(patched.body.email, client.email);
    assert.deepEqual(patched.body.tags, ["am"]);
    assert.deepEqual(patched.body.stats, mine.stats);
    // notes left out keeps its value; tags left out too.
    await api(t, "PATCH", `/api/clients/${client.id}`, {
      token: trainer.token,
      body: { notes: "Left knee" },
    });
    const after = await api(t, "PATCH", `/api/clients/${client.id}`, {
      token: trainer.token,
      body: {},
    });
    assert.equal(after.status, 200);
    assert.deepEqual(after.body.tags, ["am"]);
    assert.equal(after.body.notes, "Left knee");
  },
);

// -------------------------------------------------------------- notifications

const NOTIFICATION_KEYS = [
  "id",
  "appointmentId",
  "recipient",
  "channel",
  "kind",
  "status",
  "dueAt",
  "sentAt",
  "attempts",
  "error",
];

type Note = {
  id: string;
  appointmentId: string;
  recipient: string;
  channel: string;
  kind: string;
  status: string;
  dueAt: string;
  sentAt: string | null;
  attempts: number;
  error: string | null;
};

function assertNotificationShape(n: Note) {
  for (const key of NOTIFICATION_KEYS) {
    assert.ok(key in n, `${key} missing: ${JSON.stringify(n)}`);
  }
  assert.equal(typeof n.id, "string");
  assert.ok(["trainer", "client"].includes(n.recipient), n.recipient);
  assert.ok(["telegram", "email"].includes(n.channel), n.channel);
  assert.ok(
    ["booked", "reminder", "cancelled", "moved", "confirmed", "declined"]
      .includes(n.kind),
    n.kind,
  );
  assert.ok(
    ["pending", "sent", "failed", "skipped"].includes(n.status),
    n.status,
  );
  assert.match(n.dueAt, OFFSET_TIME);
  if (n.sentAt !== null) assert.match(n.sentAt, OFFSET_TIME);
  assert.equal(typeof n.attempts, "number");
  assert.ok(n.error === null || typeof n.error === "string");
}

dbTest(
  "a client's booking lists notifications with the contract's fields: the trainer is told, reminders are due 120 minutes before",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const a = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const res = await notificationsOf(trainer, a.id);
    assert.equal(res.status, 200);
    const list: Note[] = res.body.notifications;
    for (const n of list) {
      assertNotificationShape(n);
      assert.equal(n.appointmentId, a.id);
    }
    const kinds = list.map((n) => `${n.recipient}:${n.kind}`).sort();
    assert.deepEqual(kinds, [
      "client:reminder",
      "trainer:booked",
      "trainer:reminder",
    ]);
    for (const n of list.filter((n) => n.kind === "reminder")) {
      assert.equal(n.dueAt, "2026-12-02T08:00:00+01:00");
    }
  },
);

dbTest(
  "reminders follow reminderMinutes and go to the trainer only if remindersEnabled; a trainer's booking tells the client",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient("Europe/Berlin", {
      remindersEnabled: false,
      reminderMinutes: 30,
    });
    const a = await booked(trainer, {
      clientId: client.id,
      start: "2026-12-02T10:00:00+01:00",
    });
    const list: Note[] = (await notificationsOf(trainer, a.id)).body
      .notifications;
    assert.deepEqual(list.map((n) => `${n.recipient}:${n.kind}`).sort(), [
      "client:booked",
      "client:reminder",
    ]);
    const reminder = list.find((n) => n.kind === "reminder")!;
    assert.equal(reminder.dueAt, "2026-12-02T09:30:00+01:00");
  },
);

dbTest(
  "a moved session's reminders are due before its new start and the client is told it moved",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const a = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const moved = await patch(trainer, a.id, {
      start: "2026-12-03T15:00:00+01:00",
    });
    assert.equal(moved.status, 200);
    const list: Note[] = (await notificationsOf(trainer, a.id)).body
      .notifications;
    list.forEach(assertNotificationShape);
    assert.ok(list.some((n) => n.kind === "moved" && n.recipient === "client"));
    const pendingReminders = list.filter((n) =>
      n.kind === "reminder" && n.status === "pending"
    );
    assert.deepEqual(
      pendingReminders.map((n) => n.recipient).sort(),
      ["client", "trainer"],
    );
    for (const n of pendingReminders) {
      assert.equal(n.dueAt, "2026-12-03T13:00:00+01:00");
    }
  },
);

dbTest(
  "cancelling tells the other side with a cancelled notification",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const a = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    await cancel(client, a.id);
    const b = await booked(client, { start: "2026-12-02T11:00:00+01:00" });
    await cancel(trainer, b.id);
    const ofA: Note[] =
      (await notificationsOf(trainer, a.id)).body.notifications;
    const ofB: Note[] =
      (await notificationsOf(trainer, b.id)).body.notifications;
    assert.deepEqual(
      ofA.filter((n) => n.kind === "cancelled").map((n) => n.recipient),
      ["trainer"],
    );
    assert.deepEqual(
      ofB.filter((n) => n.kind === "cancelled").map((n) => n.recipient),
      ["client"],
    );
  },
);

dbTest(
  "a client sees only their own notifications, nothing of a sibling's appointment",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const sibling = await signUpClient(t, trainer.referralCode);
    const a = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const own = await notificationsOf(client, a.id);
    assert.equal(own.status, 200);
    assert.ok(own.body.notifications.length > 0);
    for (const n of own.body.notifications as Note[]) {
      assertNotificationShape(n);
      assert.equal(n.recipient, "client");
    }
    const all = await api(t, "GET", "/api/notifications", {
      token: client.token,
    });
    assert.ok(
      (all.body.notifications as Note[]).every((n) => n.recipient === "client"),
    );
    const theirs = await notificationsOf(sibling, a.id);
    if (theirs.status === 200) {
      assert.deepEqual(theirs.body.notifications, []);
    } else assertError(theirs, 404);
    const siblingAll = await api(t, "GET", "/api/notifications", {
      token: sibling.token,
    });
    assert.deepEqual(siblingAll.body.notifications, []);
  },
);

dbTest(
  "with Telegram off, POST /api/telegram/link answers without a 5xx in the contract's shape; DELETE answers 204",
  async () => {
    const { trainer, client } = await trainerWithClient();
    for (const who of [trainer, client]) {
      const res = await api(t, "POST", "/api/telegram/link", {
        token: who.token,
      });
      assert.ok(res.status < 500, `${res.status}`);
      if (res.status >= 400) assertError(res, res.status);
      else {
        assert.equal(res.status, 200);
        assert.match(res.body.url, /^https:\/\/t\.me\/[^?]+\?start=/);
      }
      const off = await api(t, "DELETE", "/api/telegram/link", {
        token: who.token,
      });
      assert.equal(off.status, 204);
    }
  },
);

dbTest(
  "a throttled sign-in works again once Retry-After has passed",
  async () => {
    t.clock.set(NOW);
    const trainer = await signUpTrainer(t);
    let blocked: JsonResponse | undefined;
    for (let i = 0; i < 30 && !blocked; i++) {
      const res = await api(t, "POST", "/api/sessions", {
        body: { email: trainer.email, password: "wrong-password" },
        headers: freshAddress(),
      });
      if (res.status === 429) blocked = res;
    }
    assert.ok(blocked, "never throttled");
    const wait = Number(blocked.headers.get("Retry-After"));
    assert.ok(wait > 0, `Retry-After ${wait}`);
    // The throttle reads the database's clock, so time passes by moving the failures back.
    await t.sql`UPDATE sign_in_failures SET at = at - make_interval(secs => ${
      wait + 1
    }) WHERE email = ${trainer.email}`;
    const res = await api(t, "POST", "/api/sessions", {
      body: { email: trainer.email, password: "password-1" },
      headers: freshAddress(),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  },
);

dbTest(
  "holidays are dates in the trainer's zone",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient("Asia/Kathmandu", {
      holidays: ["2026-12-03"],
      workingHours: week({
        wed: [{ start: "05:00", end: "06:00" }],
        thu: [{ start: "05:00", end: "06:00" }],
      }),
    });
    // 05:00 on the 3rd in Kathmandu is still the 2nd in UTC: a holiday slot all the same.
    assert.deepEqual(
      await slotTriples(client, trainer.id, "2026-12-02", "2026-12-03"),
      [["2026-12-02T05:00:00+05:45", "2026-12-02T06:00:00+05:45", "available"]],
    );
    assertError(
      await book(client, { start: "2026-12-02T23:15:00Z" }),
      422,
      "not_a_slot",
    );
  },
);

dbTest(
  "a client books the moved-forward slot of a spring-forward night and its reminder is due 120 real minutes before",
  async () => {
    t.clock.set("2026-03-01T12:00:00Z");
    const { trainer, client } = await trainerWithClient("America/New_York", {
      workingHours: week({ sun: [{ start: "02:30", end: "05:00" }] }),
    });
    const appt = await booked(client, { start: "2026-03-08T07:00:00Z" });
    assert.equal(appt.start, "2026-03-08T03:00:00-04:00");
    const list: Note[] = (await notificationsOf(trainer, appt.id)).body
      .notifications;
    const reminders = list.filter((n) => n.kind === "reminder");
    assert.ok(reminders.length > 0);
    for (const n of reminders) {
      assert.equal(n.dueAt, "2026-03-08T00:00:00-05:00");
    }
    t.clock.set(NOW);
  },
);

dbTest(
  "times with fractional seconds are ISO 8601 too and are accepted",
  async () => {
    t.clock.set(NOW);
    const { client } = await trainerWithClient();
    const appt = await booked(client, { start: "2026-12-02T09:00:00.000Z" });
    assert.equal(appt.start, "2026-12-02T10:00:00+01:00");
  },
);

dbTest(
  "extreme dates and numbers never make the JSON API answer 5xx",
  async () => {
    t.clock.set(NOW);
    const { trainer, client } = await trainerWithClient();
    const appt = await booked(client, { start: "2026-12-02T10:00:00+01:00" });
    const fiveHundreds: string[] = [];
    const check = (what: string, res: JsonResponse) => {
      if (res.status >= 500) fiveHundreds.push(`${what} → ${res.status}`);
      else if (res.status >= 400) assertError(res, res.status);
    };
    const gets = [
      `/api/trainers/${trainer.id}/slots?from=0001-01-01&to=0001-01-01`,
      `/api/trainers/${trainer.id}/slots?from=9999-12-31&to=9999-12-31`,
      `/api/trainers/${trainer.id}/slots?from=2026-12-01&to=2026-12-01&from=x`,
      `/api/trainers/${trainer.id}/slots?from=0000-01-01&to=0000-01-01`,
      "/api/appointments?from=0001-01-01&to=9999-12-31",
      "/api/appointments?from=9999-12-31&to=9999-12-31",
      "/api/appointments?from=0000-01-01&to=0000-01-01",
      "/api/appointments?from=2026-12-01&to=2026-12-01&status=scheduled&status=pending",
      `/api/appointments/${appt.id.toUpperCase()}`,
      `/api/notifications?appointmentId=${appt.id.toUpperCase()}`,
    ];
    for (const path of gets) {
      for (const who of [trainer, client]) {
        check(`GET ${path}`, await api(t, "GET", path, { token: who.token }));
      }
    }
    const starts = [
      "+275760-09-13T00:00:00Z",
      "-271821-04-20T00:00:00Z",
      "9999-12-31T23:59:59+14:00",
      "0001-01-01T00:00:00-12:00",
      "2026-12-02T10:00:00+23:59",
    ];
    for (const start of starts) {
      for (
        const [who, body] of [
          [client, { start }],
          [trainer, { clientId: client.id, start, duration: 60 }],
        ] as const
      ) {
        check(
          `POST /api/appointments ${JSON.stringify(body)}`,
          await book(who, body),
        );
      }
      check(`PATCH start ${start}`, await patch(trainer, appt.id, { start }));
    }
    for (const duration of [1e308, -1e308, 2 ** 53, 1e-9]) {
      check(
        `PATCH duration ${duration}`,
        await patch(trainer, appt.id, { duration }),
      );
    }
    for (const reminderMinutes of [1e308, 2 ** 53]) {
      const res = await api(t, "PUT", "/api/settings", {
        token: trainer.token,
        body: { ...await settingsOf(trainer), reminderMinutes },
      });
      check(`PUT reminderMinutes ${reminderMinutes}`, res);
    }
    assert.deepEqual(fiveHundreds, []);
  },
);
