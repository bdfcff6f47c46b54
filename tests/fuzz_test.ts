/**
 * A fast-check fuzzer over every JSON endpoint and every form: wrong types, huge and empty
 * strings, NUL and invalid UTF-8, impossible dates, unknown zones, duplicate JSON keys, wrong
 * content types and odd query strings, sent signed out, as a client and as a trainer.
 * Whatever arrives: never a 5xx, every 4xx of the API in the contract's error shape, and a
 * refused request (any 4xx) writes nothing: no row of users, trainers, clients, sessions,
 * appointments, series, notifications, idempotency keys or Telegram link tokens changes (the throttles'
 * tables count refusals by design; a keyed booking keeps its first answer, a refusal too,
 * because the contract replays it).
 *
 * `deno task test` sends 1,000 requests with a fixed seed; `deno task fuzz` sends 10,000
 * (`FUZZ_RUNS`) with a random seed. Both print the seed: `FUZZ_SEED=… deno task fuzz` replays.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { insertCalendar } from "../db/busy_calendars.ts";

const RUNS = Number(Deno.env.get("FUZZ_RUNS") ?? 1000);
const SEED = Deno.env.get("FUZZ_SEED")
  ? Number(Deno.env.get("FUZZ_SEED"))
  : Deno.env.get("FUZZ_RUNS")
  ? Math.floor(Math.random() * 2 ** 31)
  : 20261202;

const DEBUG = Deno.env.get("FUZZ_DEBUG");

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
  "@package",
  "@otherPackage",
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
    fields: ["start", "notes", "clientId", "duration", "useCredit"],
  },
  {
    method: "GET",
    path: "/api/appointments",
    fields: ["from", "to", "status"],
  },
  { method: "GET", path: "/api/appointments/:id", fields: [] },
  {
    method: "POST",
    path: "/api/appointments/:id/cancel",
    fields: ["reason", "refund"],
  },
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
      "minNotice",
      "minNoticeUnit",
      "horizonDays",
      "bufferMinutes",
      "cancelNotice",
      "cancelNoticeUnit",
      "requireCredit",
    ],
  },
  { method: "GET", path: "/api/clients", fields: [] },
  { method: "PATCH", path: "/api/clients/:id", fields: ["tags", "notes"] },
  { method: "GET", path: "/api/trainers/:id/slots", fields: ["from", "to"] },
  {
    method: "POST",
    path: "/api/classes",
    fields: ["title", "start", "duration", "capacity", "notes"],
  },
  { method: "GET", path: "/api/trainers/:id/classes", fields: ["from", "to"] },
  { method: "GET", path: "/api/classes/:id", fields: [] },
  {
    method: "POST",
    path: "/api/classes/:id/seats",
    fields: ["clientId", "useCredit"],
  },
  { method: "DELETE", path: "/api/classes/:id/seats/me", fields: ["reason"] },
  { method: "POST", path: "/api/classes/:id/cancel", fields: ["reason"] },
  {
    method: "PATCH",
    path: "/api/classes/:id",
    fields: ["title", "start", "duration", "capacity", "notes"],
  },
  { method: "GET", path: "/api/feeds", fields: [] },
  { method: "POST", path: "/api/feeds/reset", fields: [] },
  { method: "GET", path: "/api/stats", fields: ["weeks"] },
  {
    method: "POST",
    path: "/api/packages",
    fields: ["name", "sessions", "validDays", "priceCents", "currency"],
  },
  { method: "GET", path: "/api/packages", fields: [] },
  { method: "PATCH", path: "/api/packages/:id", fields: ["name", "active"] },
  {
    method: "POST",
    path: "/api/clients/:id/credits",
    fields: ["packageId", "sessions", "validDays", "paid"],
  },
  { method: "GET", path: "/api/clients/:id/credits", fields: [] },
  { method: "GET", path: "/api/credits", fields: [] },
  { method: "POST", path: "/api/calendars", fields: ["url", "name"] },
  { method: "GET", path: "/api/calendars", fields: [] },
  { method: "POST", path: "/api/calendars/:id/sync", fields: [] },
  { method: "DELETE", path: "/api/calendars/:id", fields: [] },
  { method: "POST", path: "/api/password-resets", fields: ["email"] },
  { method: "POST", path: "/api/password-resets/:id", fields: ["password"] },
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
  {
    method: "POST",
    path: "/notifications/reminders",
    fields: ["remindersEnabled"],
  },
  { method: "POST", path: "/profile/telegram", fields: [] },
  { method: "POST", path: "/profile/telegram/unlink", fields: [] },
  { method: "POST", path: "/password-reset", fields: ["email"] },
  { method: "POST", path: "/password-reset/:id", fields: ["password"] },
  { method: "POST", path: "/profile/sessions/:id/signout", fields: [] },
  { method: "POST", path: "/telegram/webhook", fields: ["update_id"] },
  {
    method: "POST",
    path: "/appointments/:id/cancel",
    fields: ["reason", "details"],
  },
  { method: "POST", path: "/appointments/:id/move", fields: ["start"] },
  { method: "POST", path: "/book", fields: ["start", "notes", "key"] },
  { method: "POST", path: "/clients/:id", fields: ["tags", "notes"] },
  { method: "POST", path: "/clients/add", fields: ["name", "email", "phone"] },
  { method: "POST", path: "/clients/:id/invite", fields: [] },
  { method: "POST", path: "/claim/:id", fields: ["email", "password"] },
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
    fields: ["reason", "following", "refund", "back"],
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
      "minNotice",
      "minNoticeUnit",
      "horizonDays",
      "bufferMinutes",
      "cancelNotice",
      "cancelNoticeUnit",
      "requireCredit",
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
  { method: "GET", path: "/clients/add", fields: [] },
  { method: "GET", path: "/claim/:id", fields: [] },
  { method: "GET", path: "/profile/export", fields: [] },
  { method: "GET", path: "/clients/:id/remove", fields: [] },
  { method: "GET", path: "/settings", fields: [] },
  { method: "GET", path: "/stats", fields: ["from", "to"] },
  { method: "GET", path: "/notifications", fields: ["client"] },
  { method: "GET", path: "/profile", fields: [] },
  {
    method: "POST",
    path: "/profile/contact",
    fields: ["contactPhone", "contactEmail"],
  },
  { method: "GET", path: "/join/:id", fields: [] },
  { method: "GET", path: "/signin", fields: ["next"] },
  { method: "GET", path: "/today", fields: [] },
  {
    method: "GET",
    path: "/history",
    fields: ["client", "status", "from", "to", "after", "before"],
  },
  {
    method: "GET",
    path: "/history.csv",
    fields: ["client", "status", "from", "to"],
  },
  { method: "GET", path: "/classes", fields: [] },
  { method: "GET", path: "/classes/:id", fields: [] },
  { method: "GET", path: "/feeds", fields: [] },
  { method: "GET", path: "/feeds/:id", fields: [] },
  {
    method: "POST",
    path: "/classes",
    fields: ["title", "date", "time", "duration", "capacity", "notes"],
  },
  { method: "POST", path: "/classes/:id/seats", fields: ["clientId"] },
  { method: "GET", path: "/classes/:id/leave", fields: [] },
  { method: "GET", path: "/classes/:id/remove", fields: ["clientId"] },
  { method: "POST", path: "/classes/:id/leave", fields: ["reason"] },
  {
    method: "POST",
    path: "/classes/:id/remove",
    fields: ["clientId", "reason"],
  },
  { method: "POST", path: "/classes/:id/cancel", fields: ["reason"] },
  { method: "GET", path: "/classes/:id/edit", fields: [] },
  {
    method: "POST",
    path: "/classes/:id/edit",
    fields: ["title", "date", "time", "duration", "capacity", "notes"],
  },
  { method: "GET", path: "/series/:id", fields: [] },
  { method: "GET", path: "/series/:id/cancel", fields: ["from"] },
  { method: "POST", path: "/series/:id/cancel", fields: ["from", "reason"] },
  { method: "POST", path: "/feeds/reset", fields: [] },
  { method: "GET", path: "/packages", fields: [] },
  {
    method: "POST",
    path: "/packages",
    fields: ["name", "sessions", "validDays", "price", "currency"],
  },
  { method: "POST", path: "/packages/:id/retire", fields: [] },
  { method: "POST", path: "/packages/:id/offer", fields: [] },
  {
    method: "POST",
    path: "/clients/:id/credits",
    fields: [
      "source",
      "sessions",
      "validDays",
      "method",
      "amount",
      "currency",
      "note",
    ],
  },
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
  /** Now and then another method than the route's. */
  method: string | undefined;
  /** One odd header on top: a mangled cookie, a strange Authorization, htmx, another site. */
  odd: readonly [string, string] | undefined;
};

const ODD_HEADERS = [
  ["Cookie", "spotter_session=%FF"],
  ["Cookie", "spotter_flash=%7B%22kind%22%3A%22ok%22%2C%22text%22%3A5%7D"],
  ["Cookie", "spotter_csrf=%E0%A4%A; spotter_csrf=x"],
  ["Authorization", "Bearer"],
  ["Authorization", "Bearer x y"],
  ["Authorization", "Basic Zm9vOmJhcg=="],
  ["Authorization", `Bearer ${"x".repeat(5000)}`],
  ["HX-Request", "true"],
  ["Origin", "https://evil.example"],
  ["Sec-Fetch-Site", "cross-site"],
  ["X-Forwarded-For", "not-an-address, ::1, 999.1.1.1"],
  ["Accept", "text/html"],
] as const;

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

const SOON_DAY = fc.integer({ min: 1, max: 31 }).map((d) =>
  String(d).padStart(2, "0")
);
/** A valid instant in the coming weeks, mostly on the trainer's hourly slots. */
const SOON = fc.tuple(
  SOON_DAY,
  fc.integer({ min: 8, max: 17 }),
  fc.constantFrom("00", "00", "00", "30"),
).map(([d, h, m]) =>
  `2026-12-${d}T${String(h).padStart(2, "0")}:${m}:00+01:00`
);
const SOON_TIME = fc.integer({ min: 8, max: 17 }).map((h) =>
  `${String(h).padStart(2, "0")}:00`
);
const SOON_DATE = SOON_DAY.map((d) => `2026-12-${d}`);

/** A value of the type a field expects, often valid, so requests reach past the validators. */
function typed(field: string): fc.Arbitrary<unknown> {
  const of = <T>(...xs: T[]) => fc.constantFrom(...xs);
  if (/^[a-z]{3}\.\d+\.(start|end)$/.test(field) || field === "time") {
    return fc.oneof(SOON_TIME, of(...TIMES));
  }
  switch (field) {
    case "start":
      return fc.oneof(SOON, of(...INSTANTS));
    case "date":
    case "until":
    case "to":
    case "newHoliday":
    case "removeHoliday":
    case "week":
    case "day":
      return fc.oneof(SOON_DATE, of(...DATES));
    case "from":
      return fc.oneof(of(...DATES), of("@appt0", "@series", "@otherAppt"));
    case "timezone":
      return of(...ZONES);
    case "minNoticeUnit":
    case "cancelNoticeUnit":
      return of("hours", "days", "weeks", "");
    case "duration":
    case "slotMinutes":
    case "reminderMinutes":
    case "weeks":
    case "minNoticeMinutes":
    case "horizonDays":
    case "bufferMinutes":
    case "cancelNoticeMinutes":
    case "minNotice":
    case "cancelNotice":
      return fc.oneof(
        of(...NUMBERS),
        of(...NUMBERS.map(String)),
        of("", "1.5"),
      );
    case "clientId":
    case "appointmentId":
      return of("@client", "@otherClient", "@appt0", "@trainer");
    case "referralCode":
      return of("@referral", "@referral", "NOPE", "");
    case "url":
      // Address literals only: the run must not wait on DNS. All are refused as private.
      return of(
        "http://10.0.0.1/cal.ics",
        "webcal://169.254.169.254/latest",
        "http://[::1]:1/x.ics",
        "ftp://example.com/cal.ics",
        "https://",
        "",
        "http://127.0.0.1:1/" + "x".repeat(3000),
      );
    case "email":
      return fc.oneof(
        fc.uuid().map((u) => `f-${u}@example.test`),
        of("FUZZ@EXAMPLE.TEST", "a@b", "x@" + "y".repeat(300) + ".test"),
      );
    case "password":
    case "newPassword":
    case "currentPassword":
      return of("correct horse battery staple 7", "password-1", "12345678", "");
    case "name":
      return of("Fuzz Person", "", " ", "N\u0000", "x".repeat(201), "🙂");
    case "notes":
    case "reason":
    case "details":
      return fc.oneof(of("", "Bring water", "other", "sick"), text);
    case "status":
      return of("completed", "scheduled", "cancelled");
    case "onConflict":
      return of("fail", "skip", "ask");
    case "remindersEnabled":
    case "requiresConfirmation":
    case "following":
    case "requireCredit":
    case "useCredit":
    case "refund":
    case "active":
      return of<unknown>(true, false, "on", "off", "0", "1");
    case "sessions":
    case "validDays":
    case "priceCents":
    case "amountCents":
      return fc.oneof(
        of<unknown>(0, 1, 3, 10, 200, 201, 730, 731, 100_000_000, 100_000_001),
        of<unknown>(-1, 2.5, "10", "", "1e3", null),
      );
    case "packageId":
    case "source":
      return of("@package", "@otherPackage", "custom", "");
    case "currency":
      return of<unknown>("EUR", "eur", "EURO", "", null);
    case "method":
      return of("cash", "transfer", "card", "other", "cheque", "");
    case "price":
    case "amount":
      return of("450", "450.50", "450,5", "12.345", "-1", "", "1e9");
    case "paid":
      return fc.oneof(
        fc.record({
          amountCents: of<unknown>(0, 4500, 100_000_001, -1, "45"),
          currency: of("EUR", "eur", ""),
          method: of("cash", "card", "cheque"),
          note: fc.oneof(of<unknown>(null, "Paid at the gym"), text),
        }, { requiredKeys: [] }),
        of(null),
      );
    case "workingHours":
      return fc.dictionary(
        of("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        fc.array(fc.record({ start: of(...TIMES), end: of(...TIMES) }), {
          maxLength: 3,
        }),
        { maxKeys: 7 },
      );
    case "holidays":
    case "tags":
      return fc.array(fc.oneof(of(...DATES), text), { maxLength: 4 });
    case "key":
      return fc.oneof(fc.uuid(), of("", "not-a-uuid"));
    case "next":
    case "back":
      return of(
        "/calendar",
        "//evil.example",
        "https://evil.example/",
        "/schedule?date=2026-02-30",
      );
  }
  return value;
}

const fieldsFor = (route: Route) =>
  fc.tuple(
    fc.subarray(route.fields).chain((fields) =>
      fc.tuple(
        ...fields.map((field) =>
          fc.tuple(
            fc.constant(field),
            fc.oneof({ weight: 3, arbitrary: typed(field) }, {
              weight: 1,
              arbitrary: value,
            }),
          )
        ),
      )
    ),
    fc.array(
      fc.tuple(
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...route.fields, "_") },
          { weight: 1, arbitrary: text },
        ),
        value,
      ),
      { maxLength: 2 },
    ),
  ).map(([known, extra]) => [...known, ...extra] as [string, unknown][]);

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
        fc.constantFrom(...route.fields, "x").chain((field) =>
          fc.tuple(fc.constant(field), fc.oneof(typed(field), text))
        ),
        { maxLength: 3 },
      ).map((pairs) =>
        pairs.length
          ? `?${new URLSearchParams(pairs.map(([k, v]) => [k, formText(v)]))}`
          : ""
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_QUERIES) },
  );

/** The arbitrary's value once in `n` requests, otherwise nothing. */
const oneIn = <T>(n: number, arbitrary: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: n - 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary },
  );

/** Where a well-formed request comes signed out. */
const PUBLIC =
  /^\/(api\/(trainers|clients|sessions)|signup|join|join\/:id|signin)$/;

/** Where a well-formed request comes from a trainer, or from a client. */
const TRAINERS =
  /^\/(schedule|series|settings|clients|stats|today|history|packages|profile\/(referral-code|reminders)|api\/(series|settings|clients|stats|packages|calendars))/;
const CLIENTS =
  /^\/(book|appointments|api\/appointments\/:id\/move|api\/credits)/;

/** The kind of id a route's path wants, so well-formed requests find their target. */
function naturalId(path: string, fuzzed: string): string {
  const pick = (...refs: string[]) =>
    refs[Math.abs(fuzzed.charCodeAt(fuzzed.length - 1)) % refs.length];
  if (!path.includes(":id")) return fuzzed;
  if (/series/.test(path)) return pick("@series", "@appt0");
  if (/classes\/:id/.test(path)) return pick("@class", "@appt0");
  if (/packages\/:id/.test(path)) return pick("@package", "@otherPackage");
  if (/calendars\/:id/.test(path)) return pick("@calendar", "@appt0");
  if (/feeds\/:id/.test(path)) return pick("@feed.ics", "nope.ics");
  if (/clients/.test(path)) return pick("@client", "@otherClient");
  if (/trainers/.test(path)) return pick("@trainer", "@otherTrainer");
  if (/join/.test(path)) return pick("@referral", "NOPE");
  return pick("@appt0", "@appt1", "@appt2", "@otherAppt", "@APPT0");
}

const requestArb: fc.Arbitrary<FuzzRequest> = fc.oneof(
  ...[
    ...API.map((r) => [r, true] as const),
    ...FORMS.map((r) => [r, false] as const),
  ]
    .map(([route, isApi]) => ({
      // Changes are where the bugs hide: they come three times as often as reads.
      weight: route.method === "GET" ? 1 : 3,
      arbitrary: fc.record({
        route: fc.constant(route),
        role: fc.constantFrom<Role>("anon", "client", "trainer"),
        auth: fc.constantFrom<FuzzRequest["auth"]>(
          "usual",
          "usual",
          "usual",
          "crossed",
          "crossed",
          "no-csrf",
        ),
        sane: fc.boolean(),
        full: fc.tuple(
          ...route.fields.map((field) =>
            fc.option(fc.tuple(fc.constant(field), typed(field)), {
              freq: 6,
              nil: undefined,
            })
          ),
        ).map((pairs) =>
          pairs.filter((p) => p !== undefined) as [string, unknown][]
        ),
        id: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...REFS) },
          { weight: 1, arbitrary: fc.constantFrom(...UUIDS) },
          { weight: 1, arbitrary: fc.uuid() },
        ),
        body: route.method === "GET"
          ? fc.constant<Body>({ kind: "none" })
          : bodyFor(route, isApi),
        contentType: oneIn(2, fc.constantFrom(...CONTENT_TYPES)),
        query: route.method === "GET" ? queryFor(route) : fc.constantFrom(
          "",
          "",
          "",
          ...ODD_QUERIES,
        ),
        method: oneIn(
          15,
          fc.constantFrom(
            "HEAD",
            "OPTIONS",
            "GET",
            "POST",
            "PUT",
            "PATCH",
            "DELETE",
          ),
        ),
        odd: oneIn(4, fc.constantFrom(...ODD_HEADERS)),
        idempotencyKey: oneIn(
          4,
          fc.constantFrom("", "k1", "x".repeat(300), "\u00e9", "k2"),
        ),
      }).map(({ sane, full, ...r }): FuzzRequest =>
        // Half the requests are well-formed apart from their values, so that they reach the
        // code behind the validators.
        sane
          ? {
            ...r,
            role: PUBLIC.test(route.path)
              ? "anon"
              : TRAINERS.test(route.path)
              ? "trainer"
              : CLIENTS.test(route.path)
              ? "client"
              : r.role === "anon"
              ? "trainer"
              : r.role,
            id: naturalId(route.path, r.id),
            auth: "usual",
            odd: undefined,
            method: undefined,
            contentType: undefined,
            query: route.method === "GET" ? r.query : "",
            body: route.method === "GET" ? r.body : {
              kind: isApi ? "json" : "form",
              fields: full,
              duplicate: false,
            },
          }
          : r
      ),
    })),
);

// ---------------------------------------------------------------------------------------
// The world the requests act on.

type World = Awaited<ReturnType<typeof makeWorld>>;

async function makeWorld() {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode, "Fuzz Client");
  const otherTrainer = await signUpTrainer(t);
  const otherClient = await signUpClient(t, otherTrainer.referralCode);
  // Packages of both trainers, and credits that pay for two of the client's sessions.
  const newPackage = async (token: string) => {
    const res = await api(t, "POST", "/api/packages", {
      token,
      body: { name: "Pack", sessions: 5, validDays: 30 },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const packageId = await newPackage(trainer.token);
  const otherPackageId = await newPackage(otherTrainer.token);
  const sold = await api(t, "POST", `/api/clients/${client.id}/credits`, {
    token: trainer.token,
    body: { sessions: 2 },
  });
  assert.equal(sold.status, 201, JSON.stringify(sold.body));
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
  const groupClass = await api(t, "POST", "/api/classes", {
    token: trainer.token,
    body: { title: "Circuit", start: "2026-12-09T17:00:00Z", capacity: 3 },
  });
  assert.equal(groupClass.status, 201, JSON.stringify(groupClass.body));
  await api(t, "GET", "/api/feeds", { token: trainer.token });
  // A calendar whose address is private: a fuzzed "Sync now" is refused at the guard.
  const calendar = await insertCalendar(t.sql, {
    trainerId: trainer.id,
    name: "Private",
    url: "http://10.9.9.9/cal.ics",
    result: { kind: "failed", error: "unreachable" },
    now: t.clock.now(),
    syncMinutes: 15,
  });
  assert.ok(typeof calendar !== "string");
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
    groupClass: groupClass.body.id as string,
    packageId,
    otherPackageId,
    calendar: calendar.id,
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
  // The run's failed sign-ins, all from one address on a clock that stands still, would
  // soon throttle the fuzzer's own sign-ins: these are not guesses, so the slate is wiped.
  await t.sql`DELETE FROM sign_in_failures`;
  // A fuzzed profile change may have set another e-mail or one of the pool's passwords.
  const [user] = await t.sql`
    SELECT email FROM users WHERE id = ${world.accounts[role].id}`;
  for (const password of ["password-1", "correct horse battery staple 7"]) {
    const login = await api(t, "POST", "/api/sessions", {
      body: { email: user.email, password },
    });
    if (login.status !== 200) continue;
    world.tokens[role] = login.body.token;
    const browser = new Browser(t);
    const res = await browser.post("/signin", { email: user.email, password });
    assert.equal(res.status, 303, res.text);
    world.browsers[role] = browser;
    return;
  }
  throw new Error(`the ${role} can no longer sign in`);
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
    case "@class":
      return world.groupClass;
    case "@package":
      return world.packageId;
    case "@otherPackage":
      return world.otherPackageId;
    case "@calendar":
      return world.calendar;
    case "@feed.ics": {
      const [row] = await t.sql`
        SELECT token FROM calendar_feeds WHERE user_id = ${world.trainer.id}`;
      return row ? `${row.token}.ics` : "none.ics";
    }
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
  let query = r.query;
  for (const ref of REFS) {
    query = query.replaceAll(
      `%40${ref.slice(1)}`,
      encodeURIComponent(await resolve(world, ref)),
    );
  }
  const path = r.route.path.replace(":id", await resolve(world, r.id)) +
    query;
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
  if (r.odd) {
    const [name, value] = r.odd;
    headers[name] = name === "Cookie" && headers.Cookie
      ? `${headers.Cookie}; ${value}`
      : value;
  }
  const res = await t.app.request(path, {
    method: r.method ?? r.route.method,
    headers,
    body: ["GET", "HEAD"].includes(r.method ?? r.route.method)
      ? undefined
      : body,
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
    "telegram_messages",
    "telegram_updates",
    "classes",
    "class_seats",
    "calendar_feeds",
    "packages",
    "credit_grants",
    "credit_ledger",
    "busy_calendars",
    "busy_times",
    "account_messages",
    "password_resets",
  ];
  const [row] = await t.sql.unsafe(
    `SELECT concat_ws('/', ${
      tables.map((name) =>
        `(SELECT '${name}:' || md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM ${name} r)`
      ).join(", ")
    }) AS digest`,
  );
  return row.digest;
}

/**
 * The contract keeps the first answer of a keyed booking, a refusal too, so that a retry with
 * the same `Idempotency-Key` answers it again: that one row is the only write a refusal may make.
 */
async function keptAsFirstAnswer(
  world: World,
  request: FuzzRequest,
  status: number,
): Promise<boolean> {
  const key = request.idempotencyKey;
  if (
    (request.method ?? request.route.method) !== "POST" ||
    request.route.path !== "/api/appointments" || request.role === "anon" ||
    key === undefined
  ) return false;
  const rows = await t.sql`
    SELECT status FROM idempotency_keys
    WHERE user_id = ${world.accounts[request.role].id} AND key = ${key}`;
  return rows.length === 1 && rows[0].status === status;
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
      // FUZZ_DEBUG=/api/series (a route as listed) or `*` prints each request and answer.
      if (DEBUG === "*" || DEBUG === request.route.path) {
        console.log(
          `#${index} ${request.role}/${request.auth} ${
            request.method ?? request.route.method
          } ${res.path}`,
          JSON.stringify(request.body).slice(0, 200),
          `ct=${request.contentType} key=${request.idempotencyKey}`,
          `→ ${res.status} ${res.text.slice(0, 150)}`,
        );
      }
      const after = await digest();
      const problems: string[] = [];
      if (res.status >= 500) {
        problems.push(`${res.status}: ${res.text.slice(0, 300)}`);
      }
      if (res.status >= 400 && res.status < 500) {
        // A HEAD answer has no body to carry the shape.
        if (
          request.route.path.startsWith("/api/") && request.method !== "HEAD"
        ) {
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
        const was = new Set(before.split("/"));
        const kept = await keptAsFirstAnswer(world, request, res.status);
        const changed = after.split("/").filter((p) => !was.has(p))
          .map((p) => p.split(":")[0])
          .filter((table) => !(table === "idempotency_keys" && kept));
        if (changed.length) {
          problems.push(`${res.status} but it changed ${changed.join(", ")}`);
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
    }
    console.log(
      `fuzz: statuses ${
        JSON.stringify(Object.fromEntries([...statuses].sort()))
      }`,
    );
    const shown = findings.slice(0, 20).map((f) =>
      `#${f.index} ${f.request.role}/${f.request.auth} ${
        f.request.method ?? f.request.route.method
      } ${f.path} ` +
      `${
        JSON.stringify(f.request.body).slice(0, 400)
      } ct=${f.request.contentType} key=${f.request.idempotencyKey} → ${f.problem}`
    );
    assert.equal(
      findings.length,
      0,
      `seed ${SEED}: ${findings.length} findings\n${shown.join("\n")}`,
    );
  },
);
