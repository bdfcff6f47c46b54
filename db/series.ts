/**
 * Recurring weekly series: created and cancelled each in one transaction under the
 * trainer's advisory lock, all or nothing. Occurrences are ordinary appointments with
 * `series_id`; `domain/series.ts` decides when they fall and which conflict.
 */
import type { Queryable, Sql } from "./client.ts";
import { sqlState } from "./client.ts";
import {
  type Appointment,
  type AppointmentRow,
  listBusy,
  lockTrainer,
  selectAppointments,
  toAppointment,
} from "./appointments.ts";
import { getSettings } from "./settings.ts";
import {
  dropReminders,
  notificationsInsert,
  recordAppointmentEvent,
} from "./outbox.ts";
import {
  planCreditsLow,
  planEvent,
  remindersFor,
} from "../domain/notifications.ts";
import { listOpenGrants, writeCreditMoves } from "./credits.ts";
import {
  creditDay,
  type CreditMove,
  leavesLowBalance,
  returnOnCancel,
  useForEach,
} from "../domain/credits.ts";
import { newAppointment } from "../domain/appointments.ts";
import {
  type Occurrence,
  planSeries,
  type SeriesConflict,
  startsOnOrAfter,
  weeklyOccurrences,
} from "../domain/series.ts";

export type Series = Readonly<{
  id: string;
  trainerId: string;
  clientId: string;
  clientName: string;
  start: Temporal.Instant;
  durationMinutes: number;
  weeks: number;
  until: Temporal.PlainDate;
  notes: string;
  timezone: string;
}>;

type SeriesRow = {
  id: string;
  trainer_id: string;
  client_id: string;
  client_name: string;
  starts_at: Date;
  duration_minutes: number;
  weeks: number;
  until: string;
  notes: string;
  timezone: string;
};

const toSeries = (r: SeriesRow): Series => ({
  id: r.id,
  trainerId: r.trainer_id,
  clientId: r.client_id,
  clientName: r.client_name,
  start: Temporal.Instant.fromEpochMilliseconds(r.starts_at.getTime()),
  durationMinutes: r.duration_minutes,
  weeks: r.weeks,
  until: Temporal.PlainDate.from(r.until),
  notes: r.notes,
  timezone: r.timezone,
});

type Conflicts = readonly SeriesConflict[];

export type CreateSeriesResult =
  | Readonly<{
    ok: true;
    series: Series;
    appointments: readonly Appointment[];
    skipped: Conflicts;
  }>
  | Readonly<{ ok: false; reason: "unknown_client" | "in_past" }>
  | Readonly<{ ok: false; reason: "series_conflict"; conflicts: Conflicts }>;

/**
 * Books a weekly series for one of the trainer's clients: every occurrence is checked
 * like a trainer's booking against their live sessions and holidays, then all of them
 * (or, with `skip`, those without a conflict) are written with their outbox rows: one
 * `booked` notice for the series, on its first appointment, and each one's reminders.
 * Each occurrence uses one of the client's credits, in start order, while any are left.
 */
export async function createSeries(
  sql: Sql,
  input: Readonly<{
    trainerId: string;
    clientId: string;
    start: Temporal.Instant;
    durationMinutes: number;
    count: number;
    notes: string;
    onConflict: "fail" | "skip";
    now: Temporal.Instant;
  }>,
): Promise<CreateSeriesResult> {
  try {
    return await sql.begin((tx) => createIn(tx, input));
  } catch (error) {
    // A session that slipped past the lock: the exclusion constraint had the last word.
    if (sqlState(error) === "23P01") {
      return { ok: false, reason: "series_conflict", conflicts: [] };
    }
    throw error;
  }
}

type SeriesInput = Parameters<typeof createSeries>[1];

/** What a series request would book, read in `tx` (under the lock when it writes). */
async function planFor(tx: Queryable, input: SeriesInput) {
  const [names] = await tx<{ trainer_name: string; client_name: string }[]>`
    SELECT tu.name AS trainer_name, cu.name AS client_name
    FROM clients c JOIN users cu ON cu.id = c.user_id JOIN users tu ON tu.id = c.trainer_id
    WHERE c.user_id = ${input.clientId} AND c.trainer_id = ${input.trainerId}`;
  if (!names) return { ok: false as const, reason: "unknown_client" as const };
  const settings = (await getSettings(tx, input.trainerId))!;
  const occurrences = weeklyOccurrences(
    input.start,
    input.durationMinutes,
    settings.timezone,
    input.count,
  );
  const last = occurrences[occurrences.length - 1];
  const busy = await listBusy(tx, input.trainerId, input.start, last.end);
  const plan = planSeries({
    occurrences,
    holidays: settings.holidays,
    busy,
    now: input.now,
    onConflict: input.onConflict,
  });
  return { ok: true as const, names, settings, occurrences, last, plan };
}

/**
 * Every occurrence of a series request with its conflict, if any, written nowhere: the
 * form shows them before the trainer saves (saving checks again under the lock).
 */
export async function previewSeries(sql: Queryable, input: SeriesInput) {
  const found = await planFor(sql, { ...input, onConflict: "skip" });
  if (!found.ok) return found;
  const list = found.plan.ok
    ? found.plan.skipped
    : "conflicts" in found.plan
    ? found.plan.conflicts
    : [];
  const conflicts = new Map(list.map((x) => [x.start.epochMilliseconds, x]));
  if (!found.plan.ok && found.plan.reason === "in_past") {
    return { ok: false as const, reason: "in_past" as const };
  }
  const names = await clashNames(
    sql,
    input.trainerId,
    list.flatMap((x) => x.clash ? [x.clash.appointmentId] : []),
  );
  return {
    ok: true as const,
    occurrences: found.occurrences.map((o) => {
      const x = conflicts.get(o.start.epochMilliseconds);
      const clash = x?.clash && names.get(x.clash.appointmentId);
      return {
        ...o,
        conflict: x?.reason,
        clash: x?.clash && clash
          ? { ...clash, start: x.clash.start, end: x.clash.end }
          : undefined,
      };
    }),
  };
}

/** What stands in a series' way: a session (its client's name) or a class (its title). */
export type Clash = Readonly<{
  kind: "session" | "class";
  name: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
}>;

/** Names the trainer's busy times by id (`class:<id>` for a class, as `listBusy` gives). */
async function clashNames(
  sql: Queryable,
  trainerId: string,
  ids: readonly string[],
): Promise<Map<string, Omit<Clash, "start" | "end">>> {
  if (!ids.length) return new Map();
  const classIds = ids.filter((id) => id.startsWith("class:")).map((id) =>
    id.slice(6)
  );
  const sessionIds = ids.filter((id) => !id.startsWith("class:"));
  const rows = await sql<
    { id: string; kind: "session" | "class"; name: string }[]
  >`
    SELECT a.id::text AS id, 'session' AS kind, u.name
    FROM appointments a JOIN users u ON u.id = a.client_id
    WHERE a.trainer_id = ${trainerId} AND a.id = ANY(${sessionIds}::uuid[])
    UNION ALL
    SELECT 'class:' || c.id, 'class', c.title FROM classes c
    WHERE c.trainer_id = ${trainerId} AND c.id = ANY(${classIds}::uuid[])`;
  return new Map(rows.map((r) => [r.id, { kind: r.kind, name: r.name }]));
}

async function createIn(
  tx: Queryable,
  input: SeriesInput,
): Promise<CreateSeriesResult> {
  await lockTrainer(tx, input.trainerId);
  const found = await planFor(tx, input);
  if (!found.ok) return found;
  const { names, settings, last, plan } = found;
  if (!plan.ok) return plan;

  const seriesId = crypto.randomUUID();
  const uses = useForEach(
    await listOpenGrants(tx, input.clientId),
    creditDay(input.now, settings.timezone),
    plan.book.length,
  );
  const appointments = plan.book.map((o: Occurrence, i) =>
    newAppointment({
      id: crypto.randomUUID(),
      trainerId: input.trainerId,
      clientId: input.clientId,
      clientName: names.client_name,
      trainerName: names.trainer_name,
      timezone: settings.timezone,
      start: o.start,
      end: o.end,
      status: "scheduled",
      notes: input.notes,
      createdAt: input.now,
      seriesId,
      creditGrantId: uses[i].grantId,
      creditReturned: false,
    })
  );

  const snapshot = (a: Appointment) => ({
    ...a,
    remindersEnabled: settings.remindersEnabled,
    reminderMinutes: settings.reminderMinutes,
  });
  const rows = appointments.flatMap((a, i) =>
    i === 0
      ? planEvent(snapshot(a), {
        event: "booked",
        actor: "trainer",
        now: input.now,
      }).rows
      : remindersFor(snapshot(a), input.now)
  ).concat(
    appointments.flatMap((a, i) =>
      leavesLowBalance(uses[i])
        ? [planCreditsLow(snapshot(a), uses[i].balanceAfter, input.now)]
        : []
    ),
  );
  const [row] = await tx<SeriesRow[]>`
    INSERT INTO series (id, trainer_id, client_id, starts_at, duration_minutes, weeks,
      until, notes, created_at)
    VALUES (${seriesId}, ${input.trainerId}, ${input.clientId}, ${input.start.toString()},
      ${input.durationMinutes}, ${input.count}, ${last.date.toString()}, ${input.notes},
      ${input.now.toString()})
    RETURNING id, trainer_id, client_id, ${names.client_name}::text AS client_name,
      starts_at, duration_minutes, weeks, to_char(until, 'YYYY-MM-DD') AS until, notes,
      ${settings.timezone}::text AS timezone`;
  const col = <T>(f: (a: Appointment) => T) => appointments.map(f);
  await tx`
    WITH booked AS (
      INSERT INTO appointments (id, trainer_id, client_id, starts_at, ends_at, status, notes,
        series_id, created_at, updated_at, credit_grant_id)
      SELECT id, ${input.trainerId}, ${input.clientId}, starts_at, ends_at, 'scheduled',
        ${input.notes}, ${seriesId}, ${input.now.toString()}, ${input.now.toString()},
        credit_grant_id
      FROM unnest(${col((a) => a.id)}::uuid[], ${
    col((a) => a.start.toString())
  }::timestamptz[], ${col((a) => a.end.toString())}::timestamptz[], ${
    col((a) => a.creditGrantId ?? null)
  }::uuid[])
        AS a(id, starts_at, ends_at, credit_grant_id)
    )
    ${notificationsInsert(tx, rows)}`;
  await writeCreditMoves(
    tx,
    appointments.flatMap((a): CreditMove[] =>
      a.creditGrantId
        ? [{
          grantId: a.creditGrantId,
          kind: "used",
          appointmentId: a.id,
          classId: null,
        }]
        : []
    ),
    input.now,
  );
  return {
    ok: true,
    series: toSeries(row),
    appointments,
    skipped: plan.skipped,
  };
}

const selectSeries = (sql: Queryable) =>
  sql`
    SELECT s.id, s.trainer_id, s.client_id, cu.name AS client_name, s.starts_at,
      s.duration_minutes, s.weeks, to_char(s.until, 'YYYY-MM-DD') AS until, s.notes,
      t.timezone
    FROM series s JOIN trainers t ON t.user_id = s.trainer_id
    JOIN users cu ON cu.id = s.client_id`;

/** A trainer's series with all its appointments (any status), by start. */
export async function getSeries(
  sql: Queryable,
  id: string,
  trainerId: string,
): Promise<
  { series: Series; appointments: readonly Appointment[] } | undefined
> {
  const [row] = await sql<SeriesRow[]>`
    ${selectSeries(sql)} WHERE s.id = ${id} AND s.trainer_id = ${trainerId}`;
  if (!row) return undefined;
  const appointments = await sql<AppointmentRow[]>`
    ${selectAppointments(sql)} WHERE a.series_id = ${id}
    ORDER BY a.starts_at, a.id`;
  return {
    series: toSeries(row),
    appointments: appointments.map(toAppointment),
  };
}

/** The series of one client of the trainer, newest first, with what is still ahead. */
export async function listClientSeries(
  sql: Queryable,
  trainerId: string,
  clientId: string,
  now: Temporal.Instant,
) {
  const rows = await sql<
    (SeriesRow & { upcoming: number; next: string | null })[]
  >`
    SELECT s.id, s.trainer_id, s.client_id, cu.name AS client_name, s.starts_at,
      s.duration_minutes, s.weeks, to_char(s.until, 'YYYY-MM-DD') AS until, s.notes,
      t.timezone, count(a.id)::int AS upcoming,
      (array_agg(a.id ORDER BY a.starts_at))[1] AS next
    FROM series s JOIN trainers t ON t.user_id = s.trainer_id
    JOIN users cu ON cu.id = s.client_id
    LEFT JOIN appointments a ON a.series_id = s.id
      AND a.status IN ('scheduled', 'pending') AND a.starts_at > ${now.toString()}
    WHERE s.trainer_id = ${trainerId} AND s.client_id = ${clientId}
    GROUP BY s.id, t.timezone, cu.name
    ORDER BY s.starts_at DESC`;
  return rows.map((r) => ({
    ...toSeries(r),
    upcoming: r.upcoming,
    next: r.next ?? undefined,
  }));
}

/** Where a series cancel starts: an appointment of it, a local date, or "not started". */
export type CancelFrom =
  | Readonly<{ appointmentId: string }>
  | Readonly<{ date: Temporal.PlainDate }>
  | undefined;

/**
 * Cancels every scheduled or pending occurrence from `from` on, with `reason`; the
 * client is told once (one `cancelled` notice, on the first one cancelled), every
 * cancelled occurrence loses its reminders and returns its credit. `undefined` when the series is not the
 * trainer's; `bad_from` when `from` names no appointment of this series.
 */
export async function cancelSeries(
  sql: Sql,
  input: Readonly<{
    id: string;
    trainerId: string;
    from: CancelFrom;
    reason: string | null;
    now: Temporal.Instant;
    /** `false` keeps the credits of the scheduled ones used (the trainer's cancel form). */
    refund?: boolean;
    /** Leaves alone those that have started by `now` (the series page's "from a date"). */
    notStarted?: boolean;
  }>,
): Promise<
  | Readonly<{ ok: true; series: Series; cancelled: readonly string[] }>
  | Readonly<{ ok: false; reason: "not_found" | "bad_from" }>
> {
  return await sql.begin(async (tx) => {
    await lockTrainer(tx, input.trainerId);
    const found = await getSeries(tx, input.id, input.trainerId);
    if (!found) return { ok: false as const, reason: "not_found" as const };
    const { series, appointments } = found;
    let after: (a: Appointment) => boolean;
    const from = input.from;
    if (from && "appointmentId" in from) {
      const pivot = appointments.find((a) => a.id === from.appointmentId);
      if (!pivot) return { ok: false as const, reason: "bad_from" as const };
      after = (a) => Temporal.Instant.compare(a.start, pivot.start) >= 0;
    } else if (from) {
      after = (a) => startsOnOrAfter(a, series.timezone, from.date);
    } else {
      after = (a) => Temporal.Instant.compare(a.start, input.now) > 0;
    }
    const cancelled = appointments.filter((a) =>
      (a.status === "scheduled" || a.status === "pending") && after(a) &&
      (!input.notStarted || Temporal.Instant.compare(a.start, input.now) > 0)
    );
    const ids = cancelled.map((a) => a.id);
    if (ids.length) {
      const now = input.now.toString();
      const moves = cancelled.flatMap((a): CreditMove[] => {
        const grantId = returnOnCancel(a, "trainer", input.refund ?? true);
        return grantId
          ? [{ grantId, kind: "returned", appointmentId: a.id, classId: null }]
          : [];
      });
      const returned = moves.map((m) => m.appointmentId!);
      await tx`
        UPDATE appointments SET status = 'cancelled', cancellation_reason = ${input.reason},
          cancelled_by = 'trainer', cancelled_at = ${now}, updated_at = ${now},
          credit_returned = credit_returned OR id = ANY(${returned}::uuid[])
        WHERE id = ANY(${ids}::uuid[])`;
      await writeCreditMoves(tx, moves, input.now);
      await recordAppointmentEvent(tx, {
        appointmentId: ids[0],
        event: "cancelled",
        actor: "trainer",
        now: input.now,
      });
      await dropReminders(tx, ids.slice(1));
    }
    return { ok: true as const, series, cancelled: ids };
  });
}
