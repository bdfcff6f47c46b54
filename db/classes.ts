/**
 * Group classes and their seats. Every change is one transaction: the trainer's advisory
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
  decideLeave,
  decideNewClass,
  decideSeat,
  type GroupClass,
  promotionAfter,
  type Seat,
  type SeatStatus,
} from "../domain/classes.ts";
import {
  classRemindersFor,
  planClassEvent,
  type PlannedNotification,
} from "../domain/notifications.ts";
import type { Actor } from "../domain/types.ts";
import {
  listOpenGrants,
  listOpenGrantsOf,
  writeCreditMoves,
} from "./credits.ts";
import {
  creditDay,
  type CreditMove,
  decideCreditUse,
  leavesLowBalance,
  promoteWithCredits,
  returnOnLeave,
} from "../domain/credits.ts";

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
      tu.name AS trainer_name ${extra}
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

const refuse = (
  reason: ClassRefusal | "not_found" | "unknown_client",
): ClassOutcome<never> => ({ ok: false, reason });

/** One change in its own transaction; an overlap caught by the last guard is `slot_taken`. */
async function inTransaction<T>(
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

async function writeNotices(tx: Tx, rows: readonly PlannedNotification[]) {
  if (rows.length > 0) await notificationsInsert(tx, rows);
}

/** The reminders of a class (`trainer`: the trainer's) and of `seats` just booked. */
const remindersOf = (
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
async function lockedClass(tx: Tx, trainerId: string, classId: string) {
  await lockTrainer(tx, trainerId);
  return await getClass(tx, classId, trainerId);
}

/**
 * Takes a place for `clientId`: a seat while one is free (paid with a credit when they
 * have one), else the end of the waitlist. `trainerId` is the caller's trainer (a class of
 * another trainer is "not found").
 */
export async function takeSeat(
  sql: Sql,
  input: Readonly<{
    classId: string;
    trainerId: string;
    clientId: string;
    by: Actor;
    now: Temporal.Instant;
    /** A trainer's `false` takes the place without spending a credit. */
    useCredit?: boolean;
  }>,
): Promise<ClassOutcome<Seat>> {
  return await inTransaction<Seat>(sql, async (tx) => {
    const c = await lockedClass(tx, input.trainerId, input.classId);
    if (!c) return refuse("not_found");
    if (input.by === "trainer" && !await isClientOf(tx, input)) {
      return refuse("unknown_client");
    }
    const [settings, existing, grants] = await Promise.all([
      getSettings(tx, input.trainerId),
      getSeat(tx, c.id, input.clientId),
      listOpenGrants(tx, input.clientId),
    ]);
    const credit = decideCreditUse({
      by: input.by,
      requireCredit: settings!.requireCredit,
      useCredit: input.useCredit,
      grants,
      day: creditDay(input.now, c.timezone),
    });
    const decision = decideSeat(c, {
      by: input.by,
      now: input.now,
      policies: settings!,
      existing,
      credit,
    });
    if (!decision.ok) return decision;
    if (!credit.ok) return refuse(credit.reason);
    const { status, position } = decision.value;
    // A waitlist place pays nothing yet: its promotion will, like a booking.
    const use = status === "booked" ? credit.value : undefined;
    const now = input.now.toString();
    await tx`
      INSERT INTO class_seats (class_id, client_id, status, position, joined_at, booked_at,
        credit_grant_id, use_credit)
      VALUES (${c.id}, ${input.clientId}, ${status}, ${position}, ${now},
        ${status === "booked" ? now : null}, ${use?.grantId ?? null},
        ${input.useCredit !== false})`;
    const seat = (await getSeat(tx, c.id, input.clientId))!;
    if (use?.grantId) {
      await writeCreditMoves(
        tx,
        [{
          grantId: use.grantId,
          kind: "used",
          appointmentId: null,
          classId: c.id,
        }],
        input.now,
      );
      if (leavesLowBalance(use)) {
        await writeNotices(tx, [
          planClassEvent(c, seat, {
            event: "credits_low",
            recipient: "client",
            balance: use.balanceAfter,
            now: input.now,
          }),
        ]);
      }
    }
    if (status === "booked") {
      await writeNotices(tx, remindersOf(c, settings!, [seat], input.now));
    }
    return { ok: true, value: seat };
  });
}

async function isClientOf(
  tx: Queryable,
  input: Readonly<{ trainerId: string; clientId: string }>,
) {
  if (!UUID.test(input.clientId)) return false;
  const [row] = await tx`
    SELECT 1 FROM clients
    WHERE user_id = ${input.clientId} AND trainer_id = ${input.trainerId}`;
  return row !== undefined;
}

/**
 * Gives up a place (a client for themselves) or removes one (the trainer), returning the
 * seat's credit. A freed booked seat goes to the first on the waitlist in the same
 * transaction, before the start, paid with a credit like a booking (with `requireCredit`
 * on, those with none left are passed over and leave the waitlist); the waitlist closes
 * up behind. Returns who was promoted, if anyone.
 */
export async function leaveClass(
  sql: Sql,
  input: Readonly<{
    classId: string;
    trainerId: string;
    clientId: string;
    by: Actor;
    reason: string | null;
    now: Temporal.Instant;
  }>,
): Promise<ClassOutcome<Readonly<{ promoted: Seat | undefined }>>> {
  return await inTransaction<Readonly<{ promoted: Seat | undefined }>>(
    sql,
    async (tx) => {
      const c = await lockedClass(tx, input.trainerId, input.classId);
      if (!c) return refuse("not_found");
      const seat = await getSeat(tx, c.id, input.clientId);
      if (!seat) return refuse("not_found");
      const settings = await getSettings(tx, input.trainerId);
      const decision = decideLeave(c, seat, input.by, input.now, settings!);
      if (!decision.ok) return decision;
      await tx`DELETE FROM class_seats WHERE id = ${seat.id}`;
      const moves: CreditMove[] = [];
      const returned = returnOnLeave(seat);
      if (returned) {
        moves.push({
          grantId: returned,
          kind: "returned",
          appointmentId: null,
          classId: c.id,
        });
      }
      await dropClassReminders(tx, [c.id], [seat.id]);
      const waitlist = (await listSeats(tx, c.id)).filter((s) =>
        s.status === "waitlisted"
      );
      const turn = promotionAfter(c, seat, waitlist, input.now)
        ? await promotionIn(tx, c, waitlist, settings!.requireCredit, input.now)
        : { passedOver: [], promoted: undefined };
      const promoted = turn.promoted?.place;
      const use = turn.promoted?.use;
      if (turn.passedOver.length) {
        await tx`DELETE FROM class_seats
          WHERE id = ANY(${turn.passedOver.map((s) => s.id)}::uuid[])`;
      }
      if (promoted) {
        await tx`
        UPDATE class_seats SET status = 'booked', position = NULL,
          booked_at = ${input.now.toString()}, credit_grant_id = ${use!.grantId}
        WHERE id = ${promoted.id}`;
        if (use!.grantId) {
          moves.push({
            grantId: use!.grantId,
            kind: "used",
            appointmentId: null,
            classId: c.id,
          });
        }
      }
      await closeUpWaitlist(tx, c.id);
      await writeCreditMoves(tx, moves, input.now);
      const notices: PlannedNotification[] = [];
      if (input.by === "client" && seat.status === "booked") {
        notices.push(planClassEvent(c, seat, {
          event: "cancelled",
          recipient: "trainer",
          reason: input.reason,
          now: input.now,
        }));
      }
      if (input.by === "trainer" && c.status === "scheduled") {
        notices.push(planClassEvent(c, seat, {
          event: "cancelled",
          recipient: "client",
          reason: input.reason,
          now: input.now,
        }));
      }
      for (const passed of turn.passedOver) {
        notices.push(planClassEvent(c, passed, {
          event: "passed_over",
          recipient: "client",
          now: input.now,
        }));
      }
      if (promoted) {
        notices.push(planClassEvent(c, promoted, {
          event: "promoted",
          recipient: "client",
          now: input.now,
        }));
        if (leavesLowBalance(use!)) {
          notices.push(planClassEvent(c, promoted, {
            event: "credits_low",
            recipient: "client",
            balance: use!.balanceAfter,
            now: input.now,
          }));
        }
        notices.push(...remindersOf(c, settings!, [promoted], input.now));
      }
      await writeNotices(tx, notices);
      return { ok: true, value: { promoted } };
    },
  );
}

/**
 * Who takes a freed seat of `c` and who is passed over, by `promoteWithCredits`, with the
 * waiting clients' open grants read under the lock.
 */
async function promotionIn(
  tx: Tx,
  c: GroupClass,
  waitlist: readonly Seat[],
  requireCredit: boolean,
  now: Temporal.Instant,
) {
  const grants = await listOpenGrantsOf(tx, waitlist.map((s) => s.clientId));
  return promoteWithCredits({
    waitlist,
    requireCredit,
    grantsOf: (clientId) => grants.filter((g) => g.clientId === clientId),
    day: creditDay(now, c.timezone),
  });
}

/** Waitlist positions 1…n again, in their order, after places left it (one statement). */
async function closeUpWaitlist(tx: Tx, classId: string) {
  await tx`
    UPDATE class_seats s SET position = r.n
    FROM (SELECT id, row_number() OVER (ORDER BY position, seq)::int AS n
          FROM class_seats WHERE class_id = ${classId} AND status = 'waitlisted') r
    WHERE s.id = r.id AND s.position <> r.n`;
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
