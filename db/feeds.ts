import type { Queryable } from "./client.ts";
import {
  type AppointmentRow,
  selectAppointments,
  toAppointment,
} from "./appointments.ts";
import type { FeedAppointment, Language, Role } from "../domain/types.ts";

/** The user's feed token, made from `fresh` on first use and kept until a reset. */
export async function getOrCreateFeedToken(
  sql: Queryable,
  userId: string,
  fresh: string,
): Promise<string> {
  const [found] = await sql<{ token: string }[]>`
    SELECT token FROM calendar_feeds WHERE user_id = ${userId}`;
  if (found) return found.token;
  // Two first calls at once must agree: the loser of the insert reads the winner's token.
  const [row] = await sql<{ token: string }[]>`
    INSERT INTO calendar_feeds (user_id, token) VALUES (${userId}, ${fresh})
    ON CONFLICT (user_id) DO UPDATE SET user_id = EXCLUDED.user_id
    RETURNING token`;
  return row.token;
}

/** Replaces the user's feed token: the old one finds nothing from this commit on. */
export async function resetFeedToken(
  sql: Queryable,
  userId: string,
  fresh: string,
): Promise<string> {
  const [row] = await sql<{ token: string }[]>`
    INSERT INTO calendar_feeds (user_id, token) VALUES (${userId}, ${fresh})
    ON CONFLICT (user_id) DO UPDATE SET token = EXCLUDED.token, created_at = now()
    RETURNING token`;
  return row.token;
}

export type FeedReader = Readonly<{
  id: string;
  role: Role;
  name: string;
  /** The trainer whose calendar counter (migration 007) moves with everything the feed shows. */
  calendarOf: string;
  /** The reader's language: the feed's words are in it. */
  language: Language;
}>;

/** Whose feed a token opens, if any. */
export async function findFeedReader(
  sql: Queryable,
  token: string,
): Promise<FeedReader | undefined> {
  const [row] = await sql<FeedReader[]>`
    SELECT u.id, u.role, u.name, coalesce(c.trainer_id, u.id) AS "calendarOf",
      u.language
    FROM calendar_feeds f JOIN users u ON u.id = f.user_id
    LEFT JOIN clients c ON c.user_id = u.id
    WHERE f.token = ${token}`;
  return row;
}

/**
 * What a feed from `from` on depends on, in one statement (one snapshot): the calendar
 * counter, which moves in the same commit as any session, class, seat, setting or name
 * the feed shows, and the first start of the reader's sessions and classes in the
 * window, which moves only as one of them leaves it. Read before the feed's rows, so a
 * tag is never newer than the body sent with it.
 */
export async function readFeedVersion(
  sql: Queryable,
  reader: FeedReader,
  from: Temporal.Instant,
): Promise<string> {
  const since = from.toString();
  const [row] = await sql<{ version: string | null; first: string | null }[]>`
    SELECT
      (SELECT version::text FROM calendar_versions
        WHERE trainer_id = ${reader.calendarOf}) AS version,
      least(
        (SELECT min(a.starts_at) FROM appointments a WHERE ${
    reader.role === "trainer"
      ? sql`a.trainer_id = ${reader.id}`
      : sql`a.client_id = ${reader.id}`
  } AND a.starts_at >= ${since}),
        (SELECT min(c.starts_at) FROM classes c WHERE ${
    reader.role === "trainer"
      ? sql`c.trainer_id = ${reader.id}`
      : sql`EXISTS (SELECT 1 FROM class_seats s WHERE s.class_id = c.id
          AND s.client_id = ${reader.id} AND s.status = 'booked')`
  } AND c.starts_at >= ${since})
      )::text AS first`;
  return `${reader.calendarOf}:${row.version ?? "-"}:${row.first ?? "-"}`;
}

/**
 * A feed's sessions: all of a trainer's, or only a client's own, starting at `from` or
 * later, by start. Cancelled ones stay; deleted ones are gone from the table.
 */
export async function listFeedAppointments(
  sql: Queryable,
  reader: Readonly<{ id: string; role: Role }>,
  from: Temporal.Instant,
): Promise<FeedAppointment[]> {
  const rows = await sql<(AppointmentRow & { updated_at: Date })[]>`
    ${selectAppointments(sql, sql`, a.updated_at`)}
    WHERE ${
    reader.role === "trainer"
      ? sql`a.trainer_id = ${reader.id}`
      : sql`a.client_id = ${reader.id}`
  }
      AND a.starts_at >= ${from.toString()}
    ORDER BY a.starts_at, a.id`;
  return rows.map((r) => ({
    appointment: toAppointment(r),
    updatedAt: Temporal.Instant.fromEpochMilliseconds(r.updated_at.getTime()),
  }));
}
