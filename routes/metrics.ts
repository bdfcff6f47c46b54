import { Hono } from "hono";
import type { AppDeps, AppEnv } from "./context.ts";
import { contentType, metrics, scrape } from "../lib/metrics.ts";
import { readOutboxBacklog } from "../db/metrics.ts";
import { safeEqual } from "../lib/security.ts";

/**
 * `GET /metrics` in Prometheus's text format. On the app's own port it exists only with
 * `METRICS_TOKEN` set, and answers only a request that carries it as a bearer token; on
 * `METRICS_PORT` (a port the operator keeps private) it needs the token only when one is
 * set. Without either, `/metrics` is not served at all.
 */
export function metricsRoutes(
  deps: AppDeps,
  options: Readonly<{ requireToken: boolean }>,
) {
  const token = deps.config.metricsToken;
  return new Hono<AppEnv>().get("/metrics", async (c) => {
    if (options.requireToken || token) {
      const sent = /^Bearer\s+(\S+)$/i.exec(c.req.header("Authorization") ?? "")
        ?.[1];
      if (!token || !sent || !safeEqual(sent, token)) {
        c.header("WWW-Authenticate", 'Bearer realm="metrics"');
        c.header("Cache-Control", "no-store");
        return c.text("A valid metrics token is required.\n", 401);
      }
    }
    await readGauges(deps);
    return c.body(await scrape(), 200, {
      "Content-Type": contentType,
      "Cache-Control": "no-store",
    });
  });
}

/**
 * The app served on `METRICS_PORT`: `GET /metrics` and nothing else (404). Its requests
 * are not counted in the HTTP metrics: a scrape is not a user's request.
 */
export function metricsApp(deps: AppDeps) {
  return new Hono<AppEnv>().route(
    "/",
    metricsRoutes(deps, { requireToken: false }),
  );
}

/** The gauges read at scrape time: the pool's state and the outbox's backlog. */
async function readGauges(deps: AppDeps) {
  const pool = deps.sql.stats;
  metrics.poolConnections.set({ state: "in_use" }, pool.busy);
  metrics.poolConnections.set({ state: "idle" }, pool.idle);
  metrics.poolConnections.set({ state: "connecting" }, pool.connecting);
  metrics.poolWaiting.set(pool.waiting);
  try {
    const backlog = await readOutboxBacklog(deps.sql, deps.now());
    metrics.outboxDue.set(backlog.due);
    metrics.outboxOldestDue.set(backlog.oldestDueSeconds);
  } catch {
    // The database is away: the other metrics still answer (and /healthz says so).
  }
}
