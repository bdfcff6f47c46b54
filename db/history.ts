import type { Queryable } from "./client.ts";
import {
  type Appointment,
  type AppointmentRow,
  type Owner,
  selectAppointments,
  toAppointment,
} from "./appointments.ts";
import type { HistoryStatus } from "../domain/types.ts";

/** Where the previous page ended: the last row's start and id (keyset pagination). */
export type HistoryCursor = Readonly<{ start: Temporal.Instant; id: string }>;

export type HistoryFilter = Readonly<{
  owner: Owner;
  /** Only sessions that started before this instant (history is the past). */
  before: Temporal.Instant;
  clientId?: string;
  status?: HistoryStatus;
  from?: Temporal.Instant;
  to?: Temporal.Instant;
  after?: HistoryCursor;
  limit?: number;
}>;

/** A declined request is a cancelled row whose notice was `declined` (as `declined` in selectAppointments). */
function statusIs(sql: Queryable, status: HistoryStatus) {
  const declined =
    sql`EXISTS (SELECT 1 FROM notifications n WHERE n.appointment_id = a.id AND n.kind = 'declined')`;
  return status === "declined"
    ? sql`AND a.status = 'cancelled' AND ${declined}`
    : status === "cancelled"
    ? sql`AND a.status = 'cancelled' AND NOT ${declined}`
    : sql`AND a.status = ${status}`;
}

/**
 * Past sessions, newest first, after `after` in that order: a page is one index range
 * scan however deep the trainer pages, since it seeks from the cursor instead of skipping.
 */
export async function listHistory(
  sql: Queryable,
  f: HistoryFilter,
): Promise<Appointment[]> {
  const rows = await sql<AppointmentRow[]>`
    ${selectAppointments(sql)}
    WHERE ${
    f.owner.role === "trainer"
      ? sql`a.trainer_id = ${f.owner.id}`
      : sql`a.client_id = ${f.owner.id}`
  }
      AND a.starts_at < ${f.before.toString()}
      ${f.clientId ? sql`AND a.client_id = ${f.clientId}` : sql``}
      ${f.status ? statusIs(sql, f.status) : sql``}
      ${f.from ? sql`AND a.starts_at >= ${f.from.toString()}` : sql``}
      ${f.to ? sql`AND a.starts_at < ${f.to.toString()}` : sql``}
      ${
    f.after
      ? sql`AND (a.starts_at, a.id) < (${f.after.start.toString()}::timestamptz, ${f.after.id}::uuid)`
      : sql``
  }
    ORDER BY a.starts_at DESC, a.id DESC
    ${f.limit ? sql`LIMIT ${f.limit}` : sql``}`;
  return rows.map(toAppointment);
}

/** Sessions that started but are still `scheduled`: they wait for the trainer to mark them. */
export async function countAwaitingMark(
  sql: Queryable,
  trainerId: string,
  now: Temporal.Instant,
): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM appointments
    WHERE trainer_id = ${trainerId} AND status = 'scheduled'
      AND starts_at < ${now.toString()}`;
  return row.n;
}
