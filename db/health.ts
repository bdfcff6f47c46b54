import type { Sql } from "./client.ts";

/** True when the database answers a query on the migrated schema (for `/healthz`). */
export async function pingDatabase(sql: Sql): Promise<boolean> {
  try {
    await sql`SELECT 1 FROM schema_migrations LIMIT 1`;
    return true;
  } catch {
    return false;
  }
}
