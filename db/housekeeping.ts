import type { Queryable } from "./client.ts";
import { IDEMPOTENCY_HOURS } from "./idempotency.ts";

export type Swept = Readonly<{
  idempotencyKeys: number;
  sessions: number;
  telegramLinkTokens: number;
  /** Handled update ids a day old, and chat buttons that can no longer act. */
  telegramChat: number;
}>;

/**
 * Deletes what can no longer be used at `now`: idempotency keys past their window,
 * expired sessions, spent or expired Telegram link tokens, and the chat's handled update ids
 * and spent buttons. (Old sign-in failures go as new ones are recorded.)
 */
export async function sweepExpired(
  sql: Queryable,
  now: Temporal.Instant,
): Promise<Swept> {
  const at = now.toString();
  const [row] = await sql<
    { keys: number; sessions: number; tokens: number; chat: number }[]
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
    ), updates AS (
      DELETE FROM telegram_updates
      WHERE received_at <= ${at}::timestamptz - interval '1 day' RETURNING 1
    ), pickers AS (
      -- a /book list a day old shows days that have passed; a session's buttons stay
      -- until the session has gone (then they would only say so)
      DELETE FROM telegram_messages m
      WHERE (m.appointment_id IS NULL AND m.created_at <= ${at}::timestamptz - interval '1 day')
        OR EXISTS (SELECT 1 FROM appointments a WHERE a.id = m.appointment_id
          AND a.ends_at <= ${at}::timestamptz - interval '1 day')
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM keys)::int AS keys,
      (SELECT count(*) FROM sessions)::int AS sessions,
      (SELECT count(*) FROM tokens)::int AS tokens,
      (SELECT count(*) FROM updates)::int + (SELECT count(*) FROM pickers)::int AS chat`;
  return {
    idempotencyKeys: row.keys,
    sessions: row.sessions,
    telegramLinkTokens: row.tokens,
    telegramChat: row.chat,
  };
}
