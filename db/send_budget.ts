/**
 * The send budget every app process shares (migration 080): a slot per message, taken
 * under the channel row's lock on the database's clock, so the processes' sends together
 * keep to one rate per channel and one message at a time per Telegram chat. Waiting for
 * the slot and sending live in `jobs/pacing.ts`.
 */
import type { Queryable } from "./client.ts";

export type SendChannel = "telegram" | "email";

export type SendSlot =
  /** Taken: send in `waitMs` milliseconds (0 when the slot is now). */
  | Readonly<{ ok: true; waitMs: number }>
  /** Not taken (nothing changed): try this message again at `retryAt`. */
  | Readonly<{ ok: false; retryAt: Temporal.Instant }>;

/**
 * Takes the next slot of `channel` for one message (to `chatId`, when given). The
 * channel sends at most one message every `intervalMs`, a chat one every
 * `chatIntervalMs`; a slot more than `maxWaitMs` ahead is not taken.
 *
 * ```ts
 * const slot = await reserveSendSlot(sql, { channel: "telegram", intervalMs: 1000 / 28,
 *   chatId: "5551001", chatIntervalMs: 1000, maxWaitMs: 2000 });
 * ```
 */
export async function reserveSendSlot(
  sql: Queryable,
  input: Readonly<{
    channel: SendChannel;
    intervalMs: number;
    chatId?: string | null;
    chatIntervalMs?: number;
    maxWaitMs: number;
  }>,
): Promise<SendSlot> {
  const [row] = await sql<
    { ok: boolean; wait_ms: number | null; retry_at: Date | null }[]
  >`
    SELECT ok, wait_ms, retry_at FROM reserve_send(${input.channel},
      ${input.intervalMs}, ${input.chatId ?? null}::bigint,
      ${input.chatIntervalMs ?? 0}, ${input.maxWaitMs})`;
  return row.ok ? { ok: true, waitMs: Math.max(0, row.wait_ms ?? 0) } : {
    ok: false,
    retryAt: Temporal.Instant.fromEpochMilliseconds(row.retry_at!.getTime()),
  };
}

/**
 * Telegram answered 429 `retry_after`: no process sends on `channel` (nor to `chatId`)
 * for `seconds`. Slots already handed out are not taken back; the next one is later.
 */
export async function pauseSends(
  sql: Queryable,
  input: Readonly<{
    channel: SendChannel;
    seconds: number;
    chatId?: string | null;
  }>,
): Promise<void> {
  const pause = input.seconds * 1000;
  await sql`
    UPDATE send_budgets
    SET paused_until = greatest(paused_until,
      clock_timestamp() + make_interval(secs => ${pause}::float8 / 1000))
    WHERE channel = ${input.channel}`;
  if (input.chatId) {
    await sql`
      INSERT INTO send_chat_pace (chat_id, next_at)
      VALUES (${input.chatId}::bigint, clock_timestamp() + make_interval(secs => ${pause}::float8 / 1000))
      ON CONFLICT (chat_id) DO UPDATE
        SET next_at = greatest(send_chat_pace.next_at, excluded.next_at)`;
  }
}

/**
 * Until when `channel` is paused (a 429 came after this slot was taken), if it is now:
 * checked again just before sending, so a slot handed out before the pause is not used.
 */
export async function sendsPausedUntil(
  sql: Queryable,
  channel: SendChannel,
): Promise<Temporal.Instant | undefined> {
  const [row] = await sql<{ until: Date | null }[]>`
    SELECT CASE WHEN paused_until > clock_timestamp() THEN paused_until END AS until
    FROM send_budgets WHERE channel = ${channel}`;
  return row?.until
    ? Temporal.Instant.fromEpochMilliseconds(row.until.getTime())
    : undefined;
}

/** Forgets chats whose last slot passed more than an hour ago (housekeeping). */
export async function deleteStaleChatPace(
  sql: Queryable,
  now: Temporal.Instant,
): Promise<number> {
  const rows = await sql`
    DELETE FROM send_chat_pace
    WHERE next_at < ${new Date(now.epochMilliseconds - 3_600_000)}
    RETURNING chat_id`;
  return rows.length;
}
