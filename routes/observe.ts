import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "./context.ts";
import { metrics } from "../lib/metrics.ts";
import type { Logger } from "../lib/log.ts";
import { withRequestId } from "../lib/request_context.ts";

const METHODS = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
]);

/** A request id a proxy or client may pass in: short and plain, or a new one is made. */
const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * The outermost middleware: gives each request an id (`X-Request-Id`, taken from the
 * request when it is plain, else made), echoes it in the answer, runs the request with
 * it (so the outbox rows it writes carry it), counts it in the metrics by route pattern
 * and writes one log line: method, route, status, duration, request id and user id.
 * Nothing of the URL itself, the headers or the body is logged.
 */
export function observe(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const sent = c.req.header("X-Request-Id");
    const id = sent !== undefined && SAFE_ID.test(sent)
      ? sent
      : crypto.randomUUID();
    await withRequestId(id, next);
    const seconds = (performance.now() - started) / 1000;
    const route = routeOf(c);
    // Any word can be a method: an unknown one is "other", so no one can add series.
    const method = METHODS.has(c.req.method) ? c.req.method : "other";
    const status = c.res.status;
    // On the answer itself (as noStore does): c.header would rebuild a finished answer.
    c.res.headers.set("X-Request-Id", id);
    metrics.httpRequests.inc({ method, route, status });
    metrics.httpDuration.observe({ method, route }, seconds);
    if (status >= 500) metrics.httpServerErrors.inc({ route });
    if (log.enabled("info")) {
      log.info("request", {
        method,
        route,
        status,
        duration_ms: Math.round(seconds * 1e4) / 10,
        request_id: id,
        user_id: c.get("user")?.id ?? null,
      });
    }
  };
}

/**
 * The pattern of the route that answered (`/api/appointments/:id`), never the URL: the
 * last matched route that is not middleware. A kept page answered by the cache still
 * names its page's route. Requests no route matches are `unmatched`.
 */
export function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    if (routes[i].method !== "ALL") return routes[i].path;
  }
  return "unmatched";
}
