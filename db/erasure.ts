/**
 * Deleting accounts. People are deleted, not flagged: what a trainer's history needs of
 * a deleted client (their past sessions) moves to the trainer's one anonymous "Former
 * client" (migration 072), with no notes, reasons or names left on it; everything else of
 * the client goes. A trainer's account goes whole, with their clients'. Each is one
 * transaction, under the trainer's booking lock, and the people it concerns are told
 * through `account_messages` (which holds their words only until sent).
 */
import type { Queryable, Sql } from "./client.ts";
import { lockTrainer } from "./appointments.ts";
import {
  type AccountMessage,
  queueAccountMessages,
} from "./account_messages.ts";

export const FORMER_CLIENT = "Former client";

/** Where a user can be told something: their address, and their chat when linked. */
async function destinationsOf(
  tx: Queryable,
  userId: string,
): Promise<AccountMessage["to"][]> {
  const [u] = await tx<
    { email: string | null; chat_id: string | null; unclaimed: boolean }[]
  >`
    SELECT u.email, u.telegram_chat_id::text AS chat_id,
      COALESCE(c.unclaimed, false) AS unclaimed
    FROM users u LEFT JOIN clients c ON c.user_id = u.id
    WHERE u.id = ${userId}`;
  // A walk-in who never claimed the account never used Spotter: nothing to tell them.
  if (!u || u.unclaimed) return [];
  return [
    ...(u.email ? [{ channel: "email" as const, email: u.email }] : []),
    ...(u.chat_id ? [{ channel: "telegram" as const, chatId: u.chat_id }] : []),
  ];
}

/** The trainer's Former client, made on first need. */
async function formerClientOf(tx: Queryable, trainerId: string) {
  const [kept] = await tx<{ user_id: string }[]>`
    SELECT user_id FROM former_clients WHERE trainer_id = ${trainerId}`;
  if (kept) return kept.user_id;
  // No one's address and no password: `!` is no scrypt hash, so nothing signs in as it.
  const [made] = await tx<{ id: string }[]>`
    INSERT INTO users (role, name, email, password_hash, created_at)
    VALUES ('former_client', ${FORMER_CLIENT},
      'former-' || gen_random_uuid() || '@deleted.invalid', '!', now())
    RETURNING id`;
  await tx`
    INSERT INTO former_clients (trainer_id, user_id) VALUES (${trainerId}, ${made.id})`;
  return made.id;
}

export type ClientErasure = Readonly<{
  clientId: string;
  trainerId: string;
  /** Who asked: the client leaving, or their trainer removing them. */
  by: "client" | "trainer";
  now: Temporal.Instant;
}>;

/**
 * Deletes a client: their upcoming sessions are cancelled, every session moves to the
 * Former client with its notes and reasons cleared, the notices about them forget their
 * name, and the client's own rows (account, sessions, seats, series, links, attempts) go.
 * False when `clientId` is no client of `trainerId`.
 */
export async function eraseClient(
  sql: Sql,
  input: ClientErasure,
): Promise<{ ok: true; cancelled: number } | { ok: false }> {
  const { clientId, trainerId } = input;
  const now = input.now.toString();
  return await sql.begin(async (tx) => {
    await lockTrainer(tx, trainerId);
    const [client] = await tx<
      { name: string; email: string | null; language: string }[]
    >`
      SELECT u.name, u.email, u.language FROM clients c JOIN users u ON u.id = c.user_id
      WHERE c.user_id = ${clientId} AND c.trainer_id = ${trainerId}
      FOR UPDATE OF c`;
    if (!client) return { ok: false as const };
    const [trainer] = await tx<{ name: string }[]>`
      SELECT name FROM users WHERE id = ${trainerId}`;
    const told = input.by === "client"
      ? await destinationsOf(tx, trainerId)
      : await destinationsOf(tx, clientId);
    const former = await formerClientOf(tx, trainerId);

    const cancelled = await tx`
      UPDATE appointments SET status = 'cancelled', cancelled_by = ${input.by},
        cancelled_at = ${now}, updated_at = ${now}, version = version + 1
      WHERE client_id = ${clientId} AND status IN ('scheduled', 'pending')
        AND ends_at > ${now}
      RETURNING id`;
    // The reminders and notices of these sessions are not sent any more; those kept for
    // the trainer's log forget who it was and what they wrote.
    await tx`
      DELETE FROM notifications
      WHERE status IN ('pending', 'sending')
        AND (appointment_id IN (SELECT id FROM appointments WHERE client_id = ${clientId})
          OR payload->>'clientId' = ${clientId})`;
    await tx`
      UPDATE notifications
      SET payload = (payload - 'reason' - 'clientId')
          || jsonb_build_object('clientName', ${FORMER_CLIENT}::text),
        error = NULL
      WHERE appointment_id IN (SELECT id FROM appointments WHERE client_id = ${clientId})
        OR payload->>'clientId' = ${clientId}`;
    await tx`
      UPDATE appointments SET client_id = ${former}, notes = '',
        cancellation_reason = NULL, series_id = NULL
      WHERE client_id = ${clientId}`;
    // The trainer's remembered answers that named this client (a booking made for them).
    await tx`
      DELETE FROM idempotency_keys
      WHERE user_id = ${trainerId} AND body::text LIKE ${`%${clientId}%`}`;
    await tx`DELETE FROM sign_in_failures WHERE email = lower(${client.email})`;
    await tx`DELETE FROM throttle_events WHERE key LIKE ${`%:${clientId}`}`;
    await tx`DELETE FROM users WHERE id = ${clientId}`;

    const payload: Record<string, string> = input.by === "client"
      ? { clientName: client.name, cancelled: String(cancelled.length) }
      // The client's account is gone when this is sent: it keeps their language.
      : { trainerName: trainer.name, language: client.language };
    const messages: AccountMessage[] = told.map((to) => ({
      userId: input.by === "client" ? trainerId : null,
      kind: input.by === "client" ? "client_left" : "client_removed",
      to,
      payload,
    }));
    await queueAccountMessages(tx, messages, input.now);
    return { ok: true as const, cancelled: cancelled.length };
  });
}

/**
 * Deletes a trainer's whole business in one transaction: the trainer, their clients'
 * accounts, every session, class, series, feed and notice (by the schema's cascades from
 * the trainer and from each user). Every client is told first.
 */
export async function eraseTrainer(
  sql: Sql,
  trainerId: string,
  now: Temporal.Instant,
) {
  await sql.begin(async (tx) => {
    await lockTrainer(tx, trainerId);
    const [trainer] = await tx<{ name: string; email: string }[]>`
      SELECT name, email FROM users WHERE id = ${trainerId} AND role = 'trainer'
      FOR UPDATE`;
    if (!trainer) return;
    const clients = await tx<
      { id: string; email: string | null; language: string }[]
    >`
      SELECT u.id, u.email, u.language FROM clients c JOIN users u ON u.id = c.user_id
      WHERE c.trainer_id = ${trainerId}`;
    const messages: AccountMessage[] = [];
    for (const c of clients) {
      for (const to of await destinationsOf(tx, c.id)) {
        messages.push({
          userId: null,
          kind: "trainer_left",
          to,
          payload: { trainerName: trainer.name, language: c.language },
        });
      }
    }
    const emails = [trainer.email, ...clients.map((c) => c.email)]
      .filter((e) => e !== null).map((e) => e.toLowerCase());
    const ids = [trainerId, ...clients.map((c) => c.id)];
    await tx`DELETE FROM sign_in_failures WHERE email = ANY(${emails})`;
    await tx`
      DELETE FROM throttle_events
      WHERE split_part(key, ':', 2) = ANY(${ids})`;
    await tx`
      DELETE FROM users WHERE id = ANY(${ids})
        OR id IN (SELECT user_id FROM former_clients WHERE trainer_id = ${trainerId})`;
    await queueAccountMessages(tx, messages, now);
  });
}

/** Notes that the account downloaded its data at `now`. */
export async function recordExport(
  sql: Queryable,
  userId: string,
  now: Temporal.Instant,
) {
  await sql`
    INSERT INTO account_exports (user_id, exported_at) VALUES (${userId}, ${now.toString()})
    ON CONFLICT (user_id) DO UPDATE SET exported_at = EXCLUDED.exported_at`;
}

/** When the account last downloaded its data, if ever. */
export async function lastExport(
  sql: Queryable,
  userId: string,
): Promise<Temporal.Instant | undefined> {
  const [row] = await sql<{ exported_at: Date }[]>`
    SELECT exported_at FROM account_exports WHERE user_id = ${userId}`;
  return row
    ? Temporal.Instant.fromEpochMilliseconds(row.exported_at.getTime())
    : undefined;
}
