/**
 * Refusals about an account itself (reset links, confirmation links, closing an account,
 * claiming a walk-in's account): their status, their English words (the catalogue's
 * `refusal.<reason>` says them in the other languages) and the JSON error they make.
 */
import { ApiError } from "./errors.ts";
import { CATALOGUES, type Locale, type MessageKey, t } from "../lib/i18n.ts";

/**
 * An account refusal's words in `locale`: the catalogue's `refusal.<reason>`, whose
 * English is the table's (a test keeps them the same).
 */
export function accountMessage(
  reason: AccountRefusal,
  locale: Locale = "en",
): string {
  const key = `refusal.${reason}`;
  return locale === "en" || !(key in CATALOGUES.en)
    ? ACCOUNT_REFUSALS[reason].message
    : t(locale, key as MessageKey);
}

/** Refusals about an account itself (reset links, closing an account), worded once. */
export const ACCOUNT_REFUSALS = {
  invalid_reset_link: {
    status: 404,
    message:
      "This reset link is unknown, already used or expired. Ask for a new one.",
  },
  invalid_verification_link: {
    status: 404,
    message:
      "This confirmation link is unknown, already used or expired. Send a new one from your profile.",
  },
  wrong_password: {
    status: 422,
    message: "That is not your current password.",
  },
  export_first: {
    status: 409,
    message:
      "Download your business data first: closing the business deletes all of it.",
  },
  too_many_resets: {
    status: 429,
    message: "Too many reset requests from this network. Try again later.",
  },
  invalid_invitation: {
    status: 404,
    message:
      "This invitation is unknown or has expired. Ask your trainer for a new one.",
  },
  invitation_used: {
    status: 409,
    message:
      "This invitation was already used: the account is claimed. Sign in with its e-mail and password.",
  },
  already_claimed: {
    status: 409,
    message:
      "This client already has a sign-in of their own: there is nothing to claim.",
  },
  email_needed: {
    status: 422,
    message: "Give an e-mail address: you sign in with it.",
  },
  walk_in_email_taken: {
    status: 409,
    message:
      "An account with this e-mail already exists: leave it empty, or use another.",
  },
  too_many_claims: {
    status: 429,
    message: "Too many attempts from this network. Try again later.",
  },
} as const;

export type AccountRefusal = keyof typeof ACCOUNT_REFUSALS;

/** An account refusal as the contract's JSON error. */
export function accountFailure(
  reason: AccountRefusal,
  headers?: Record<string, string>,
): ApiError {
  const entry = ACCOUNT_REFUSALS[reason];
  return new ApiError(
    entry.status,
    reason,
    entry.message,
    undefined,
    headers,
    reason,
  );
}
