/**
 * The delivery queue: claiming due outbox rows (`FOR UPDATE SKIP LOCKED`, fenced by the
 * attempt number) and writing each attempt's outcome. Sending lives in `jobs/deliver.ts`.
 */
import type { Queryable } from "./client.ts";
import type {
  Channel,
  DeliveryCandidate,
  NotificationKind,
  NotificationPayload,
  NotificationStatus,
  Recipient,
} from "../domain/notifications.ts";
import type { AppointmentStatus, Language } from "../domain/types.ts";

export type { NotificationStatus };

/**
 * A row claimed for delivery: what the send-time checks need ({@link DeliveryCandidate}),
 * plus what writing and addressing the message needs.
 */
export type ClaimedNotification =
  & DeliveryCandidate
  & Readonly<{
    id: string;
    /** Exactly one of these is set: the row is about an appointment or a class. */
    appointmentId: string | null;
    classId: string | null;
    recipientId: string;
    recipientName: string;
    recipientEmail: string;
    /** What the recipient reads: the notice is written in it. */
    recipientLanguage: Language;
    payload: NotificationPayload;
    /** This claim's attempt number; also the fencing token for writing the outcome. */
    attempts: number;
  }>;

type ClaimRow = {
  id: string;
  appointment_id: string | null;
  class_id: string | null;
  recipient: Recipient;
  recipient_id: string;
  kind: NotificationKind;
  payload: NotificationPayload;
  attempts: number;
  name: string;
  email_verified: boolean;
  /** `null` for a walk-in client with no address. */
  email: string | null;
  language: Language;
  telegram_chat_id: string | null;
  reminders_enabled: boolean;
  client_reminders_enabled: boolean;
  appointment_status: AppointmentStatus;
  appointment_version: number;
  appointment_starts_at: Date;
};

/**
 * Claims the oldest due row: pending and due, or `sending` with a lapsed claim (its
 * process died mid-send). `SKIP LOCKED` lets any number of processes claim side by side
 * without ever taking the same row; the claim lasts until `now + leaseSeconds`.
 */
export async function claimDueNotification(
  sql: Queryable,
  now: Temporal.Instant,
  leaseSeconds: number,
): Promise<ClaimedNotification | undefined> {
  const [claim] = await claimDueNotifications(sql, now, leaseSeconds, 1);
  return claim;
}

/** Claims up to `limit` due rows at once, oldest due first (see {@link claimDueNotification}). */
export async function claimDueNotifications(
  sql: Queryable,
  now: Temporal.Instant,
  leaseSeconds: number,
  limit: number,
): Promise<ClaimedNotification[]> {
  const at = new Date(now.epochMilliseconds);
  const until = new Date(now.epochMilliseconds + leaseSeconds * 1000);
  const rows = await sql<ClaimRow[]>`
    WITH due AS (
      SELECT id FROM notifications
      WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${at}
        AND (status = 'pending' OR claimed_until <= ${at})
      ORDER BY next_attempt_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE notifications n
      SET status = 'sending', claimed_until = ${until}, attempts = n.attempts + 1
      FROM due WHERE n.id = due.id
      RETURNING n.id, n.appointment_id, n.class_id, n.trainer_id, n.recipient, n.recipient_id,
                n.kind, n.payload, n.attempts, n.next_attempt_at
    )
    SELECT c.id, c.appointment_id, c.class_id, c.recipient, c.recipient_id, c.kind, c.payload,
           c.attempts, u.name, u.email, u.language, u.telegram_chat_id, t.reminders_enabled,
           u.email_verified_at IS NOT NULL AS email_verified,
           coalesce(rc.reminders_enabled, true) AS client_reminders_enabled,
           -- a class row has no appointment: its class stands in, and a client's class
           -- reminder whose seat is no longer booked reads as cancelled
           coalesce(a.status, CASE
             WHEN c.kind = 'reminder' AND c.recipient = 'client' AND NOT EXISTS (
               SELECT 1 FROM class_seats s WHERE s.class_id = c.class_id
                 AND s.client_id = c.recipient_id AND s.status = 'booked')
             THEN 'cancelled' ELSE cl.status END) AS appointment_status,
           coalesce(a.version, cl.version, 1) AS appointment_version,
           coalesce(a.starts_at, cl.starts_at) AS appointment_starts_at
    FROM claimed c
    JOIN users u ON u.id = c.recipient_id
    JOIN trainers t ON t.user_id = c.trainer_id
    LEFT JOIN clients rc ON rc.user_id = c.recipient_id
    LEFT JOIN appointments a ON a.id = c.appointment_id
    LEFT JOIN classes cl ON cl.id = c.class_id
    ORDER BY c.next_attempt_at, c.id`;
  return rows.map((r) => ({
    id: r.id,
    appointmentId: r.appointment_id,
    classId: r.class_id,
    recipient: r.recipient,
    recipientId: r.recipient_id,
    recipientName: r.name,
    recipientEmail: r.email ?? "",
    hasEmail: r.email !== null,
    recipientLanguage: r.language,
    chatId: r.telegram_chat_id,
    emailVerified: r.email_verified,
    kind: r.kind,
    payload: r.payload,
    attempts: r.attempts,
    remindersEnabled: r.reminders_enabled,
    clientRemindersEnabled: r.client_reminders_enabled,
    appointment: {
      status: r.appointment_status,
      version: r.appointment_version,
      start: Temporal.Instant.fromEpochMilliseconds(
        r.appointment_starts_at.getTime(),
      ),
    },
  }));
}

/** How a claimed attempt ended. */
export type Outcome =
  | Readonly<{ status: "sent"; channel: Channel; at: Temporal.Instant }>
  | Readonly<{
    status: "retry";
    channel: Channel;
    error: string;
    nextAttemptAt: Temporal.Instant;
  }>
  | Readonly<{ status: "failed"; channel: Channel; error: string }>
  | Readonly<{ status: "skipped"; reason: string }>
  /** Handed back untried (e.g. Telegram asked us to pause): the attempt does not count. */
  | Readonly<{ status: "released"; nextAttemptAt: Temporal.Instant }>;

/**
 * Writes the outcome of a claim. Fenced by the attempt number: a process whose claim
 * lapsed and was taken over cannot overwrite the new claim. Returns whether it wrote.
 */
export async function finishNotification(
  sql: Queryable,
  claim: Readonly<{ id: string; attempts: number }>,
  outcome: Outcome,
): Promise<boolean> {
  const where = sql`
    WHERE id = ${claim.id} AND status = 'sending' AND attempts = ${claim.attempts}`;
  const date = (i: Temporal.Instant) => new Date(i.epochMilliseconds);
  let rows;
  switch (outcome.status) {
    case "sent":
      rows = await sql`
        UPDATE notifications SET status = 'sent', channel = ${outcome.channel},
          sent_at = ${date(outcome.at)}, claimed_until = NULL, error = NULL
        ${where} RETURNING id`;
      break;
    case "retry":
      rows = await sql`
        UPDATE notifications SET status = 'pending', channel = ${outcome.channel},
          next_attempt_at = ${
        date(outcome.nextAttemptAt)
      }, claimed_until = NULL,
          error = ${outcome.error.slice(0, 1000)}
        ${where} RETURNING id`;
      break;
    case "failed":
      rows = await sql`
        UPDATE notifications SET status = 'failed', channel = ${outcome.channel},
          claimed_until = NULL, error = ${outcome.error.slice(0, 1000)}
        ${where} RETURNING id`;
      break;
    case "skipped":
      rows = await sql`
        UPDATE notifications SET status = 'skipped', attempts = attempts - 1,
          claimed_until = NULL, error = ${outcome.reason}
        ${where} RETURNING id`;
      break;
    case "released":
      rows = await sql`
        UPDATE notifications SET status = 'pending', attempts = attempts - 1,
          next_attempt_at = ${date(outcome.nextAttemptAt)}, claimed_until = NULL
        ${where} RETURNING id`;
      break;
  }
  return rows.length === 1;
}

/**
 * Writes many untried outcomes (skipped, released) in one statement, fenced like
 * {@link finishNotification}. Nothing was sent for them, so nothing is lost by writing
 * them together; returns how many were written.
 */
export async function finishUntried(
  sql: Queryable,
  done: readonly Readonly<{
    claim: Readonly<{ id: string; attempts: number }>;
    outcome: Extract<Outcome, { status: "skipped" | "released" }>;
  }>[],
): Promise<number> {
  if (done.length === 0) return 0;
  const ids = done.map((d) => d.claim.id);
  const attempts = done.map((d) => d.claim.attempts);
  const statuses = done.map((d) =>
    d.outcome.status === "skipped" ? "skipped" : "pending"
  );
  const errors = done.map((d) =>
    d.outcome.status === "skipped" ? d.outcome.reason : null
  );
  const nextAttempts = done.map((d) =>
    d.outcome.status === "released" ? d.outcome.nextAttemptAt.toString() : null
  );
  const rows = await sql`
    UPDATE notifications n SET status = d.status, attempts = n.attempts - 1,
      claimed_until = NULL,
      error = CASE WHEN d.status = 'skipped' THEN d.error ELSE n.error END,
      next_attempt_at = coalesce(d.next_attempt_at, n.next_attempt_at)
    FROM unnest(${ids}::uuid[], ${attempts}::int[], ${statuses}::text[],
      ${errors}::text[], ${nextAttempts}::timestamptz[])
      AS d(id, attempts, status, error, next_attempt_at)
    WHERE n.id = d.id AND n.status = 'sending' AND n.attempts = d.attempts
    RETURNING n.id`;
  return rows.length;
}
