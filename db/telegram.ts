import type { Queryable, Sql } from "./client.ts";
import type { Language } from "../domain/types.ts";

/** Stores the hash of a fresh one-time link token; drops the user's spent or stale ones. */
export async function insertTelegramLinkToken(
  sql: Queryable,
  input: Readonly<{
    userId: string;
    tokenHash: Uint8Array;
    expiresAt: Temporal.Instant;
    now: Temporal.Instant;
  }>,
): Promise<void> {
  const now = new Date(input.now.epochMilliseconds);
  await sql`
    DELETE FROM telegram_link_tokens
    WHERE user_id = ${input.userId} AND (used_at IS NOT NULL OR expires_at <= ${now})`;
  await sql`
    INSERT INTO telegram_link_tokens (token_hash, user_id, expires_at)
    VALUES (${input.tokenHash}, ${input.userId}, ${new Date(
    input.expiresAt.epochMilliseconds,
  )})`;
}

/**
 * Spends a link token and binds the chat to its user, in one statement: a token works
 * once even when two updates carrying it arrive at two processes together. A chat belongs
 * to one account: another account linked to it loses it (users_telegram_chat_key).
 * Returns the linked user, or undefined for an unknown, used or expired token.
 */
export async function linkTelegramChat(
  sql: Queryable,
  input: Readonly<
    { tokenHash: Uint8Array; chatId: number; now: Temporal.Instant }
  >,
): Promise<{ id: string; name: string; language: Language } | undefined> {
  const now = new Date(input.now.epochMilliseconds);
  const [row] = await sql<{ id: string; name: string; language: Language }[]>`
    WITH spent AS (
      UPDATE telegram_link_tokens SET used_at = ${now}
      WHERE token_hash = ${input.tokenHash} AND used_at IS NULL AND expires_at > ${now}
      RETURNING user_id
    ), freed AS (
      UPDATE users SET telegram_chat_id = NULL
      WHERE telegram_chat_id = ${input.chatId}
        AND id <> ALL(SELECT user_id FROM spent) AND EXISTS (SELECT 1 FROM spent)
    )
    UPDATE users u SET telegram_chat_id = ${input.chatId}
    FROM spent WHERE u.id = spent.user_id
    RETURNING u.id, u.name, u.language`;
  return row;
}

/** Forgets the user's chat. */
export async function unlinkTelegramUser(
  sql: Queryable,
  userId: string,
): Promise<void> {
  await sql`UPDATE users SET telegram_chat_id = NULL WHERE id = ${userId}`;
}

/** Forgets a chat for everyone linked to it (`/stop`, or a bot blocked by the user). Returns how many. */
export async function unlinkTelegramChat(
  sql: Queryable,
  chatId: number | string,
): Promise<number> {
  const rows = await sql`
    UPDATE users SET telegram_chat_id = NULL WHERE telegram_chat_id = ${chatId}
    RETURNING id`;
  return rows.length;
}

/** Only one process long-polls a bot (Telegram answers 409 to a second); whoever holds this lock does. */
const POLLING_LOCK = 7_314_552_002;

/** A reserved connection holding the polling lock. */
export type PollingLock = Awaited<ReturnType<Sql["reserve"]>>;

/**
 * Takes the polling lock on a reserved connection (a session lock: it goes with the
 * connection if the process dies), or `undefined` when another process holds it.
 */
export async function takePollingLock(
  sql: Sql,
): Promise<PollingLock | undefined> {
  const r = await sql.reserve();
  const [{ locked }] = await r<{ locked: boolean }[]>`
    SELECT pg_try_advisory_lock(${POLLING_LOCK}) AS locked`;
  if (locked) return r;
  r.release();
  return undefined;
}

export async function releasePollingLock(lock: PollingLock) {
  try {
    await lock`SELECT pg_advisory_unlock(${POLLING_LOCK})`;
  } catch { /* a broken connection has dropped the lock already */ }
  lock.release();
}
