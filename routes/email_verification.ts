/**
 * Confirmed addresses: a new account, or a changed address, gets a one-time link by
 * e-mail (valid 7 days). Until it is used, no e-mail notice goes to that address
 * (Telegram still does). Changing the address tells the old one.
 */
import type { AppDeps } from "./context.ts";
import { spendBudget, THROTTLES } from "../db/throttle.ts";
import {
  type AccountMessage,
  queueAccountMessages,
  useEmailVerification,
} from "../db/account_messages.ts";
import { sha256 } from "../lib/security.ts";
import { RESET_TOKEN } from "./password_reset.ts";

/**
 * Sends a link to confirm `email` (when e-mail is on), at most three an hour per account;
 * false when none was sent.
 */
export async function sendVerification(
  deps: AppDeps,
  userId: string,
  email: string,
): Promise<boolean> {
  if (!deps.config.smtpUrl) return false;
  const now = deps.now();
  const budget = await spendBudget(deps.sql, {
    key: `verify_account:${userId}`,
    budget: { ...THROTTLES, ...deps.throttles }.linksPerAccount,
    now,
  });
  if (!budget.ok) return false;
  await queueAccountMessages(deps.sql, [{
    userId,
    kind: "verify_email",
    to: { channel: "email", email },
  }], now);
  deps.onOutbox?.();
  return true;
}

/** After a changed address: the old one is told, the new one gets a link. */
export async function emailChanged(
  deps: AppDeps,
  userId: string,
  from: string,
  to: string,
) {
  if (!deps.config.smtpUrl) return;
  const told: AccountMessage = {
    userId,
    kind: "email_changed",
    to: { channel: "email", email: from },
    payload: { newEmail: to },
  };
  await queueAccountMessages(deps.sql, [told], deps.now());
  await sendVerification(deps, userId, to);
  deps.onOutbox?.();
}

/** Uses a link: "verified", "changed" (the address is another one now) or "invalid". */
export async function confirmEmail(deps: AppDeps, token: string) {
  if (!RESET_TOKEN.test(token)) return "invalid" as const;
  const used = await useEmailVerification(deps.sql, sha256(token), deps.now());
  return used === undefined
    ? "invalid" as const
    : used
    ? "verified" as const
    : "changed" as const;
}
