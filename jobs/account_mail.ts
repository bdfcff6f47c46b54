/**
 * Delivers messages about an account (db/account_messages.ts): a reset or verification
 * link is made here, its hash written just before the message goes, so the token exists
 * only in the message. Safe in any number of processes (rows are claimed SKIP LOCKED,
 * fenced by the attempt). A message is deleted once sent or given up.
 */
import type { Api } from "grammy";
import type { Sql } from "../db/client.ts";
import {
  claimAccountMessages,
  type ClaimedAccountMessage,
  dropAccountMessage,
  insertEmailVerification,
  insertPasswordReset,
  retryAccountMessage,
} from "../db/account_messages.ts";
import { accountMessageText } from "../lib/account_messages.ts";
import { newToken, sha256 } from "../lib/security.ts";
import type { Mailer } from "./mailer.ts";
import { backoffSeconds, classifyError, MAX_ATTEMPTS } from "./deliver.ts";

export const VERIFY_DAYS = 7;

export type AccountMailDeps = Readonly<{
  sql: Sql;
  now: Temporal.Instant;
  appUrl: string;
  telegram?: Api;
  mailer?: Mailer;
  limit?: number;
}>;

export type AccountMailReport = {
  sent: number;
  retried: number;
  dropped: number;
};

/** The words of the message, with its one-time link made and recorded when it has one. */
async function wordsOf(deps: AccountMailDeps, claim: ClaimedAccountMessage) {
  const words: Record<string, string | undefined> = { ...claim.payload };
  if (claim.kind === "password_reset" && claim.userId) {
    const token = newToken();
    await insertPasswordReset(deps.sql, {
      tokenHash: sha256(token),
      userId: claim.userId,
      channel: claim.to.channel,
      expiresAt: claim.expiresAt ?? deps.now.add({ minutes: 30 }),
    });
    words.link = `${deps.appUrl}/password-reset/${token}`;
  }
  if (
    claim.kind === "verify_email" && claim.userId &&
    claim.to.channel === "email"
  ) {
    const token = newToken();
    await insertEmailVerification(deps.sql, {
      tokenHash: sha256(token),
      userId: claim.userId,
      email: claim.to.email,
      expiresAt: deps.now.add({ hours: VERIFY_DAYS * 24 }),
    });
    words.link = `${deps.appUrl}/verify-email/${token}`;
  }
  if (claim.kind === "email_changed") {
    words.link = `${deps.appUrl}/password-reset`;
  }
  return accountMessageText(claim.kind, words, claim.language);
}

export async function deliverAccountMessages(
  deps: AccountMailDeps,
): Promise<AccountMailReport> {
  const report: AccountMailReport = { sent: 0, retried: 0, dropped: 0 };
  const claims = await claimAccountMessages(
    deps.sql,
    deps.now,
    300,
    deps.limit ?? 100,
  );
  for (const claim of claims) {
    const off = claim.to.channel === "email" ? !deps.mailer : !deps.telegram;
    const late = claim.expiresAt &&
      Temporal.Instant.compare(claim.expiresAt, deps.now) <= 0;
    if (off || late) {
      await dropAccountMessage(deps.sql, claim);
      report.dropped++;
      continue;
    }
    try {
      const message = await wordsOf(deps, claim);
      if (claim.to.channel === "telegram") {
        await deps.telegram!.sendMessage(
          Number(claim.to.chatId),
          message.text,
          {
            link_preview_options: { is_disabled: true },
          },
        );
      } else {
        await deps.mailer!.send({
          to: claim.to.email,
          subject: message.subject,
          text: message.text,
          messageId: `<account-${claim.id}-${claim.attempts}@${
            new URL(deps.appUrl).hostname
          }>`,
        });
      }
      await dropAccountMessage(deps.sql, claim);
      report.sent++;
    } catch (error) {
      const failure = classifyError(error);
      console.warn(`account message ${claim.id}: ${failure.error}`);
      if (failure.permanent || claim.attempts >= MAX_ATTEMPTS) {
        await dropAccountMessage(deps.sql, claim);
        report.dropped++;
      } else {
        await retryAccountMessage(
          deps.sql,
          claim,
          deps.now.add({ seconds: backoffSeconds(claim.attempts) }),
          failure.error,
        );
        report.retried++;
      }
    }
  }
  return report;
}
