import type { Queryable } from "./client.ts";

/** How long a key answers repeats of its request. */
export const IDEMPOTENCY_HOURS = 24;

export type StoredAnswer = Readonly<{ status: number; body: unknown }>;

/**
 * Within the caller's transaction: takes a lock on (user, key), then either finds the
 * first answer (same request → replay, other request → `reused`) or runs `work` and
 * stores its answer. Keys live `IDEMPOTENCY_HOURS`.
 */
export async function idempotent(
  tx: Queryable,
  input: Readonly<
    { userId: string; key: string; requestHash: string; now: Temporal.Instant }
  >,
  work: () => Promise<StoredAnswer>,
): Promise<StoredAnswer | { reused: true }> {
  await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`idem:${input.userId}:${input.key}`}, 0))`;
  const since = input.now.subtract({ hours: IDEMPOTENCY_HOURS }).toString();
  const [found] = await tx<
    { request_hash: string; status: number; body: unknown; fresh: boolean }[]
  >`
    SELECT request_hash, status, body, created_at > ${since} AS fresh
    FROM idempotency_keys WHERE user_id = ${input.userId} AND key = ${input.key}`;
  if (found?.fresh) {
    if (found.request_hash !== input.requestHash) return { reused: true };
    return { status: found.status, body: found.body };
  }
  const answer = await work();
  await tx`
    INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at)
    VALUES (${input.userId}, ${input.key}, ${input.requestHash}, ${answer.status},
      ${JSON.stringify(answer.body)}::text::json, ${input.now.toString()})
    ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
      status = EXCLUDED.status, body = EXCLUDED.body, created_at = EXCLUDED.created_at`;
  return answer;
}
