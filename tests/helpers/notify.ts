import type { Queryable, Sql } from "../../db/client.ts";
import { recordAppointmentEvent } from "../../db/outbox.ts";
import type { AppointmentEvent } from "../../domain/notifications.ts";

/**
 * Appointments written straight in SQL plus `recordAppointmentEvent`, in one transaction
 * each, as the booking code does, so these tests do not lean on the booking endpoints.
 */
export async function insertSession(
  sql: Sql,
  input: Readonly<{
    trainerId: string;
    clientId: string;
    start: string;
    minutes?: number;
    status?: "scheduled" | "pending";
    actor?: "trainer" | "client";
    now: Temporal.Instant;
  }>,
): Promise<string> {
  const start = Temporal.Instant.from(input.start);
  const end = start.add({ minutes: input.minutes ?? 60 });
  return await sql.begin(async (tx) => {
    const [{ id }] = await tx<{ id: string }[]>`
      INSERT INTO appointments (trainer_id, client_id, starts_at, ends_at, status)
      VALUES (${input.trainerId}, ${input.clientId}, ${new Date(
      start.epochMilliseconds,
    )}, ${new Date(end.epochMilliseconds)}, ${input.status ?? "scheduled"})
      RETURNING id`;
    await record(tx, id, "booked", input.actor ?? "client", input.now);
    return id;
  });
}

export function cancelSession(
  sql: Sql,
  input: Readonly<{
    id: string;
    by: "trainer" | "client";
    reason: string | null;
    now: Temporal.Instant;
  }>,
): Promise<void> {
  return sql.begin(async (tx) => {
    await tx`
      UPDATE appointments SET status = 'cancelled', cancellation_reason = ${input.reason},
        cancelled_by = ${input.by}, cancelled_at = ${new Date(
      input.now.epochMilliseconds,
    )}
      WHERE id = ${input.id}`;
    await record(tx, input.id, "cancelled", input.by, input.now);
  });
}

export function moveSession(
  sql: Sql,
  input: Readonly<{ id: string; start: string; now: Temporal.Instant }>,
): Promise<void> {
  const start = Temporal.Instant.from(input.start);
  return sql.begin(async (tx) => {
    await tx`
      UPDATE appointments
      SET ends_at = ${new Date(
      start.epochMilliseconds,
    )} + (ends_at - starts_at),
          starts_at = ${new Date(start.epochMilliseconds)},
          version = version + 1
      WHERE id = ${input.id}`;
    await record(tx, input.id, "moved", "trainer", input.now);
  });
}

function record(
  tx: Queryable,
  appointmentId: string,
  event: AppointmentEvent,
  actor: "trainer" | "client",
  now: Temporal.Instant,
) {
  return recordAppointmentEvent(tx, { appointmentId, event, actor, now });
}

export async function linkChat(sql: Sql, userId: string, chatId: number) {
  await sql`UPDATE users SET telegram_chat_id = ${chatId} WHERE id = ${userId}`;
}

export type Row = {
  id: string;
  recipient: string;
  kind: string;
  status: string;
  channel: string;
  attempts: number;
  error: string | null;
  due_at: Date;
  next_attempt_at: Date;
  sent_at: Date | null;
};

export function notificationRows(sql: Sql, appointmentId: string) {
  return sql<Row[]>`
    SELECT id, recipient, kind, status, channel, attempts, error, due_at, next_attempt_at, sent_at
    FROM notifications WHERE appointment_id = ${appointmentId}
    ORDER BY due_at, recipient, kind`;
}
