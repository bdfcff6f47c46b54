import type { Queryable } from "./client.ts";

/** Something that happened to an appointment and is worth telling the other side. */
export type AppointmentEvent =
  | "booked"
  | "cancelled"
  | "moved"
  | "confirmed"
  | "declined";

export type NotificationKind = AppointmentEvent | "reminder";
export type Recipient = "trainer" | "client";

/** What a message needs, frozen when the row is written. */
export type NotificationPayload = Readonly<{
  trainerName: string;
  clientName: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  version: number;
  status: string;
  actor?: Recipient;
  reason?: string | null;
  previousStartsAt?: string;
}>;

/** What messages about an appointment need, as the database has it. */
export type AppointmentRow = {
  id: string;
  trainer_id: string;
  client_id: string;
  starts_at: Date;
  ends_at: Date;
  status: "scheduled" | "pending" | "cancelled" | "completed";
  version: number;
  cancellation_reason: string | null;
  timezone: string;
  reminders_enabled: boolean;
  reminder_minutes: number;
  trainer_name: string;
  client_name: string;
};

const other = (r: Recipient): Recipient =>
  r === "client" ? "trainer" : "client";

/** The unique key of one message: appointment, recipient, kind and appointment version. */
export function dedupeKey(
  appointmentId: string,
  recipient: Recipient,
  kind: NotificationKind,
  version: number,
): string {
  return `${appointmentId}:${recipient}:${kind}:v${version}`;
}

/**
 * Called inside the booking/cancel/move transaction, after the appointment row is written
 * (for "moved", after starts_at/ends_at/version are updated; for "cancelled", after status,
 * cancellation_reason and cancelled_by are set). Writes the notice to the other side
 * (actor "client" → recipient trainer and vice versa; kind = event) and brings the
 * appointment's reminders in line with its current state: scheduled → one pending reminder
 * per recipient (client always; trainer if reminders_enabled) due at starts_at - reminder_minutes
 * (skipped if that is already past `now`), old-version pending reminders deleted;
 * anything else → pending reminders deleted.
 *
 * ```ts
 * await sql.begin(async (tx) => {
 *   await tx`UPDATE appointments SET status = 'cancelled', ... WHERE id = ${id}`;
 *   await recordAppointmentEvent(tx, { appointmentId: id, event: "cancelled", actor: "client", now });
 * });
 * ```
 */
export async function recordAppointmentEvent(
  tx: Queryable,
  e: Readonly<{
    appointmentId: string;
    event: AppointmentEvent;
    actor: "trainer" | "client";
    now: Temporal.Instant;
  }>,
): Promise<void> {
  const [a] = await tx<AppointmentRow[]>`
    ${selectAppointmentRows(tx)} WHERE a.id = ${e.appointmentId}`;
  if (!a) throw new Error(`appointment ${e.appointmentId} does not exist`);
  const now = new Date(e.now.epochMilliseconds);
  const startsAt = a.starts_at.toISOString();

  // The start as last announced, so a "moved" notice can say where it moved from.
  let previousStartsAt: string | undefined;
  if (e.event === "moved") {
    const [last] = await tx<{ starts_at: string | null }[]>`
      SELECT payload->>'startsAt' AS starts_at FROM notifications
      WHERE appointment_id = ${a.id} AND payload->>'startsAt' <> ${startsAt}
      ORDER BY created_at DESC, (payload->>'version')::int DESC LIMIT 1`;
    previousStartsAt = last?.starts_at ?? undefined;
  }

  const notice = noticeRow(a, e, now, previousStartsAt);
  await syncReminders(tx, a, now, [notice], { fresh: false });
}

/** The message telling the other side of `e.actor` about `e.event`. */
function noticeRow(
  a: AppointmentRow,
  e: Readonly<{ event: AppointmentEvent; actor: "trainer" | "client" }>,
  now: Date,
  previousStartsAt?: string,
): NewNotification {
  const recipient = other(e.actor);
  const payload: NotificationPayload = {
    ...payloadBase(a),
    actor: e.actor,
    ...(e.event === "cancelled" || e.event === "declined"
      ? { reason: a.cancellation_reason }
      : {}),
    ...(previousStartsAt ? { previousStartsAt } : {}),
  };
  return {
    appointmentId: a.id,
    trainerId: a.trainer_id,
    recipient,
    recipientId: recipient === "client" ? a.client_id : a.trainer_id,
    kind: e.event,
    version: a.version,
    payload,
    dueAt: now,
  };
}

/**
 * Everything a new booking writes to the outbox (what {@link recordAppointmentEvent} is
 * to a later event): the notice to the other side and the reminders still ahead. Pure, so a batch of bookings
 * can be written in one statement with {@link notificationsInsert}.
 */
export function bookingNotifications(
  a: AppointmentRow,
  actor: "trainer" | "client",
  now: Date,
): NewNotification[] {
  return [
    noticeRow(a, { event: "booked", actor }, now),
    ...reminderRows(a, now),
  ];
}

/** The reminders a scheduled session still needs: none once their time has passed. */
function reminderRows(a: AppointmentRow, now: Date): NewNotification[] {
  if (a.status !== "scheduled") return [];
  const dueAt = new Date(a.starts_at.getTime() - a.reminder_minutes * 60_000);
  if (dueAt.getTime() <= now.getTime()) return [];
  const recipients: Recipient[] = a.reminders_enabled
    ? ["client", "trainer"]
    : ["client"];
  return recipients.map((r) => ({
    appointmentId: a.id,
    trainerId: a.trainer_id,
    recipient: r,
    recipientId: r === "client" ? a.client_id : a.trainer_id,
    kind: "reminder",
    version: a.version,
    payload: payloadBase(a),
    dueAt,
  }));
}

const payloadBase = (a: AppointmentRow) => ({
  trainerName: a.trainer_name,
  clientName: a.client_name,
  startsAt: a.starts_at.toISOString(),
  endsAt: a.ends_at.toISOString(),
  timezone: a.timezone,
  version: a.version,
  status: a.status,
});

const selectAppointmentRows = (tx: Queryable) =>
  tx`
    SELECT a.id, a.trainer_id, a.client_id, a.starts_at, a.ends_at, a.status, a.version,
           a.cancellation_reason, t.timezone, t.reminders_enabled, t.reminder_minutes,
           tu.name AS trainer_name, cu.name AS client_name
    FROM appointments a
    JOIN trainers t ON t.user_id = a.trainer_id
    JOIN users tu ON tu.id = a.trainer_id
    JOIN users cu ON cu.id = a.client_id`;

/**
 * After a trainer changes `reminderMinutes` or `remindersEnabled`: every upcoming scheduled
 * session's pending reminders are planned again with the new settings (in the caller's
 * transaction, so they change together).
 */
export async function resyncTrainerReminders(
  tx: Queryable,
  trainerId: string,
  now: Temporal.Instant,
): Promise<void> {
  const at = new Date(now.epochMilliseconds);
  const rows = await tx<AppointmentRow[]>`
    ${selectAppointmentRows(tx)}
    WHERE a.trainer_id = ${trainerId} AND a.status = 'scheduled' AND a.starts_at > ${at}`;
  for (const a of rows) {
    await tx`
      DELETE FROM notifications
      WHERE appointment_id = ${a.id} AND kind = 'reminder' AND status = 'pending'`;
    await syncReminders(tx, a, at, [], { fresh: true });
  }
}

/**
 * Reminders: drop whatever no longer matches the appointment, then add what is missing,
 * written in one INSERT together with `extra` rows (the event's notice).
 */
async function syncReminders(
  tx: Queryable,
  a: AppointmentRow,
  now: Date,
  extra: readonly NewNotification[],
  options: { fresh: boolean },
): Promise<void> {
  const rows = [...extra];
  if (a.status !== "scheduled") {
    await tx`
      DELETE FROM notifications
      WHERE appointment_id = ${a.id} AND kind = 'reminder' AND status = 'pending'`;
  } else {
    if (!options.fresh) {
      await tx`
        DELETE FROM notifications
        WHERE appointment_id = ${a.id} AND kind = 'reminder' AND status = 'pending'
          AND (payload->>'version')::int IS DISTINCT FROM ${a.version}`;
    }
    rows.push(...reminderRows(a, now));
  }
  await insertNotifications(tx, rows);
}

/** A notification row before it is written. */
export type NewNotification = Readonly<{
  appointmentId: string;
  trainerId: string;
  recipient: Recipient;
  recipientId: string;
  kind: NotificationKind;
  version: number;
  payload: NotificationPayload;
  dueAt: Date;
}>;

/** Rows as one array per column, for `INSERT … SELECT FROM unnest(…)`. */
function notificationColumns(rows: readonly NewNotification[]) {
  return {
    appointmentIds: rows.map((n) => n.appointmentId),
    trainerIds: rows.map((n) => n.trainerId),
    recipients: rows.map((n) => n.recipient),
    recipientIds: rows.map((n) => n.recipientId),
    kinds: rows.map((n) => n.kind),
    dedupeKeys: rows.map((n) =>
      dedupeKey(n.appointmentId, n.recipient, n.kind, n.version)
    ),
    payloads: rows.map((n) => JSON.stringify(n.payload)),
    dueAts: rows.map((n) => n.dueAt.toISOString()),
  };
}

async function insertNotifications(
  tx: Queryable,
  rows: readonly NewNotification[],
): Promise<void> {
  if (rows.length > 0) await notificationsInsert(tx, rows);
}

/**
 * `INSERT INTO notifications …` of `rows`, as a query that can also stand after a
 * `WITH` (so a booking writes its sessions and their outbox rows in one statement).
 */
export function notificationsInsert(
  tx: Queryable,
  rows: readonly NewNotification[],
) {
  const c = notificationColumns(rows);
  return tx`
    INSERT INTO notifications (appointment_id, trainer_id, recipient, recipient_id, kind,
      dedupe_key, payload, due_at, next_attempt_at)
    SELECT appointment_id, trainer_id, recipient, recipient_id, kind, dedupe_key,
      payload::jsonb, due_at, due_at
    FROM unnest(${c.appointmentIds}::uuid[], ${c.trainerIds}::uuid[], ${c.recipients}::text[],
      ${c.recipientIds}::uuid[], ${c.kinds}::text[], ${c.dedupeKeys}::text[],
      ${c.payloads}::text[], ${c.dueAts}::timestamptz[])
      AS n(appointment_id, trainer_id, recipient, recipient_id, kind, dedupe_key, payload, due_at)
    ON CONFLICT (dedupe_key) DO NOTHING`;
}

export type Channel = "telegram" | "email";
export type NotificationStatus =
  | "pending"
  | "sending"
  | "sent"
  | "failed"
  | "skipped";

/** A row claimed for delivery, with what deciding and writing the message needs. */
export type ClaimedNotification = Readonly<{
  id: string;
  appointmentId: string;
  recipient: Recipient;
  recipientName: string;
  recipientEmail: string;
  /** Telegram chat id (bigint as text), if linked. */
  chatId: string | null;
  kind: NotificationKind;
  payload: NotificationPayload;
  /** This claim's attempt number; also the fencing token for writing the outcome. */
  attempts: number;
  remindersEnabled: boolean;
  appointment: Readonly<{ status: string; version: number; startsAt: Date }>;
}>;

type ClaimRow = {
  id: string;
  appointment_id: string;
  recipient: Recipient;
  kind: NotificationKind;
  payload: NotificationPayload;
  attempts: number;
  name: string;
  email: string;
  telegram_chat_id: string | null;
  reminders_enabled: boolean;
  appointment_status: string;
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
      RETURNING n.id, n.appointment_id, n.trainer_id, n.recipient, n.recipient_id,
                n.kind, n.payload, n.attempts, n.next_attempt_at
    )
    SELECT c.id, c.appointment_id, c.recipient, c.kind, c.payload, c.attempts,
           u.name, u.email, u.telegram_chat_id, t.reminders_enabled,
           a.status AS appointment_status, a.version AS appointment_version,
           a.starts_at AS appointment_starts_at
    FROM claimed c
    JOIN users u ON u.id = c.recipient_id
    JOIN trainers t ON t.user_id = c.trainer_id
    JOIN appointments a ON a.id = c.appointment_id
    ORDER BY c.next_attempt_at, c.id`;
  return rows.map((r) => ({
    id: r.id,
    appointmentId: r.appointment_id,
    recipient: r.recipient,
    recipientName: r.name,
    recipientEmail: r.email,
    chatId: r.telegram_chat_id,
    kind: r.kind,
    payload: r.payload,
    attempts: r.attempts,
    remindersEnabled: r.reminders_enabled,
    appointment: {
      status: r.appointment_status,
      version: r.appointment_version,
      startsAt: r.appointment_starts_at,
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

/** One line of the notification log. */
export type NotificationEntry = Readonly<{
  id: string;
  appointmentId: string;
  recipient: Recipient;
  recipientId: string;
  recipientName: string;
  channel: Channel;
  kind: NotificationKind;
  status: NotificationStatus;
  dueAt: Date;
  sentAt: Date | null;
  attempts: number;
  error: string | null;
  payload: NotificationPayload;
  timezone: string;
}>;

type EntryRow = {
  id: string;
  appointment_id: string;
  recipient: Recipient;
  recipient_id: string;
  recipient_name: string;
  channel: Channel;
  kind: NotificationKind;
  status: NotificationStatus;
  due_at: Date;
  sent_at: Date | null;
  attempts: number;
  error: string | null;
  payload: NotificationPayload;
  timezone: string;
};

/**
 * A trainer's notifications, newest first; narrowed to one recipient (what a client may
 * see), one client's sessions, or one appointment.
 */
export async function listNotifications(
  sql: Queryable,
  filter: Readonly<{
    trainerId: string;
    recipientId?: string;
    clientId?: string;
    appointmentId?: string;
    limit?: number;
  }>,
): Promise<NotificationEntry[]> {
  const rows = await sql<EntryRow[]>`
    SELECT n.id, n.appointment_id, n.recipient, n.recipient_id, u.name AS recipient_name,
           n.channel, n.kind, n.status, n.due_at, n.sent_at, n.attempts, n.error, n.payload,
           t.timezone
    FROM notifications n
    JOIN users u ON u.id = n.recipient_id
    JOIN trainers t ON t.user_id = n.trainer_id
    JOIN appointments a ON a.id = n.appointment_id
    WHERE n.trainer_id = ${filter.trainerId}
      ${
    filter.recipientId ? sql`AND n.recipient_id = ${filter.recipientId}` : sql``
  }
      ${filter.clientId ? sql`AND a.client_id = ${filter.clientId}` : sql``}
      ${
    filter.appointmentId
      ? sql`AND n.appointment_id = ${filter.appointmentId}`
      : sql``
  }
    ORDER BY COALESCE(n.sent_at, n.due_at) DESC, n.created_at DESC, n.id
    ${filter.limit ? sql`LIMIT ${filter.limit}` : sql``}`;
  return rows.map((r) => ({
    id: r.id,
    appointmentId: r.appointment_id,
    recipient: r.recipient,
    recipientId: r.recipient_id,
    recipientName: r.recipient_name,
    channel: r.channel,
    kind: r.kind,
    status: r.status,
    dueAt: r.due_at,
    sentAt: r.sent_at,
    attempts: r.attempts,
    error: r.error,
    payload: r.payload,
    timezone: r.timezone,
  }));
}

/** A trainer's clients by name, for filtering the log. */
export async function listClientNames(
  sql: Queryable,
  trainerId: string,
): Promise<{ id: string; name: string }[]> {
  return await sql<{ id: string; name: string }[]>`
    SELECT u.id, u.name FROM clients c JOIN users u ON u.id = c.user_id
    WHERE c.trainer_id = ${trainerId}
    ORDER BY lower(u.name), u.id`;
}
