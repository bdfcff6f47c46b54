import type { Queryable } from "./client.ts";
import {
  type AppointmentRow,
  selectAppointments,
  toAppointment,
} from "./appointments.ts";
import type { FeedAppointment, Role } from "../domain/types.ts";

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

export type FeedReader = Readonly<{ id: string; role: Role; name: string }>;

/** Whose feed a token opens, if any. */
export async function findFeedReader(
  sql: Queryable,
  token: string,
): Promise<FeedReader | undefined> {
  const [row] = await sql<FeedReader[]>`
    SELECT u.id, u.role, u.name
    FROM calendar_feeds f JOIN users u ON u.id = f.user_id
    WHERE f.token = ${token}`;
  return row;
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
