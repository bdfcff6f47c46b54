/**
 * "Forgot password?": a one-time link valid 30 minutes, by e-mail (when e-mail is on) and
 * by Telegram (when the account has a linked chat). The request answers the same whether
 * or not the address has an account; it is throttled per address (the caller's) and per
 * account (silently, so the answer still says nothing). Using the link ends every session.
 */
import type { AppDeps } from "./context.ts";
import { spendBudget, THROTTLES } from "../db/throttle.ts";
import {
  type AccountMessage,
  findPasswordReset,
  getContact,
  queueAccountMessages,
  usePasswordReset,
} from "../db/account_messages.ts";
import { hashPassword, sha256 } from "../lib/security.ts";

export const RESET_MINUTES = 30;

/** A reset token as the link carries it (`newToken()`: 43 URL-safe characters). */
export const RESET_TOKEN = /^[\w-]{43}$/;

const budgets = (deps: AppDeps) => ({ ...THROTTLES, ...deps.throttles });

export type ResetRequest =
  | { ok: true }
  | { ok: false; reason: "too_many_attempts"; retryAfter: number };

export async function requestPasswordReset(
  deps: AppDeps,
  input: Readonly<{ email: string; address: string }>,
): Promise<ResetRequest> {
  const now = deps.now();
  const fromAddress = await spendBudget(deps.sql, {
    key: `reset_address:${input.address}`,
    budget: budgets(deps).resetPerAddress,
    now,
  });
  if (!fromAddress.ok) {
    return {
      ok: false,
      reason: "too_many_attempts",
      retryAfter: fromAddress.retryAfter,
    };
  }
  const contact = await getContact(deps.sql, input.email.trim());
  if (!contact) return { ok: true };
  const forAccount = await spendBudget(deps.sql, {
    key: `reset_account:${contact.userId}`,
    budget: budgets(deps).linksPerAccount,
    now,
  });
  if (!forAccount.ok) return { ok: true };
  const expiresAt = now.add({ minutes: RESET_MINUTES });
  const messages: AccountMessage[] = [];
  if (deps.config.smtpUrl) {
    messages.push({
      userId: contact.userId,
      kind: "password_reset",
      to: { channel: "email", email: contact.email },
      expiresAt,
    });
  }
  if (deps.config.telegramBotToken && contact.chatId) {
    messages.push({
      userId: contact.userId,
      kind: "password_reset",
      to: { channel: "telegram", chatId: contact.chatId },
      expiresAt,
    });
  }
  await queueAccountMessages(deps.sql, messages, now);
  if (messages.length) deps.onOutbox?.();
  return { ok: true };
}

/** The e-mail of the account a live link is for (to check a new password against it). */
export async function resetLinkEmail(deps: AppDeps, token: string) {
  if (!RESET_TOKEN.test(token)) return undefined;
  return (await findPasswordReset(deps.sql, sha256(token), deps.now()))?.email;
}

/** Sets the new password with a link, once; false for a link unknown, used or expired. */
export async function resetPassword(
  deps: AppDeps,
  token: string,
  password: string,
): Promise<boolean> {
  if (!RESET_TOKEN.test(token)) return false;
  if (!(await findPasswordReset(deps.sql, sha256(token), deps.now()))) {
    return false; // no hash spent on a link that cannot work
  }
  const hash = await hashPassword(password, deps.passwordCost);
  return (await usePasswordReset(deps.sql, sha256(token), hash, deps.now())) !==
    undefined;
}
