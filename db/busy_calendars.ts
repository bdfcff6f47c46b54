/**
 * The trainer's other calendars and the busy time read from them (migration 040). A sync
 * replaces one calendar's busy time in one transaction under the trainer's advisory lock,
 * so a booking decides on all of one fetch or none of it, and moves the calendar counter
 * only when the busy time changed.
 */
import type { Queryable, Sql } from "./client.ts";
import { UUID } from "./client.ts";
import { lockTrainer } from "./appointments.ts";
import type { BusyCalendar, BusyElsewhere } from "../domain/types.ts";

/** Why a calendar was not added. */
export type CalendarFailure = "too_many_calendars" | "url_not_allowed";

/** At most this many calendars per trainer. */
export const MAX_CALENDARS = 5;

export type { BusyCalendar };

/** What one fetch of a calendar found. */
export type SyncResult =
  | Readonly<{
    kind: "fresh";
    busy: readonly BusyElsewhere[];
    /** Identifies the busy time: an unchanged digest rewrites nothing. */
    digest: string;
    etag: string | null;
    lastModified: string | null;
  }>
  | Readonly<{ kind: "unchanged" }>
  | Readonly<{ kind: "failed"; error: string }>;

type CalendarRow = {
  id: string;
  trainer_id: string;
  name: string;
  url: string;
  status: "ok" | "error";
  events: number;
  last_synced_at: Date | null;
  error: string | null;
  etag: string | null;
  last_modified: string | null;
};

const COLUMNS =
  "id, trainer_id, name, url, status, events, last_synced_at, error, etag, last_modified";

const instant = (d: Date) =>
  Temporal.Instant.fromEpochMilliseconds(d.getTime());

const toCalendar = (r: CalendarRow): BusyCalendar => ({
  id: r.id,
  trainerId: r.trainer_id,
  name: r.name,
  url: r.url,
  status: r.status,
  events: r.events,
  lastSyncedAt: r.last_synced_at && instant(r.last_synced_at),
  error: r.error,
  etag: r.etag,
  lastModified: r.last_modified,
});

/** A trainer's calendars, oldest first. */
export async function listCalendars(
  sql: Queryable,
  trainerId: string,
): Promise<BusyCalendar[]> {
  const rows = await sql<CalendarRow[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM busy_calendars
    WHERE trainer_id = ${trainerId} ORDER BY created_at, id`;
  return rows.map(toCalendar);
}

/** The calendar `id` if it is `trainerId`'s; anything else is "not found". */
export async function getCalendar(
  sql: Queryable,
  trainerId: string,
  id: string,
): Promise<BusyCalendar | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await sql<CalendarRow[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM busy_calendars
    WHERE id = ${id} AND trainer_id = ${trainerId}`;
  return row && toCalendar(row);
}

/** How many calendars `trainerId` has. */
export async function countCalendars(
  sql: Queryable,
  trainerId: string,
): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM busy_calendars WHERE trainer_id = ${trainerId}`;
  return n;
}

/**
 * Adds a calendar with the outcome of its first fetch, unless the trainer already has
 * {@link MAX_CALENDARS} (counted under their lock, so two adds at once cannot pass it).
 */
export async function insertCalendar(
  sql: Sql,
  input: Readonly<{
    trainerId: string;
    name: string;
    url: string;
    result: SyncResult;
    now: Temporal.Instant;
    syncMinutes: number;
  }>,
): Promise<BusyCalendar | "too_many_calendars"> {
  return await sql.begin(async (tx) => {
    await lockTrainer(tx, input.trainerId);
    if (await countCalendars(tx, input.trainerId) >= MAX_CALENDARS) {
      return "too_many_calendars" as const;
    }
    const id = crypto.randomUUID();
    await tx`
      INSERT INTO busy_calendars (id, trainer_id, name, url, next_sync_at, created_at)
      VALUES (${id}, ${input.trainerId}, ${input.name}, ${input.url},
        ${nextRound(input.now, input.syncMinutes)}, ${input.now.toString()})`;
    await applyResult(tx, { id, trainerId: input.trainerId }, input);
    return (await getCalendar(tx, input.trainerId, id))!;
  });
}

/** Removes a calendar and its busy time at once. */
export async function deleteCalendar(
  sql: Sql,
  trainerId: string,
  id: string,
): Promise<boolean> {
  if (!UUID.test(id)) return false;
  return await sql.begin(async (tx) => {
    await lockTrainer(tx, trainerId);
    const gone = await tx`
      DELETE FROM busy_calendars WHERE id = ${id} AND trainer_id = ${trainerId}
      RETURNING id`;
    if (gone.length === 0) return false;
    await bumpBusy(tx, trainerId);
    return true;
  });
}

/**
 * Stores what a fetch of calendar `id` found (`undefined` if the calendar was removed
 * meanwhile): fresh busy time replaces the old in this one transaction, a 304 keeps it,
 * a failure keeps it and records the error.
 */
export async function storeSyncResult(
  sql: Sql,
  input: Readonly<{ id: string; result: SyncResult; now: Temporal.Instant }>,
): Promise<BusyCalendar | undefined> {
  return await sql.begin(async (tx) => {
    const [owner] = await tx<{ trainer_id: string }[]>`
      SELECT trainer_id FROM busy_calendars WHERE id = ${input.id}`;
    if (!owner) return undefined;
    await lockTrainer(tx, owner.trainer_id);
    const applied = await applyResult(tx, {
      id: input.id,
      trainerId: owner.trainer_id,
    }, input);
    return applied ? getCalendar(tx, owner.trainer_id, input.id) : undefined;
  });
}

/** Writes `result` onto a calendar; the caller holds the trainer's lock. */
async function applyResult(
  tx: Queryable,
  calendar: Readonly<{ id: string; trainerId: string }>,
  input: Readonly<{ result: SyncResult; now: Temporal.Instant }>,
): Promise<boolean> {
  const { result } = input;
  const now = input.now.toString();
  if (result.kind === "failed") {
    const rows = await tx`
      UPDATE busy_calendars SET status = 'error', error = ${result.error}
      WHERE id = ${calendar.id} RETURNING id`;
    return rows.length > 0;
  }
  if (result.kind === "unchanged") {
    const rows = await tx`
      UPDATE busy_calendars SET status = 'ok', error = NULL, last_synced_at = ${now}
      WHERE id = ${calendar.id} RETURNING id`;
    return rows.length > 0;
  }
  const [row] = await tx<{ busy_digest: string | null }[]>`
    SELECT busy_digest FROM busy_calendars WHERE id = ${calendar.id} FOR UPDATE`;
  if (!row) return false;
  if (row.busy_digest !== result.digest) {
    await tx`DELETE FROM busy_times WHERE calendar_id = ${calendar.id}`;
    if (result.busy.length > 0) {
      await tx`
        INSERT INTO busy_times (calendar_id, trainer_id, starts_at, ends_at, summary)
        SELECT ${calendar.id}, ${calendar.trainerId}, s, e, t
        FROM unnest(${
        result.busy.map((b) => b.start.toString())
      }::timestamptz[],
          ${result.busy.map((b) => b.end.toString())}::timestamptz[],
          ${result.busy.map((b) => b.summary)}::text[]) AS u(s, e, t)`;
    }
    await bumpBusy(tx, calendar.trainerId);
  }
  await tx`
    UPDATE busy_calendars SET status = 'ok', error = NULL, last_synced_at = ${now},
      events = ${result.busy.length}, busy_digest = ${result.digest},
      etag = ${result.etag}, last_modified = ${result.lastModified}
    WHERE id = ${calendar.id}`;
  return true;
}

/** Moves the calendar counter (pages) and the busy counter (the kept busy time). */
async function bumpBusy(tx: Queryable, trainerId: string) {
  await tx`SELECT bump_calendar_version(${trainerId})`;
  await tx`
    UPDATE calendar_versions SET busy_version = busy_version + 1
    WHERE trainer_id = ${trainerId}`;
}

const nextRound = (now: Temporal.Instant, minutes: number) =>
  now.add({ minutes }).toString();

/** A calendar as a round fetches it. */
export type DueCalendar = Pick<
  BusyCalendar,
  "id" | "trainerId" | "url" | "etag" | "lastModified"
>;

/**
 * Claims up to `limit` calendars whose round is due at `now`, moving each one's next round
 * `minutes` ahead in the same statement: a calendar locked by another process is skipped,
 * and one it has claimed is no longer due, so each round fetches a calendar once across
 * all processes.
 */
export async function claimDueCalendars(
  sql: Queryable,
  input: Readonly<{ now: Temporal.Instant; minutes: number; limit: number }>,
): Promise<DueCalendar[]> {
  const rows = await sql<CalendarRow[]>`
    UPDATE busy_calendars SET next_sync_at = ${
    nextRound(input.now, input.minutes)
  }
    WHERE id IN (
      SELECT id FROM busy_calendars WHERE next_sync_at <= ${input.now.toString()}
      ORDER BY next_sync_at LIMIT ${input.limit} FOR UPDATE SKIP LOCKED)
    RETURNING ${sql.unsafe(COLUMNS)}`;
  return rows.map(toCalendar);
}

/** Fetches a trainer may ask for (add, "Sync now") within {@link FETCH_BUDGET_MINUTES}. */
export const FETCH_BUDGET = 20;
export const FETCH_BUDGET_MINUTES = 10;

/**
 * Spends one asked-for fetch of `trainerId`'s budget; when none is left, answers how many
 * seconds until one is.
 */
export async function reserveCalendarFetch(
  sql: Sql,
  trainerId: string,
  now: Temporal.Instant,
): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
  return await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`calendar-fetch:${trainerId}`}, 0))`;
    const since = now.subtract({ minutes: FETCH_BUDGET_MINUTES }).toString();
    await tx`DELETE FROM calendar_fetch_requests WHERE trainer_id = ${trainerId} AND at <= ${since}`;
    const rows = await tx<{ at: Date }[]>`
      SELECT at FROM calendar_fetch_requests WHERE trainer_id = ${trainerId}
      ORDER BY at LIMIT ${FETCH_BUDGET}`;
    if (rows.length >= FETCH_BUDGET) {
      const freed = rows[0].at.getTime() + FETCH_BUDGET_MINUTES * 60_000;
      return {
        ok: false as const,
        retryAfter: Math.max(
          1,
          Math.ceil((freed - now.epochMilliseconds) / 1000),
        ),
      };
    }
    await tx`INSERT INTO calendar_fetch_requests (trainer_id, at) VALUES (${trainerId}, ${now.toString()})`;
    return { ok: true as const };
  });
}
