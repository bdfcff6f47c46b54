/**
 * Places in a group class: taking a seat or a waitlist place (paid with a credit when
 * there is one), giving it up or being removed, and the waitlist's promotion. Each is one
 * transaction under the trainer's lock, like every class change in db/classes.ts.
 */
import type { Queryable, Sql, Tx } from "./client.ts";
import { UUID } from "./client.ts";
import { getSettings } from "./settings.ts";
import { dropClassReminders } from "./outbox.ts";
import {
  listOpenGrants,
  listOpenGrantsOf,
  writeCreditMoves,
} from "./credits.ts";
import {
  type ClassOutcome,
  getSeat,
  type GroupClass,
  inTransaction,
  listSeats,
  lockedClass,
  refuse,
  remindersOf,
  type Seat,
  writeNotices,
} from "./classes.ts";
import { decideLeave, decideSeat, promotionAfter } from "../domain/classes.ts";
import { planClassEvent } from "../domain/class_notices.ts";
import type { PlannedNotification } from "../domain/notifications.ts";
import type { Actor } from "../domain/types.ts";
import {
  creditDay,
  type CreditMove,
  decideCreditUse,
  leavesLowBalance,
  promoteWithCredits,
  returnOnLeave,
} from "../domain/credits.ts";

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
export async function promotionIn(
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
export async function closeUpWaitlist(tx: Tx, classId: string) {
  await tx`
    UPDATE class_seats s SET position = r.n
    FROM (SELECT id, row_number() OVER (ORDER BY position, seq)::int AS n
          FROM class_seats WHERE class_id = ${classId} AND status = 'waitlisted') r
    WHERE s.id = r.id AND s.position <> r.n`;
}
