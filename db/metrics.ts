import type { Queryable } from "./client.ts";

export type OutboxBacklog = Readonly<{ due: number; oldestDueSeconds: number }>;

/**
 * The outbox's backlog at `now`: rows a delivery pass would claim (pending and due, or a
 * claim that lapsed) and how long the oldest of them has waited.
 */
export async function readOutboxBacklog(
  sql: Queryable,
  now: Temporal.Instant,
): Promise<OutboxBacklog> {
  const at = new Date(now.epochMilliseconds);
  const [row] = await sql<{ due: number; oldest: Date | null }[]>`
    SELECT count(*)::int AS due, min(next_attempt_at) AS oldest FROM notifications
    WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${at}
      AND (status = 'pending' OR claimed_until <= ${at})`;
  return {
    due: row.due,
    oldestDueSeconds: row.oldest
      ? Math.max(0, (now.epochMilliseconds - row.oldest.getTime()) / 1000)
      : 0,
  };
}
