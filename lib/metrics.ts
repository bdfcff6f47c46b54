/**
 * The process's metrics, in one registry that every layer may use (it imports nothing of
 * the app): routes count requests, jobs count deliveries, and a feature that syncs
 * calendars counts its syncs here. `GET /metrics` (routes/metrics.ts) writes the registry
 * in Prometheus's text format; gauges read at scrape time register a hook with
 * {@link beforeScrape}. docs/operations.md lists every metric with suggested alerts.
 *
 * ```ts
 * import { metrics } from "../lib/metrics.ts";
 * metrics.calendarSyncs.inc({ provider: "google", result: "ok" });
 * ```
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export const registry = new Registry();
const registers = [registry];

/** Seconds; a kept page takes well under 5 ms, a built one 1–50 ms. */
const LATENCY_BUCKETS = [
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
];

export const metrics = {
  httpRequests: new Counter({
    name: "spotter_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    registers,
  }),
  httpDuration: new Histogram({
    name: "spotter_http_request_duration_seconds",
    help:
      "Time from a request's arrival to its answer, by method and route pattern",
    labelNames: ["method", "route"] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  httpServerErrors: new Counter({
    name: "spotter_http_server_errors_total",
    help: "Answers with a 5xx status, by route pattern",
    labelNames: ["route"] as const,
    registers,
  }),
  keptPages: new Counter({
    name: "spotter_kept_pages_total",
    help:
      "Requests a kept page could answer: hit (answered from memory) or miss (built)",
    labelNames: ["result"] as const,
    registers,
  }),
  outboxDue: new Gauge({
    name: "spotter_outbox_due",
    help:
      "Notifications due now and not yet sent (pending or with a lapsed claim)",
    registers,
  }),
  outboxOldestDue: new Gauge({
    name: "spotter_outbox_oldest_due_seconds",
    help:
      "How long the oldest due notification has waited (0 when none is due)",
    registers,
  }),
  outboxDeliveries: new Counter({
    name: "spotter_outbox_deliveries_total",
    help:
      "Delivery attempts by channel and outcome (sent, retry, failed, skipped, released)",
    labelNames: ["channel", "outcome"] as const,
    registers,
  }),
  telegramRateLimited: new Counter({
    name: "spotter_telegram_rate_limited_total",
    help: "Telegram answers 429 Too Many Requests",
    registers,
  }),
  calendarSyncs: new Counter({
    name: "spotter_calendar_syncs_total",
    help: "Calendar syncs run, by provider and result (ok or error)",
    labelNames: ["provider", "result"] as const,
    registers,
  }),
  jobRuns: new Counter({
    name: "spotter_job_runs_total",
    help: "Background job runs, by job and result (ok or error)",
    labelNames: ["job", "result"] as const,
    registers,
  }),
  backups: new Counter({
    name: "spotter_backups_total",
    help: "Automatic backups, by result (ok or error)",
    labelNames: ["result"] as const,
    registers,
  }),
  lastBackup: new Gauge({
    name: "spotter_backup_last_success_timestamp_seconds",
    help:
      "When the last automatic backup succeeded (Unix time; absent before the first)",
    registers,
  }),
  poolConnections: new Gauge({
    name: "spotter_db_pool_connections",
    help: "PostgreSQL pool connections by state (in_use, idle, connecting)",
    labelNames: ["state"] as const,
    registers,
  }),
  poolWaiting: new Gauge({
    name: "spotter_db_pool_waiting_queries",
    help: "Queries waiting for a pool connection",
    registers,
  }),
  eventLoopLag: new Histogram({
    name: "spotter_event_loop_lag_seconds",
    help:
      "How late a timer set for every 0.5 s fired (the event loop was busy)",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  }),
  eventLoopLagMax: new Gauge({
    name: "spotter_event_loop_lag_max_seconds",
    help: "The largest event-loop lag since the previous scrape",
    registers,
  }),
  logLinesDropped: new Counter({
    name: "spotter_log_lines_dropped_total",
    help: "Log lines dropped because the log's reader fell 4 MiB behind",
    registers,
  }),
  memory: new Gauge({
    name: "spotter_process_resident_memory_bytes",
    help: "Resident memory of this process",
    registers,
  }),
};

const hooks = new Set<() => Promise<void> | void>();

/**
 * Runs `hook` before each scrape (a gauge read from the database, the pool's state).
 * Returns a function that removes it.
 */
export function beforeScrape(hook: () => Promise<void> | void): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

let lagMax = 0;

/**
 * The registry in Prometheus's text format, after every scrape hook ran (a hook that
 * fails leaves its gauges as they were; the rest still answer).
 */
export async function scrape(): Promise<string> {
  await Promise.allSettled([...hooks].map(async (hook) => await hook()));
  metrics.memory.set(Deno.memoryUsage().rss);
  metrics.eventLoopLagMax.set(lagMax);
  lagMax = 0;
  return await registry.metrics();
}

export const contentType = registry.contentType;

/**
 * Samples event-loop lag every `intervalMs` (an unref'd timer: it never keeps the process
 * alive). Only `main.ts` starts it; returns the stop function.
 */
export function startEventLoopMonitor(intervalMs = 500): () => void {
  let expected = performance.now() + intervalMs;
  const timer = setInterval(() => {
    const now = performance.now();
    const lag = Math.max(0, now - expected) / 1000;
    expected = now + intervalMs;
    metrics.eventLoopLag.observe(lag);
    if (lag > lagMax) lagMax = lag;
  }, intervalMs);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}
