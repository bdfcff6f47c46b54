import type { AppDeps } from "./context.ts";
import {
  createClient,
  createTrainer,
  findTrainerByReferralCode,
  getCredentials,
} from "../db/users.ts";
import {
  insertSession,
  recordSignInFailure,
  signInRetryAfter,
} from "../db/sessions.ts";
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

export type SignUpResult =
  | {
    ok: true;
    id: string;
    token: string;
    referralCode?: string;
    trainerId: string;
  }
  | { ok: false; reason: "email_taken" | "invalid_referral_code" };

export async function signUpTrainer(
  deps: AppDeps,
  input: Readonly<
    { name: string; email: string; password: string; timezone: string }
  >,
): Promise<SignUpResult> {
  const created = await createTrainer(deps.sql, {
    name: input.name,
    email: input.email,
    passwordHash: await hashPassword(input.password, deps.passwordCost),
    timezone: input.timezone,
    workingHours: DEFAULT_WORKING_HOURS,
    newCode: newReferralCode,
  });
  if (!created.ok) return created;
  return {
    ok: true,
    id: created.id,
    trainerId: created.id,
    referralCode: created.referralCode,
    token: await startSession(deps, created.id),
  };
}

export async function signUpClient(
  deps: AppDeps,
  input: Readonly<
    { referralCode: string; name: string; email: string; password: string }
  >,
): Promise<SignUpResult> {
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
  });
  if (!created.ok) return created;
  return {
    ok: true,
    id: created.id,
    trainerId: trainer.id,
    token: await startSession(deps, created.id),
  };
}

export type SignInResult =
  | { ok: true; id: string; role: Role; token: string }
  | { ok: false; reason: "invalid_credentials" }
  | { ok: false; reason: "too_many_attempts"; retryAfter: number };

/** Same answer, and about the same time, whether or not the e-mail exists. */
export async function signIn(
  deps: AppDeps,
  input: Readonly<{ email: string; password: string; address: string }>,
): Promise<SignInResult> {
  const email = input.email.trim();
  const wait = await signInRetryAfter(deps.sql, email, input.address);
  if (wait > 0) {
    return { ok: false, reason: "too_many_attempts", retryAfter: wait };
  }
  const found = await getCredentials(deps.sql, email);
  const hash = found?.passwordHash ??
    await dummyPasswordHash(deps.passwordCost);
  const matches = await verifyPassword(input.password, hash);
  if (!found || !matches) {
    await recordSignInFailure(deps.sql, email, input.address);
    return { ok: false, reason: "invalid_credentials" };
  }
  return {
    ok: true,
    id: found.id,
    role: found.role,
    token: await startSession(deps, found.id),
  };
}

export async function startSession(
  deps: AppDeps,
  userId: string,
): Promise<string> {
  const token = newToken();
  await insertSession(deps.sql, userId, sha256(token));
  return token;
}
