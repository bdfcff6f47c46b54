import { connect, type Sql } from "../../db/client.ts";
import { startEmbeddedPostgres } from "../../db/embedded.ts";
import { migrate } from "../../db/migrate.ts";

/**
 * One PostgreSQL per test run, started lazily; each test file gets its own database
 * cloned from a migrated template (tens of ms instead of an initdb per file).
 * `TEST_DATABASE_URL` (or `DATABASE_URL`) points at an existing server instead.
 */
let server: Promise<string> | undefined;

async function startServer(): Promise<string> {
  const external = Deno.env.get("TEST_DATABASE_URL") ??
    Deno.env.get("DATABASE_URL");
  const baseUrl = external ?? await startTemporaryCluster();
  const admin = connect(baseUrl, { max: 1 });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS spotter_template`);
    await admin.unsafe(`CREATE DATABASE spotter_template`);
  } finally {
    await admin.end();
  }
  const template = connect(withDatabase(baseUrl, "spotter_template"), {
    max: 1,
  });
  await migrate(template);
  await template.end();
  return baseUrl;
}

async function startTemporaryCluster(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "spotter-test-" });
  await Deno.chmod(dir, 0o755); // the postgres OS user must traverse it
  const pg = await startEmbeddedPostgres(dir);
  stopWhenThisProcessExits(pg.url, dir);
  return pg.url;
}

/**
 * `deno test` exits without awaiting cleanup, so a tiny watchdog stops the cluster
 * (and removes its files) once this process is gone.
 */
function stopWhenThisProcessExits(url: string, dir: string) {
  const pidFile = `${dir}/pg/postmaster.pid`;
  const script = `while kill -0 ${Deno.pid} 2>/dev/null; do sleep 0.5; done; ` +
    `kill -INT $(head -1 ${pidFile}) 2>/dev/null; sleep 2; rm -rf ${dir}`;
  new Deno.Command("sh", {
    args: ["-c", script],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  })
    .spawn().unref();
  void url;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Server URL of the shared test cluster (for child processes). */
export function testServerUrl(): Promise<string> {
  server ??= startServer();
  return server;
}

/** A fresh, migrated database for one test file; returns its URL. */
export async function freshDatabaseUrl(): Promise<string> {
  const baseUrl = await testServerUrl();
  const name = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = connect(baseUrl, { max: 1 });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE spotter_template`);
  } finally {
    await admin.end();
  }
  return withDatabase(baseUrl, name);
}

export async function freshDatabase(): Promise<Sql> {
  return connect(await freshDatabaseUrl(), { max: 10 });
}

/** An empty database (no migrations) on the test server; returns its URL. */
export async function emptyDatabaseUrl(): Promise<string> {
  const baseUrl = await testServerUrl();
  const name = `e_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = connect(baseUrl, { max: 1 });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return withDatabase(baseUrl, name);
}
