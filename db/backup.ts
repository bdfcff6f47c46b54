/**
 * Backups with PostgreSQL's own tools: `pg_dump` in its custom format (one consistent
 * snapshot of the whole database, taken without stopping writes) and `pg_restore` into an
 * empty database, in one transaction (a restore that fails leaves nothing behind).
 *
 * The tools must be at least as new as the server: `PG_CLIENT_BIN` is tried first, then
 * Debian's `/usr/lib/postgresql/<version>/bin`, newest first.
 *
 * ```ts
 * const tools = await findPgTools(url, config.pgClientBin);
 * await backupDatabase({ url, file: "spotter.dump", tools });
 * await restoreDatabase({ url: emptyUrl, file: "spotter.dump", tools });
 * ```
 */
import { connect } from "./client.ts";

export type PgTools = Readonly<{ dir: string; major: number }>;

export type BackupStatus =
  | Readonly<{ status: "off" }>
  | Readonly<{
    status: "pending" | "ok" | "failed";
    /** The last backup that succeeded (ISO instant and file). */
    lastSuccessAt?: string;
    lastFile?: string;
    /** The last failure, while it is the latest outcome. */
    failedAt?: string;
    error?: string;
  }>;

/** The backup or restore did not happen; `message` says why and what to do. */
export class BackupError extends Error {
  override name = "BackupError";
}

const DEBIAN = "/usr/lib/postgresql";

/** The server's major version (18 for 18.4). */
export async function serverMajor(url: string): Promise<number> {
  const sql = connect(url, { max: 1 });
  try {
    const [row] = await sql<{ n: number }[]>`
      SELECT current_setting('server_version_num')::int AS n`;
    return Math.floor(row.n / 10000);
  } catch (error) {
    throw new BackupError(
      `The database is unreachable: ${(error as Error).message}`,
    );
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Major version of the pg_dump in `dir`, or undefined when there is none. */
async function toolsMajor(dir: string): Promise<number | undefined> {
  try {
    const out = await new Deno.Command(`${dir}/pg_dump`, {
      args: ["--version"],
      stdout: "piped",
      stderr: "null",
      stdin: "null",
    }).output();
    const match = /\)\s+(\d+)/.exec(new TextDecoder().decode(out.stdout));
    return out.success && match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Directories that may hold pg_dump and pg_restore, in the order they are tried. */
function candidates(extra?: string): string[] {
  let debian: string[] = [];
  try {
    debian = [...Deno.readDirSync(DEBIAN)]
      .map((e) => Number(e.name)).filter((v) => v > 0).sort((a, b) => b - a)
      .map((v) => `${DEBIAN}/${v}/bin`);
  } catch { /* none installed */ }
  return [...(extra ? [extra] : []), ...debian];
}

/** The first pg_dump/pg_restore able to dump the server at `url`. */
export async function findPgTools(
  url: string,
  extraDir?: string,
): Promise<PgTools> {
  const need = await serverMajor(url);
  const seen: string[] = [];
  for (const dir of candidates(extraDir)) {
    const major = await toolsMajor(dir);
    if (major === undefined) continue;
    if (major >= need) return { dir, major };
    seen.push(`${dir} (${major})`);
  }
  throw new BackupError(
    `The database is PostgreSQL ${need}; pg_dump must be version ${need} or newer. ` +
      (seen.length ? `Found only ${seen.join(", ")}. ` : "Found none. ") +
      `Install postgresql-client-${need} or set PG_CLIENT_BIN to its bin directory.`,
  );
}

/** The URL without its password (which goes to the tools through PGPASSWORD). */
function forTools(
  url: string,
): { dbname: string; env: Record<string, string> } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  return {
    dbname: u.toString(),
    env: password ? { PGPASSWORD: password } : {},
  };
}

async function runTool(
  tools: PgTools,
  name: string,
  args: string[],
  url: string,
) {
  const { dbname, env } = forTools(url);
  const out = await new Deno.Command(`${tools.dir}/${name}`, {
    args: [...args, `--dbname=${dbname}`],
    env: { ...env, PGCONNECT_TIMEOUT: "10", LC_ALL: "C" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr).trim();
    throw new BackupError(
      `${name} failed: ${text.split("\n").slice(-5).join("\n")}`,
    );
  }
}

/**
 * Writes a custom-format dump of the database at `url` to `file`. It appears only once
 * complete (written beside it, then renamed): a file named `file` is a whole backup.
 */
export async function backupDatabase(
  input: Readonly<{ url: string; file: string; tools: PgTools }>,
): Promise<{ file: string; bytes: number }> {
  const partial = `${input.file}.partial`;
  try {
    await runTool(input.tools, "pg_dump", [
      "--format=custom",
      "--no-owner",
      "--no-privileges",
      `--file=${partial}`,
    ], input.url);
    await Deno.rename(partial, input.file);
  } catch (error) {
    await Deno.remove(partial).catch(() => {});
    throw error;
  }
  return { file: input.file, bytes: (await Deno.stat(input.file)).size };
}

/** Tables, views and sequences in the database's own schemas. */
async function relationCount(url: string): Promise<number> {
  const sql = connect(url, { max: 1 });
  try {
    const [row] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_class c
      JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname NOT IN ('pg_catalog', 'information_schema')
        AND s.nspname NOT LIKE 'pg_toast%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`;
    return row.n;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Loads `file` into the database at `url`, in one transaction. The database must be
 * empty unless `replace` is set (then what the backup holds is dropped and loaded anew).
 */
export async function restoreDatabase(
  input: Readonly<{
    url: string;
    file: string;
    tools: PgTools;
    replace?: boolean;
  }>,
): Promise<void> {
  await Deno.stat(input.file).catch(() => {
    throw new BackupError(`There is no backup file ${input.file}.`);
  });
  const relations = await relationCount(input.url);
  if (relations > 0 && !input.replace) {
    throw new BackupError(
      `The database is not empty (${relations} tables, views or sequences): ` +
        `restore into an empty one, or pass --force to replace what the backup holds.`,
    );
  }
  await runTool(input.tools, "pg_restore", [
    "--no-owner",
    "--no-privileges",
    "--exit-on-error",
    "--single-transaction",
    ...(input.replace ? ["--clean", "--if-exists"] : []),
    input.file,
  ], input.url);
}
