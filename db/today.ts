import type { Queryable } from "./client.ts";
import {
  type Appointment,
  type AppointmentRow,
  selectAppointments,
  toAppointment,
} from "./appointments.ts";

/** A client's tags and the trainer's note on them, for the Today view. */
export type ClientNote = Readonly<{ tags: readonly string[]; notes: string }>;

/** Tags and notes of the given clients of a trainer, by client id. */
export async function listClientNotes(
  sql: Queryable,
  trainerId: string,
  clientIds: readonly string[],
): Promise<Map<string, ClientNote>> {
  if (clientIds.length === 0) return new Map();
  const rows = await sql<{ user_id: string; tags: string[]; notes: string }[]>`
    SELECT user_id, tags, notes FROM clients
    WHERE trainer_id = ${trainerId} AND user_id = ANY(${[
    ...clientIds,
  ]}::uuid[])`;
  return new Map(
    rows.map((r) => [r.user_id, { tags: r.tags, notes: r.notes }]),
  );
}

/** The trainer's sessions cancelled after `since`, newest cancellation first. */
export async function listCancelledSince(
  sql: Queryable,
  trainerId: string,
  since: Temporal.Instant,
  limit = 20,
): Promise<Appointment[]> {
  const rows = await sql<AppointmentRow[]>`
    ${selectAppointments(sql)}
    WHERE a.trainer_id = ${trainerId} AND a.status = 'cancelled'
      AND a.cancelled_at > ${since.toString()}
    ORDER BY a.cancelled_at DESC, a.id
    LIMIT ${limit}`;
  return rows.map(toAppointment);
}
