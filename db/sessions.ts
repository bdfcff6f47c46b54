import type { DeviceSession } from "../domain/types.ts";
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

export type { DeviceSession };

/** The account's live sessions, the most recently used first. */
export async function listSessions(
  sql: Queryable,
  userId: string,
  current: Uint8Array | undefined,
  now: Temporal.Instant,
): Promise<DeviceSession[]> {
  const rows = await sql<
    {
      id: string;
      via: "browser" | "api" | null;
      user_agent: string | null;
      created_at: Date;
      last_used_at: Date;
      current: boolean;
    }[]
  >`
    SELECT s.id, s.via, s.user_agent, s.created_at,
      COALESCE(u.last_used_at, s.created_at) AS last_used_at,
      s.token_hash = ${current ?? new Uint8Array()} AS current
    FROM sessions s LEFT JOIN session_uses u ON u.token_hash = s.token_hash
    WHERE s.user_id = ${userId} AND s.expires_at > ${now.toString()}
    ORDER BY current DESC, last_used_at DESC, s.created_at DESC`;
  return rows.map((r) => ({
    id: r.id,
    via: r.via ?? undefined,
    userAgent: r.user_agent ?? undefined,
    createdAt: Temporal.Instant.fromEpochMilliseconds(r.created_at.getTime()),
    lastUsedAt: Temporal.Instant.fromEpochMilliseconds(
      r.last_used_at.getTime(),
    ),
    current: r.current,
  }));
}

/**
 * Ends one session of the account by its id: "current" when it was the one with the
 * token hash `current`, "none" when the account has no such session.
 */
export async function deleteSessionById(
  sql: Queryable,
  userId: string,
  id: string,
  current: Uint8Array | undefined,
): Promise<"current" | "other" | "none"> {
  const [row] = await sql<{ current: boolean }[]>`
    DELETE FROM sessions WHERE user_id = ${userId} AND id = ${id}
    RETURNING token_hash = ${current ?? new Uint8Array()} AS current`;
  return !row ? "none" : row.current ? "current" : "other";
}

/** Notes that a session was used at `now` (a session signed out meanwhile is left be). */
export async function touchSession(
  sql: Queryable,
  tokenHash: Uint8Array,
  now: Temporal.Instant,
) {
  await sql`
    INSERT INTO session_uses (token_hash, last_used_at)
    SELECT token_hash, ${now.toString()} FROM sessions WHERE token_hash = ${tokenHash}
    ON CONFLICT (token_hash) DO UPDATE SET last_used_at = EXCLUDED.last_used_at`
    .catch((error) => {
      // Signed out between the SELECT and the INSERT: nothing to note.
      if ((error as { code?: string }).code !== "23503") throw error;
    });
}
