/**
 * Request logs, request ids and `GET /metrics`: one JSON line per request with no secret
 * in it, an id echoed and carried into the outbox rows a request writes, and metrics by
 * route pattern behind a token or on their own port.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { createLogger, memorySink, stdoutSink } from "../lib/log.ts";
import { loadConfig } from "../config.ts";
import { metricsApp } from "../routes/metrics.ts";
import { observe } from "../routes/observe.ts";
import { runJob } from "../jobs/observe.ts";
import { scrape } from "../lib/metrics.ts";

const TOKEN = "metrics-token-0123456789";
const START = "2026-12-02T09:00:00Z";

async function loggedApp(env: Record<string, string> = {}, level = "info") {
  const sink = memorySink();
  const log = createLogger({ level: level as "info", sink });
  const t = await testApp({ env, deps: { log } });
  const lines = () => sink.lines.map((l) => JSON.parse(l));
  return { ...t, sink, lines };
}

/** The value of one sample in Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>) {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) continue;
    const inner = line.slice(name.length).match(/^\{(.*)\}/)?.[1] ?? "";
    const have = inner ? inner.split(/,(?=\w+=")/) : [];
    if (want.every((w) => have.includes(w))) {
      return Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return 0;
}

dbTest(
  "each request writes one JSON line with method, route pattern, status, duration, request id and user, and never the password, token or address",
  async () => {
    const t = await loggedApp();
    const trainer = await signUpTrainer(t);
    const before = t.sink.lines.length;
    const res = await api(t, "GET", `/api/appointments?from=2026-12-01`, {
      token: trainer.token,
      headers: { "X-Request-Id": "edge-42" },
    });
    assert.equal(res.headers.get("X-Request-Id"), "edge-42");
    const mine = t.lines().slice(before);
    assert.equal(mine.length, 1, JSON.stringify(mine));
    const line = mine[0];
    assert.equal(line.msg, "request");
    assert.equal(line.level, "info");
    assert.equal(line.method, "GET");
    assert.equal(line.route, "/api/appointments");
    assert.equal(line.status, res.status);
    assert.equal(line.request_id, "edge-42");
    assert.equal(line.user_id, trainer.id);
    assert.equal(typeof line.duration_ms, "number");
    assert.ok(!Number.isNaN(Date.parse(line.time)));
    const all = t.sink.lines.join("\n");
    assert.doesNotMatch(all, /password-1/);
    assert.ok(!all.includes(trainer.token), "a session token was logged");
    assert.ok(!all.includes(trainer.email), "an e-mail address was logged");
    assert.doesNotMatch(all, /2026-12-01/, "the query string was logged");
  },
);

dbTest(
  "a request id that is not short and plain is replaced by a new one, and each answer gets one",
  async () => {
    const t = await loggedApp();
    const odd = await t.app.request("/healthz", {
      headers: { "X-Request-Id": "bad id\twith spaces" },
    });
    const id = odd.headers.get("X-Request-Id") ?? "";
    assert.match(id, /^[0-9a-f-]{36}$/);
    const long = await t.app.request("/healthz", {
      headers: { "X-Request-Id": "x".repeat(129) },
    });
    assert.match(long.headers.get("X-Request-Id") ?? "", /^[0-9a-f-]{36}$/);
    const none = await t.app.request("/no/such/page");
    assert.equal(none.status, 404);
    assert.match(none.headers.get("X-Request-Id") ?? "", /^[0-9a-f-]{36}$/);
    assert.notEqual(none.headers.get("X-Request-Id"), id);
    assert.equal(t.lines().at(-1).route, "unmatched");
  },
);

dbTest(
  "the outbox rows a booking writes carry the booking request's id, and a cancellation's rows the cancellation's",
  async () => {
    const t = await loggedApp();
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: START },
      headers: { "X-Request-Id": "book-7" },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    const rows = await t.sql<{ kind: string; request_id: string | null }[]>`
      SELECT kind, request_id FROM notifications
      WHERE appointment_id = ${booked.body.id}`;
    assert.ok(rows.length >= 2, JSON.stringify(rows));
    for (const row of rows) assert.equal(row.request_id, "book-7");
    const cancelled = await api(
      t,
      "POST",
      `/api/appointments/${booked.body.id}/cancel`,
      { token: client.token, body: { reason: "ill" } },
    );
    assert.ok(cancelled.status < 300, JSON.stringify(cancelled.body));
    const ids = await t.sql<{ request_id: string | null }[]>`
      SELECT DISTINCT request_id FROM notifications
      WHERE appointment_id = ${booked.body.id} AND request_id <> 'book-7'`;
    assert.equal(ids.length, 1);
    assert.equal(ids[0].request_id, cancelled.headers.get("X-Request-Id"));
  },
);

dbTest(
  "LOG_LEVEL warn writes no request lines but still the errors",
  async () => {
    const t = await loggedApp({}, "warn");
    await t.app.request("/healthz");
    assert.deepEqual(t.sink.lines, []);
    const sink = memorySink();
    const log = createLogger({ level: "warn", sink });
    await assert.rejects(
      runJob(log, "sweep", () => Promise.reject(new Error("db away"))),
    );
    const [line] = sink.lines.map((l) => JSON.parse(l));
    assert.equal(line.level, "error");
    assert.equal(line.job, "sweep");
    assert.equal(line.result, "error");
    assert.equal(line.error.message, "db away");
  },
);

dbTest(
  "GET /metrics is not served on the app's port without METRICS_TOKEN, and wants that token as a bearer token when set",
  async () => {
    const off = await testApp();
    const none = await off.app.request("/metrics");
    assert.equal(none.status, 404);
    await none.body?.cancel();

    const t = await loggedApp({ METRICS_TOKEN: TOKEN });
    for (
      const auth of [
        undefined,
        "Bearer wrong-token-0123456789",
        `Basic ${TOKEN}`,
      ]
    ) {
      const res = await t.app.request("/metrics", {
        headers: auth ? { Authorization: auth } : {},
      });
      assert.equal(res.status, 401, String(auth));
      assert.match(res.headers.get("WWW-Authenticate") ?? "", /^Bearer/);
      await res.body?.cancel();
    }
    const ok = await t.app.request("/metrics", {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get("Content-Type") ?? "", /^text\/plain/);
    const text = await ok.text();
    assert.match(text, /^# HELP spotter_http_requests_total/m);
  },
);

dbTest(
  "metrics count requests by route pattern (never the raw URL), 5xx answers, the outbox backlog and the pool",
  async () => {
    const t = await loggedApp({ METRICS_TOKEN: TOKEN });
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: START },
    });
    assert.equal(booked.status, 201);
    const route = "/api/appointments/:id";
    const read = async () => {
      const res = await t.app.request("/metrics", {
        headers: { Authorization: `Bearer ${TOKEN}` },
      });
      return await res.text();
    };
    const before = await read();
    for (let i = 0; i < 3; i++) {
      const res = await api(t, "GET", `/api/appointments/${booked.body.id}`, {
        token: client.token,
      });
      assert.equal(res.status, 200);
    }
    // Due reminders: the clock moves past the first one's due time.
    t.clock.set("2026-12-02T08:30:00Z");
    const after = await read();
    const labels = { method: "GET", route, status: "200" };
    assert.equal(
      sample(after, "spotter_http_requests_total", labels) -
        sample(before, "spotter_http_requests_total", labels),
      3,
    );
    assert.ok(
      sample(after, "spotter_http_request_duration_seconds_count", {
        method: "GET",
        route,
      }) >= 3,
    );
    assert.ok(!after.includes(booked.body.id), "a raw URL became a label");
    // Made-up methods do not make series of their own.
    const odd = await t.app.request("/healthz", { method: "BREW" });
    await odd.body?.cancel();
    const brewed = await read();
    assert.ok(!brewed.includes("BREW"));
    assert.match(brewed, /method="other"/);
    assert.ok(sample(after, "spotter_outbox_due", {}) >= 2, after);
    assert.ok(sample(after, "spotter_outbox_oldest_due_seconds", {}) >= 1800);
    assert.match(after, /^spotter_db_pool_connections\{state="in_use"\} \d+/m);
    const pool = (state: string) =>
      sample(after, "spotter_db_pool_connections", { state });
    // The pool is read live (not a copy taken when it was made): it has connections now.
    assert.ok(pool("in_use") + pool("idle") >= 1, after);
    assert.match(after, /^spotter_db_pool_waiting_queries \d+/m);
    assert.match(after, /^spotter_event_loop_lag_max_seconds /m);

    // A 5xx is counted by its route.
    const failing = new Hono();
    failing.use(observe(createLogger({ level: "off", sink: memorySink() })));
    failing.get("/boom/:id", (c) => c.text("no", 503));
    const errorsBefore = sample(
      await scrape(),
      "spotter_http_server_errors_total",
      { route: "/boom/:id" },
    );
    await (await failing.request("/boom/1")).body?.cancel();
    await (await failing.request("/boom/2")).body?.cancel();
    assert.equal(
      sample(await scrape(), "spotter_http_server_errors_total", {
        route: "/boom/:id",
      }) - errorsBefore,
      2,
    );
  },
);

dbTest(
  "on METRICS_PORT /metrics answers without a token unless one is set, and nothing else is served there",
  async () => {
    const t = await testApp({ env: { METRICS_PORT: "9464" } });
    const port = metricsApp(t.deps);
    const res = await port.request("/metrics");
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const other = await port.request("/api/appointments");
    assert.equal(other.status, 404);
    await other.body?.cancel();

    const locked = await testApp({
      env: { METRICS_PORT: "9464", METRICS_TOKEN: TOKEN },
    });
    const denied = await metricsApp(locked.deps).request("/metrics");
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
  },
);

Deno.test("metrics settings are checked at start-up", () => {
  assert.throws(
    () => loadConfig({ PORT: "8000", METRICS_PORT: "8000" }),
    /METRICS_PORT/,
  );
  assert.throws(() => loadConfig({ METRICS_TOKEN: "short" }), /METRICS_TOKEN/);
  assert.throws(() => loadConfig({ LOG_LEVEL: "loud" }), /LOG_LEVEL/);
  assert.equal(loadConfig({}).logLevel, "info");
});

Deno.test("the stdout sink writes every line, in order, even when many arrive at once", async () => {
  const chunks: string[] = [];
  const sink = stdoutSink({
    write: async (p) => {
      await new Promise((r) => setTimeout(r, 1));
      // A short write: the sink must write the rest.
      const n = Math.max(1, Math.floor(p.length / 2));
      chunks.push(new TextDecoder().decode(p.subarray(0, n)));
      return n;
    },
  });
  for (let i = 0; i < 100; i++) sink.write(`{"n":${i}}`);
  await sink.flush();
  const lines = chunks.join("").trimEnd().split("\n");
  assert.deepEqual(lines.map((l) => JSON.parse(l).n), [...Array(100).keys()]);
});
