/**
 * Messages about an account (reset links, verification links, notices of a changed address
 * or a closed account), written in the transaction of the change that sends them and
 * delivered by `jobs/account_mail.ts`. One-time links are made at sending: their token
 * exists only in the message and, as a SHA-256, in `password_resets` / `email_verifications`.
 */
import type { AccountMessageKind } from "../domain/types.ts";
import type { Queryable, Sql } from "./client.ts";
import { isLanguage, type Language } from "../domain/types.ts";

const languageOf = (tag: string | null): Language =>
  isLanguage(tag) ? tag : "en";

export type { AccountMessageKind };

export type Destination =
  | Readonly<{ channel: "email"; email: string }>
  | Readonly<{ channel: "telegram"; chatId: string }>;

export type AccountMessage = Readonly<{
  userId: string | null;
  kind: AccountMessageKind;
  to: Destination;
  /** The words a farewell needs once the account is gone (names, dates). */
  payload?: Record<string, string>;
  /** Not worth sending after this. */
  expiresAt?: Temporal.Instant;
}>;

export async function queueAccountMessages(
  tx: Queryable,
  messages: readonly AccountMessage[],
  now: Temporal.Instant,
) {
  for (const m of messages) {
    await tx`
      INSERT INTO account_messages
        (user_id, kind, channel, email, chat_id, payload, expires_at, next_attempt_at, created_at)
      VALUES (${m.userId}, ${m.kind}, ${m.to.channel},
        ${m.to.channel === "email" ? m.to.email : null},
        ${m.to.channel === "telegram" ? m.to.chatId : null},
        ${tx.json(m.payload ?? {})}, ${m.expiresAt?.toString() ?? null},
        ${now.toString()}, ${now.toString()})`;
  }
}

export type ClaimedAccountMessage = Readonly<{
  id: string;
  userId: string | null;
  kind: AccountMessageKind;
  to: Destination;
  payload: Record<string, string>;
  /** What the recipient reads (kept in the payload when their account is gone). */
  language: Language;
  expiresAt: Temporal.Instant | undefined;
  /** The fencing token of this claim. */
  attempts: number;
}>;

/** Claims due messages (each by one process only) for `leaseSeconds`. */
export async function claimAccountMessages(
  sql: Sql,
  now: Temporal.Instant,
  leaseSeconds: number,
  limit: number,
): Promise<ClaimedAccountMessage[]> {
  const at = now.toString();
  const rows = await sql<
    {
      id: string;
      user_id: string | null;
      kind: AccountMessageKind;
      channel: "email" | "telegram";
      email: string | null;
      chat_id: string | null;
      payload: Record<string, string>;
      language: string | null;
      expires_at: Date | null;
      attempts: number;
    }[]
  >`
    UPDATE account_messages m SET status = 'sending', attempts = m.attempts + 1,
      claimed_until = ${at}::timestamptz + make_interval(secs => ${leaseSeconds})
    WHERE m.id IN (
      SELECT id FROM account_messages
      WHERE next_attempt_at <= ${at}
        AND (status = 'pending' OR claimed_until < ${at})
      ORDER BY next_attempt_at LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING m.id, m.user_id, m.kind, m.channel, m.email, m.chat_id::text AS chat_id,
      m.payload, m.expires_at, m.attempts,
      COALESCE((SELECT u.language FROM users u WHERE u.id = m.user_id),
        m.payload->>'language') AS language`;
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    kind: r.kind,
    to: r.channel === "email"
      ? { channel: "email", email: r.email! }
      : { channel: "telegram", chatId: r.chat_id! },
    payload: r.payload,
    language: languageOf(r.language),
    expiresAt: r.expires_at
      ? Temporal.Instant.fromEpochMilliseconds(r.expires_at.getTime())
      : undefined,
    attempts: r.attempts,
  }));
}

/** Sent or given up: the row goes, with the address it held. */
export async function dropAccountMessage(
  sql: Queryable,
  claim: ClaimedAccountMessage,
) {
  await sql`
    DELETE FROM account_messages WHERE id = ${claim.id} AND attempts = ${claim.attempts}`;
}

export async function retryAccountMessage(
  sql: Queryable,
  claim: ClaimedAccountMessage,
  next: Temporal.Instant,
  error: string,
) {
  await sql`
    UPDATE account_messages SET status = 'pending', claimed_until = NULL,
      next_attempt_at = ${next.toString()}, error = ${error.slice(0, 500)}
    WHERE id = ${claim.id} AND attempts = ${claim.attempts}`;
}

/** Writes the hash of a reset link's token, made as its message is sent. */
export async function insertPasswordReset(
  sql: Queryable,
  input: Readonly<{
    tokenHash: Uint8Array;
    userId: string;
    channel: "email" | "telegram";
    expiresAt: Temporal.Instant;
  }>,
) {
  await sql`
    INSERT INTO password_resets (token_hash, user_id, channel, expires_at)
    VALUES (${input.tokenHash}, ${input.userId}, ${input.channel},
      ${input.expiresAt.toString()})`;
}

/** The account a reset link is for, while it is live (without using it). */
export async function findPasswordReset(
  sql: Queryable,
  tokenHash: Uint8Array,
  now: Temporal.Instant,
): Promise<{ userId: string; email: string } | undefined> {
  const [row] = await sql<{ user_id: string; email: string }[]>`
    SELECT r.user_id, u.email FROM password_resets r JOIN users u ON u.id = r.user_id
    WHERE r.token_hash = ${tokenHash} AND r.expires_at > ${now.toString()}`;
  return row && { userId: row.user_id, email: row.email };
}

/**
 * Uses a reset link once: in one transaction the link and every other of the account go,
 * the password is replaced, and every session of the account ends. A link that came by
 * e-mail proves the address too. `undefined` for a link that is unknown, used or expired.
 */
export async function usePasswordReset(
  sql: Sql,
  tokenHash: Uint8Array,
  passwordHash: string,
  now: Temporal.Instant,
): Promise<{ userId: string } | undefined> {
  return await sql.begin(async (tx) => {
    const [used] = await tx<{ user_id: string; channel: string }[]>`
      DELETE FROM password_resets
      WHERE token_hash = ${tokenHash} AND expires_at > ${now.toString()}
      RETURNING user_id, channel`;
    if (!used) return undefined;
    await tx`DELETE FROM password_resets WHERE user_id = ${used.user_id}`;
    await tx`
      UPDATE users SET password_hash = ${passwordHash},
        email_verified_at = CASE WHEN ${used.channel} = 'email'
          THEN COALESCE(email_verified_at, ${now.toString()}) ELSE email_verified_at END
      WHERE id = ${used.user_id}`;
    await tx`DELETE FROM sessions WHERE user_id = ${used.user_id}`;
    return { userId: used.user_id };
  });
}

/** Where an account can be reached: its address, and its Telegram chat when linked. */
export async function getContact(
  sql: Queryable,
  email: string,
): Promise<
  { userId: string; email: string; chatId: string | undefined } | undefined
> {
  const [row] = await sql<
    { id: string; email: string; chat_id: string | null }[]
  >`
    SELECT id, email, telegram_chat_id::text AS chat_id FROM users
    WHERE lower(email) = lower(${email}) AND role IN ('trainer', 'client')
      -- An unclaimed walk-in has no sign-in to recover: only an invitation claims it.
      AND NOT EXISTS (SELECT 1 FROM clients c WHERE c.user_id = users.id AND c.unclaimed)`;
  return row &&
    { userId: row.id, email: row.email, chatId: row.chat_id ?? undefined };
}

/** Old links count for nothing; they are deleted by housekeeping. */
export async function pruneAccountLinks(sql: Queryable, now: Temporal.Instant) {
  await sql`DELETE FROM password_resets WHERE expires_at < ${now.toString()}`;
  await sql`DELETE FROM email_verifications WHERE expires_at < ${now.toString()}`;
}

/** Writes the hash of a verification link's token, made as its message is sent. */
export async function insertEmailVerification(
  sql: Queryable,
  input: Readonly<{
    tokenHash: Uint8Array;
    userId: string;
    email: string;
    expiresAt: Temporal.Instant;
  }>,
) {
  await sql`
    INSERT INTO email_verifications (token_hash, user_id, email, expires_at)
    VALUES (${input.tokenHash}, ${input.userId}, ${input.email},
      ${input.expiresAt.toString()})`;
}

/**
 * Uses a verification link: the account's address counts as confirmed if it is still the
 * one the link went to. The account's links go either way. `undefined` for a link unknown,
 * used or expired; `false` when the address has changed since.
 */
export async function useEmailVerification(
  sql: Sql,
  tokenHash: Uint8Array,
  now: Temporal.Instant,
): Promise<boolean | undefined> {
  return await sql.begin(async (tx) => {
    const [used] = await tx<{ user_id: string; email: string }[]>`
      DELETE FROM email_verifications
      WHERE token_hash = ${tokenHash} AND expires_at > ${now.toString()}
      RETURNING user_id, email`;
    if (!used) return undefined;
    const done = await tx`
      UPDATE users SET email_verified_at = ${now.toString()}
      WHERE id = ${used.user_id} AND lower(email) = lower(${used.email})
      RETURNING 1`;
    if (done.length) {
      await tx`DELETE FROM email_verifications WHERE user_id = ${used.user_id}`;
    }
    return done.length > 0;
  });
}

/** Whether the account's current address is confirmed. */
export async function isEmailVerified(
  sql: Queryable,
  userId: string,
): Promise<boolean> {
  const [row] = await sql<{ verified: boolean }[]>`
    SELECT email_verified_at IS NOT NULL AS verified FROM users WHERE id = ${userId}`;
  return row?.verified ?? false;
}
