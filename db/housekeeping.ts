import type { Queryable } from "./client.ts";
import { IDEMPOTENCY_HOURS } from "./idempotency.ts";

export type Swept = Readonly<{
  idempotencyKeys: number;
  sessions: number;
  telegramLinkTokens: number;
}>;

/**
 * Deletes what can no longer be used at `now`: idempotency keys past their window,
 * expired sessions and spent or expired Telegram link tokens. (Old sign-in failures go as new
 * ones are recorded.)
 */
export async function sweepExpired(
  sql: Queryable,
  now: Temporal.Instant,
): Promise<Swept> {
  const at = now.toString();
  const [row] = await sql<
    { keys: number; sessions: number; tokens: number }[]
  >`
    WITH keys AS (
      DELETE FROM idempotency_keys
      WHERE created_at <= ${at}::timestamptz - make_interval(hours => ${IDEMPOTENCY_HOURS})
      RETURNING 1
    ), sessions AS (
      DELETE FROM sessions WHERE expires_at <= ${at} RETURNING 1
    ), tokens AS (
      DELETE FROM telegram_link_tokens
      WHERE expires_at <= ${at} OR used_at IS NOT NULL RETURNING 1
    )
    SELECT (SELECT count(*) FROM keys)::int AS keys,
      (SELECT count(*) FROM sessions)::int AS sessions,
      (SELECT count(*) FROM tokens)::int AS tokens`;
  return {
    idempotencyKeys: row.keys,
    sessions: row.sessions,
    telegramLinkTokens: row.tokens,
  };
}
