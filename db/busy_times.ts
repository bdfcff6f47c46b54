/**
 * Reading the busy time from the trainer's other calendars (stored by
 * `db/busy_calendars.ts`): for the booking transaction straight from the table, for
 * views from a copy this process keeps under the trainer's busy counter.
 */
import type { Queryable, Sql } from "./client.ts";
import type { BusyElsewhere } from "../domain/types.ts";
import { MAX_SESSION_MINUTES } from "../domain/appointments.ts";

const instant = (d: Date) =>
  Temporal.Instant.fromEpochMilliseconds(d.getTime());

/**
 * Busy time from `trainerId`'s other calendars overlapping [from, to), earliest first;
 * with `titles` false the events' titles are left out (a client's view never reads them).
 */
export async function listBusyElsewhere(
  sql: Queryable,
  trainerId: string,
  from: Temporal.Instant,
  to: Temporal.Instant,
  titles: boolean,
): Promise<BusyElsewhere[]> {
  const rows = await sql<{ starts_at: Date; ends_at: Date; summary: string }[]>`
    SELECT starts_at, ends_at, ${titles ? sql`summary` : sql`''`} AS summary
    FROM busy_times
    WHERE trainer_id = ${trainerId} AND tstzrange(starts_at, ends_at) &&
      tstzrange(${from.toString()}::timestamptz, ${to.toString()}::timestamptz)
    ORDER BY starts_at`;
  return rows.map((r) => ({
    start: instant(r.starts_at),
    end: instant(r.ends_at),
    summary: r.summary,
  }));
}

/** Busy time elsewhere that a session starting at `start` can overlap (titles left out). */
export function listBusyElsewhereNear(
  sql: Queryable,
  trainerId: string,
  start: Temporal.Instant,
): Promise<BusyElsewhere[]> {
  return listBusyElsewhere(
    sql,
    trainerId,
    start,
    start.add({ minutes: MAX_SESSION_MINUTES }),
    false,
  );
}

type Kept = {
  version: string;
  /** Ordered by start. */
  titled: BusyElsewhere[];
  untitled: BusyElsewhere[];
  /** The longest interval, so a range lookup knows how far back to look. */
  longestMs: number;
};

/**
 * Each process keeps each trainer's busy time elsewhere as it last read it, under the
 * trainer's busy counter (migration 040), which every change moves in the same commit.
 * A calendar view then pays one index lookup (the counter) instead of decoding a week of
 * busy rows; the first view after a sync reads all of the trainer's busy time once.
 * Trades memory for it: at most {@link KEEP_INTERVALS} intervals per process, least
 * recently used trainers first out. Bookings never use it: the booking transaction reads
 * the busy time under the trainer's lock.
 */
const KEEP_INTERVALS = 200_000;
const kept = new WeakMap<object, Map<string, Kept>>();

/**
 * {@link listBusyElsewhere} for views: the same answer, from this process's kept copy
 * while the trainer's busy counter has not moved.
 */
export async function listBusyElsewhereForView(
  sql: Sql,
  trainerId: string,
  from: Temporal.Instant,
  to: Temporal.Instant,
  titles: boolean,
): Promise<BusyElsewhere[]> {
  let perTrainer = kept.get(sql);
  if (!perTrainer) kept.set(sql, perTrainer = new Map());
  const [row] = await sql<{ v: string }[]>`
    SELECT busy_version::text AS v FROM calendar_versions WHERE trainer_id = ${trainerId}`;
  if (!row) return [];
  let entry = perTrainer.get(trainerId);
  if (entry?.version !== row.v) {
    entry = await readAllBusy(sql, trainerId);
    perTrainer.delete(trainerId);
    if (entry.titled.length <= KEEP_INTERVALS) {
      perTrainer.set(trainerId, entry);
      let total = 0;
      for (const e of perTrainer.values()) total += e.titled.length;
      for (const key of perTrainer.keys()) {
        if (total <= KEEP_INTERVALS) break;
        total -= perTrainer.get(key)!.titled.length;
        perTrainer.delete(key);
      }
    }
  } else {
    perTrainer.delete(trainerId); // most recently used goes last
    perTrainer.set(trainerId, entry);
  }
  return overlapping(
    titles ? entry.titled : entry.untitled,
    entry.longestMs,
    from,
    to,
  );
}

/** All of a trainer's busy time elsewhere and the counter it was read under, in one statement. */
async function readAllBusy(sql: Sql, trainerId: string): Promise<Kept> {
  const rows = await sql<
    { v: string; s: number | null; e: number | null; summary: string | null }[]
  >`
    SELECT v.busy_version::text AS v,
      (extract(epoch FROM b.starts_at) * 1000)::float8 AS s,
      (extract(epoch FROM b.ends_at) * 1000)::float8 AS e, b.summary
    FROM calendar_versions v
    LEFT JOIN busy_times b ON b.trainer_id = v.trainer_id
    WHERE v.trainer_id = ${trainerId}
    ORDER BY b.starts_at`;
  const titled: BusyElsewhere[] = [];
  const untitled: BusyElsewhere[] = [];
  let longestMs = 0;
  for (const r of rows) {
    if (r.s === null || r.e === null) continue;
    const start = Temporal.Instant.fromEpochMilliseconds(r.s);
    const end = Temporal.Instant.fromEpochMilliseconds(r.e);
    titled.push({ start, end, summary: r.summary ?? "" });
    untitled.push({ start, end, summary: "" });
    longestMs = Math.max(longestMs, r.e - r.s);
  }
  return { version: rows[0]?.v ?? "", titled, untitled, longestMs };
}

/** The intervals of `list` (ordered by start) overlapping [from, to). */
function overlapping(
  list: readonly BusyElsewhere[],
  longestMs: number,
  from: Temporal.Instant,
  to: Temporal.Instant,
): BusyElsewhere[] {
  const fromMs = from.epochMilliseconds;
  const toMs = to.epochMilliseconds;
  // The first interval that may still reach `from`: none starts longer before it.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start.epochMilliseconds < fromMs - longestMs) lo = mid + 1;
    else hi = mid;
  }
  const out: BusyElsewhere[] = [];
  for (let i = lo; i < list.length; i++) {
    const b = list[i];
    if (b.start.epochMilliseconds >= toMs) break;
    if (b.end.epochMilliseconds > fromMs) out.push(b);
  }
  return out;
}
