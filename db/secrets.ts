import type { Queryable } from "./client.ts";

/** A key the app signs with, made once by a migration and shared by every process. */
export async function getSecret(
  sql: Queryable,
  name: "device_cookie",
): Promise<Uint8Array> {
  const [row] = await sql<{ value: Uint8Array }[]>`
    SELECT value FROM app_secrets WHERE name = ${name}`;
  if (!row) throw new Error(`the secret ${name} is missing (migration 071)`);
  return new Uint8Array(row.value);
}
