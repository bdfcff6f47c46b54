import { connect, type Sql } from "../../db/client.ts";
import { startEmbeddedPostgres } from "../../db/embedded.ts";
import { migrate } from "../../db/migrate.ts";
import { findLedgerMismatches } from "../../db/credits.ts";

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
  const file = callerTestFile();
  const baseUrl = await testServerUrl();
  const name = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = connect(baseUrl, { max: 1 });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE spotter_template`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(baseUrl, name);
  handedOut.push({ url, file });
  return url;
}

/**
 * Every migrated database handed out in this run, with the test file that asked for it
 * (read from the call stack: a test file's top level or one of its tests), so that the
 * check after each test looks at that file's databases only.
 */
const handedOut: { url: string; file: string | undefined }[] = [];

function callerTestFile(): string | undefined {
  return /(file:\/\/[^\s)]+?_test\.tsx?)/.exec(new Error().stack ?? "")?.[1];
}

/** The checker's connections, one per database of the test file running now. */
let checking: { file: string; pools: Map<string, Sql> } | undefined;

/**
 * Asserts, after a test of `file` (its `Deno.TestContext.origin`), that the credit ledger
 * adds up in every database that file was handed: for every grant SUM(delta) of its
 * ledger = remaining, and every session and seat holds the credit the ledger says
 * (`findLedgerMismatches`). `dbTest` calls it after each test, the way the exclusion
 * constraint guards double booking after every write.
 */
export async function assertLedgersBalance(file: string): Promise<void> {
  if (checking?.file !== file) {
    const done = checking;
    checking = { file, pools: new Map() };
    await Promise.all([...done?.pools.values() ?? []].map((p) => p.end()));
  }
  const mine = handedOut.filter((d) => d.file === file || d.file === undefined);
  const problems: string[] = [];
  for (const { url } of mine) {
    let pool = checking.pools.get(url);
    if (!pool) checking.pools.set(url, pool = connect(url, { max: 1 }));
    problems.push(...await findLedgerMismatches(pool));
  }
  if (problems.length) {
    throw new Error(
      `the credit ledger does not add up:\n  ${problems.join("\n  ")}`,
    );
  }
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
