/**
 * Outbox writes: what `domain/notifications.ts` plans for a change, written in the
 * change's own transaction. Nothing here decides what is sent or when.
 */
import type { Queryable } from "./client.ts";
import {
  type AppointmentRow,
  selectAppointments,
  toAppointment,
} from "./appointments.ts";
import {
  type AppointmentEvent,
  type AppointmentSnapshot,
  dedupeKey,
  type OutboxPlan,
  planEvent,
  type PlannedNotification,
  type ReminderDrop,
  remindersFor,
} from "../domain/notifications.ts";
import { classRemindersFor } from "../domain/class_notices.ts";
import type { Actor } from "../domain/types.ts";
import { currentRequestId } from "../lib/request_context.ts";

type SnapshotRow =
  & AppointmentRow
  & { reminders_enabled: boolean; reminder_minutes: number };

const toSnapshot = (r: SnapshotRow): AppointmentSnapshot => ({
  ...toAppointment(r),
  remindersEnabled: r.reminders_enabled,
  reminderMinutes: r.reminder_minutes,
});

const selectSnapshots = (tx: Queryable) =>
  selectAppointments(tx, tx`, t.reminders_enabled, t.reminder_minutes`);

/**
 * After a change to an appointment is written (in the same transaction): writes the
 * notice `event` implies and brings the appointment's reminders in line, as
 * {@link planEvent} plans them.
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
    actor: Actor;
    now: Temporal.Instant;
  }>,
): Promise<void> {
  const [row] = await tx<SnapshotRow[]>`
    ${selectSnapshots(tx)} WHERE a.id = ${e.appointmentId}`;
  if (!row) throw new Error(`appointment ${e.appointmentId} does not exist`);
  const a = toSnapshot(row);
  const previousStartsAt = e.event === "moved"
    ? await lastAnnouncedStart(tx, a)
    : undefined;
  await writePlan(tx, planEvent(a, { ...e, previousStartsAt }));
}

/** The start as last announced, so a "moved" notice can say where it moved from. */
async function lastAnnouncedStart(tx: Queryable, a: AppointmentSnapshot) {
  const [last] = await tx<{ starts_at: string | null }[]>`
    SELECT payload->>'startsAt' AS starts_at FROM notifications
    WHERE appointment_id = ${a.id}
      AND payload->>'startsAt' <> ${
    a.start.toString({ smallestUnit: "millisecond" })
  }
    ORDER BY created_at DESC, (payload->>'version')::int DESC LIMIT 1`;
  return last?.starts_at ?? undefined;
}

/** Writes one change's plan: drops the reminders it makes wrong, inserts its rows. */
export async function writePlan(tx: Queryable, plan: OutboxPlan) {
  if (plan.drop !== "none") {
    await dropPendingReminders(
      tx,
      [plan.appointmentId],
      plan.drop,
      plan.version,
    );
  }
  await insertNotifications(tx, plan.rows);
}

/** Drops every pending reminder of sessions that are no longer scheduled (no notice). */
export async function dropReminders(
  tx: Queryable,
  appointmentIds: readonly string[],
) {
  if (appointmentIds.length) {
    await dropPendingReminders(tx, appointmentIds, "all");
  }
}

/**
 * Deletes pending reminders of `appointmentIds`: all of them, or those planned for
 * another version than `currentVersion` (a moved session keeps only its new ones).
 * The one statement that drops reminders.
 */
async function dropPendingReminders(
  tx: Queryable,
  appointmentIds: readonly string[],
  drop: Exclude<ReminderDrop, "none">,
  currentVersion?: number,
) {
  await tx`
    DELETE FROM notifications
    WHERE appointment_id = ANY(${appointmentIds as string[]}::uuid[])
      AND kind = 'reminder' AND status = 'pending'
      ${
    drop === "other_versions"
      ? tx`AND (payload->>'version')::int IS DISTINCT FROM ${
        currentVersion ?? null
      }`
      : tx``
  }`;
}

/**
 * After a trainer changes `reminderMinutes` or `remindersEnabled` (in that transaction,
 * under the trainer's lock): every upcoming scheduled session's pending reminders are
 * planned again, in one delete and one insert.
 */
export async function replanTrainerReminders(
  tx: Queryable,
  trainerId: string,
  now: Temporal.Instant,
): Promise<void> {
  const rows = await tx<SnapshotRow[]>`
    ${selectSnapshots(tx)}
    WHERE a.trainer_id = ${trainerId} AND a.status = 'scheduled'
      AND a.starts_at > ${now.toString()}`;
  if (rows.length > 0) {
    await dropPendingReminders(tx, rows.map((r) => r.id), "all");
    await insertNotifications(
      tx,
      rows.flatMap((r) => remindersFor(toSnapshot(r), now)),
    );
  }
  await replanClassReminders(tx, trainerId, now);
}

/** {@link replanTrainerReminders} for the trainer's upcoming classes and their booked seats. */
async function replanClassReminders(
  tx: Queryable,
  trainerId: string,
  now: Temporal.Instant,
) {
  const classes = await tx<{
    id: string;
    title: string;
    starts_at: Date;
    ends_at: Date;
    status: string;
    timezone: string;
    trainer_name: string;
    reminders_enabled: boolean;
    reminder_minutes: number;
    version: number;
  }[]>`
    SELECT c.id, c.title, c.starts_at, c.ends_at, c.status, c.version, t.timezone,
      tu.name AS trainer_name, t.reminders_enabled, t.reminder_minutes
    FROM classes c JOIN trainers t ON t.user_id = c.trainer_id
    JOIN users tu ON tu.id = c.trainer_id
    WHERE c.trainer_id = ${trainerId} AND c.status = 'scheduled'
      AND c.starts_at > ${now.toString()}`;
  if (classes.length === 0) return;
  const ids = classes.map((c) => c.id);
  const seats = await tx<
    { id: string; class_id: string; client_id: string; client_name: string }[]
  >`
    SELECT s.id, s.class_id, s.client_id, u.name AS client_name
    FROM class_seats s JOIN users u ON u.id = s.client_id
    WHERE s.class_id = ANY(${ids}::uuid[]) AND s.status = 'booked'`;
  await dropClassReminders(tx, ids);
  const instant = (d: Date) =>
    Temporal.Instant.fromEpochMilliseconds(d.getTime());
  await insertNotifications(
    tx,
    classes.flatMap((c) =>
      classRemindersFor(
        {
          id: c.id,
          trainerId,
          title: c.title,
          start: instant(c.starts_at),
          end: instant(c.ends_at),
          status: c.status,
          timezone: c.timezone,
          trainerName: c.trainer_name,
          version: c.version,
          remindersEnabled: c.reminders_enabled,
          reminderMinutes: c.reminder_minutes,
        },
        seats.filter((s) => s.class_id === c.id).map((s) => ({
          id: s.id,
          clientId: s.client_id,
          clientName: s.client_name,
        })),
        now,
        { trainer: true },
      )
    ),
  );
}

/**
 * Deletes pending reminders of classes: all of theirs, or (with `seatIds`) those of
 * these seats only (a seat given up or taken away), of every version of the class.
 */
export async function dropClassReminders(
  tx: Queryable,
  classIds: readonly string[],
  seatIds?: readonly string[],
) {
  if (classIds.length === 0 || seatIds?.length === 0) return;
  const keys = seatIds &&
    classIds.flatMap((classId) =>
      seatIds.map((seatId) =>
        dedupeKey({
          appointmentId: null,
          classId,
          seatId,
          recipient: "client",
          kind: "reminder",
          version: 1,
        })
      )
    );
  await tx`
    DELETE FROM notifications
    WHERE class_id = ANY(${classIds as string[]}::uuid[])
      AND kind = 'reminder' AND status = 'pending'
      ${
    keys
      ? tx`AND dedupe_key LIKE ANY(${keys.map((k) => `${k}%`)}::text[])`
      : tx``
  }`;
}

async function insertNotifications(
  tx: Queryable,
  rows: readonly PlannedNotification[],
): Promise<void> {
  if (rows.length > 0) await notificationsInsert(tx, rows);
}

/**
 * `INSERT INTO notifications …` of `rows`, as a query that can also stand after a
 * `WITH` (so a booking writes its session and its outbox rows in one statement). Each row
 * carries the id of the request being served, if any.
 */
export function notificationsInsert(
  tx: Queryable,
  rows: readonly PlannedNotification[],
) {
  return tx`
    INSERT INTO notifications (appointment_id, class_id, trainer_id, recipient, recipient_id,
      kind, dedupe_key, payload, due_at, next_attempt_at, request_id)
    SELECT appointment_id, class_id, trainer_id, recipient, recipient_id, kind, dedupe_key,
      payload::jsonb, due_at, due_at, ${currentRequestId() ?? null}::text
    FROM unnest(${rows.map((n) => n.appointmentId)}::uuid[],
      ${rows.map((n) => n.classId ?? null)}::uuid[],
      ${rows.map((n) => n.trainerId)}::uuid[], ${
    rows.map((n) => n.recipient)
  }::text[],
      ${rows.map((n) => n.recipientId)}::uuid[], ${
    rows.map((n) => n.kind)
  }::text[],
      ${rows.map(dedupeKey)}::text[], ${
    rows.map((n) => JSON.stringify(n.payload))
  }::text[],
      ${rows.map((n) => n.dueAt.toString())}::timestamptz[])
      AS n(appointment_id, class_id, trainer_id, recipient, recipient_id, kind, dedupe_key, payload, due_at)
    ON CONFLICT (dedupe_key) DO NOTHING`;
}
