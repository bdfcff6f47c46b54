import type { Queryable } from "./client.ts";
import type {
  Actor,
  AppointmentStatus,
  BusyInterval,
} from "../domain/types.ts";

export type Appointment = Readonly<{
  id: string;
  trainerId: string;
  clientId: string;
  clientName: string;
  trainerName: string;
  timezone: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
  status: AppointmentStatus;
  notes: string;
  cancellationReason: string | null;
  cancelledBy: Actor | null;
  cancelledAt: Temporal.Instant | null;
  /** Cancelled by the trainer while it was still a request (the outbox kept a 'declined' notice). */
  declined?: boolean;
  createdAt: Temporal.Instant;
  version: number;
}>;

type Row = {
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
};

const instant = (d: Date) =>
  Temporal.Instant.fromEpochMilliseconds(d.getTime());

const toAppointment = (r: Row): Appointment => ({
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
});

const selectAppointments = (sql: Queryable) =>
  sql`
    SELECT a.id, a.trainer_id, a.client_id, cu.name AS client_name, tu.name AS trainer_name,
      t.timezone, a.starts_at, a.ends_at, a.status, a.notes, a.cancellation_reason,
      a.cancelled_by, a.cancelled_at, a.created_at, a.version,
      a.status = 'cancelled' AND EXISTS (
        SELECT 1 FROM notifications n WHERE n.appointment_id = a.id AND n.kind = 'declined'
      ) AS declined
    FROM appointments a
    JOIN trainers t ON t.user_id = a.trainer_id
    JOIN users tu ON tu.id = a.trainer_id
    JOIN users cu ON cu.id = a.client_id`;

/** Who may see an appointment: its trainer or its client. */
export type Owner = Readonly<{ role: Actor; id: string }>;

/** The appointment if `owner` may see it; anything else is "not found". */
export async function getAppointment(
  sql: Queryable,
  id: string,
  owner: Owner,
  options: { forUpdate?: boolean } = {},
): Promise<Appointment | undefined> {
  const ownerFilter = owner.role === "trainer"
    ? sql`a.trainer_id = ${owner.id}`
    : sql`a.client_id = ${owner.id}`;
  const [row] = await sql<Row[]>`
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
  const rows = await sql<Row[]>`
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

/** Scheduled and pending appointments of a trainer overlapping [from, to). */
export async function listBusy(
  sql: Queryable,
  trainerId: string,
  from: Temporal.Instant,
  to: Temporal.Instant,
): Promise<BusyInterval[]> {
  const rows = await sql<
    { id: string; client_id: string; starts_at: Date; ends_at: Date }[]
  >`
    SELECT id, client_id, starts_at, ends_at FROM appointments
    WHERE trainer_id = ${trainerId} AND status IN ('scheduled', 'pending')
      -- the exclusion constraint's GiST index answers this without scanning history
      AND tstzrange(starts_at, ends_at) && tstzrange(${from.toString()}::timestamptz, ${to.toString()}::timestamptz)
    ORDER BY starts_at`;
  return rows.map((r) => ({
    appointmentId: r.id,
    clientId: r.client_id,
    start: instant(r.starts_at),
    end: instant(r.ends_at),
  }));
}

export async function updateAppointment(
  sql: Queryable,
  id: string,
  change: Readonly<{
    start?: Temporal.Instant;
    end?: Temporal.Instant;
    notes?: string;
    status?: AppointmentStatus;
    cancellationReason?: string | null;
    cancelledBy?: Actor;
    now: Temporal.Instant;
  }>,
) {
  const moved = change.start !== undefined;
  const now = change.now.toString();
  await sql`
    UPDATE appointments SET
      starts_at = COALESCE(${
    change.start?.toString() ?? null
  }::timestamptz, starts_at),
      ends_at = COALESCE(${
    change.end?.toString() ?? null
  }::timestamptz, ends_at),
      notes = COALESCE(${change.notes ?? null}, notes),
      status = COALESCE(${change.status ?? null}, status),
      cancellation_reason = CASE WHEN ${change.status === "cancelled"}
        THEN ${change.cancellationReason ?? null} ELSE cancellation_reason END,
      cancelled_by = COALESCE(${change.cancelledBy ?? null}, cancelled_by),
      cancelled_at = CASE WHEN ${
    change.status === "cancelled"
  } THEN ${now}::timestamptz ELSE cancelled_at END,
      completed_at = CASE WHEN ${
    change.status === "completed"
  } THEN ${now}::timestamptz ELSE completed_at END,
      version = version + CASE WHEN ${moved} THEN 1 ELSE 0 END,
      updated_at = ${now}
    WHERE id = ${id}`;
}

export async function deleteAppointment(
  sql: Queryable,
  id: string,
  trainerId: string,
) {
  const rows =
    await sql`DELETE FROM appointments WHERE id = ${id} AND trainer_id = ${trainerId} RETURNING id`;
  return rows.length > 0;
}

/** Another live appointment of the trainer overlapping [start, end), ignoring `exceptId`. */
export async function hasOverlap(
  sql: Queryable,
  trainerId: string,
  start: Temporal.Instant,
  end: Temporal.Instant,
  exceptId?: string,
): Promise<boolean> {
  const [row] = await sql`
    SELECT 1 FROM appointments
    WHERE trainer_id = ${trainerId} AND status IN ('scheduled', 'pending')
      AND tstzrange(starts_at, ends_at) && tstzrange(${start.toString()}::timestamptz, ${end.toString()}::timestamptz)
      ${exceptId ? sql`AND id <> ${exceptId}` : sql``}
    LIMIT 1`;
  return row !== undefined;
}

/** Serialises every booking change of one trainer, across processes, until the transaction ends. */
export async function lockTrainer(sql: Queryable, trainerId: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`trainer:${trainerId}`}, 0))`;
}
