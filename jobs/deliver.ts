import { GrammyError, HttpError } from "grammy";
import type { Api } from "grammy";
import type { Sql } from "../db/client.ts";
import {
  claimDueNotifications,
  type ClaimedNotification,
  finishNotification,
  finishUntried,
  type Outcome,
} from "../db/delivery.ts";
import { unlinkTelegramChat } from "../db/telegram.ts";
import { chooseChannel } from "../domain/notifications.ts";
import { renderMessage } from "../lib/messages.ts";
import { noticeKeyboard } from "./buttons.ts";
import { type Mailer, smtpResponseCode } from "./mailer.ts";
import { metrics } from "../lib/metrics.ts";
import { honourRetryAfter, type SendPace, waitForTurn } from "./pacing.ts";

/** Attempts per notification before it is marked `failed`. */
export const MAX_ATTEMPTS = 8;
/** How long a claim holds; far longer than one send may take (sends time out at ~20 s). */
export const LEASE_SECONDS = 300;
/** Rows claimed per statement: at 4 sends at once and ~20 s per failing send, far inside the lease. */
export const CLAIM_CHUNK = 16;

type Untried = Parameters<typeof finishUntried>[1][number];

/**
 * Wait before attempt `attempt + 1`: 1, 2, 4, 8, 16, 32, 60, 60 … minutes.
 *
 * @example backoffSeconds(1) // 60
 */
export function backoffSeconds(attempt: number): number {
  return Math.min(60 * 2 ** Math.max(0, attempt - 1), 3600);
}

export type DeliveryDeps = Readonly<{
  sql: Sql;
  now: Temporal.Instant;
  appUrl: string;
  /** grammY's API client; unset: Telegram is off. */
  telegram?: Api;
  /** unset: e-mail is off. */
  mailer?: Mailer;
  /** Most rows handled in this pass. */
  limit?: number;
  /** Rows in flight at once within this process. */
  concurrency?: number;
  maxAttempts?: number;
  leaseSeconds?: number;
  /** Aborted when the process stops: no more sends; claimed rows not yet tried go back. */
  signal?: AbortSignal;
  /**
   * The send budget shared with every other process (`jobs/pacing.ts`); unset: sends go
   * out as fast as the workers go (tests on a fixed clock).
   */
  pace?: SendPace;
}>;

export type DeliveryReport = {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  released: number;
  /** The earliest time a row handed back in this pass asked to be tried again. */
  wakeAt?: Temporal.Instant;
};

type Failure = Readonly<{
  error: string;
  permanent: boolean;
  retryAfterSeconds?: number;
  /** The chat is gone (bot blocked, chat deleted): forget it and fall back to e-mail. */
  chatGone?: boolean;
}>;

/** Reads a send error: what to tell the log and whether trying again can help. */
export function classifyError(error: unknown): Failure {
  if (error instanceof GrammyError) {
    const text = `Telegram ${error.error_code}: ${error.description}`;
    if (error.error_code === 429) {
      return {
        error: text,
        permanent: false,
        retryAfterSeconds: error.parameters.retry_after,
      };
    }
    if (
      error.error_code === 403 ||
      (error.error_code === 400 && /chat not found/i.test(error.description))
    ) return { error: text, permanent: false, chatGone: true };
    return { error: text, permanent: error.error_code < 500 };
  }
  if (error instanceof HttpError) {
    const cause = error.error instanceof Error
      ? error.error.message
      : String(error.error);
    return { error: `Telegram unreachable: ${cause}`, permanent: false };
  }
  const code = smtpResponseCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined) {
    return {
      error: `SMTP ${code}: ${message}`,
      permanent: code >= 500 && code < 600,
    };
  }
  return { error: `Sending failed: ${message}`, permanent: false };
}

/**
 * Delivers due notifications until none is left or `limit` were handled. Safe to run in
 * any number of processes at once: each row is claimed by exactly one of them.
 *
 * ```ts
 * await deliverDue({ sql, now: Temporal.Now.instant(), appUrl, telegram: new Api(token), mailer });
 * ```
 */
export async function deliverDue(deps: DeliveryDeps): Promise<DeliveryReport> {
  const report: DeliveryReport = {
    sent: 0,
    retried: 0,
    failed: 0,
    skipped: 0,
    released: 0,
  };
  const limit = deps.limit ?? 200;
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const lease = deps.leaseSeconds ?? LEASE_SECONDS;
  let telegramPausedUntil: Temporal.Instant | undefined;

  const count = (outcome: Outcome) => {
    metrics.outboxDeliveries.inc({
      channel: "channel" in outcome ? outcome.channel : "none",
      outcome: outcome.status,
    });
    if (outcome.status === "sent") report.sent++;
    else if (outcome.status === "retry") report.retried++;
    else if (outcome.status === "failed") report.failed++;
    else if (outcome.status === "skipped") report.skipped++;
    else report.released++;
    const at = outcome.status === "released" || outcome.status === "retry"
      ? outcome.nextAttemptAt
      : undefined;
    if (
      at && (!report.wakeAt || Temporal.Instant.compare(at, report.wakeAt) < 0)
    ) report.wakeAt = at;
  };

  const attempt = async (claim: ClaimedNotification): Promise<Outcome> => {
    const decision = chooseChannel(claim, {
      now: deps.now,
      telegramOn: deps.telegram !== undefined,
      mailOn: deps.mailer !== undefined,
      telegramPausedUntil,
    });
    if ("skip" in decision) return { status: "skipped", reason: decision.skip };
    if ("release" in decision) {
      return { status: "released", nextAttemptAt: decision.release };
    }
    const channel = decision.send;
    const message = renderMessage(
      { ...claim, language: claim.recipientLanguage },
      deps.appUrl,
    );
    if (deps.pace) {
      const turn = await waitForTurn(
        deps.sql,
        deps.pace,
        channel,
        claim.chatId,
      );
      if (!turn.go) return { status: "released", nextAttemptAt: turn.retryAt };
    }
    try {
      if (channel === "telegram") {
        const keyboard = await noticeKeyboard(
          deps.sql,
          claim,
          message.text,
          deps.now,
        );
        await deps.telegram!.sendMessage(Number(claim.chatId), message.text, {
          link_preview_options: { is_disabled: true },
          ...(keyboard ? { reply_markup: keyboard } : {}),
        });
      } else {
        await deps.mailer!.send({
          to: claim.recipientEmail,
          subject: message.subject,
          text: message.text,
          messageId: `<${claim.id}@${new URL(deps.appUrl).hostname}>`,
        });
      }
      return { status: "sent", channel, at: deps.now };
    } catch (error) {
      const failure = classifyError(error);
      if (error instanceof GrammyError && error.error_code === 429) {
        metrics.telegramRateLimited.inc();
      }
      if (failure.chatGone && claim.chatId) {
        await unlinkTelegramChat(deps.sql, claim.chatId);
      }
      if (failure.retryAfterSeconds !== undefined && deps.pace) {
        // Every process holds its Telegram sends: the shared budget starts again later.
        await honourRetryAfter(
          deps.sql,
          failure.retryAfterSeconds,
          claim.chatId,
        );
      } else if (failure.retryAfterSeconds !== undefined) {
        const until = deps.now.add({ seconds: failure.retryAfterSeconds });
        if (
          !telegramPausedUntil ||
          Temporal.Instant.compare(until, telegramPausedUntil) > 0
        ) telegramPausedUntil = until;
      }
      const maxAttempts = deps.maxAttempts ?? MAX_ATTEMPTS;
      if (failure.permanent || claim.attempts >= maxAttempts) {
        return { status: "failed", channel, error: failure.error };
      }
      // Telegram's retry_after says when trying again helps: no backoff on top.
      const wait = failure.chatGone
        ? 0
        : failure.retryAfterSeconds ?? backoffSeconds(claim.attempts);
      return {
        status: "retry",
        channel,
        error: failure.error,
        nextAttemptAt: deps.now.add({ seconds: wait }),
      };
    }
  };

  // After a send succeeded, losing this write is what could duplicate a message, so a
  // passing database hiccup is retried here rather than left to the lease.
  const record = async (claim: ClaimedNotification, outcome: Outcome) => {
    for (let i = 0;; i++) {
      try {
        const wrote = await finishNotification(deps.sql, claim, outcome);
        if (!wrote) {
          console.warn(
            `notification ${claim.id}: claim ${claim.attempts} lapsed before its outcome was written`,
          );
        }
        return;
      } catch (error) {
        if (i >= 4) throw error;
        await new Promise((r) => setTimeout(r, 250 * 2 ** i));
      }
    }
  };

  const recordUntried = async (untried: readonly Untried[]) => {
    for (let i = 0;; i++) {
      try {
        const wrote = await finishUntried(deps.sql, untried);
        if (wrote < untried.length) {
          console.warn(
            `notifications: ${
              untried.length - wrote
            } claims lapsed before their outcome was written`,
          );
        }
        return;
      } catch (error) {
        if (i >= 4) throw error;
        await new Promise((r) => setTimeout(r, 250 * 2 ** i));
      }
    }
  };

  // Rows are claimed a chunk at a time (one statement, not one per row). A sent message's
  // outcome is written at once, before the next send; untried ones (skipped, released)
  // are written together when their chunk is done.
  let budget = limit;
  while (budget > 0 && !deps.signal?.aborted) {
    const size = Math.min(budget, CLAIM_CHUNK);
    const chunk = await claimDueNotifications(deps.sql, deps.now, lease, size);
    if (chunk.length === 0) break;
    budget -= chunk.length;
    const untried: Untried[] = [];
    let next = 0;
    const worker = async () => {
      while (next < chunk.length) {
        const claim = chunk[next++];
        const outcome: Outcome = deps.signal?.aborted
          ? { status: "released", nextAttemptAt: deps.now }
          : await attempt(claim);
        count(outcome);
        if (outcome.status === "skipped" || outcome.status === "released") {
          untried.push({ claim, outcome });
          continue;
        }
        if (outcome.status !== "sent") {
          console.warn(
            `notification ${claim.id} attempt ${claim.attempts}: ${outcome.error}`,
          );
        }
        await record(claim, outcome);
      }
    };
    // Let every worker finish before reporting a failure: no claim is left mid-write.
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(concurrency, chunk.length) }, worker),
    );
    await recordUntried(untried);
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
  return report;
}
