import type { Queryable } from "./client.ts";
import type { BusiestTimes, StatusCounts } from "../domain/types.ts";

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
    SELECT
      count(*) FILTER (WHERE status = 'scheduled')::int AS scheduled,
      count(*) FILTER (WHERE status = 'pending')::int AS pending,
      count(*) FILTER (WHERE status = 'completed')::int AS completed,
      count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
    FROM appointments
    WHERE trainer_id = ${trainerId}
      ${
    range
      ? sql`AND starts_at >= ${range.start.toString()} AND starts_at < ${range.end.toString()}`
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
  const [weekday] = await sql<{ iso_day: number; sessions: number }[]>`
    SELECT extract(isodow FROM starts_at AT TIME ZONE ${timezone})::int AS iso_day,
      count(*)::int AS sessions
    FROM appointments
    WHERE trainer_id = ${trainerId} AND status <> 'cancelled'
    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`;
  const [hour] = await sql<{ hour: number; sessions: number }[]>`
    SELECT extract(hour FROM starts_at AT TIME ZONE ${timezone})::int AS hour,
      count(*)::int AS sessions
    FROM appointments
    WHERE trainer_id = ${trainerId} AND status <> 'cancelled'
    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`;
  return {
    weekday: weekday
      ? { isoDay: weekday.iso_day, sessions: weekday.sessions }
      : null,
    hour: hour ? { hour: hour.hour, sessions: hour.sessions } : null,
  };
}
