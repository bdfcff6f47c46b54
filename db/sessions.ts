import type { Queryable } from "./client.ts";

const SESSION_DAYS = 30;

/** What a session says about the device that signed in, for the list of devices. */
export type SessionMeta = Readonly<{
  via: "browser" | "api";
  /** The `User-Agent` it signed in with (cut to 400 characters). */
  userAgent?: string;
}>;

/** A session from `now` (the app's clock) for 30 days. */
export async function insertSession(
  sql: Queryable,
  userId: string,
  tokenHash: Uint8Array,
  now: Temporal.Instant,
  meta?: SessionMeta,
) {
  const at = now.toString();
  await sql`
    INSERT INTO sessions (token_hash, user_id, created_at, expires_at, via, user_agent)
    VALUES (${tokenHash}, ${userId}, ${at},
      ${at}::timestamptz + make_interval(days => ${SESSION_DAYS}),
      ${meta?.via ?? null}, ${meta?.userAgent?.slice(0, 400) ?? null})`;
}

export async function deleteSession(sql: Queryable, tokenHash: Uint8Array) {
  await sql`DELETE FROM sessions WHERE token_hash = ${tokenHash}`;
}

/** Signs a user out everywhere else, e.g. after a password change. */
export async function deleteOtherSessions(
  sql: Queryable,
  userId: string,
  keep: Uint8Array,
) {
  await sql`DELETE FROM sessions WHERE user_id = ${userId} AND token_hash <> ${keep}`;
}
