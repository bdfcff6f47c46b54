/**
 * Group classes: creating one, taking and giving up seats, the waitlist and its promotion,
 * each rule written once as a pure function. `db/classes.ts` runs them under the trainer's
 * lock and writes what they return; `routes/outcomes.ts` words the refusals.
 */
import { overlaps } from "./intervals.ts";
import type { Actor, BusyInterval } from "./types.ts";
import { startsInPast } from "./appointments.ts";
import {
  type BookingPolicies,
  isInsideLateWindow,
  isTooFar,
  isTooSoon,
} from "./policies.ts";

export type ClassStatus = "scheduled" | "cancelled";
export type SeatStatus = "booked" | "waitlisted";

export type GroupClass = Readonly<{
  id: string;
  trainerId: string;
  title: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
  capacity: number;
  booked: number;
  waitlisted: number;
  status: ClassStatus;
  notes: string;
  cancellationReason: string | null;
  timezone: string;
  trainerName: string;
  /** Grows with each change of the class's time or title (1 when absent). */
  version?: number;
}>;

/** One person's place in a class: a booked seat, or a waitlist place from 1. */
export type Seat = Readonly<{
  id: string;
  classId: string;
  clientId: string;
  clientName: string;
  status: SeatStatus;
  position: number | null;
  joinedAt: Temporal.Instant;
  bookedAt: Temporal.Instant | null;
  /** The grant that paid for the seat, and whether its credit went back (domain/credits.ts). */
  creditGrantId?: string | null;
  creditReturned?: boolean;
  /** `false`: the trainer took the place without a credit, so its promotion pays none. */
  useCredit?: boolean;
}>;

/** Refusals only classes have (the others are the appointments' `Failure`s). */
export type ClassFailure =
  | "class_cancelled"
  | "already_joined"
  | "class_started"
  | "capacity_below_booked";

export type ClassRefusal =
  | ClassFailure
  | "in_past"
  | "slot_taken"
  | "too_soon"
  | "too_far"
  | "too_late_to_cancel"
  | "already_cancelled"
  | "no_credit";

export type ClassDecision<T> =
  | Readonly<{ ok: true; value: T }>
  | Readonly<{ ok: false; reason: ClassRefusal }>;

const ok = <T>(value: T): ClassDecision<T> => ({ ok: true, value });
const no = (reason: ClassRefusal): ClassDecision<never> => ({
  ok: false,
  reason,
});

/** A class has started from its start instant on: no seat taken, nobody promoted. */
export const hasClassStarted = (
  c: Readonly<{ start: Temporal.Instant }>,
  now: Temporal.Instant,
) => Temporal.Instant.compare(c.start, now) <= 0;

export const seatsLeft = (c: Pick<GroupClass, "capacity" | "booked">) =>
  Math.max(0, c.capacity - c.booked);

/** The busy id of a class, told apart from an appointment's. */
export const classBusyId = (classId: string) => `class:${classId}`;

/** A trainer's new class, in the contract's order: in the past, then an overlap. */
export function decideNewClass(
  wanted: Readonly<{ start: Temporal.Instant; end: Temporal.Instant }>,
  busy: readonly BusyInterval[],
  now: Temporal.Instant,
): ClassDecision<true> {
  if (startsInPast(wanted.start, now)) return no("in_past");
  if (busy.some((b) => overlaps(b, wanted))) return no("slot_taken");
  return ok(true);
}

/**
 * Taking a place, in the contract's order: cancelled class, started, (client) notice and
 * horizon, already in it, then no credit to pay with (`credit`, from `decideCreditUse`
 * in domain/credits.ts: with `requireCredit` on, a client needs one for the waitlist too). A free seat is booked; otherwise the place is at the end of the
 * waitlist.
 */
export function decideSeat(
  c: GroupClass,
  request: Readonly<{
    by: Actor;
    now: Temporal.Instant;
    policies: BookingPolicies;
    /** The person's current place in this class, if any. */
    existing: Seat | undefined;
    credit?: Readonly<{ ok: boolean }>;
  }>,
): ClassDecision<Readonly<{ status: SeatStatus; position: number | null }>> {
  if (c.status === "cancelled") return no("class_cancelled");
  if (hasClassStarted(c, request.now)) return no("in_past");
  if (request.by === "client") {
    if (isTooSoon(c.start, request.now, request.policies)) {
      return no("too_soon");
    }
    if (isTooFar(c.start, request.now, c.timezone, request.policies)) {
      return no("too_far");
    }
  }
  if (request.existing) return no("already_joined");
  if (request.credit && !request.credit.ok) return no("no_credit");
  return c.booked < c.capacity
    ? ok({ status: "booked", position: null })
    : ok({ status: "waitlisted", position: c.waitlisted + 1 });
}

/**
 * A client giving up their place: the waitlist may always be left; a booked seat not
 * once the class has started nor inside the late window. A trainer's removal is always
 * allowed (`by: "trainer"`).
 */
export function decideLeave(
  c: GroupClass,
  seat: Seat,
  by: Actor,
  now: Temporal.Instant,
  policies: BookingPolicies,
): ClassDecision<true> {
  if (by === "trainer") return ok(true);
  if (c.status === "cancelled") return no("class_cancelled");
  if (
    seat.status === "booked" &&
    (hasClassStarted(c, now) || isInsideLateWindow(c.start, now, policies))
  ) return no("too_late_to_cancel");
  return ok(true);
}

/**
 * Who takes a seat freed by `leaving`: the first on the waitlist (by position), while
 * the class is scheduled and has not started; else nobody. Notice and late window do
 * not stop it.
 */
export function promotionAfter(
  c: GroupClass,
  leaving: Seat,
  waitlist: readonly Seat[],
  now: Temporal.Instant,
): Seat | undefined {
  if (leaving.status !== "booked") return undefined;
  if (c.status !== "scheduled" || hasClassStarted(c, now)) return undefined;
  return waitlist
    .filter((s) => s.status === "waitlisted" && s.id !== leaving.id)
    .reduce<Seat | undefined>(
      (first, s) => !first || s.position! < first.position! ? s : first,
      undefined,
    );
}

/**
 * The waitlist after the place at `freed` is gone: everyone behind moves up one, so the
 * positions stay 1…n with no gap. Returns new positions by seat id.
 */
export function renumber(
  waitlist: readonly Pick<Seat, "id" | "position">[],
  freed: number,
): ReadonlyMap<string, number> {
  return new Map(
    waitlist.filter((s) => s.position !== null && s.position !== freed).map((
      s,
    ) => [s.id, s.position! > freed ? s.position! - 1 : s.position!]),
  );
}

/** What a trainer may change about a class. */
export type ClassChange = Readonly<{
  title: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
  capacity: number;
  notes: string;
}>;

/** What an accepted change means for the people in the class. */
export type ClassEditEffect = Readonly<{
  /** The start or end changed: everyone in it is told, reminders are planned again. */
  moved: boolean;
  /** The title changed: everyone in it is told. */
  renamed: boolean;
  /** Free seats the waitlist may take at the new capacity (0 when nobody waits). */
  seatsOpened: number;
}>;

/**
 * A trainer's change to a class, in order: cancelled, started, a new start in the past, a
 * capacity below the seats already booked, then an overlap with other live time (`busy`
 * may hold the class itself; it is left out). Any time, even outside working hours, as
 * for a new class.
 */
export function decideClassEdit(
  c: GroupClass,
  wanted: ClassChange,
  busy: readonly BusyInterval[],
  now: Temporal.Instant,
): ClassDecision<ClassEditEffect> {
  if (c.status === "cancelled") return no("class_cancelled");
  if (hasClassStarted(c, now)) return no("class_started");
  const moved = !c.start.equals(wanted.start) || !c.end.equals(wanted.end);
  if (moved && startsInPast(wanted.start, now)) return no("in_past");
  if (wanted.capacity < c.booked) return no("capacity_below_booked");
  const own = classBusyId(c.id);
  if (
    moved && busy.some((b) => b.appointmentId !== own && overlaps(b, wanted))
  ) {
    return no("slot_taken");
  }
  return ok({
    moved,
    renamed: wanted.title !== c.title,
    seatsOpened: Math.min(
      c.waitlisted,
      Math.max(0, wanted.capacity - c.booked),
    ),
  });
}

/** Cancelling a class: only a scheduled one. */
export function decideCancelClass(c: GroupClass): ClassDecision<true> {
  return c.status === "cancelled" ? no("already_cancelled") : ok(true);
}

/** A client's place in one class, for their lists. */
export type ClientSeatLine = Readonly<{
  classId: string;
  title: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
  timezone: string;
  classStatus: ClassStatus;
  seat: SeatStatus;
  position: number | null;
}>;
