import type { Queryable } from "./client.ts";
import { sqlState } from "./client.ts";
import type { Language, Role, User, WorkingHours } from "../domain/types.ts";

export type { Role, User };

type UserRow = {
  id: string;
  role: Role;
  name: string;
  email: string;
  trainer_id: string;
  telegram_chat_id: string | null;
  language: Language;
};

const toUser = (r: UserRow): User => ({
  id: r.id,
  role: r.role,
  name: r.name,
  email: r.email,
  trainerId: r.trainer_id,
  telegramLinked: r.telegram_chat_id !== null,
  language: r.language,
});

/**
 * A session's user, with the counter of their trainer's calendar as of this read (it moves
 * with every change a calendar page shows; see migration 007).
 */
export type SessionUser = Readonly<{
  user: User;
  calendarVersion: string | undefined;
}>;

export type CreateResult = { ok: true; id: string } | {
  ok: false;
  reason: "email_taken";
};

/** Creates a trainer with default settings. Retries on the (unlikely) referral-code collision. */
export async function createTrainer(
  sql: Queryable,
  input: Readonly<{
    name: string;
    email: string;
    passwordHash: string;
    timezone: string;
    workingHours: WorkingHours;
    newCode: () => string;
    language?: Language;
  }>,
): Promise<CreateResult & { referralCode?: string }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = input.newCode();
    try {
      const [row] = await sql<{ id: string }[]>`
        WITH u AS (
          INSERT INTO users (role, name, email, password_hash, language)
          VALUES ('trainer', ${input.name}, ${input.email}, ${input.passwordHash},
            ${input.language ?? "en"})
          RETURNING id
        )
        INSERT INTO trainers (user_id, referral_code, timezone, working_hours)
        SELECT id, ${code}, ${input.timezone}, ${
        sql.json(input.workingHours)
      } FROM u
        RETURNING user_id AS id`;
      return { ok: true, id: row.id, referralCode: code };
    } catch (error) {
      if (sqlState(error) !== "23505") throw error;
      if (
        String((error as { constraint_name?: string }).constraint_name) ===
          "users_email_key"
      ) {
        return { ok: false, reason: "email_taken" };
      }
    }
  }
  throw new Error("could not allocate a referral code");
}

export async function createClient(
  sql: Queryable,
  input: Readonly<
    {
      trainerId: string;
      name: string;
      email: string;
      passwordHash: string;
      language?: Language;
    }
  >,
): Promise<CreateResult> {
  try {
    const [row] = await sql<{ id: string }[]>`
      WITH u AS (
        INSERT INTO users (role, name, email, password_hash, language)
        VALUES ('client', ${input.name}, ${input.email}, ${input.passwordHash},
          ${input.language ?? "en"})
        RETURNING id
      )
      INSERT INTO clients (user_id, trainer_id) SELECT id, ${input.trainerId} FROM u
      RETURNING user_id AS id`;
    return { ok: true, id: row.id };
  } catch (error) {
    if (sqlState(error) === "23505") {
      return { ok: false, reason: "email_taken" };
    }
    throw error;
  }
}

const userColumns = (sql: Queryable) =>
  sql`u.id, u.role, u.name, u.email, u.telegram_chat_id, u.language,
      COALESCE(c.trainer_id, u.id) AS trainer_id`;

export async function getUser(
  sql: Queryable,
  id: string,
): Promise<User | undefined> {
  const [row] = await sql<UserRow[]>`
    SELECT ${
    userColumns(sql)
  } FROM users u LEFT JOIN clients c ON c.user_id = u.id
    WHERE u.id = ${id}`;
  return row && toUser(row);
}

export async function getCredentials(
  sql: Queryable,
  email: string,
): Promise<{ id: string; role: Role; passwordHash: string } | undefined> {
  const [row] = await sql<{ id: string; role: Role; password_hash: string }[]>`
    SELECT id, role, password_hash FROM users WHERE lower(email) = lower(${email})`;
  return row && { id: row.id, role: row.role, passwordHash: row.password_hash };
}

export async function getPasswordHash(
  sql: Queryable,
  id: string,
): Promise<string | undefined> {
  const [row] = await sql<{ password_hash: string }[]>`
    SELECT password_hash FROM users WHERE id = ${id}`;
  return row?.password_hash;
}

export async function updateProfile(
  sql: Queryable,
  id: string,
  input: Readonly<{ name: string; email: string; passwordHash?: string }>,
): Promise<{ ok: true } | { ok: false; reason: "email_taken" }> {
  try {
    await sql`
      UPDATE users SET name = ${input.name}, email = ${input.email},
        password_hash = COALESCE(${input.passwordHash ?? null}, password_hash),
        -- A new address is not confirmed until its own link is used.
        email_verified_at = CASE WHEN lower(email) = lower(${input.email})
          THEN email_verified_at END
      WHERE id = ${id}`;
    return { ok: true };
  } catch (error) {
    if (sqlState(error) === "23505") {
      return { ok: false, reason: "email_taken" };
    }
    throw error;
  }
}

/** Sets what the user reads from now on (pages, notices, the chat). */
export async function setUserLanguage(
  sql: Queryable,
  id: string,
  language: Language,
): Promise<void> {
  await sql`UPDATE users SET language = ${language} WHERE id = ${id}`;
}

export async function findTrainerByReferralCode(
  sql: Queryable,
  code: string,
): Promise<{ id: string; name: string } | undefined> {
  const [row] = await sql<{ id: string; name: string }[]>`
    SELECT u.id, u.name FROM trainers t JOIN users u ON u.id = t.user_id
    WHERE t.referral_code = ${code}`;
  return row;
}

export async function getReferralCode(
  sql: Queryable,
  trainerId: string,
): Promise<string> {
  const [row] = await sql<{ referral_code: string }[]>`
    SELECT referral_code FROM trainers WHERE user_id = ${trainerId}`;
  return row.referral_code;
}

export async function setReferralCode(
  sql: Queryable,
  trainerId: string,
  code: string,
) {
  await sql`UPDATE trainers SET referral_code = ${code} WHERE user_id = ${trainerId}`;
}

/**
 * A session as {@link readSession} finds it: its user and calendar counter, with what
 * {@link readStamp} checks it against later (whose calendar, the session stamp of that
 * read, and when the session ends, in epoch ms).
 */
export type SessionRead =
  & SessionUser
  & Readonly<{
    trainerId: string;
    stamp: string | undefined;
    expiresAt: number;
  }>;

/** The user behind a session token hash still live at `now`, in one round trip. */
export async function readSession(
  sql: Queryable,
  tokenHash: Uint8Array,
  now: Temporal.Instant,
): Promise<SessionRead | undefined> {
  const [row] = await sql<
    (UserRow & {
      calendar_version: string | null;
      stamp: string | null;
      expires_at: Date;
    })[]
  >`
    SELECT u.id, u.role, u.name, u.email, u.telegram_chat_id, u.language, s.trainer_id,
      s.expires_at, v.version::text AS calendar_version, v.sessions_stamp::text AS stamp
    FROM sessions s
    JOIN users u ON u.id = s.user_id
    LEFT JOIN calendar_versions v ON v.trainer_id = s.trainer_id
    WHERE s.token_hash = ${tokenHash} AND s.expires_at > ${now.toString()}`;
  return row && {
    user: toUser(row),
    calendarVersion: row.calendar_version ?? undefined,
    trainerId: row.trainer_id,
    stamp: row.stamp ?? undefined,
    expiresAt: row.expires_at.getTime(),
  };
}

/**
 * A trainer's calendar counter and session stamp (migration 008) as they are now: one
 * index lookup, which says whether a session read earlier still reads the same.
 */
export async function readStamp(
  sql: Queryable,
  trainerId: string,
): Promise<{ calendarVersion: string; stamp: string } | undefined> {
  const [row] = await sql<{ version: string; stamp: string }[]>`
    SELECT version::text AS version, sessions_stamp::text AS stamp
    FROM calendar_versions WHERE trainer_id = ${trainerId}`;
  return row && { calendarVersion: row.version, stamp: row.stamp };
}
