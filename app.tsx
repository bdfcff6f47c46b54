import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { HTTPException } from "hono/http-exception";
import type { AppDeps, AppEnv } from "./routes/context.ts";
import { ApiError, unavailable } from "./routes/errors.ts";
import { localizedMessage } from "./routes/outcomes.ts";
import { isUnavailable, sqlState } from "./db/client.ts";
import { pingDatabase } from "./db/health.ts";
import {
  csrfProtection,
  flashMessages,
  loadSession,
  noStore,
} from "./routes/middleware.ts";
import { page } from "./routes/render.tsx";
import { staticFiles } from "./routes/static.ts";
import { compression } from "./routes/compression.ts";
import { renderCache } from "./routes/render_cache.ts";
import { ErrorPage } from "./views/Layout.tsx";
import { accountsApi } from "./routes/api_accounts.ts";
import { accountPages } from "./routes/pages_accounts.tsx";
import { devicePages } from "./routes/pages_devices.tsx";
import { emailPages } from "./routes/pages_email.tsx";
import { accountDataPages, exportPages } from "./routes/pages_account_data.tsx";
import {
  passwordResetApi,
  passwordResetPages,
} from "./routes/pages_password_reset.tsx";
import { contactPages } from "./routes/pages_contact.tsx";
import { settingsPages } from "./routes/pages_settings.tsx";
import { schedulePages } from "./routes/pages_schedule.tsx";
import { sessionPages } from "./routes/pages_sessions.tsx";
import { seriesPages } from "./routes/pages_series.tsx";
import { clientPages } from "./routes/pages_clients.tsx";
import { walkInPages } from "./routes/pages_walk_ins.tsx";
import { statsPages } from "./routes/pages_stats.tsx";
import { todayPages } from "./routes/pages_today.tsx";
import { statsApi } from "./routes/api_stats.ts";
import { historyPages } from "./routes/pages_history.tsx";
import { appointmentsApi } from "./routes/api_appointments.ts";
import { seriesApi } from "./routes/api_series.ts";
import { trainerApi } from "./routes/api_trainer.ts";
import { calendarPages } from "./routes/pages_calendar.tsx";
import { appointmentPages } from "./routes/pages_appointments.tsx";
import { notificationsApi } from "./routes/api_notifications.ts";
import { notificationPages } from "./routes/pages_notifications.tsx";
import { classesApi } from "./routes/api_classes.ts";
import { classPages } from "./routes/pages_classes.tsx";
import { classEditPages } from "./routes/pages_class_edit.tsx";
import { feedFiles } from "./routes/feeds.ts";
import { feedsApi } from "./routes/api_feeds.ts";
import { feedPages } from "./routes/pages_feeds.tsx";
import { creditsApi } from "./routes/api_credits.ts";
import { creditPages } from "./routes/pages_credits.tsx";
import { calendarsApi } from "./routes/api_calendars.ts";
import { otherCalendarPages } from "./routes/pages_other_calendars.tsx";
import { createCalendarSync } from "./jobs/calendar_sync.ts";
import { observe, routeOf } from "./routes/observe.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { silentLogger } from "./lib/log.ts";
import { currentRequestId } from "./lib/request_context.ts";
import {
  detectLanguage,
  sayFor,
  viewerLanguage,
  viewerLocale,
} from "./routes/language.ts";

const MAX_BODY = 64 * 1024;

// SQLSTATEs caused by the content of input: bad characters, too long, out of range, CHECK.
const INVALID_TEXT = new Set([
  "22021",
  "22P05",
  "22001",
  "22003",
  "22007",
  "22008",
  "23514",
]);

/**
 * Builds the whole app from its dependencies; no side effects.
 *
 * ```ts
 * Deno.serve(createApp({ sql, config, now: () => Temporal.Now.instant(), passwordCost: 15 }).fetch);
 * ```
 */
export function createApp(given: AppDeps) {
  const deps: AppDeps = given.calendars ? given : {
    ...given,
    calendars: createCalendarSync({
      sql: given.sql,
      now: given.now,
      allowPrivate: given.config.calendarsAllowPrivate,
      appUrl: given.config.appUrl,
      syncMinutes: given.config.calendarSyncMinutes,
    }),
  };
  const app = new Hono<AppEnv>();
  app.use(observe(deps.log ?? silentLogger));
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(compression());
  app.use(secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      // Alpine's CSP build: attribute expressions are parsed, never eval'd; no inline script.
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
    referrerPolicy: "same-origin",
  }));
  app.use(bodyLimit({
    maxSize: MAX_BODY,
    onError: () => {
      throw new ApiError(
        413,
        "payload_too_large",
        "The request body is larger than 64 KiB.",
      );
    },
  }));

  app.get("/healthz", async (c) => {
    const ok = await pingDatabase(deps.sql);
    if (!ok) c.header("Retry-After", "2");
    // `?detail` adds what an operator should know but a load balancer must not act on
    // (a failed backup does not make this process unfit to serve).
    if (c.req.query("detail") !== undefined) {
      return c.json({
        ok,
        database: ok ? "ok" : "unavailable",
        backup: deps.backupStatus?.() ?? { status: "off" },
      }, ok ? 200 : 503);
    }
    return ok ? c.json({ ok: true }) : c.json({ ok: false }, 503);
  });
  if (deps.config.metricsToken) {
    // Before the session middleware: its bearer token is the metrics token, not a session.
    app.route("/", metricsRoutes(deps, { requireToken: true }));
  }
  app.route("/", staticFiles);
  // Public by token, so before the cookie, CSRF and session middleware.
  app.route("/", feedFiles);

  app.use(noStore());
  app.use(loadSession());
  app.use(detectLanguage());
  app.use(csrfProtection());
  app.use(flashMessages());
  app.use(renderCache());

  app.route("/api", accountsApi);
  app.route("/api", appointmentsApi);
  app.route("/api", seriesApi);
  app.route("/api", trainerApi);
  app.route("/api", classesApi);
  app.route("/api", calendarsApi);
  app.route("/api", statsApi);
  app.route("/", accountPages);
  app.route("/", devicePages);
  app.route("/", emailPages);
  app.route("/", accountDataPages);
  app.route("/", exportPages);
  app.route("/", passwordResetPages);
  app.route("/api", passwordResetApi);
  app.route("/", contactPages);
  app.route("/", settingsPages);
  app.route("/", otherCalendarPages);
  app.route("/", schedulePages);
  app.route("/", sessionPages);
  app.route("/", walkInPages);
  app.route("/", seriesPages);
  app.route("/", clientPages);
  app.route("/", statsPages);
  app.route("/", todayPages);
  app.route("/", historyPages);
  app.route("/", calendarPages);
  app.route("/", classPages);
  app.route("/", classEditPages);
  app.route("/", appointmentPages);
  // notifications routes
  app.route("/api", notificationsApi);
  app.route("/", notificationPages);
  app.route("/api", feedsApi);
  app.route("/", feedPages);
  app.route("/api", creditsApi);
  app.route("/", creditPages);

  app.notFound((c) => {
    if (c.req.path.startsWith("/api/")) {
      return c.json(
        new ApiError(404, "not_found", "No such endpoint.").toJSON(),
        404,
      );
    }
    const say = sayFor(c);
    return page(
      c,
      say("site.error.not_found"),
      <ErrorPage status={404} message={say("site.error.no_page")} />,
      404,
    );
  });

  app.onError((error, c) => {
    const api = c.req.path.startsWith("/api/");
    let known: ApiError | undefined;
    if (error instanceof ApiError) known = error;
    else if (error instanceof HTTPException && error.status === 400) {
      known = new ApiError(
        400,
        "malformed_request",
        error.message || "The request is malformed.",
      );
    } else if (INVALID_TEXT.has(sqlState(error) ?? "")) {
      // A safety net under the validators: text PostgreSQL refuses (a NUL byte, a value a
      // CHECK constraint rejects) is the caller's input, so it is a 422, never a 500.
      known = new ApiError(
        422,
        "invalid_input",
        "Some text in the request cannot be stored.",
      );
    } else if (isUnavailable(error)) {
      known = unavailable(!["GET", "HEAD"].includes(c.req.method), api);
    } else if (error instanceof HTTPException && error.status === 413) {
      known = new ApiError(
        413,
        "payload_too_large",
        "The request body is larger than 64 KiB.",
      );
    }
    if (!known) {
      if (deps.log) {
        deps.log.error("unhandled error", {
          method: c.req.method,
          route: routeOf(c),
          request_id: currentRequestId() ?? null,
          error,
        });
      } else console.error(`${c.req.method} ${c.req.path}`, error);
      if (api) {
        return c.json({
          error: {
            code: "internal",
            message: "Something went wrong on our side.",
          },
        }, 500);
      }
      return page(
        c,
        sayFor(c)("site.error.title"),
        <ErrorPage status={500} message={sayFor(c)("site.error.try_again")} />,
        500,
      );
    }
    for (const [name, value] of Object.entries(known.headers ?? {})) {
      c.header(name, value);
    }
    // The code, fields and status are the contract's; the message is the caller's language.
    known = known.saying(
      localizedMessage(
        known,
        api ? viewerLanguage(c) : viewerLocale(c),
        c.get("user")?.role ?? "client",
      ),
    );
    if (api) return c.json(known.toJSON(), known.status);
    if (known.status === 401) {
      const next = c.req.method === "GET"
        ? `?next=${encodeURIComponent(c.req.path)}`
        : "";
      return c.redirect(`/signin${next}`, 303);
    }
    return page(
      c,
      sayFor(c)("site.error.title"),
      <ErrorPage status={known.status} message={known.message} />,
      known.status,
    );
  });

  return app;
}
