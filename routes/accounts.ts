import type { AppDeps } from "./context.ts";
import {
  createClient,
  createTrainer,
  findTrainerByReferralCode,
  getCredentials,
} from "../db/users.ts";
import { insertSession, type SessionMeta } from "../db/sessions.ts";
import {
  forgiveSignInAttempt,
  pruneSignInAttempts,
  reserveSignInAttempt,
  reserveSignUpAttempt,
  THROTTLES,
  type Throttles,
} from "../db/throttle.ts";
import {
  dummyPasswordHash,
  hashPassword,
  newReferralCode,
  newToken,
  normalizeReferralCode,
  sha256,
  verifyPassword,
} from "../lib/security.ts";
import { DEFAULT_WORKING_HOURS } from "../domain/settings.ts";
import type { Role } from "../db/users.ts";
import type { Language } from "../domain/types.ts";
import { sendVerification } from "./email_verification.ts";
import { claimWalkIn, findInvitation } from "../db/walk_ins.ts";
import type { ClaimRefusal } from "../domain/walk_ins.ts";

const throttles = (deps: AppDeps): Throttles => ({
  ...THROTTLES,
  ...deps.throttles,
});

type TooMany = { ok: false; reason: "too_many_attempts"; retryAfter: number };

export type SignUpResult =
  | {
    ok: true;
    id: string;
    token: string;
    referralCode?: string;
    trainerId: string;
  }
  | { ok: false; reason: "email_taken" | "invalid_referral_code" }
  | TooMany;

/** Spends one sign-up from the address's budget, before any hashing. */
async function reserveSignUp(
  deps: AppDeps,
  address: string,
): Promise<TooMany | undefined> {
  const reserved = await reserveSignUpAttempt(deps.sql, {
    address,
    now: deps.now(),
    budget: throttles(deps).signUpPerAddress,
  });
  return reserved.ok ? undefined : {
    ok: false,
    reason: "too_many_attempts",
    retryAfter: reserved.retryAfter,
  };
}

export async function signUpTrainer(
  deps: AppDeps,
  input: Readonly<
    {
      name: string;
      email: string;
      password: string;
      timezone: string;
      address: string;
      session?: SessionMeta;
      language?: Language;
    }
  >,
): Promise<SignUpResult> {
  const refused = await reserveSignUp(deps, input.address);
  if (refused) return refused;
  const created = await createTrainer(deps.sql, {
    name: input.name,
    email: input.email,
    passwordHash: await hashPassword(input.password, deps.passwordCost),
    timezone: input.timezone,
    workingHours: DEFAULT_WORKING_HOURS,
    newCode: newReferralCode,
    language: input.language,
  });
  if (!created.ok) return created;
  await sendVerification(deps, created.id, input.email);
  return {
    ok: true,
    id: created.id,
    trainerId: created.id,
    referralCode: created.referralCode,
    token: await startSession(deps, created.id, input.session),
  };
}

export async function signUpClient(
  deps: AppDeps,
  input: Readonly<
    {
      referralCode: string;
      name: string;
      email: string;
      password: string;
      address: string;
      session?: SessionMeta;
      language?: Language;
    }
  >,
): Promise<SignUpResult> {
  // Counted before the code is looked up, so codes cannot be guessed at leisure either.
  const refused = await reserveSignUp(deps, input.address);
  if (refused) return refused;
  const trainer = await findTrainerByReferralCode(
    deps.sql,
    normalizeReferralCode(input.referralCode),
  );
  if (!trainer) return { ok: false, reason: "invalid_referral_code" };
  const created = await createClient(deps.sql, {
    trainerId: trainer.id,
    name: input.name,
    email: input.email,
    passwordHash: await hashPassword(input.password, deps.passwordCost),
    language: input.language,
  });
  if (!created.ok) return created;
  await sendVerification(deps, created.id, input.email);
  return {
    ok: true,
    id: created.id,
    trainerId: trainer.id,
    token: await startSession(deps, created.id, input.session),
  };
}

export type ClaimResult =
  | { ok: true; id: string; token: string }
  | { ok: false; reason: ClaimRefusal | "email_taken" | "email_needed" }
  | TooMany;

/**
 * A walk-in claims their account with their invitation's token: a password and, if given,
 * an e-mail (needed when none is on file). Costs a sign-up from the address's budget (it
 * hashes a password); the link works once. Signs them in, like a sign-up.
 */
export async function claimAccount(
  deps: AppDeps,
  input: Readonly<{
    token: string;
    email: string | null;
    password: string;
    address: string;
    session?: SessionMeta;
  }>,
): Promise<ClaimResult> {
  const tokenHash = sha256(input.token);
  const found = await findInvitation(deps.sql, tokenHash, deps.now());
  if (!found.ok) return found;
  const refused = await reserveSignUp(deps, input.address);
  if (refused) return refused;
  const claimed = await claimWalkIn(deps.sql, {
    tokenHash,
    email: input.email,
    passwordHash: await hashPassword(input.password, deps.passwordCost),
    now: deps.now(),
  });
  if (!claimed.ok) return claimed;
  await sendVerification(deps, claimed.clientId, claimed.email);
  return {
    ok: true,
    id: claimed.clientId,
    token: await startSession(deps, claimed.clientId, input.session),
  };
}

export type SignInResult =
  | { ok: true; id: string; role: Role; token: string }
  | { ok: false; reason: "invalid_credentials" }
  | TooMany;

/**
 * Same answer, and about the same time, whether or not the e-mail exists. The attempt is
 * counted before the password is checked (so concurrent guesses cannot outrun the budget)
 * and forgiven when it succeeds (so successful sign-ins are never throttled by their own).
 */
export async function signIn(
  deps: AppDeps,
  input: Readonly<{
    email: string;
    password: string;
    address: string;
    /** The account a valid device cookie of this browser names. */
    deviceUserId?: string;
    session?: SessionMeta;
  }>,
): Promise<SignInResult> {
  const email = input.email.trim();
  const now = deps.now();
  const budgets = throttles(deps);
  // Only a browser that signed in to this very account before is exempt from the
  // address's budget (looked up first only then, so no one else's timing changes).
  const trusted = input.deviceUserId !== undefined &&
    (await getCredentials(deps.sql, email))?.id === input.deviceUserId;
  const reserved = await reserveSignInAttempt(deps.sql, {
    email,
    address: input.address,
    now,
    perEmail: budgets.signInPerEmail,
    perAddress: budgets.signInPerAddress,
    trusted,
  });
  if (!reserved.ok) {
    return {
      ok: false,
      reason: "too_many_attempts",
      retryAfter: reserved.retryAfter,
    };
  }
  const found = await getCredentials(deps.sql, email);
  const hash = found?.passwordHash ??
    await dummyPasswordHash(deps.passwordCost);
  const matches = await verifyPassword(input.password, hash);
  if (!found || !matches) {
    await pruneSignInAttempts(deps.sql, now);
    return { ok: false, reason: "invalid_credentials" };
  }
  await forgiveSignInAttempt(deps.sql, reserved.id);
  return {
    ok: true,
    id: found.id,
    role: found.role,
    token: await startSession(deps, found.id, input.session),
  };
}

export async function startSession(
  deps: AppDeps,
  userId: string,
  meta?: SessionMeta,
): Promise<string> {
  const token = newToken();
  await insertSession(deps.sql, userId, sha256(token), deps.now(), meta);
  return token;
}
