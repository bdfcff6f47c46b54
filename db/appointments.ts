import { type Queryable, UUID } from "./client.ts";
import type {
  Actor,
  Appointment,
  AppointmentStatus,
  BusyInterval,
} from "../domain/types.ts";

export type { Appointment };
import { MAX_SESSION_MINUTES } from "../domain/appointments.ts";
import { MAX_BUFFER_MINUTES } from "../domain/policies.ts";

export type AppointmentRow = {
  id: string;
  trainer_id: string;
  client_id: string;
  client_name: string;
  trainer_name: string;
  timezone: string;
  starts_at: Date;
  ends_at: Date;
  status: AppointmentStatus;
  notes: string;
  cancellation_reason: string | null;
  cancelled_by: Actor | null;
  cancelled_at: Date | null;
  declined: boolean;
  created_at: Date;
  version: number;
  series_id: string | null;
  credit_grant_id: string | null;
  credit_returned: boolean;
};

const instant = (d: Date) =>
  Temporal.Instant.fromEpochMilliseconds(d.getTime());

export const toAppointment = (r: AppointmentRow): Appointment => ({
  id: r.id,
  trainerId: r.trainer_id,
  clientId: r.client_id,
  clientName: r.client_name,
  trainerName: r.trainer_name,
  timezone: r.timezone,
  start: instant(r.starts_at),
  end: instant(r.ends_at),
  status: r.status,
  notes: r.notes,
  cancellationReason: r.cancellation_reason,
  cancelledBy: r.cancelled_by,
  cancelledAt: r.cancelled_at && instant(r.cancelled_at),
  declined: r.declined,
  createdAt: instant(r.created_at),
  version: r.version,
  seriesId: r.series_id,
  creditGrantId: r.credit_grant_id,
  creditReturned: r.credit_returned,
});

/** `SELECT` of {@link AppointmentRow}s (and the trainer's `t.` columns named in `extra`). */
export const selectAppointments = (
  sql: Queryable,
  extra: ReturnType<Queryable> = sql``,
) =>
  sql`
    SELECT a.id, a.trainer_id, a.client_id, cu.name AS client_name, tu.name AS trainer_name,
      t.timezone, a.starts_at, a.ends_at, a.status, a.notes, a.cancellation_reason,
      a.cancelled_by, a.cancelled_at, a.created_at, a.version, a.series_id,
      a.credit_grant_id, a.credit_returned,
      a.status = 'cancelled' AND EXISTS (
        SELECT 1 FROM notifications n WHERE n.appointment_id = a.id AND n.kind = 'declined'
      ) AS declined ${extra}
    FROM appointments a
    JOIN trainers t ON t.user_id = a.trainer_id
    JOIN users tu ON tu.id = a.trainer_id
    JOIN users cu ON cu.id = a.client_id`;

/** Who may see an appointment: its trainer or its client. */
/**
 * The sessions among `ids` their client knows of: one they booked themselves, or one a
 * notice about reached them (`mayDelete` in domain/appointments.ts decides with it).
 */
export async function listKnownToClient(
  sql: Queryable,
  ids: readonly string[],
): Promise<ReadonlySet<string>> {
  if (ids.length === 0) return new Set();
  const rows = await sql<{ appointment_id: string }[]>`
    SELECT DISTINCT appointment_id FROM notifications
    WHERE appointment_id = ANY(${ids as string[]}::uuid[])
      AND ((recipient = 'client' AND status IN ('sending', 'sent'))
        OR (recipient = 'trainer' AND kind = 'booked'))`;
  return new Set(rows.map((r) => r.appointment_id));
}

export type Owner = Readonly<{ role: Actor; id: string }>;

/** The appointment if `owner` may see it; anything else is "not found". */
export async function getAppointment(
  sql: Queryable,
  id: string,
  owner: Owner,
  options: { forUpdate?: boolean } = {},
): Promise<Appointment | undefined> {
  // Not an appointment's id (a class's busy id, say): nothing to find.
  if (!UUID.test(id)) return undefined;
  const ownerFilter = owner.role === "trainer"
    ? sql`a.trainer_id = ${owner.id}`
    : sql`a.client_id = ${owner.id}`;
  const [row] = await sql<AppointmentRow[]>`
    ${selectAppointments(sql)}
    WHERE a.id = ${id} AND ${ownerFilter}
    ${options.forUpdate ? sql`FOR UPDATE OF a` : sql``}`;
  return row && toAppointment(row);
}

export async function listAppointments(
  sql: Queryable,
  filter: Readonly<{
    owner: Owner;
    from?: Temporal.Instant;
    to?: Temporal.Instant;
    statuses?: readonly AppointmentStatus[];
    clientId?: string;
    order?: "asc" | "desc";
    limit?: number;
  }>,
): Promise<Appointment[]> {
  const { owner } = filter;
  const rows = await sql<AppointmentRow[]>`
    ${selectAppointments(sql)}
    WHERE ${
    owner.role === "trainer"
      ? sql`a.trainer_id = ${owner.id}`
      : sql`a.client_id = ${owner.id}`
  }
      ${filter.from ? sql`AND a.starts_at >= ${filter.from.toString()}` : sql``}
      ${filter.to ? sql`AND a.starts_at < ${filter.to.toString()}` : sql``}
      ${
    filter.statuses?.length
      ? sql`AND a.status = ANY(${filter.statuses as string[]})`
      : sql``
  }
      ${filter.clientId ? sql`AND a.client_id = ${filter.clientId}` : sql``}
    ORDER BY a.starts_at ${filter.order === "desc" ? sql`DESC` : sql`ASC`}, a.id
    ${filter.limit ? sql`LIMIT ${filter.limit}` : sql``}`;
  return rows.map(toAppointment);
}

/**
 * Live time of a trainer overlapping [from, to): scheduled and pending appointments, and
 * scheduled group classes (id `class:<id>`, no client, so never anybody's "mine").
 */
export async function listBusy(
  sql: Queryable,
  trainerId: string,
  from: Temporal.Instant,
  to: Temporal.Instant,
): Promise<BusyInterval[]> {
  return (await busyRows(sql, trainerId, from, to, false)).map(toBusy);
}

/** {@link listBusy} as a calendar shows it: which sessions wait for confirmation, and whose. */
export type BookedTime =
  & BusyInterval
  & Readonly<{ pending: boolean; clientName: string }>;

/** {@link listBusy} with each session's confirmation state and, if `names`, its client's name. */
export async function listBookedTime(
  sql: Queryable,
  trainerId: string,
  from: Temporal.Instant,
  to: Temporal.Instant,
  names: boolean,
): Promise<BookedTime[]> {
  return (await busyRows(sql, trainerId, from, to, names)).map((r) => ({
    ...toBusy(r),
    pending: r.pending,
    clientName: r.client_name,
  }));
}

type BusyRow = {
  id: string;
  client_id: string;
  starts_at: Date;
  ends_at: Date;
  pending: boolean;
  client_name: string;
};

const toBusy = (r: BusyRow): BusyInterval => ({
  appointmentId: r.id,
  clientId: r.client_id,
  start: instant(r.starts_at),
  end: instant(r.ends_at),
});

function busyRows(
  sql: Queryable,
  trainerId: string,
  from: Temporal.Instant,
  to: Temporal.Instant,
  names: boolean,
) {
  const range =
    sql`tstzrange(${from.toString()}::timestamptz, ${to.toString()}::timestamptz)`;
  return sql<BusyRow[]>`
    SELECT a.id::text, a.client_id::text, a.starts_at, a.ends_at,
      a.status = 'pending' AS pending,
      ${names ? sql`u.name` : sql`''`} AS client_name
    FROM appointments a
    ${names ? sql`JOIN users u ON u.id = a.client_id` : sql``}
    WHERE a.trainer_id = ${trainerId} AND a.status IN ('scheduled', 'pending')
      -- the exclusion constraint's GiST index answers this without scanning history
      AND tstzrange(a.starts_at, a.ends_at) && ${range}
    UNION ALL
    SELECT 'class:' || id, '', starts_at, ends_at, false, '' FROM classes
    WHERE trainer_id = ${trainerId} AND status = 'scheduled'
      AND tstzrange(starts_at, ends_at) && ${range}
    ORDER BY starts_at`;
}

/** Live sessions that can overlap a session starting at `start`, or its buffer. */
export function listBusyNear(
  sql: Queryable,
  trainerId: string,
  start: Temporal.Instant,
): Promise<BusyInterval[]> {
  const reach = MAX_SESSION_MINUTES + MAX_BUFFER_MINUTES;
  return listBusy(
    sql,
    trainerId,
    start.subtract({ minutes: reach }),
    start.add({ minutes: reach }),
  );
}

/** Serialises every booking change of one trainer, across processes, until the transaction ends. */
export async function lockTrainer(sql: Queryable, trainerId: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`trainer:${trainerId}`}, 0))`;
}
