/**
 * Group classes: the lists, creating and cancelling one (places in them are in
 * db/class_seats.ts, editing in db/class_edit.ts). Every change is one transaction: the trainer's advisory
 * lock first (the same key as every booking), then read, ask `domain/classes.ts`, write the
 * change and its outbox rows. The constraints and triggers of migration 006 are the last
 * guard (capacity, positions, overlaps).
 */
import type { Queryable, Sql, Tx } from "./client.ts";
import { sqlState, UUID } from "./client.ts";
import { listBusy, lockTrainer } from "./appointments.ts";
import { getSettings, type TrainerSettings } from "./settings.ts";
import { dropClassReminders, notificationsInsert } from "./outbox.ts";
import {
  type ClassRefusal,
  type ClientSeatLine,
  decideCancelClass,
  decideNewClass,
  type GroupClass,
  type Seat,
  type SeatStatus,
} from "../domain/classes.ts";
import type { PlannedNotification } from "../domain/notifications.ts";
import { classRemindersFor, planClassEvent } from "../domain/class_notices.ts";
import { writeCreditMoves } from "./credits.ts";
import { type CreditMove, returnOnLeave } from "../domain/credits.ts";

export type { ClientSeatLine, GroupClass, Seat };

/** A class as one client sees it: their place in it, if any. */
export type ClientClass =
  & GroupClass
  & Readonly<{ mine: SeatStatus | null; position: number | null }>;

type ClassRow = {
  id: string;
  trainer_id: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
  capacity: number;
  booked: number;
  waitlisted: number;
  status: GroupClass["status"];
  notes: string;
  cancellation_reason: string | null;
  timezone: string;
  trainer_name: string;
  version: number;
};

type SeatRow = {
  id: string;
  class_id: string;
  client_id: string;
  client_name: string;
  status: SeatStatus;
  position: number | null;
  joined_at: Date;
  booked_at: Date | null;
  credit_grant_id: string | null;
  credit_returned: boolean;
  use_credit: boolean;
};

const instant = (d: Date) =>
  Temporal.Instant.fromEpochMilliseconds(d.getTime());

const toClass = (r: ClassRow): GroupClass => ({
  id: r.id,
  trainerId: r.trainer_id,
  title: r.title,
  start: instant(r.starts_at),
  end: instant(r.ends_at),
  capacity: r.capacity,
  booked: r.booked,
  waitlisted: r.waitlisted,
  status: r.status,
  notes: r.notes,
  cancellationReason: r.cancellation_reason,
  timezone: r.timezone,
  trainerName: r.trainer_name,
  version: r.version,
});

const toSeat = (r: SeatRow): Seat => ({
  id: r.id,
  classId: r.class_id,
  clientId: r.client_id,
  clientName: r.client_name,
  status: r.status,
  position: r.position,
  joinedAt: instant(r.joined_at),
  bookedAt: r.booked_at && instant(r.booked_at),
  creditGrantId: r.credit_grant_id,
  creditReturned: r.credit_returned,
  useCredit: r.use_credit,
});

const selectClasses = (
  sql: Queryable,
  extra: ReturnType<Queryable> = sql``,
) =>
  sql`
    SELECT c.id, c.trainer_id, c.title, c.starts_at, c.ends_at, c.capacity, c.booked,
      c.waitlisted, c.status, c.notes, c.cancellation_reason, t.timezone,
      tu.name AS trainer_name, c.version ${extra}
    FROM classes c
    JOIN trainers t ON t.user_id = c.trainer_id
    JOIN users tu ON tu.id = c.trainer_id`;

/**
 * A trainer's classes starting in [from, to), by start, cancelled ones included (for the
 * week view, statistics and calendar feeds).
 *
 * ```ts
 * const classes = await listClassesInRange(sql, trainerId, range.start, range.end);
 * ```
 */
export async function listClassesInRange(
  sql: Queryable,
  trainerId: string,
  from: Temporal.Instant,
  to: Temporal.Instant,
): Promise<GroupClass[]> {
  const rows = await sql<ClassRow[]>`
    ${selectClasses(sql)}
    WHERE c.trainer_id = ${trainerId}
      AND c.starts_at >= ${from.toString()} AND c.starts_at < ${to.toString()}
    ORDER BY c.starts_at, c.id`;
  return rows.map(toClass);
}

/**
 * A calendar feed's classes starting at `from` or later, by start, with when each last
 * changed: all of a trainer's; for a client, those where they hold a booked seat (a
 * class cancelled while they held one stays). Waitlist places are not in it.
 */
export async function listFeedClasses(
  sql: Queryable,
  reader: Readonly<{ id: string; role: "trainer" | "client" }>,
  from: Temporal.Instant,
): Promise<{ groupClass: GroupClass; updatedAt: Temporal.Instant }[]> {
  const rows = await sql<(ClassRow & { updated_at: Date })[]>`
    ${selectClasses(sql, sql`, c.updated_at`)}
    WHERE c.starts_at >= ${from.toString()} AND ${
    reader.role === "trainer"
      ? sql`c.trainer_id = ${reader.id}`
      : sql`EXISTS (SELECT 1 FROM class_seats s WHERE s.class_id = c.id
          AND s.client_id = ${reader.id} AND s.status = 'booked')`
  }
    ORDER BY c.starts_at, c.id`;
  return rows.map((r) => ({
    groupClass: toClass(r),
    updatedAt: instant(r.updated_at),
  }));
}

/** {@link listClassesInRange} as `clientId` sees it: with their place in each class. */
export async function listClientClassesInRange(
  sql: Queryable,
  trainerId: string,
  clientId: string,
  from: Temporal.Instant,
  to: Temporal.Instant,
): Promise<ClientClass[]> {
  const [classes, seats] = await Promise.all([
    listClassesInRange(sql, trainerId, from, to),
    sql<{ class_id: string; status: SeatStatus; position: number | null }[]>`
      SELECT s.class_id, s.status, s.position FROM class_seats s
      JOIN classes c ON c.id = s.class_id
      WHERE s.client_id = ${clientId} AND c.trainer_id = ${trainerId}
        AND c.starts_at >= ${from.toString()} AND c.starts_at < ${to.toString()}`,
  ]);
  const mine = new Map(seats.map((s) => [s.class_id, s]));
  return classes.map((c) => ({
    ...c,
    mine: mine.get(c.id)?.status ?? null,
    position: mine.get(c.id)?.position ?? null,
  }));
}

const selectSeats = (sql: Queryable) =>
  sql`
    SELECT s.id, s.class_id, s.client_id, u.name AS client_name, s.status, s.position,
      s.joined_at, s.booked_at, s.credit_grant_id, s.credit_returned, s.use_credit
    FROM class_seats s JOIN users u ON u.id = s.client_id`;

/** The class `id` of `trainerId`, or `undefined` (not theirs, or no such class). */
export async function getClass(
  sql: Queryable,
  id: string,
  trainerId: string,
): Promise<GroupClass | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await sql<ClassRow[]>`
    ${selectClasses(sql)} WHERE c.id = ${id} AND c.trainer_id = ${trainerId}`;
  return row && toClass(row);
}

/** Every place in a class: booked seats in booking order, then the waitlist by position. */
export async function listSeats(sql: Queryable, classId: string) {
  const rows = await sql<SeatRow[]>`
    ${selectSeats(sql)}
    WHERE s.class_id = ${classId}
    ORDER BY s.status, s.booked_at, s.position, s.seq`;
  return rows.map(toSeat);
}

/** One client's place in a class, if any. */
export async function getSeat(
  sql: Queryable,
  classId: string,
  clientId: string,
): Promise<Seat | undefined> {
  if (!UUID.test(clientId)) return undefined;
  const [row] = await sql<SeatRow[]>`
    ${selectSeats(sql)}
    WHERE s.class_id = ${classId} AND s.client_id = ${clientId}`;
  return row && toSeat(row);
}

export type ClassOutcome<T> =
  | Readonly<{ ok: true; value: T }>
  | Readonly<{
    ok: false;
    reason: ClassRefusal | "not_found" | "unknown_client";
  }>;

export const refuse = (
  reason: ClassRefusal | "not_found" | "unknown_client",
): ClassOutcome<never> => ({ ok: false, reason });

/** One change in its own transaction; an overlap caught by the last guard is `slot_taken`. */
export async function inTransaction<T>(
  sql: Sql,
  work: (tx: Tx) => Promise<ClassOutcome<T>>,
): Promise<ClassOutcome<T>> {
  try {
    return await sql.begin(work) as ClassOutcome<T>;
  } catch (error) {
    if (sqlState(error) === "23P01") return refuse("slot_taken");
    throw error;
  }
}

export async function writeNotices(
  tx: Tx,
  rows: readonly PlannedNotification[],
) {
  if (rows.length > 0) await notificationsInsert(tx, rows);
}

/** The reminders of a class (`trainer`: the trainer's) and of `seats` just booked. */
export const remindersOf = (
  c: GroupClass,
  settings: TrainerSettings,
  seats: readonly Seat[],
  now: Temporal.Instant,
  trainer = false,
) =>
  classRemindersFor(
    {
      ...c,
      remindersEnabled: settings.remindersEnabled,
      reminderMinutes: settings.reminderMinutes,
    },
    seats,
    now,
    { trainer },
  );

export type NewClass = Readonly<{
  trainerId: string;
  title: string;
  start: Temporal.Instant;
  /** Default: the trainer's slot length. */
  durationMinutes?: number;
  capacity: number;
  notes: string;
  now: Temporal.Instant;
}>;

/** Creates a class: any time, even outside working hours, if it overlaps no live time. */
export async function createClass(
  sql: Sql,
  input: NewClass,
): Promise<ClassOutcome<GroupClass>> {
  return await inTransaction<GroupClass>(sql, async (tx) => {
    await lockTrainer(tx, input.trainerId);
    const settings = await getSettings(tx, input.trainerId);
    if (!settings) return refuse("not_found");
    const end = input.start.add({
      minutes: input.durationMinutes ?? settings.slotMinutes,
    });
    const busy = await listBusy(tx, input.trainerId, input.start, end);
    const decision = decideNewClass(
      { start: input.start, end },
      busy,
      input.now,
    );
    if (!decision.ok) return decision;
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO classes (trainer_id, title, starts_at, ends_at, capacity, notes,
        created_at, updated_at)
      VALUES (${input.trainerId}, ${input.title}, ${input.start.toString()},
        ${end.toString()}, ${input.capacity}, ${input.notes}, ${input.now.toString()},
        ${input.now.toString()})
      RETURNING id`;
    const created = (await getClass(tx, row.id, input.trainerId))!;
    await writeNotices(tx, remindersOf(created, settings, [], input.now, true));
    return { ok: true, value: created };
  });
}

/** The class `classId` of `trainerId`, read after taking their lock. */
export async function lockedClass(tx: Tx, trainerId: string, classId: string) {
  await lockTrainer(tx, trainerId);
  return await getClass(tx, classId, trainerId);
}

/** Cancels a class: its time is free at once, and everyone in it is told once. */
export async function cancelClass(
  sql: Sql,
  input: Readonly<{
    classId: string;
    trainerId: string;
    reason: string | null;
    now: Temporal.Instant;
  }>,
): Promise<ClassOutcome<GroupClass>> {
  return await inTransaction<GroupClass>(sql, async (tx) => {
    const c = await lockedClass(tx, input.trainerId, input.classId);
    if (!c) return refuse("not_found");
    const decision = decideCancelClass(c);
    if (!decision.ok) return decision;
    const now = input.now.toString();
    await tx`
      UPDATE classes SET status = 'cancelled', cancellation_reason = ${input.reason},
        cancelled_at = ${now}, updated_at = ${now}
      WHERE id = ${c.id}`;
    const cancelled = (await getClass(tx, c.id, input.trainerId))!;
    await dropClassReminders(tx, [c.id]);
    const seats = await listSeats(tx, c.id);
    const moves = seats.flatMap((s): CreditMove[] => {
      const grantId = returnOnLeave(s);
      return grantId
        ? [{ grantId, kind: "returned", appointmentId: null, classId: c.id }]
        : [];
    });
    if (moves.length) {
      await tx`UPDATE class_seats SET credit_returned = true
        WHERE class_id = ${c.id} AND credit_grant_id IS NOT NULL`;
      await writeCreditMoves(tx, moves, input.now);
    }
    await writeNotices(
      tx,
      seats.map((s) =>
        planClassEvent(cancelled, s, {
          event: "cancelled",
          recipient: "client",
          reason: input.reason,
          now: input.now,
        })
      ),
    );
    return { ok: true, value: cancelled };
  });
}

/** Every class `clientId` holds a seat or a waitlist place in with `trainerId`, by start. */
export async function listClientSeats(
  sql: Queryable,
  trainerId: string,
  clientId: string,
): Promise<ClientSeatLine[]> {
  const rows = await sql<
    {
      id: string;
      title: string;
      starts_at: Date;
      ends_at: Date;
      timezone: string;
      status: GroupClass["status"];
      seat: SeatStatus;
      position: number | null;
    }[]
  >`
    SELECT c.id, c.title, c.starts_at, c.ends_at, t.timezone, c.status,
      s.status AS seat, s.position
    FROM class_seats s
    JOIN classes c ON c.id = s.class_id
    JOIN trainers t ON t.user_id = c.trainer_id
    WHERE s.client_id = ${clientId} AND c.trainer_id = ${trainerId}
    ORDER BY c.starts_at`;
  return rows.map((r) => ({
    classId: r.id,
    title: r.title,
    start: instant(r.starts_at),
    end: instant(r.ends_at),
    timezone: r.timezone,
    classStatus: r.status,
    seat: r.seat,
    position: r.position,
  }));
}
