/**
 * A fast-check fuzzer over every JSON endpoint and every form: wrong types, huge and empty
 * strings, NUL and invalid UTF-8, impossible dates, unknown zones, duplicate JSON keys, wrong
 * content types and odd query strings, sent signed out, as a client and as a trainer.
 * Whatever arrives: never a 5xx, every 4xx of the API in the contract's error shape, and a
 * refused request (any 4xx) writes nothing.
 *
 * `deno task test` sends 1,000 requests with a fixed seed; `deno task fuzz` sends 10,000
 * (`FUZZ_RUNS`) with a random seed. Both print the seed: `FUZZ_SEED=… deno task fuzz` replays.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";

const RUNS = Number(Deno.env.get("FUZZ_RUNS") ?? 1000);
const SEED = Deno.env.get("FUZZ_SEED")
  ? Number(Deno.env.get("FUZZ_SEED"))
  : Deno.env.get("FUZZ_RUNS")
  ? Math.floor(Math.random() * 2 ** 31)
  : 20261202;

const t = await testApp({ now: "2026-12-01T08:00:00Z" });

// ---------------------------------------------------------------------------------------
// The values requests are made of. Symbolic references (`@appt0`, `@client`…) are resolved
// when a request is sent, against the accounts and sessions made for the run.

const INSTANTS = [
  "2026-12-02T10:00:00+01:00",
  "2026-12-03T11:00:00+01:00",
  "2026-12-04T09:00:00Z",
  "2026-12-07T14:00:00+01:00",
  "2026-02-30T10:00:00Z",
  "2026-13-01T10:00:00Z",
  "2026-12-02T25:00:00Z",
  "2026-12-02T10:61:00Z",
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:00:00Z",
  "99999-01-01T00:00:00Z",
  "+099999-01-01T00:00:00Z",
  "-000001-01-01T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "2026-12-02T10:00:00+25:00",
  "2026-12-02T10:00:00+99:99",
  "2026-12-02T10:00:00",
  "2026-12-02T10:00:00.123456789123Z",
  "2026-12-02T10:00:00Z[Mars/Olympus]",
  "2026-12-02T10:00:00+01:00[Europe/Berlin]",
  "2027-03-28T02:30:00+01:00",
  "2026-12-02t10:00:00z",
];
const DATES = [
  "2026-12-02",
  "2026-12-07",
  "2026-12-31",
  "2027-01-10",
  "2026-02-30",
  "2026-02-29",
  "2024-02-29",
  "0000-01-01",
  "0000-00-00",
  "99999-12-31",
  "+099999-12-31",
  "-000001-01-01",
  "2026-1-2",
  "2026-W49",
  "20261202",
  "2026-12-02T10:00",
];
const ZONES = [
  "Europe/Berlin",
  "UTC",
  "America/New_York",
  "Mars/Olympus",
  "europe/berlin",
  "Etc/GMT+14",
  "Etc/GMT-15",
  "+01:00",
  "EST5EDT",
  "Local",
  "../../etc/passwd",
];
const TIMES = [
  "09:00",
  "10:00",
  "23:59",
  "24:00",
  "23:60",
  "9",
  "-1:00",
  "7:5",
];
const UUIDS = [
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "not-a-uuid",
  "%00",
  "%FF%FE",
  "..%2F..",
];
const REFS = [
  "@appt0",
  "@appt1",
  "@appt2",
  "@otherAppt",
  "@series",
  "@client",
  "@otherClient",
  "@trainer",
  "@otherTrainer",
  "@referral",
  "@APPT0",
];
const STRINGS = [
  "",
  " ",
  "\t\n",
  "a\u0000b",
  "\u0000",
  "\uD800",
  "\uDFFF\uD800",
  "\uFFFE\uFFFF",
  "🙂",
  "\u202Eevil",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "null",
  "undefined",
  "0",
  "-1",
  "1e309",
  "NaN",
  "Infinity",
  "on",
  "off",
  "true",
  "fail",
  "skip",
  "completed",
  "scheduled",
  "cancelled",
  "scheduled,cancelled",
  "60",
  "45",
  "12",
  "fuzz@example.test",
  "FUZZ@EXAMPLE.TEST",
  "a@b",
  "correct horse battery staple 7",
  "https://evil.example/",
  "//evil.example",
  "/calendar",
  "x".repeat(201),
  "x".repeat(2001),
  "ü".repeat(40_000),
  "x".repeat(70_000),
];

const text = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...INSTANTS) },
  { weight: 3, arbitrary: fc.constantFrom(...DATES) },
  { weight: 2, arbitrary: fc.constantFrom(...ZONES) },
  { weight: 2, arbitrary: fc.constantFrom(...TIMES) },
  { weight: 3, arbitrary: fc.constantFrom(...REFS) },
  { weight: 1, arbitrary: fc.constantFrom(...UUIDS) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const NUMBERS = [
  0,
  -0,
  -1,
  1,
  1.5,
  15,
  30,
  45,
  60,
  61,
  90,
  1440,
  100_000,
  2 ** 31,
  2 ** 53 + 2,
  1e308,
  -1e308,
  5e-324,
];
const scalar = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const RANGE = fc.record({ start: scalar, end: scalar }, {
  requiredKeys: [],
});
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(text, scalar, { maxKeys: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom("mon", "tue", "wed", "sun", "xyz"),
      fc.oneof(fc.array(RANGE, { maxLength: 3 }), scalar),
      { maxKeys: 3 },
    ),
  },
);

// ---------------------------------------------------------------------------------------
// Every route, with the fields its handler reads.

type Route = { method: string; path: string; fields: string[] };

const API: Route[] = [
  {
    method: "POST",
    path: "/api/trainers",
    fields: ["name", "email", "password", "timezone"],
  },
  {
    method: "POST",
    path: "/api/clients",
    fields: ["referralCode", "name", "email", "password"],
  },
  { method: "POST", path: "/api/sessions", fields: ["email", "password"] },
  { method: "DELETE", path: "/api/sessions", fields: [] },
  {
    method: "POST",
    path: "/api/appointments",
    fields: ["start", "notes", "clientId", "duration"],
  },
  {
    method: "GET",
    path: "/api/appointments",
    fields: ["from", "to", "status"],
  },
  { method: "GET", path: "/api/appointments/:id", fields: [] },
  { method: "POST", path: "/api/appointments/:id/cancel", fields: ["reason"] },
  { method: "POST", path: "/api/appointments/:id/move", fields: ["start"] },
  {
    method: "PATCH",
    path: "/api/appointments/:id",
    fields: ["start", "duration", "notes", "status"],
  },
  { method: "DELETE", path: "/api/appointments/:id", fields: [] },
  {
    method: "GET",
    path: "/api/notifications",
    fields: ["appointmentId", "clientId"],
  },
  { method: "POST", path: "/api/telegram/link", fields: [] },
  { method: "DELETE", path: "/api/telegram/link", fields: [] },
  {
    method: "POST",
    path: "/api/series",
    fields: [
      "clientId",
      "start",
      "duration",
      "weeks",
      "until",
      "notes",
      "onConflict",
    ],
  },
  { method: "GET", path: "/api/series/:id", fields: [] },
  {
    method: "POST",
    path: "/api/series/:id/cancel",
    fields: ["from", "reason"],
  },
  { method: "GET", path: "/api/settings", fields: [] },
  {
    method: "PUT",
    path: "/api/settings",
    fields: [
      "timezone",
      "slotMinutes",
      "workingHours",
      "holidays",
      "remindersEnabled",
      "reminderMinutes",
      "requiresConfirmation",
      "minNoticeMinutes",
      "horizonDays",
      "bufferMinutes",
      "cancelNoticeMinutes",
    ],
  },
  { method: "GET", path: "/api/clients", fields: [] },
  { method: "PATCH", path: "/api/clients/:id", fields: ["tags", "notes"] },
  { method: "GET", path: "/api/trainers/:id/slots", fields: ["from", "to"] },
  { method: "GET", path: "/api/nowhere", fields: [] },
];

const FORMS: Route[] = [
  {
    method: "POST",
    path: "/signup",
    fields: ["name", "email", "password", "timezone"],
  },
  {
    method: "POST",
    path: "/join",
    fields: ["referralCode", "name", "email", "password"],
  },
  { method: "POST", path: "/signin", fields: ["email", "password", "next"] },
  { method: "POST", path: "/signout", fields: [] },
  {
    method: "POST",
    path: "/profile",
    fields: ["name", "email", "currentPassword", "newPassword"],
  },
  { method: "POST", path: "/profile/referral-code", fields: [] },
  { method: "POST", path: "/profile/reminders", fields: ["remindersEnabled"] },
  { method: "POST", path: "/profile/telegram", fields: [] },
  { method: "POST", path: "/profile/telegram/unlink", fields: [] },
  { method: "POST", path: "/telegram/webhook", fields: ["update_id"] },
  {
    method: "POST",
    path: "/appointments/:id/cancel",
    fields: ["reason", "details"],
  },
  { method: "POST", path: "/appointments/:id/move", fields: ["start"] },
  { method: "POST", path: "/book", fields: ["start", "notes", "key"] },
  { method: "POST", path: "/clients/:id", fields: ["tags", "notes"] },
  {
    method: "POST",
    path: "/schedule",
    fields: [
      "clientId",
      "date",
      "time",
      "duration",
      "notes",
      "weeks",
      "until",
      "onConflict",
      "back",
    ],
  },
  {
    method: "POST",
    path: "/schedule/:id/edit",
    fields: ["date", "time", "duration", "notes", "back"],
  },
  {
    method: "POST",
    path: "/schedule/:id/cancel",
    fields: ["reason", "following", "back"],
  },
  { method: "POST", path: "/schedule/:id/complete", fields: ["back"] },
  { method: "POST", path: "/schedule/:id/confirm", fields: ["back"] },
  { method: "POST", path: "/schedule/:id/delete", fields: ["back"] },
  {
    method: "POST",
    path: "/settings",
    fields: [
      "timezone",
      "slotMinutes",
      "mon.0.start",
      "mon.0.end",
      "tue.1.end",
      "sun.99999999999999999999.start",
      "newHoliday",
      "removeHoliday",
      "remindersEnabled",
      "reminderMinutes",
      "requiresConfirmation",
      "minNoticeMinutes",
      "horizonDays",
      "bufferMinutes",
      "cancelNoticeMinutes",
    ],
  },
  // Pages read query strings too.
  { method: "GET", path: "/calendar", fields: ["week", "day"] },
  { method: "GET", path: "/calendar/cell", fields: ["start"] },
  { method: "GET", path: "/book", fields: ["start"] },
  { method: "GET", path: "/schedule", fields: ["date", "view"] },
  { method: "GET", path: "/schedule/:id/edit", fields: ["back"] },
  { method: "GET", path: "/appointments", fields: ["view"] },
  { method: "GET", path: "/appointments/:id", fields: [] },
  { method: "GET", path: "/appointments/:id/calendar.ics", fields: [] },
  { method: "GET", path: "/appointments/:id/cancel", fields: [] },
  { method: "GET", path: "/appointments/:id/move", fields: ["date"] },
  { method: "GET", path: "/clients", fields: ["tag", "q"] },
  { method: "GET", path: "/clients/:id", fields: [] },
  { method: "GET", path: "/settings", fields: [] },
  { method: "GET", path: "/stats", fields: ["from", "to"] },
  { method: "GET", path: "/notifications", fields: ["client"] },
  { method: "GET", path: "/profile", fields: [] },
  { method: "GET", path: "/join/:id", fields: [] },
  { method: "GET", path: "/signin", fields: ["next"] },
];

type Role = "anon" | "client" | "trainer";

type Body =
  | { kind: "none" }
  | { kind: "json"; fields: [string, unknown][]; duplicate: boolean }
  | { kind: "value"; value: unknown }
  | { kind: "text"; text: string }
  | { kind: "bytes"; bytes: number[] }
  | { kind: "form"; fields: [string, unknown][] };

type FuzzRequest = {
  route: Route;
  role: Role;
  /** `bearer` for the API, `cookie` (with the CSRF token) for forms; sometimes crossed. */
  auth: "usual" | "crossed" | "no-csrf";
  id: string;
  body: Body;
  contentType: string | undefined;
  query: string;
  idempotencyKey: string | undefined;
};

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "APPLICATION/JSON",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "multipart/form-data; boundary=x",
  "text/plain",
  "application/json;;;",
  "*/*",
  "",
];

const RAW_TEXT = [
  "{",
  "[1,",
  '{"a":1}{',
  '{"start":"2026-12-02T10:00:00+01:00",}',
  "\u0000",
  "null",
  '"text"',
  "1e999999",
  "[".repeat(5000),
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  "a=1&a=2&_csrf=",
  '--x\r\nContent-Disposition: form-data; name="start"\r\n\r\nnope\r\n--x--',
  '--x\r\nContent-Disposition: form-data; name="notes"; filename="a.txt"\r\n\r\n\u0000\r\n--x--',
  "%FF%FE=%C0%80&start=%ED%A0%80",
];

const BAD_BYTES = fc.array(
  fc.oneof(
    fc.constantFrom(0x00, 0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xfe, 0xff, 0xed),
    fc.integer({ min: 0, max: 255 }),
  ),
  { maxLength: 40 },
);

const ODD_QUERIES = [
  "?%ZZ",
  "?from=%FF",
  "?from[]=1&to[]=2",
  "?from=2026-12-01&from=2026-12-02",
  "?=&&&=",
  "?from=%00",
  "?start=2026-12-02T10:00:00%2B01:00",
  "?next=//evil.example",
  "?week=2026-02-30&day=99999-01-01",
  "?date=0000-01-01&view=year",
  `?q=${"x".repeat(5000)}`,
];

const fieldsFor = (route: Route) =>
  fc.array(
    fc.tuple(
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...route.fields, "_") },
        { weight: 1, arbitrary: text },
      ),
      value,
    ),
    { maxLength: route.fields.length + 2 },
  );

const bodyFor = (route: Route, api: boolean): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant<Body>({ kind: "none" }) },
    {
      weight: api ? 8 : 1,
      arbitrary: fc.record({
        kind: fc.constant("json" as const),
        fields: fieldsFor(route),
        duplicate: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("value" as const), value }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("text" as const),
        text: fc.constantFrom(...RAW_TEXT),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("bytes" as const),
        bytes: BAD_BYTES,
      }),
    },
    {
      weight: api ? 1 : 8,
      arbitrary: fc.record({
        kind: fc.constant("form" as const),
        fields: fieldsFor(route),
      }),
    },
  );

const queryFor = (route: Route) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant("") },
    {
      weight: 4,
      arbitrary: fc.array(
        fc.tuple(fc.constantFrom(...route.fields, "x"), text),
        { maxLength: 3 },
      ).map((pairs) =>
        pairs.length ? `?${new URLSearchParams(pairs as string[][])}` : ""
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_QUERIES) },
  );

const requestArb: fc.Arbitrary<FuzzRequest> = fc.oneof(
  ...[
    ...API.map((r) => [r, true] as const),
    ...FORMS.map((r) => [r, false] as const),
  ]
    .map(([route, isApi]) =>
      fc.record({
        route: fc.constant(route),
        role: fc.constantFrom<Role>("anon", "client", "trainer"),
        auth: fc.constantFrom<FuzzRequest["auth"]>(
          "usual",
          "usual",
          "usual",
          "usual",
          "crossed",
          "no-csrf",
        ),
        id: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...REFS) },
          { weight: 1, arbitrary: fc.constantFrom(...UUIDS) },
          { weight: 1, arbitrary: fc.uuid() },
        ),
        body: route.method === "GET"
          ? fc.constant<Body>({ kind: "none" })
          : bodyFor(route, isApi),
        contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), {
          freq: 4,
          nil: undefined,
        }),
        query: route.method === "GET" ? queryFor(route) : fc.constantFrom(
          "",
          "",
          "",
          ...ODD_QUERIES,
        ),
        idempotencyKey: fc.option(
          fc.constantFrom("", "k1", "x".repeat(300), "\u00e9", "k2"),
          { freq: 4, nil: undefined },
        ),
      })
    ),
);

// ---------------------------------------------------------------------------------------
// The world the requests act on.

type World = Awaited<ReturnType<typeof makeWorld>>;

async function makeWorld() {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode, "Fuzz Client");
  const otherTrainer = await signUpTrainer(t);
  const otherClient = await signUpClient(t, otherTrainer.referralCode);
  const appts: string[] = [];
  for (
    const start of [
      "2026-12-02T10:00:00+01:00",
      "2026-12-03T10:00:00+01:00",
      "2026-12-04T10:00:00+01:00",
    ]
  ) {
    const res = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    appts.push(res.body.id);
  }
  const other = await api(t, "POST", "/api/appointments", {
    token: otherClient.token,
    body: { start: "2026-12-02T10:00:00+01:00" },
  });
  assert.equal(other.status, 201, JSON.stringify(other.body));
  const series = await api(t, "POST", "/api/series", {
    token: trainer.token,
    body: { clientId: client.id, start: "2026-12-08T15:00:00+01:00", weeks: 4 },
  });
  assert.equal(series.status, 201, JSON.stringify(series.body));
  const browsers = {
    anon: new Browser(t),
    client: new Browser(t),
    trainer: new Browser(t),
  };
  const tokens = { client: client.token, trainer: trainer.token };
  const accounts = { client, trainer };
  const world = {
    trainer,
    client,
    otherTrainer,
    otherClient,
    appts,
    otherAppt: other.body.id as string,
    series: series.body.series.id as string,
    browsers,
    tokens,
    accounts,
  };
  await signIn(world, "client");
  await signIn(world, "trainer");
  await world.browsers.anon.csrfToken();
  return world;
}

/** A fresh bearer token and cookie session for a role (a fuzzed sign-out ends them). */
async function signIn(
  world: Pick<World, "browsers" | "tokens" | "accounts">,
  role: "client" | "trainer",
) {
  const { email } = world.accounts[role];
  const login = await api(t, "POST", "/api/sessions", {
    body: { email, password: "password-1" },
  });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  world.tokens[role] = login.body.token;
  const browser = new Browser(t);
  const res = await browser.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303, res.text);
  world.browsers[role] = browser;
}

async function resolve(world: World, ref: string): Promise<string> {
  switch (ref) {
    case "@appt0":
      return world.appts[0];
    case "@APPT0":
      return world.appts[0].toUpperCase();
    case "@appt1":
      return world.appts[1];
    case "@appt2":
      return world.appts[2];
    case "@otherAppt":
      return world.otherAppt;
    case "@series":
      return world.series;
    case "@client":
      return world.client.id;
    case "@otherClient":
      return world.otherClient.id;
    case "@trainer":
      return world.trainer.id;
    case "@otherTrainer":
      return world.otherTrainer.id;
    case "@referral": {
      const [row] = await t.sql`
        SELECT referral_code FROM trainers WHERE user_id = ${world.trainer.id}`;
      return row.referral_code;
    }
  }
  return ref;
}

async function resolveDeep(world: World, v: unknown): Promise<unknown> {
  if (typeof v === "string") return await resolve(world, v);
  if (Array.isArray(v)) {
    return await Promise.all(v.map((x) => resolveDeep(world, x)));
  }
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = await resolveDeep(world, x);
    }
    return out;
  }
  return v;
}

function jsonText(fields: [string, unknown][], duplicate: boolean): string {
  // Built by hand so that a key can appear twice, as the fuzzer asked.
  const parts = fields.map(([k, v]) =>
    `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`
  );
  if (duplicate && parts.length) parts.push(parts[0].replace(/:.*$/, ':"dup"'));
  return `{${parts.join(",")}}`;
}

const formText = (v: unknown) =>
  typeof v === "string" ? v : JSON.stringify(v) ?? "";

async function send(world: World, r: FuzzRequest) {
  const path = r.route.path.replace(":id", await resolve(world, r.id)) +
    r.query;
  const isApi = r.route.path.startsWith("/api/");
  const headers: Record<string, string> = {};
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  let contentType: string | undefined;
  const b = r.body;
  if (b.kind === "json") {
    const fields = await resolveDeep(world, b.fields) as [string, unknown][];
    body = jsonText(fields, b.duplicate);
    contentType = "application/json";
  } else if (b.kind === "value") {
    body = JSON.stringify(await resolveDeep(world, b.value)) ?? "";
    contentType = "application/json";
  } else if (b.kind === "text") {
    body = b.text;
  } else if (b.kind === "bytes") {
    body = new Uint8Array(b.bytes);
  } else if (b.kind === "form") {
    const fields = await resolveDeep(world, b.fields) as [string, unknown][];
    body = new URLSearchParams(fields.map(([k, v]) => [k, formText(v)]))
      .toString();
    contentType = "application/x-www-form-urlencoded";
  }
  contentType = r.contentType ?? contentType;
  if (contentType !== undefined && body !== undefined) {
    headers["Content-Type"] = contentType;
  }
  if (r.idempotencyKey !== undefined) {
    headers["Idempotency-Key"] = r.idempotencyKey;
  }
  const bearer = isApi === (r.auth !== "crossed");
  if (r.role !== "anon" && bearer) {
    headers.Authorization = `Bearer ${world.tokens[r.role]}`;
  }
  const browser = world.browsers[r.role];
  if (!bearer || r.role === "anon") {
    if (browser.cookies.size) {
      headers.Cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join(
        "; ",
      );
    }
    if (r.auth !== "no-csrf") {
      headers["X-CSRF-Token"] = await browser.csrfToken();
    }
  }
  const res = await t.app.request(path, {
    method: r.route.method,
    headers,
    body,
    redirect: "manual",
  });
  return { path, status: res.status, text: await res.text() };
}

/** A digest of every table a request could change (throttle tables write on refusals by design). */
async function digest(): Promise<string> {
  const tables = [
    "users",
    "trainers",
    "clients",
    "sessions",
    "appointments",
    "series",
    "notifications",
    "idempotency_keys",
    "telegram_link_tokens",
  ];
  const [row] = await t.sql.unsafe(
    `SELECT concat_ws('/', ${
      tables.map((name) =>
        `(SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM ${name} r)`
      ).join(", ")
    }) AS digest`,
  );
  return row.digest;
}

const SESSION_ENDERS = /^\/(signout|signin|profile|api\/sessions)$/;

type Finding = {
  index: number;
  request: FuzzRequest;
  path: string;
  problem: string;
};

dbTest(
  `${RUNS} fuzzed requests: no 5xx, every API refusal in the error shape, and no refused request writes anything`,
  async () => {
    console.log(
      `fuzz: ${RUNS} requests, seed ${SEED} (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} deno task fuzz)`,
    );
    const world = await makeWorld();
    const requests = fc.sample(requestArb, { numRuns: RUNS, seed: SEED });
    const findings: Finding[] = [];
    const statuses = new Map<number, number>();
    let before = await digest();
    for (const [index, request] of requests.entries()) {
      const res = await send(world, request);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const after = await digest();
      const problems: string[] = [];
      if (res.status >= 500) {
        problems.push(`${res.status}: ${res.text.slice(0, 300)}`);
      }
      if (res.status >= 400 && res.status < 500) {
        if (request.route.path.startsWith("/api/")) {
          let shape = false;
          try {
            const e = JSON.parse(res.text).error;
            shape = typeof e?.code === "string" &&
              typeof e?.message === "string";
          } catch { /* not JSON */ }
          if (!shape) {
            problems.push(
              `${res.status} without the error shape: ${
                res.text.slice(0, 200)
              }`,
            );
          }
        }
        if (after !== before) {
          problems.push(`${res.status} but the database changed`);
        }
      }
      for (const problem of problems) {
        findings.push({ index, request, path: res.path, problem });
      }
      before = after;
      // A sign-out (or a sign-in replacing the session) ends the role's sessions: start new ones.
      if (res.status < 400 && SESSION_ENDERS.test(request.route.path)) {
        if (request.role !== "anon") await signIn(world, request.role);
        before = await digest();
      }
      if (request.role === "anon") {
        for (const name of world.browsers.anon.cookies.keys()) {
          if (name.endsWith("spotter_session")) {
            world.browsers.anon.cookies.delete(name);
          }
        }
      }
    }
    console.log(
      `fuzz: statuses ${
        JSON.stringify(Object.fromEntries([...statuses].sort()))
      }`,
    );
    const shown = findings.slice(0, 20).map((f) =>
      `#${f.index} ${f.request.role}/${f.request.auth} ${f.request.route.method} ${f.path} ` +
      `${
        JSON.stringify(f.request.body).slice(0, 400)
      } ct=${f.request.contentType} → ${f.problem}`
    );
    assert.equal(
      findings.length,
      0,
      `seed ${SEED}: ${findings.length} findings\n${shown.join("\n")}`,
    );
  },
);
