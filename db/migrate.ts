import type { Sql } from "./client.ts";

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);
// Any constant works; every process that migrates this database takes the same lock.
const MIGRATION_LOCK = 7_314_552_001;

/** Numbered SQL files (`001_init.sql`, …) in order. */
export async function listMigrations(): Promise<
  { version: number; name: string; sql: string }[]
> {
  const found = [];
  for await (const entry of Deno.readDir(MIGRATIONS_DIR)) {
    const match = /^(\d+)_.+\.sql$/.exec(entry.name);
    if (!entry.isFile || !match) continue;
    found.push({
      version: Number(match[1]),
      name: entry.name,
      sql: await Deno.readTextFile(new URL(entry.name, MIGRATIONS_DIR)),
    });
  }
  return found.sort((a, b) => a.version - b.version);
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so
 * processes starting together never collide. Returns the names applied.
 */
export async function migrate(sql: Sql): Promise<string[]> {
  const migrations = await listMigrations();
  return await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`;
    const done = new Set(
      (await tx<{ version: number }[]>`SELECT version FROM schema_migrations`)
        .map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.unsafe(m.sql);
      await tx`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`;
      applied.push(m.name);
    }
    return applied;
  });
}
