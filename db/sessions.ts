import type { Queryable } from "./client.ts";

const SESSION_DAYS = 30;

export async function insertSession(
  sql: Queryable,
  userId: string,
  tokenHash: Uint8Array,
) {
  await sql`
    INSERT INTO sessions (token_hash, user_id, expires_at)
    VALUES (${tokenHash}, ${userId}, now() + make_interval(days => ${SESSION_DAYS}))`;
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

export const SIGN_IN_WINDOW_MINUTES = 15;
export const SIGN_IN_MAX_FAILURES = 10;

/**
 * Seconds until another attempt is allowed for this e-mail or address, or 0.
 * Counting happens in PostgreSQL so every app process shares the limit.
 */
export async function signInRetryAfter(
  sql: Queryable,
  email: string,
  address: string,
): Promise<number> {
  const [row] = await sql<{ wait: number | null }[]>`
    WITH recent AS (
      SELECT email, address, at FROM sign_in_failures
      WHERE at > now() - make_interval(mins => ${SIGN_IN_WINDOW_MINUTES})
        AND (email = lower(${email}) OR address = ${address})
    ), blocking AS (
      SELECT at FROM (
        SELECT at, row_number() OVER (ORDER BY at DESC) AS n FROM recent WHERE email = lower(${email})
        UNION ALL
        SELECT at, row_number() OVER (ORDER BY at DESC) AS n FROM recent WHERE address = ${address}
      ) ranked WHERE n = ${SIGN_IN_MAX_FAILURES}
    )
    SELECT ceil(extract(epoch FROM max(at) + make_interval(mins => ${SIGN_IN_WINDOW_MINUTES}) - now()))::int AS wait
    FROM blocking`;
  return Math.max(0, row?.wait ?? 0);
}

export async function recordSignInFailure(
  sql: Queryable,
  email: string,
  address: string,
) {
  await sql`INSERT INTO sign_in_failures (email, address) VALUES (lower(${email}), ${address})`;
  // Keep the table small: old failures no longer count.
  await sql`DELETE FROM sign_in_failures WHERE at < now() - interval '1 day'`;
}
