/**
 * Pacing of sends across every app process: before each message a slot is taken from
 * the shared budget (`db/send_budget.ts`) and the send waits for it. Telegram allows a
 * bot about 30 messages a second and one a second per chat, and answers 429 with
 * `retry_after` beyond that; an SMTP relay has its own rate (`SMTP_RATE`).
 */
import type { Sql } from "../db/client.ts";
import {
  pauseSends,
  reserveSendSlot,
  type SendChannel,
  sendsPausedUntil,
} from "../db/send_budget.ts";

export type SendPace = Readonly<{
  /** Telegram messages per second, for the bot as a whole (all processes). */
  telegramPerSecond: number;
  /** Least time between two messages to one chat. */
  chatIntervalMs: number;
  /** E-mails per second (all processes). */
  emailPerSecond: number;
  /**
   * A slot further ahead than this is not waited for: the message goes back to the
   * queue until then (so a long pause holds no claim and no worker).
   */
  maxWaitMs?: number;
}>;

export const DEFAULT_MAX_WAIT_MS = 2_000;

export type PaceDecision =
  | Readonly<{ go: true }>
  | Readonly<{ go: false; retryAt: Temporal.Instant }>;

/**
 * A slot reached later than planned by more than one interval (or 50 ms, if less) is
 * given up and another taken: sends of a process that fell behind (a busy event loop)
 * would otherwise go out bunched, above the rate for that moment, or closer than a
 * second to the chat's next message.
 */
const MAX_LATE_MS = 50;
const MAX_LATE_RETRIES = 5;

/**
 * Waits for this process's turn to send one message on `channel` (to `chatId`), or says
 * when to try it again.
 *
 * ```ts
 * const turn = await waitForTurn(sql, pace, "telegram", claim.chatId);
 * if (!turn.go) return { status: "released", nextAttemptAt: turn.retryAt };
 * ```
 */
export async function waitForTurn(
  sql: Sql,
  pace: SendPace,
  channel: SendChannel,
  chatId?: string | null,
): Promise<PaceDecision> {
  const perSecond = channel === "telegram"
    ? pace.telegramPerSecond
    : pace.emailPerSecond;
  const intervalMs = 1000 / perSecond;
  for (let i = 0;; i++) {
    const slot = await reserveSendSlot(sql, {
      channel,
      intervalMs,
      chatId: channel === "telegram" ? chatId : null,
      chatIntervalMs: pace.chatIntervalMs,
      maxWaitMs: pace.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
    });
    if (!slot.ok) return { go: false, retryAt: slot.retryAt };
    const planned = performance.now() + slot.waitMs;
    if (slot.waitMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
    }
    // Telegram may have answered 429 to another send while this one waited.
    const paused = channel === "telegram"
      ? await sendsPausedUntil(sql, channel)
      : undefined;
    if (paused) {
      if (i >= MAX_LATE_RETRIES) return { go: false, retryAt: paused };
      continue;
    }
    const late = performance.now() - planned;
    if (late <= Math.min(intervalMs, MAX_LATE_MS) || i >= MAX_LATE_RETRIES) {
      return { go: true };
    }
  }
}

/** Telegram said 429 `retry_after`: every process holds its Telegram sends that long. */
export function honourRetryAfter(
  sql: Sql,
  seconds: number,
  chatId?: string | null,
): Promise<void> {
  return pauseSends(sql, { channel: "telegram", seconds, chatId });
}
