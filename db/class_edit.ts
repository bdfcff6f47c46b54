/**
 * A trainer's change to a class (title, time, capacity, notes), in one transaction under
 * the trainer's lock like every other class change: `decideClassEdit` says whether it may
 * happen and what it means; this writes it, fills seats the new capacity opened from the
 * waitlist, tells everyone in the class of a new time or title, and plans the reminders
 * again.
 */
import type { Sql, Tx } from "./client.ts";
import { listBusy } from "./appointments.ts";
import { getSettings } from "./settings.ts";
import { dropClassReminders } from "./outbox.ts";
import { writeCreditMoves } from "./credits.ts";
import { closeUpWaitlist, promotionIn } from "./class_seats.ts";
import {
  type ClassOutcome,
  getClass,
  type GroupClass,
  inTransaction,
  listSeats,
  lockedClass,
  refuse,
  remindersOf,
  type Seat,
  writeNotices,
} from "./classes.ts";
import { decideClassEdit } from "../domain/classes.ts";
import { planClassEvent } from "../domain/class_notices.ts";
import type { PlannedNotification } from "../domain/notifications.ts";
import { type CreditMove, leavesLowBalance } from "../domain/credits.ts";

/** The fields a trainer changes; those left out keep their value. */
export type ClassEdit = Readonly<{
  title?: string;
  start?: Temporal.Instant;
  durationMinutes?: number;
  capacity?: number;
  notes?: string;
}>;

/** Changes a class of `trainerId` and answers it as it is now. */
export async function editClass(
  sql: Sql,
  input: Readonly<{
    classId: string;
    trainerId: string;
    change: ClassEdit;
    now: Temporal.Instant;
  }>,
): Promise<ClassOutcome<GroupClass>> {
  return await inTransaction<GroupClass>(sql, async (tx) => {
    const c = await lockedClass(tx, input.trainerId, input.classId);
    if (!c) return refuse("not_found");
    const { change, now } = input;
    const start = change.start ?? c.start;
    const minutes = change.durationMinutes ??
      c.start.until(c.end).total("minutes");
    const wanted = {
      title: change.title ?? c.title,
      start,
      end: start.add({ minutes }),
      capacity: change.capacity ?? c.capacity,
      notes: change.notes ?? c.notes,
    };
    const busy = await listBusy(tx, input.trainerId, wanted.start, wanted.end);
    const decision = decideClassEdit(c, wanted, busy, now);
    if (!decision.ok) return decision;
    const { moved, renamed, seatsOpened } = decision.value;
    const version = (c.version ?? 1) + (moved || renamed ? 1 : 0);
    await tx`
      UPDATE classes SET title = ${wanted.title}, starts_at = ${wanted.start.toString()},
        ends_at = ${wanted.end.toString()}, capacity = ${wanted.capacity},
        notes = ${wanted.notes}, version = ${version}, updated_at = ${now.toString()}
      WHERE id = ${c.id}`;
    const changed = (await getClass(tx, c.id, input.trainerId))!;
    const settings = (await getSettings(tx, input.trainerId))!;
    const seats = await listSeats(tx, c.id);
    const filled = await fillOpenedSeats(
      tx,
      changed,
      seats.filter((s) => s.status === "waitlisted"),
      seatsOpened,
      settings.requireCredit,
      now,
    );
    const notices: PlannedNotification[] = [...filled.notices];
    const told = new Set(
      [...filled.promoted, ...filled.passedOver].map((s) => s.id),
    );
    if (moved || renamed) {
      const previous = { title: c.title, ...(moved ? { start: c.start } : {}) };
      for (const seat of seats.filter((s) => !told.has(s.id))) {
        notices.push(planClassEvent(changed, seat, {
          event: "moved",
          recipient: "client",
          previous,
          now,
        }));
      }
      await dropClassReminders(tx, [c.id]);
      const booked = (await listSeats(tx, c.id)).filter((s) =>
        s.status === "booked"
      );
      notices.push(...remindersOf(changed, settings, booked, now, true));
    } else {
      notices.push(...remindersOf(changed, settings, filled.promoted, now));
    }
    await writeNotices(tx, notices);
    return { ok: true, value: (await getClass(tx, c.id, input.trainerId))! };
  });
}

/**
 * Up to `count` waitlist places take the seats a grown capacity opened, in waitlist order
 * and paid with a credit like any promotion (those passed over for want of one leave the
 * waitlist); the waitlist closes up behind. Returns who moved and what they are told.
 */
async function fillOpenedSeats(
  tx: Tx,
  c: GroupClass,
  waiting: readonly Seat[],
  count: number,
  requireCredit: boolean,
  now: Temporal.Instant,
) {
  const promoted: Seat[] = [];
  const passedOver: Seat[] = [];
  const notices: PlannedNotification[] = [];
  const moves: CreditMove[] = [];
  let waitlist = [...waiting];
  while (promoted.length < count && waitlist.length > 0) {
    const turn = await promotionIn(tx, c, waitlist, requireCredit, now);
    passedOver.push(...turn.passedOver);
    const place = turn.promoted?.place;
    const gone = new Set([...turn.passedOver, ...(place ? [place] : [])].map(
      (s) => s.id,
    ));
    waitlist = waitlist.filter((s) => !gone.has(s.id));
    if (!place) break;
    const use = turn.promoted!.use;
    await tx`
      UPDATE class_seats SET status = 'booked', position = NULL,
        booked_at = ${now.toString()}, credit_grant_id = ${use.grantId}
      WHERE id = ${place.id}`;
    if (use.grantId) {
      moves.push({
        grantId: use.grantId,
        kind: "used",
        appointmentId: null,
        classId: c.id,
      });
    }
    promoted.push(place);
    notices.push(planClassEvent(c, place, {
      event: "promoted",
      recipient: "client",
      now,
    }));
    if (leavesLowBalance(use)) {
      notices.push(planClassEvent(c, place, {
        event: "credits_low",
        recipient: "client",
        balance: use.balanceAfter,
        now,
      }));
    }
  }
  if (passedOver.length) {
    await tx`DELETE FROM class_seats
      WHERE id = ANY(${passedOver.map((s) => s.id)}::uuid[])`;
    for (const passed of passedOver) {
      notices.push(planClassEvent(c, passed, {
        event: "passed_over",
        recipient: "client",
        now,
      }));
    }
  }
  if (promoted.length || passedOver.length) await closeUpWaitlist(tx, c.id);
  await writeCreditMoves(tx, moves, now);
  return { promoted, passedOver, notices };
}
