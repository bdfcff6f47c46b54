import type { Queryable } from "./client.ts";
import {
  settingsColumns,
  type SettingsRow,
  toSettings,
  type TrainerSettings,
} from "./settings.ts";
import type { BusyInterval } from "../domain/types.ts";

/** What a calendar request reads about one trainer, in one round trip. */
export type CalendarData = Readonly<{
  settings: TrainerSettings;
  trainerName: string;
  /** Scheduled and pending appointments overlapping the window, by start. */
  busy: readonly BusyInterval[];
  /** Client names of `busy` by appointment id; only when asked for (a trainer's view). */
  clientNames: ReadonlyMap<string, string>;
}>;

type Row = SettingsRow & {
  trainer_name: string;
  // [id, client id, start ms, end ms, client name or null]
  busy: [string, string, number, number, string | null][];
};

/**
 * The trainer's settings, name and busy time overlapping [from, to) in one query:
 * a calendar request then costs the database one round trip beside the session's.
 *
 * @example getCalendarData(sql, trainerId, { from, to, names: user.role === "trainer" })
 */
export async function getCalendarData(
  sql: Queryable,
  trainerId: string,
  window: Readonly<{
    from: Temporal.Instant;
    to: Temporal.Instant;
    names: boolean;
  }>,
): Promise<CalendarData | undefined> {
  const [row] = await sql<Row[]>`
    SELECT ${settingsColumns(sql)}, u.name AS trainer_name,
      COALESCE((
        SELECT json_agg(json_build_array(
            a.id, a.client_id,
            floor(extract(epoch FROM a.starts_at) * 1000),
            floor(extract(epoch FROM a.ends_at) * 1000),
            CASE WHEN ${window.names} THEN cu.name END
          ) ORDER BY a.starts_at)
        FROM appointments a JOIN users cu ON cu.id = a.client_id
        WHERE a.trainer_id = t.user_id AND a.status IN ('scheduled', 'pending')
          -- the exclusion constraint's GiST index answers this without scanning history
          AND tstzrange(a.starts_at, a.ends_at) && tstzrange(${window.from.toString()}::timestamptz, ${window.to.toString()}::timestamptz)
      ), '[]') AS busy
    FROM trainers t JOIN users u ON u.id = t.user_id
    WHERE t.user_id = ${trainerId}`;
  if (!row) return undefined;
  const clientNames = new Map<string, string>();
  const busy = row.busy.map(([id, clientId, start, end, name]) => {
    if (name !== null) clientNames.set(id, name);
    return {
      appointmentId: id,
      clientId,
      start: Temporal.Instant.fromEpochMilliseconds(start),
      end: Temporal.Instant.fromEpochMilliseconds(end),
    };
  });
  return {
    settings: toSettings(row),
    trainerName: row.trainer_name,
    busy,
    clientNames,
  };
}
