import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { connect } from "../db/client.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { startFakeCalendar } from "./helpers/fake_calendar.ts";
import { claimDueCalendars } from "../db/busy_calendars.ts";
import { providerOf, syncDueCalendars } from "../jobs/calendar_sync.ts";
import { metrics } from "../lib/metrics.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const NOW = "2026-12-01T08:00:00Z";
const dbUrl = await freshDatabaseUrl();
const sql = connect(dbUrl);
const t = await testApp({
  now: NOW,
  env: { CALENDARS_ALLOW_PRIVATE: "1" },
  deps: { sql },
});
const guarded = await testApp({ now: NOW });

const ics = (...events: string[][]) =>
  [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
    ...events.flatMap((e) => ["BEGIN:VEVENT", ...e, "END:VEVENT"]),
    "END:VCALENDAR",
    "",
  ].join("\r\n");
// Wednesday 10:30–11:00 Berlin; and one of Spotter's own sessions read back.
const DENTIST = [
  "UID:dentist@google.com",
  "DTSTAMP:20261130T120000Z",
  "DTSTART:20261202T093000Z",
  "DTEND:20261202T100000Z",
  "SUMMARY:Dentist",
];
const OWN = [
  "UID:0b6f1f4e-7a0e-4a57-9a55-3f1a4d0b7c11@spotter.test",
  "DTSTAMP:20261130T120000Z",
  "DTSTART:20261202T120000Z",
  "DTEND:20261202T130000Z",
  "SUMMARY:Session with Cleo",
];
const server = startFakeCalendar(ics(DENTIST, OWN));
const WED_10 = "2026-12-02T10:00:00+01:00";

async function world() {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode);
  return { trainer, client };
}

const slotsOf = async (token: string, trainerId: string) => {
  const res = await api(
    t,
    "GET",
    `/api/trainers/${trainerId}/slots?from=2026-12-02&to=2026-12-02`,
    {
      token,
    },
  );
  assert.equal(res.status, 200);
  return Object.fromEntries(
    res.body.slots.map((
      s: { start: string; status: string },
    ) => [s.start, s.status]),
  );
};

/** How many syncs of calendars at `provider` the metrics have counted with `result`. */
const syncsCounted = async (provider: string, result: "ok" | "error") =>
  (await metrics.calendarSyncs.get()).values.find((v) =>
    v.labels.provider === provider && v.labels.result === result
  )?.value ?? 0;

const add = (token: string, body: unknown) =>
  api(t, "POST", "/api/calendars", { token, body });

dbTest(
  "a trainer adds a calendar: it is fetched at once, its busy time takes clients' slots, Spotter's own events are skipped",
  async () => {
    const { trainer, client } = await world();
    const res = await add(trainer.token, {
      url: server.url(),
      name: "Private",
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), [
      "error",
      "events",
      "id",
      "lastSyncedAt",
      "name",
      "status",
      "url",
    ]);
    assert.equal(res.body.status, "ok");
    assert.equal(res.body.events, 1);
    assert.equal(res.body.error, null);
    assert.equal(res.body.name, "Private");
    assert.equal(res.body.url, server.url());
    assert.equal(res.body.lastSyncedAt, "2026-12-01T09:00:00+01:00");

    const seen = await slotsOf(client.token, trainer.id);
    assert.equal(seen[WED_10], "booked");
    assert.equal(
      seen["2026-12-02T13:00:00+01:00"],
      "available",
      "own feed not read back",
    );
    assert.equal((await slotsOf(trainer.token, trainer.id))[WED_10], "booked");

    const booking = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: WED_10 },
    });
    assert.equal(booking.status, 409);
    assert.equal(booking.body.error.code, "slot_taken");
    // The trainer's own booking over busy time is theirs to make.
    const own = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: client.id, start: WED_10 },
    });
    assert.equal(own.status, 201, JSON.stringify(own.body));

    const list = await api(t, "GET", "/api/calendars", {
      token: trainer.token,
    });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.calendars, [res.body]);
  },
);

dbTest("a client's move onto busy time is slot_taken", async () => {
  const { trainer, client } = await world();
  assert.equal((await add(trainer.token, { url: server.url() })).status, 201);
  const booked = await api(t, "POST", "/api/appointments", {
    token: client.token,
    body: { start: "2026-12-02T14:00:00+01:00" },
  });
  assert.equal(booked.status, 201);
  const moved = await api(
    t,
    "POST",
    `/api/appointments/${booked.body.id}/move`,
    {
      token: client.token,
      body: { start: WED_10 },
    },
  );
  assert.equal(moved.status, 409, JSON.stringify(moved.body));
  assert.equal(moved.body.error.code, "slot_taken");
});

dbTest(
  "a 304 keeps the busy time and counts as synced; a failed refresh keeps it and says why; removing frees it at once",
  async () => {
    const { trainer, client } = await world();
    const res = await add(trainer.token, { url: server.url() });
    const id = res.body.id;
    t.clock.advance({ minutes: 5 });
    const [ok, error] = [
      await syncsCounted("other", "ok"),
      await syncsCounted("other", "error"),
    ];
    const again = await api(t, "POST", `/api/calendars/${id}/sync`, {
      token: trainer.token,
    });
    assert.equal(again.status, 200);
    assert.equal(
      await syncsCounted("other", "ok"),
      ok + 1,
      "a 304 counts as ok",
    );
    assert.ok(server.lastConditional.etag, "If-None-Match sent");
    assert.equal(again.body.status, "ok");
    assert.equal(again.body.events, 1);
    assert.equal(again.body.lastSyncedAt, "2026-12-01T09:05:00+01:00");
    assert.equal((await slotsOf(client.token, trainer.id))[WED_10], "booked");

    server.failWith = 500;
    try {
      t.clock.advance({ minutes: 5 });
      const failed = await api(t, "POST", `/api/calendars/${id}/sync`, {
        token: trainer.token,
      });
      assert.equal(failed.status, 200);
      assert.equal(failed.body.status, "error");
      assert.equal(await syncsCounted("other", "error"), error + 1);
      assert.match(failed.body.error, /refused the address/);
      assert.equal(failed.body.events, 1);
      assert.equal(failed.body.lastSyncedAt, "2026-12-01T09:05:00+01:00");
      assert.equal((await slotsOf(client.token, trainer.id))[WED_10], "booked");
    } finally {
      server.failWith = undefined;
    }

    const gone = await api(t, "DELETE", `/api/calendars/${id}`, {
      token: trainer.token,
    });
    assert.equal(gone.status, 204);
    assert.equal(
      (await slotsOf(client.token, trainer.id))[WED_10],
      "available",
    );
    const twice = await api(t, "DELETE", `/api/calendars/${id}`, {
      token: trainer.token,
    });
    assert.equal(twice.status, 404);
  },
);

dbTest("a changed feed replaces the busy time", async () => {
  const { trainer, client } = await world();
  const feed = startFakeCalendar(ics(DENTIST));
  try {
    const res = await add(trainer.token, { url: feed.url() });
    feed.feed = ics([
      ...DENTIST.slice(0, 2),
      "DTSTART:20261202T130000Z",
      "DTEND:20261202T140000Z",
    ]);
    const synced = await api(t, "POST", `/api/calendars/${res.body.id}/sync`, {
      token: trainer.token,
    });
    assert.equal(synced.body.events, 1);
    const seen = await slotsOf(client.token, trainer.id);
    assert.equal(seen[WED_10], "available");
    assert.equal(seen["2026-12-02T14:00:00+01:00"], "booked");
  } finally {
    await feed.close();
  }
});

dbTest(
  "unreachable, not iCalendar and too large are added with status error and a sentence",
  async () => {
    const { trainer } = await world();
    const cases: [string, RegExp][] = [
      ["http://127.0.0.1:1/cal.ics", /could not be reached/],
      [server.url("/page.html"), /does not give an iCalendar file/],
      [server.url("/huge.ics"), /larger than 5 MiB/],
    ];
    for (const [url, message] of cases) {
      const res = await add(trainer.token, { url });
      assert.equal(res.status, 201, url);
      assert.equal(res.body.status, "error");
      assert.match(res.body.error, message);
      assert.equal(res.body.events, 0);
      assert.equal(res.body.lastSyncedAt, null);
    }
  },
);

dbTest(
  "bad addresses are 422 fields.url; a sixth calendar is too_many_calendars",
  async () => {
    const { trainer } = await world();
    for (
      const url of [
        "ftp://example.com/cal.ics",
        "not a url",
        "",
        "file:///etc/passwd",
      ]
    ) {
      const res = await add(trainer.token, { url });
      assert.equal(res.status, 422, url);
      assert.ok(res.body.error.fields.url, url);
    }
    assert.equal((await add(trainer.token, { name: "x" })).status, 422);
    assert.equal((await add(trainer.token, { url: 5 })).status, 422);
    for (let i = 0; i < 5; i++) {
      assert.equal(
        (await add(trainer.token, { url: server.url() })).status,
        201,
      );
    }
    const sixth = await add(trainer.token, { url: server.url() });
    assert.equal(sixth.status, 422);
    assert.equal(sixth.body.error.code, "too_many_calendars");
  },
);

dbTest(
  "clients get 403 everywhere; another trainer's calendar is 404; signed out is 401",
  async () => {
    const { trainer, client } = await world();
    const other = await signUpTrainer(t);
    const mine = await add(trainer.token, { url: server.url() });
    const id = mine.body.id;
    for (
      const [method, path] of [
        ["GET", "/api/calendars"],
        ["POST", "/api/calendars"],
        ["POST", `/api/calendars/${id}/sync`],
        ["DELETE", `/api/calendars/${id}`],
      ]
    ) {
      const res = await api(t, method, path, {
        token: client.token,
        body: method === "GET" ? undefined : { url: server.url() },
      });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal((await api(t, method, path)).status, 401);
    }
    assert.equal(
      (await api(t, "POST", `/api/calendars/${id}/sync`, {
        token: other.token,
      })).status,
      404,
    );
    assert.equal(
      (await api(t, "DELETE", `/api/calendars/${id}`, { token: other.token }))
        .status,
      404,
    );
    assert.deepEqual(
      (await api(t, "GET", "/api/calendars", { token: other.token })).body,
      {
        calendars: [],
      },
    );
    assert.equal(
      (await api(t, "GET", "/api/calendars", { token: trainer.token })).body
        .calendars.length,
      1,
    );
  },
);

dbTest(
  "without CALENDARS_ALLOW_PRIVATE, loopback, 10.x and the metadata address are url_not_allowed and nothing is stored",
  async () => {
    const trainer = await signUpTrainer(guarded);
    for (
      const url of [
        server.url(),
        "http://10.1.2.3/cal.ics",
        "http://169.254.169.254/latest/meta-data/",
        "webcal://[::1]/cal.ics",
      ]
    ) {
      const res = await api(guarded, "POST", "/api/calendars", {
        token: trainer.token,
        body: { url },
      });
      assert.equal(res.status, 422, url);
      assert.equal(res.body.error.code, "url_not_allowed");
      assert.ok(res.body.error.fields.url);
    }
    const list = await api(guarded, "GET", "/api/calendars", {
      token: trainer.token,
    });
    assert.deepEqual(list.body.calendars, []);
  },
);

dbTest(
  "a round fetches only the calendars that are due, and moves their next round ahead",
  async () => {
    const { trainer } = await world();
    const res = await add(trainer.token, { url: server.url() });
    const claimed = await claimDueCalendars(sql, {
      now: t.clock.now(),
      minutes: 15,
      limit: 100,
    });
    assert.ok(
      !claimed.some((c) => c.id === res.body.id),
      "just fetched: not due",
    );
    const later = t.clock.now().add({ minutes: 15 });
    const due = await claimDueCalendars(sql, {
      now: later,
      minutes: 15,
      limit: 100,
    });
    assert.ok(due.some((c) => c.id === res.body.id));
    const again = await claimDueCalendars(sql, {
      now: later,
      minutes: 15,
      limit: 100,
    });
    assert.ok(
      !again.some((c) => c.id === res.body.id),
      "claimed once per round",
    );
  },
);

dbTest(
  "two processes running a round at once fetch each calendar once",
  async () => {
    const { trainer } = await world();
    const feed = startFakeCalendar(ics(DENTIST));
    try {
      const res = await add(trainer.token, { url: feed.url() });
      assert.equal(feed.hits.get("/cal.ics"), 1);
      // Every other calendar of this database is made not due, so the rounds see this one.
      await sql`UPDATE busy_calendars SET next_sync_at = 'infinity' WHERE id <> ${res.body.id}`;
      const round = t.clock.now().add({ minutes: 16 }).toString();
      const startAt = String(Date.now() + 2_500);
      const runs = [0, 1].map(() =>
        new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            new URL("./helpers/sync_round.ts", import.meta.url).pathname,
            dbUrl,
            round,
            startAt,
          ],
          stdout: "piped",
          stderr: "piped",
        }).output()
      );
      const outputs = await Promise.all(runs);
      const fetched = outputs.map((o) => {
        assert.equal(o.code, 0, new TextDecoder().decode(o.stderr));
        return Number(new TextDecoder().decode(o.stdout).trim());
      });
      assert.deepEqual(fetched.sort(), [0, 1]);
      assert.equal(feed.hits.get("/cal.ics"), 2, "one fetch for the round");
      // And a round in this process right after finds nothing due.
      assert.equal(
        await syncDueCalendars({
          sql,
          now: () => Temporal.Instant.from(round),
          allowPrivate: true,
          appUrl: "http://spotter.test",
          syncMinutes: 15,
        }),
        0,
      );
    } finally {
      await feed.close();
    }
  },
);

dbTest(
  "another app process sees a sync's busy time at once, though it kept the old",
  async () => {
    const other = await testApp({
      now: NOW,
      env: { CALENDARS_ALLOW_PRIVATE: "1" },
      deps: { sql: connect(dbUrl) },
    });
    const { trainer, client } = await world();
    const feed = startFakeCalendar(ics(DENTIST));
    try {
      const res = await add(trainer.token, { url: feed.url() });
      const seen = async () =>
        (await api(
          other,
          "GET",
          `/api/trainers/${trainer.id}/slots?from=2026-12-02&to=2026-12-02`,
          {
            token: client.token,
          },
        )).body.slots.map((s: { status: string }) => s.status).join(" ");
      assert.equal(
        await seen(),
        "available booked available available available available available available",
      );
      feed.feed = ics([
        ...DENTIST.slice(0, 2),
        "DTSTART:20261202T130000Z",
        "DTEND:20261202T140000Z",
      ]);
      await api(t, "POST", `/api/calendars/${res.body.id}/sync`, {
        token: trainer.token,
      });
      assert.equal(
        await seen(),
        "available available available available available booked available available",
      );
      await api(t, "DELETE", `/api/calendars/${res.body.id}`, {
        token: trainer.token,
      });
      assert.ok(!(await seen()).includes("booked"));
    } finally {
      await feed.close();
      await other.sql.end();
    }
  },
);

dbTest(
  "asked-for fetches have a budget: the 21st in 10 minutes is 429 with Retry-After",
  async () => {
    const { trainer } = await world();
    const res = await add(trainer.token, { url: server.url() });
    const sync = () =>
      api(t, "POST", `/api/calendars/${res.body.id}/sync`, {
        token: trainer.token,
      });
    for (let i = 1; i < 20; i++) assert.equal((await sync()).status, 200);
    const refused = await sync();
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, "too_many_attempts");
    assert.ok(Number(refused.headers.get("Retry-After")) > 0);
    t.clock.advance({ minutes: 11 });
    assert.equal((await sync()).status, 200);
  },
);

dbTest("the fake calendar server stops", async () => {
  await server.close();
});

Deno.test("a calendar's provider is read from its address's host", () => {
  assert.equal(
    providerOf("https://calendar.google.com/calendar/ical/x/basic.ics"),
    "google",
  );
  assert.equal(
    providerOf("webcal://p42-caldav.icloud.com/published/2/x"),
    "apple",
  );
  assert.equal(
    providerOf("https://outlook.office365.com/owa/calendar/x/calendar.ics"),
    "outlook",
  );
  assert.equal(providerOf("https://evilgoogle.com/x.ics"), "other");
  assert.equal(providerOf("not a url"), "other");
});
