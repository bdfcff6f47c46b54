import type { Queryable } from "./client.ts";
import { listClassesInRange } from "./classes.ts";
import type { BusiestTimes, StatusCounts } from "../domain/types.ts";
import type { BusinessSettings } from "../domain/types.ts";
import type { BookingPolicies } from "../domain/policies.ts";
import {
  buildReport,
  type ClientFigures,
  type HeatCell,
  lateCancelMinutes,
  type RangeWeeks,
  type StatsReport,
  weekStarts,
  type WeekStatusRow,
} from "../domain/stats.ts";
import { dayRange, localDateOf } from "../domain/time.ts";

export type { BusiestTimes, StatusCounts };

/**
 * A trainer's sessions starting in [from, to), counted by status; all of them
 * when no range is given.
 *
 * @example countSessionsByStatus(sql, trainerId, dayRange(monday, sunday, tz))
 */
export async function countSessionsByStatus(
  sql: Queryable,
  trainerId: string,
  range?: Readonly<{ start: Temporal.Instant; end: Temporal.Instant }>,
): Promise<StatusCounts> {
  const [row] = await sql<StatusCounts[]>`
    WITH declined AS (${declinedIds(sql, trainerId)})
    SELECT
      count(*) FILTER (WHERE a.status = 'scheduled')::int AS scheduled,
      count(*) FILTER (WHERE a.status = 'pending')::int AS pending,
      count(*) FILTER (WHERE a.status = 'completed')::int AS completed,
      count(*) FILTER (WHERE a.status = 'cancelled' AND d.id IS NULL)::int AS cancelled,
      count(*) FILTER (WHERE a.status = 'cancelled' AND d.id IS NOT NULL)::int AS declined
    FROM appointments a
    LEFT JOIN declined d ON d.id = a.id
    WHERE a.trainer_id = ${trainerId}
      ${
    range
      ? sql`AND a.starts_at >= ${range.start.toString()} AND a.starts_at < ${range.end.toString()}`
      : sql``
  }`;
  return row;
}

export async function countClients(
  sql: Queryable,
  trainerId: string,
): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM clients WHERE trainer_id = ${trainerId}`;
  return row.n;
}

/**
 * When the trainer's sessions that took place or will (not cancelled) start most
 * often, in the trainer's zone; ties go to the earlier day or hour.
 */
export async function getBusiestTimes(
  sql: Queryable,
  trainerId: string,
  timezone: string,
): Promise<BusiestTimes> {
  // One pass, one zone conversion per row: both groupings come from the same scan.
  const rows = await sql<
    { iso_day: number | null; hour: number | null; sessions: number }[]
  >`
    WITH local AS (
      SELECT a.starts_at AT TIME ZONE ${timezone} AS t
      FROM appointments a
      WHERE a.trainer_id = ${trainerId} AND a.status <> 'cancelled'
    ), cells AS (
      SELECT extract(isodow FROM t)::int AS iso_day, extract(hour FROM t)::int AS hour
      FROM local
    )
    SELECT iso_day, hour, count(*)::int AS sessions
    FROM cells GROUP BY GROUPING SETS ((iso_day), (hour))`;
  /** The most sessions; a tie goes to the smaller key (earlier day or hour). */
  const busiest = (key: "iso_day" | "hour") =>
    rows.filter((r) => r[key] !== null).reduce<
      { key: number; sessions: number } | undefined
    >(
      (best, r) =>
        !best || r.sessions > best.sessions ||
          (r.sessions === best.sessions && r[key]! < best.key)
          ? { key: r[key]!, sessions: r.sessions }
          : best,
      undefined,
    );
  const day = busiest("iso_day");
  const hr = busiest("hour");
  const weekday = day && { iso_day: day.key, sessions: day.sessions };
  const hour = hr && { hour: hr.key, sessions: hr.sessions };
  return {
    weekday: weekday
      ? { isoDay: weekday.iso_day, sessions: weekday.sessions }
      : null,
    hour: hour ? { hour: hour.hour, sessions: hour.sessions } : null,
  };
}

type Range = Readonly<{ start: Temporal.Instant; end: Temporal.Instant }>;

const instantOf = (d: Date | null) =>
  d && Temporal.Instant.fromEpochMilliseconds(d.getTime());

/**
 * Requests the trainer declined: a cancel of a pending request leaves the same row as
 * any cancel, but its outbox notice is `declined` (kept for good, unlike reminders).
 */
const declinedIds = (sql: Queryable, trainerId: string) =>
  sql`SELECT DISTINCT appointment_id AS id FROM notifications
      WHERE trainer_id = ${trainerId} AND kind = 'declined'`;

/** Sessions starting in `range`, per local week (Monday) and status, with minutes and who cancelled. */
export async function listWeekStatusRows(
  sql: Queryable,
  trainerId: string,
  timezone: string,
  range: Range,
): Promise<WeekStatusRow[]> {
  const rows = await sql<
    {
      week: string;
      status: WeekStatusRow["status"];
      sessions: number;
      minutes: number;
      declined: number;
      by_client: number;
      by_trainer: number;
    }[]
  >`
    WITH declined AS (${declinedIds(sql, trainerId)})
    SELECT to_char(date_trunc('week', a.starts_at AT TIME ZONE ${timezone}), 'YYYY-MM-DD') AS week,
      a.status,
      count(*)::int AS sessions,
      coalesce(round(sum(extract(epoch FROM a.ends_at - a.starts_at)) / 60), 0)::int AS minutes,
      count(d.id)::int AS declined,
      count(*) FILTER (WHERE a.cancelled_by = 'client')::int AS by_client,
      count(*) FILTER (WHERE a.cancelled_by = 'trainer')::int AS by_trainer
    FROM appointments a
    LEFT JOIN declined d ON d.id = a.id
    WHERE a.trainer_id = ${trainerId}
      AND a.starts_at >= ${range.start.toString()} AND a.starts_at < ${range.end.toString()}
    GROUP BY 1, 2`;
  return rows.map((r) => ({
    week: r.week,
    status: r.status,
    sessions: r.sessions,
    minutes: r.minutes,
    declined: r.declined,
    byClient: r.by_client,
    byTrainer: r.by_trainer,
  }));
}

/** Reasons of the cancelled sessions (not declined requests) starting in `range`, with counts. */
export async function listCancellationReasons(
  sql: Queryable,
  trainerId: string,
  range: Range,
) {
  return await sql<{ reason: string | null; count: number }[]>`
    WITH declined AS (${declinedIds(sql, trainerId)})
    SELECT nullif(btrim(a.cancellation_reason), '') AS reason, count(*)::int AS count
    FROM appointments a
    WHERE a.trainer_id = ${trainerId} AND a.status = 'cancelled'
      AND a.starts_at >= ${range.start.toString()} AND a.starts_at < ${range.end.toString()}
      AND a.id NOT IN (SELECT id FROM declined)
    GROUP BY 1`;
}

/** Sessions that took or hold time (not cancelled) starting in `range`, by local weekday and hour. */
export async function listHeatCells(
  sql: Queryable,
  trainerId: string,
  timezone: string,
  range: Range,
): Promise<HeatCell[]> {
  const rows = await sql<{ iso_day: number; hour: number; sessions: number }[]>`
    SELECT extract(isodow FROM a.starts_at AT TIME ZONE ${timezone})::int AS iso_day,
      extract(hour FROM a.starts_at AT TIME ZONE ${timezone})::int AS hour,
      count(*)::int AS sessions
    FROM appointments a
    WHERE a.trainer_id = ${trainerId} AND a.status <> 'cancelled'
      AND a.starts_at >= ${range.start.toString()} AND a.starts_at < ${range.end.toString()}
    GROUP BY 1, 2`;
  return rows.map((r) => ({
    isoDay: r.iso_day,
    hour: r.hour,
    sessions: r.sessions,
  }));
}

/** Clients who joined in `range`, per local month `YYYY-MM`. */
export async function listNewClientsPerMonth(
  sql: Queryable,
  trainerId: string,
  timezone: string,
  range: Range,
) {
  return await sql<{ month: string; count: number }[]>`
    SELECT to_char(date_trunc('month', u.created_at AT TIME ZONE ${timezone}), 'YYYY-MM') AS month,
      count(*)::int AS count
    FROM clients c JOIN users u ON u.id = c.user_id
    WHERE c.trainer_id = ${trainerId}
      AND u.created_at >= ${range.start.toString()} AND u.created_at < ${range.end.toString()}
    GROUP BY 1`;
}

/**
 * Every client of the trainer with their sessions starting in `range` (declined requests
 * left out), completed, cancelled late (less than `lateMinutes` before the start:
 * {@link lateCancelMinutes}) and otherwise, and their last and next session whenever those are.
 */
export async function listClientFigures(
  sql: Queryable,
  trainerId: string,
  range: Range,
  now: Temporal.Instant,
  lateMinutes: number,
): Promise<ClientFigures[]> {
  const from = range.start.toString();
  const to = range.end.toString();
  const rows = await sql<
    {
      id: string;
      name: string;
      joined_at: Date;
      sessions: number;
      completed: number;
      cancelled_late: number;
      cancelled_other: number;
      last_session: Date | null;
      next_session: Date | null;
    }[]
  >`
    WITH declined AS (${declinedIds(sql, trainerId)}),
    mine AS (
      SELECT a.client_id, a.starts_at, a.status, a.cancelled_at,
        a.starts_at >= ${from} AND a.starts_at < ${to} AND d.id IS NULL AS counted
      FROM appointments a LEFT JOIN declined d ON d.id = a.id
      WHERE a.trainer_id = ${trainerId}
    )
    SELECT u.id, u.name, u.created_at AS joined_at,
      count(*) FILTER (WHERE m.counted)::int AS sessions,
      count(*) FILTER (WHERE m.counted AND m.status = 'completed')::int AS completed,
      count(*) FILTER (WHERE m.counted AND m.status = 'cancelled'
        AND m.cancelled_at > m.starts_at - make_interval(mins => ${lateMinutes}))::int AS cancelled_late,
      count(*) FILTER (WHERE m.counted AND m.status = 'cancelled'
        AND m.cancelled_at <= m.starts_at - make_interval(mins => ${lateMinutes}))::int AS cancelled_other,
      max(m.starts_at) FILTER (WHERE m.starts_at < ${now.toString()} AND m.status <> 'cancelled') AS last_session,
      min(m.starts_at) FILTER (WHERE m.starts_at >= ${now.toString()} AND m.status IN ('scheduled', 'pending')) AS next_session
    FROM clients c
    JOIN users u ON u.id = c.user_id
    LEFT JOIN mine m ON m.client_id = c.user_id
    WHERE c.trainer_id = ${trainerId}
    GROUP BY u.id, u.name, u.created_at
    ORDER BY lower(u.name), u.id`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    joinedAt: instantOf(r.joined_at)!,
    sessions: r.sessions,
    completed: r.completed,
    cancelledLate: r.cancelled_late,
    cancelledOther: r.cancelled_other,
    lastSession: instantOf(r.last_session),
    nextSession: instantOf(r.next_session),
  }));
}

/**
 * The statistics of the `weeks` weeks up to and including the current one, in the
 * trainer's zone: a handful of grouped queries, assembled by `domain/stats.ts`.
 */
export async function getStatsReport(
  sql: Queryable,
  input: Readonly<{
    trainerId: string;
    settings: BusinessSettings & Pick<BookingPolicies, "cancelNoticeMinutes">;
    weeks: RangeWeeks;
    now: Temporal.Instant;
  }>,
): Promise<StatsReport> {
  const { trainerId, settings, weeks, now } = input;
  const tz = settings.timezone;
  const today = Temporal.PlainDate.from(localDateOf(now, tz));
  const weekMondays = weekStarts(today, weeks);
  const range = dayRange(
    weekMondays[0],
    weekMondays[weeks - 1].add({ days: 6 }),
    tz,
  );
  const [weekRows, reasonRows, heatCells, newClientRows, clients, classes] =
    await Promise.all([
      listWeekStatusRows(sql, trainerId, tz, range),
      listCancellationReasons(sql, trainerId, range),
      listHeatCells(sql, trainerId, tz, range),
      listNewClientsPerMonth(sql, trainerId, tz, range),
      listClientFigures(
        sql,
        trainerId,
        range,
        now,
        lateCancelMinutes(settings),
      ),
      listClassesInRange(sql, trainerId, range.start, range.end),
    ]);
  return buildReport({
    settings,
    weeks,
    weekMondays,
    now,
    weekRows,
    reasonRows,
    heatCells,
    newClientRows,
    clients,
    classes,
  });
}
