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
  actor?: Recipient;
  reason?: string | null;
  previousStartsAt?: string;
}>;

type AppointmentRow = {
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
    SELECT a.id, a.trainer_id, a.client_id, a.starts_at, a.ends_at, a.status, a.version,
           a.cancellation_reason, t.timezone, t.reminders_enabled, t.reminder_minutes,
           tu.name AS trainer_name, cu.name AS client_name
    FROM appointments a
    JOIN trainers t ON t.user_id = a.trainer_id
    JOIN users tu ON tu.id = a.trainer_id
    JOIN users cu ON cu.id = a.client_id
    WHERE a.id = ${e.appointmentId}`;
  if (!a) throw new Error(`appointment ${e.appointmentId} does not exist`);

  const now = new Date(e.now.epochMilliseconds);
  const startsAt = a.starts_at.toISOString();
  const base = {
    trainerName: a.trainer_name,
    clientName: a.client_name,
    startsAt,
    endsAt: a.ends_at.toISOString(),
    timezone: a.timezone,
    version: a.version,
  };

  // The start as last announced, so a "moved" notice can say where it moved from.
  let previousStartsAt: string | undefined;
  if (e.event === "moved") {
    const [last] = await tx<{ starts_at: string | null }[]>`
      SELECT payload->>'startsAt' AS starts_at FROM notifications
      WHERE appointment_id = ${a.id} AND payload->>'startsAt' <> ${startsAt}
      ORDER BY created_at DESC, (payload->>'version')::int DESC LIMIT 1`;
    previousStartsAt = last?.starts_at ?? undefined;
  }

  const recipient = other(e.actor);
  const notice: NotificationPayload = {
    ...base,
    actor: e.actor,
    ...(e.event === "cancelled" || e.event === "declined"
      ? { reason: a.cancellation_reason }
      : {}),
    ...(previousStartsAt ? { previousStartsAt } : {}),
  };
  await insertNotification(tx, {
    appointmentId: a.id,
    trainerId: a.trainer_id,
    recipient,
    recipientId: recipient === "client" ? a.client_id : a.trainer_id,
    kind: e.event,
    version: a.version,
    payload: notice,
    dueAt: now,
  });

  // Reminders: drop whatever no longer matches the appointment, then add what is missing.
  if (a.status !== "scheduled") {
    await tx`
      DELETE FROM notifications
      WHERE appointment_id = ${a.id} AND kind = 'reminder' AND status = 'pending'`;
    return;
  }
  await tx`
    DELETE FROM notifications
    WHERE appointment_id = ${a.id} AND kind = 'reminder' AND status = 'pending'
      AND (payload->>'version')::int IS DISTINCT FROM ${a.version}`;
  const dueAt = new Date(a.starts_at.getTime() - a.reminder_minutes * 60_000);
  if (dueAt.getTime() <= now.getTime()) return;
  const recipients: Recipient[] = a.reminders_enabled
    ? ["client", "trainer"]
    : ["client"];
  for (const r of recipients) {
    await insertNotification(tx, {
      appointmentId: a.id,
      trainerId: a.trainer_id,
      recipient: r,
      recipientId: r === "client" ? a.client_id : a.trainer_id,
      kind: "reminder",
      version: a.version,
      payload: base,
      dueAt,
    });
  }
}

async function insertNotification(
  tx: Queryable,
  n: Readonly<{
    appointmentId: string;
    trainerId: string;
    recipient: Recipient;
    recipientId: string;
    kind: NotificationKind;
    version: number;
    payload: NotificationPayload;
    dueAt: Date;
  }>,
): Promise<void> {
  await tx`
    INSERT INTO notifications (appointment_id, trainer_id, recipient, recipient_id, kind,
                               dedupe_key, payload, due_at, next_attempt_at)
    VALUES (${n.appointmentId}, ${n.trainerId}, ${n.recipient}, ${n.recipientId}, ${n.kind},
            ${dedupeKey(n.appointmentId, n.recipient, n.kind, n.version)},
            ${tx.json(n.payload)}, ${n.dueAt}, ${n.dueAt})
    ON CONFLICT (dedupe_key) DO NOTHING`;
}
