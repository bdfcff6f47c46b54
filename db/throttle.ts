import type { Queryable, Sql } from "./client.ts";

/** At most `limit` attempts in any `minutes`-long window. */
export type Budget = Readonly<{ limit: number; minutes: number }>;

export type Throttles = Readonly<{
  /** Sign-in attempts for one account's e-mail. */
  signInPerEmail: Budget;
  /** Sign-in attempts from one network address: larger, because a gym shares its Wi-Fi. */
  signInPerAddress: Budget;
  /** Sign-ups from one network address: each costs a 32 MiB password hash. */
  signUpPerAddress: Budget;
  /** Password-reset requests from one network address. */
  resetPerAddress: Budget;
  /** Reset links sent to one account (and verification links, by their own key). */
  linksPerAccount: Budget;
}>;

/**
 * The per-address sign-in budget stays below 30 (the contract's checks expect an address
 * to be throttled within 30 failures), and well above the per-account 10.
 */
export const THROTTLES: Throttles = {
  signInPerEmail: { limit: 10, minutes: 15 },
  signInPerAddress: { limit: 25, minutes: 15 },
  signUpPerAddress: { limit: 20, minutes: 15 },
  resetPerAddress: { limit: 10, minutes: 15 },
  linksPerAccount: { limit: 3, minutes: 60 },
};

export type Reservation =
  | { ok: true; id: string }
  | { ok: false; retryAfter: number };

/** Old attempts no longer count for any budget; they are deleted as new ones come. */
const KEEP_HOURS = 24;

/**
 * Takes transaction-scoped advisory locks on the throttle keys, in one global order
 * (their hashes, ascending), so two processes never wait on each other in a cycle.
 */
async function lockKeys(tx: Queryable, keys: readonly string[]) {
  await tx`
    SELECT pg_advisory_xact_lock(k) FROM (
      SELECT DISTINCT hashtextextended(key, 0) AS k FROM unnest(${keys as string[]}::text[]) AS key
      ORDER BY 1
    ) ordered`;
}

/**
 * Reserves one sign-in attempt for `email` from `address` before its password is checked:
 * under locks on both keys it counts the attempts in each window and writes this one only
 * if both budgets have room. Every process shares the counts, so concurrent guesses can
 * never exceed a budget. A successful attempt is handed back with `forgiveSignInAttempt`.
 */
export async function reserveSignInAttempt(
  sql: Sql,
  input: Readonly<{
    email: string;
    address: string;
    now: Temporal.Instant;
    perEmail: Budget;
    perAddress: Budget;
    /**
     * From a browser with a device cookie for this account (OWASP's device cookies): the
     * address's budget neither stops it nor is spent by it; the account's still is.
     */
    trusted?: boolean;
  }>,
): Promise<Reservation> {
  const email = input.email.trim().toLowerCase();
  const { address, perEmail, perAddress } = input;
  const trusted = input.trusted ?? false;
  const now = input.now.toString();
  return await sql.begin(async (tx) => {
    await lockKeys(tx, [
      `sign_in_email:${email}`,
      `sign_in_address:${address}`,
    ]);
    // The budget is spent while its limit-th newest attempt is inside the window; it has
    // room again when that attempt leaves it.
    const [row] = await tx<{ wait: number | null }[]>`
      SELECT ceil(extract(epoch FROM GREATEST(
        (SELECT at FROM sign_in_failures
          WHERE email = ${email}
            AND at > ${now}::timestamptz - make_interval(mins => ${perEmail.minutes})
          ORDER BY at DESC OFFSET ${perEmail.limit - 1} LIMIT 1)
          + make_interval(mins => ${perEmail.minutes}),
        (SELECT at FROM sign_in_failures
          WHERE address = ${address} AND NOT trusted AND NOT ${trusted}
            AND at > ${now}::timestamptz - make_interval(mins => ${perAddress.minutes})
          ORDER BY at DESC OFFSET ${perAddress.limit - 1} LIMIT 1)
          + make_interval(mins => ${perAddress.minutes})
      ) - ${now}::timestamptz))::int AS wait`;
    if (row.wait !== null) {
      return { ok: false, retryAfter: Math.max(1, row.wait) };
    }
    const [reserved] = await tx<{ id: string }[]>`
      INSERT INTO sign_in_failures (email, address, at, trusted)
      VALUES (${email}, ${address}, ${now}, ${trusted}) RETURNING id::text AS id`;
    return { ok: true, id: reserved.id };
  });
}

/** A sign-in that succeeded does not count against any budget. */
export async function forgiveSignInAttempt(sql: Queryable, id: string) {
  await sql`DELETE FROM sign_in_failures WHERE id = ${id}`;
}

/** Keeps the table small: attempts older than a day count for nothing. */
export async function pruneSignInAttempts(
  sql: Queryable,
  now: Temporal.Instant,
) {
  await sql`
    DELETE FROM sign_in_failures
    WHERE at < ${now.toString()}::timestamptz - make_interval(hours => ${KEEP_HOURS})`;
  await sql`
    DELETE FROM throttle_events
    WHERE at < ${now.toString()}::timestamptz - make_interval(hours => ${KEEP_HOURS})`;
}

/**
 * Reserves one sign-up from `address` before its password is hashed, like
 * `reserveSignInAttempt`; sign-ups count whether or not they succeed.
 */
export async function reserveSignUpAttempt(
  sql: Sql,
  input: Readonly<{ address: string; now: Temporal.Instant; budget: Budget }>,
): Promise<Reservation> {
  const { address, budget } = input;
  const now = input.now.toString();
  return await sql.begin(async (tx) => {
    await lockKeys(tx, [`sign_up_address:${address}`]);
    const [row] = await tx<{ wait: number | null }[]>`
      SELECT ceil(extract(epoch FROM
        (SELECT at FROM sign_up_attempts
          WHERE address = ${address}
            AND at > ${now}::timestamptz - make_interval(mins => ${budget.minutes})
          ORDER BY at DESC OFFSET ${budget.limit - 1} LIMIT 1)
        + make_interval(mins => ${budget.minutes}) - ${now}::timestamptz
      ))::int AS wait`;
    if (row.wait !== null) {
      return { ok: false, retryAfter: Math.max(1, row.wait) };
    }
    await tx`
      DELETE FROM sign_up_attempts
      WHERE at < ${now}::timestamptz - make_interval(hours => ${KEEP_HOURS})`;
    const [reserved] = await tx<{ id: string }[]>`
      INSERT INTO sign_up_attempts (address, at)
      VALUES (${address}, ${now}) RETURNING id::text AS id`;
    return { ok: true, id: reserved.id };
  });
}

/**
 * Spends one event of `key` if its budget has room (counted in `throttle_events` like
 * sign-in attempts, under the key's advisory lock): the wait in seconds when it has none.
 */
export async function spendBudget(
  sql: Sql,
  input: Readonly<{ key: string; budget: Budget; now: Temporal.Instant }>,
): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
  const { key, budget } = input;
  const now = input.now.toString();
  return await sql.begin(async (tx) => {
    await lockKeys(tx, [key]);
    const [row] = await tx<{ wait: number | null }[]>`
      SELECT ceil(extract(epoch FROM
        (SELECT at FROM throttle_events
          WHERE key = ${key}
            AND at > ${now}::timestamptz - make_interval(mins => ${budget.minutes})
          ORDER BY at DESC OFFSET ${budget.limit - 1} LIMIT 1)
        + make_interval(mins => ${budget.minutes}) - ${now}::timestamptz
      ))::int AS wait`;
    if (row.wait !== null) {
      return { ok: false, retryAfter: Math.max(1, row.wait) };
    }
    await tx`
      DELETE FROM throttle_events
      WHERE key = ${key}
        AND at < ${now}::timestamptz - make_interval(hours => ${KEEP_HOURS})`;
    await tx`INSERT INTO throttle_events (key, at) VALUES (${key}, ${now})`;
    return { ok: true };
  });
}
