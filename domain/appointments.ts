/**
 * The appointment lifecycle: every transition and its guards, written once. Each function
 * answers the new state or the reason it is not allowed; `db/` runs them under the
 * trainer's lock and writes what they return, and `routes/outcomes.ts` words the reasons.
 */
import { slotStartingAt } from "./availability.ts";
import { overlaps } from "./intervals.ts";
import type {
  Actor,
  Appointment,
  AppointmentStatus,
  BusinessSettings,
  BusyElsewhere,
  BusyInterval,
  Interval,
  Slot,
} from "./types.ts";
import type { AppointmentEvent } from "./notifications.ts";
import {
  type BookingPolicies,
  breaksBuffer,
  isInsideLateWindow,
  isTooFar,
  isTooSoon,
  NO_POLICIES,
} from "./policies.ts";

export type AppointmentState = Readonly<{
  status: AppointmentStatus;
  start: Temporal.Instant;
  end: Temporal.Instant;
}>;

/** Every reason a change can be refused, in one list. */
export type Failure =
  | "in_past"
  | "not_a_slot"
  | "slot_taken"
  | "not_found"
  | "unknown_client"
  | "already_cancelled"
  | "already_completed"
  | "not_started"
  | "not_scheduled"
  | "not_pending"
  | "request_expired"
  | "invalid_duration"
  | "too_late_to_cancel"
  | "too_late_to_move"
  | "too_soon"
  | "too_far"
  | "length_mismatch"
  | "no_credit"
  | "session_changed"
  | "client_was_told";

export type Decision<T> =
  | Readonly<{ ok: true; value: T }>
  | Readonly<{ ok: false; reason: Failure }>;

const ok = <T>(value: T): Decision<T> => ({ ok: true, value });
const no = (reason: Failure): Decision<never> => ({ ok: false, reason });

/** Scheduled and pending sessions hold the trainer's time; the others are closed. */
export const isLive = (s: AppointmentStatus) =>
  s === "scheduled" || s === "pending";

/** Why a closed session cannot change any more. */
function closed(a: AppointmentState): Decision<never> | undefined {
  if (a.status === "cancelled") return no("already_cancelled");
  if (a.status === "completed") return no("already_completed");
  return undefined;
}

/**
 * Deleting leaves no trace and tells nobody, so it is only for what the client cannot be
 * waiting for: a session that is over, one already cancelled or declined, or a mistake the
 * client has not been told about yet. Anything else is cancelled, which tells them.
 */
export function mayDelete(
  a: AppointmentState,
  clientKnows: boolean,
  now: Temporal.Instant,
): Decision<true> {
  if (a.status === "cancelled") return ok(true);
  if (Temporal.Instant.compare(a.end, now) <= 0) return ok(true);
  if (clientKnows) return no("client_was_told");
  return ok(true);
}

/** The one rule of "in the past": a start before now (exactly now is not past). */
export const startsInPast = (start: Temporal.Instant, now: Temporal.Instant) =>
  Temporal.Instant.compare(start, now) < 0;

/** A session has started from its start instant on. */
const hasStarted = (a: AppointmentState, now: Temporal.Instant) =>
  Temporal.Instant.compare(a.start, now) <= 0;

/**
 * Cancelling a live session. A client may cancel only before it starts and outside the
 * late window (`cancelNoticeMinutes`); a trainer any live session, and a trainer's cancel
 * of a pending request is a decline.
 */
export function cancel(
  a: AppointmentState,
  by: Actor,
  now: Temporal.Instant,
  policies: BookingPolicies = NO_POLICIES,
): Decision<{ cancelledBy: Actor; event: "cancelled" | "declined" }> {
  const refused = closed(a);
  if (refused) return refused;
  if (by === "client" && hasStarted(a, now)) {
    return no("too_late_to_cancel");
  }
  if (by === "client" && isInsideLateWindow(a.start, now, policies)) {
    return no("too_late_to_cancel");
  }
  const event = by === "trainer" && a.status === "pending"
    ? "declined"
    : "cancelled";
  return ok({ cancelledBy: by, event });
}

/** A session as someone last saw it: what a chat message announced, say. */
export type SeenState = Readonly<
  { status: AppointmentStatus; version: number }
>;

/**
 * A change asked of a session as it was seen is refused once the session has changed
 * since (confirmed, moved, cancelled, completed): nobody acts on what they no longer see.
 * Without `seen` there is nothing to compare, and the change goes on.
 */
export function unchangedSince(
  a: SeenState,
  seen: SeenState | undefined,
): Decision<true> {
  if (seen && (a.status !== seen.status || a.version !== seen.version)) {
    return no("session_changed");
  }
  return ok(true);
}

/**
 * A session is completed once it has started, and only once: a scheduled one (a request
 * nobody confirmed was never agreed, so it cannot have taken place).
 */
export function complete(
  a: AppointmentState,
  now: Temporal.Instant,
): Decision<{ status: "completed" }> {
  const refused = closed(a);
  if (refused) return refused;
  if (a.status !== "scheduled") return no("not_scheduled");
  if (!hasStarted(a, now)) return no("not_started");
  return ok({ status: "completed" });
}

/**
 * A request nobody confirmed or declined before its start has expired: it can no longer
 * be confirmed. Nothing is written when it expires; it stays `pending` and keeps the
 * time it held, which is all past by then (a client's request is one slot long).
 */
export const isExpiredRequest = (
  a: Pick<AppointmentState, "status" | "start">,
  now: Temporal.Instant,
) => a.status === "pending" && startsInPast(a.start, now);

/**
 * The trainer confirms a pending request before its start; anything else is not
 * waiting for it, and a request whose start has passed has expired.
 */
export function confirm(
  a: AppointmentState,
  now: Temporal.Instant,
): Decision<{ status: "scheduled"; event: "confirmed" }> {
  const refused = closed(a);
  if (refused) return refused;
  if (a.status !== "pending") return no("not_pending");
  if (isExpiredRequest(a, now)) return no("request_expired");
  return ok({ status: "scheduled", event: "confirmed" });
}

/** The longest session anyone can book, in minutes. */
export const MAX_SESSION_MINUTES = 240;

/** Trainer-chosen lengths: 15–240 minutes in steps of 5. */
export const isSessionLength = (minutes: number) =>
  Number.isInteger(minutes) && minutes >= 15 &&
  minutes <= MAX_SESSION_MINUTES && minutes % 5 === 0;

/** What deciding one booking needs besides the trainer's rules and busy time. */
export type BookingRequest = Readonly<{
  by: Actor;
  clientId: string;
  start: Temporal.Instant;
  /** Trainer bookings only; a client always gets one slot. */
  durationMinutes?: number;
  now: Temporal.Instant;
  /** Whether the client may pay for it (`decideCreditUse` in domain/credits.ts). */
  credit?: Readonly<{ ok: boolean }>;
}>;

/** The trainer's rules for a booking; policies left out are the defaults (none). */
export type BookingRules =
  & BusinessSettings
  & Readonly<{ requiresConfirmation: boolean }>
  & Partial<BookingPolicies>;

/** The policies in `rules`, defaults filled in. */
export const policiesOf = (
  rules: Partial<BookingPolicies>,
): BookingPolicies => ({
  minNoticeMinutes: rules.minNoticeMinutes ?? 0,
  horizonDays: rules.horizonDays ?? null,
  bufferMinutes: rules.bufferMinutes ?? 0,
  cancelNoticeMinutes: rules.cancelNoticeMinutes ?? 0,
});

export type Booking = Readonly<{
  end: Temporal.Instant;
  status: "scheduled" | "pending";
}>;

/**
 * The slot a client would book at `start`, as they see it now (`undefined`: no slot of
 * the trainer's grid starts there).
 */
export function slotAt(
  rules: BusinessSettings,
  busy: readonly BusyInterval[],
  clientId: string,
  start: Temporal.Instant,
  now: Temporal.Instant,
  elsewhere: readonly BusyElsewhere[] = [],
): Slot | undefined {
  return slotStartingAt({
    settings: rules,
    busy,
    elsewhere,
    now,
    viewer: { role: "client", clientId },
    start,
  });
}

/**
 * Whether `request` may be booked against `busy` (every live session that can overlap
 * it, or its buffer), in the contract's order: a trainer's length that is not a session
 * length ({@link isSessionLength}); in the past; then for a client: not a slot, too soon
 * (notice), too far (horizon), no credit to pay with, taken (an overlap, or a live session
 * within the buffer). A client gets exactly an available slot of the trainer's grid; a
 * trainer any time and length that overlaps none of their sessions, with no policies.
 * `exceptId` is a session being moved: it counts neither as busy nor for the buffer.
 * `elsewhere` (the trainer's other calendars) takes a client's slot like a session, with
 * no buffer; a trainer may book over it.
 *
 * @example decideBooking({ by: "client", clientId, start, now }, rules, busy, elsewhere)
 */
export function decideBooking(
  request: BookingRequest & Readonly<{ exceptId?: string }>,
  rules: BookingRules,
  allBusy: readonly BusyInterval[],
  elsewhere: readonly BusyElsewhere[] = [],
): Decision<Booking> {
  const busy = request.exceptId
    ? allBusy.filter((b) => b.appointmentId !== request.exceptId)
    : allBusy;
  if (
    request.by === "trainer" && request.durationMinutes !== undefined &&
    !isSessionLength(request.durationMinutes)
  ) {
    return no("invalid_duration");
  }
  if (startsInPast(request.start, request.now)) return no("in_past");
  if (request.by === "client") {
    const slot = slotAt(
      rules,
      busy,
      request.clientId,
      request.start,
      request.now,
      elsewhere,
    );
    if (!slot) return no("not_a_slot");
    const policies = policiesOf(rules);
    if (isTooSoon(request.start, request.now, policies)) return no("too_soon");
    if (isTooFar(request.start, request.now, rules.timezone, policies)) {
      return no("too_far");
    }
    if (request.credit && !request.credit.ok) return no("no_credit");
    if (slot.status !== "available" || breaksBuffer(slot, busy, policies)) {
      return no("slot_taken");
    }
    return ok({
      end: slot.end,
      status: rules.requiresConfirmation ? "pending" : "scheduled",
    });
  }
  const end = request.start.add({
    minutes: request.durationMinutes ?? rules.slotMinutes,
  });
  if (busy.some((b) => overlaps(b, { start: request.start, end }))) {
    return no("slot_taken");
  }
  return ok({ end, status: "scheduled" });
}

/**
 * A move to `start` (`POST /api/appointments/{id}/move`), in the contract's order: closed
 * sessions; for a client, started or inside the late window, then a length other than
 * one slot; then the new start as a new booking by the caller (its length checked as a
 * trainer's booking checks one), the session itself not counting. The length and status
 * stay as they are.
 */
export function decideMove(
  a: AppointmentState & Readonly<{ id: string; clientId: string }>,
  request: Readonly<
    { by: Actor; start: Temporal.Instant; now: Temporal.Instant }
  >,
  rules: BookingRules,
  busy: readonly BusyInterval[],
  elsewhere: readonly BusyElsewhere[] = [],
): Decision<{ start: Temporal.Instant; end: Temporal.Instant }> {
  const refused = closed(a);
  if (refused) return refused;
  const minutes = Math.round(a.start.until(a.end).total("minutes"));
  if (request.by === "client") {
    if (isInsideLateWindow(a.start, request.now, policiesOf(rules))) {
      return no("too_late_to_move");
    }
    if (minutes !== rules.slotMinutes) return no("length_mismatch");
  }
  const booking = decideBooking(
    {
      by: request.by,
      clientId: a.clientId,
      start: request.start,
      durationMinutes: minutes,
      now: request.now,
      exceptId: a.id,
    },
    rules,
    busy,
    elsewhere,
  );
  if (!booking.ok) return booking;
  return ok({ start: request.start, end: booking.value.end });
}

/**
 * The other calendars' events a trainer's session over `wanted` runs into: allowed (it
 * is their calendar), but worth a warning that names them.
 */
export const busyElsewhereDuring = (
  wanted: Interval,
  elsewhere: readonly BusyElsewhere[],
): BusyElsewhere[] => elsewhere.filter((b) => overlaps(b, wanted));

/** A session about to be written: what a booking decides, the rest as for any new one. */
export const newAppointment = (
  a: Omit<
    Appointment,
    "cancellationReason" | "cancelledBy" | "cancelledAt" | "version"
  >,
): Appointment => ({
  ...a,
  cancellationReason: null,
  cancelledBy: null,
  cancelledAt: null,
  version: 1,
});

/** What a trainer's edit asks for; each part is optional. */
export type TrainerChange = Readonly<{
  start?: Temporal.Instant;
  durationMinutes?: number;
  notes?: string;
  status?: "completed" | "scheduled";
}>;

export type ChangeResult = Readonly<{
  start: Temporal.Instant;
  end: Temporal.Instant;
  status: AppointmentStatus;
  moved: boolean;
  /** The notices it implies, in order. */
  events: readonly AppointmentEvent[];
}>;

/**
 * A trainer's edit of one session: a length that is not a session length is refused
 * first; then a move or resize (checked like a trainer's booking, against `busy` without
 * the session itself), then completing or confirming it. Sending the current start and
 * length again is not a move; notes alone change any session.
 */
export function decideChange(
  a: AppointmentState & Readonly<{ id: string }>,
  change: TrainerChange,
  busy: readonly BusyInterval[],
  now: Temporal.Instant,
): Decision<ChangeResult> {
  if (
    change.durationMinutes !== undefined &&
    !isSessionLength(change.durationMinutes)
  ) {
    return no("invalid_duration");
  }
  const events: AppointmentEvent[] = [];
  const minutes = change.durationMinutes ??
    Math.round(a.start.until(a.end).total("minutes"));
  const start = change.start ?? a.start;
  const end = start.add({ minutes });
  const moved = !start.equals(a.start) || !end.equals(a.end);
  if (moved) {
    const refused = closed(a);
    if (refused) return refused;
    if (startsInPast(start, now)) return no("in_past");
    const others = busy.filter((b) => b.appointmentId !== a.id);
    if (others.some((b) => overlaps(b, { start, end }))) {
      return no("slot_taken");
    }
    events.push("moved");
  }
  let status = a.status;
  if (change.status === "completed") {
    const done = complete({ ...a, start, end }, now);
    if (!done.ok) return done;
    status = done.value.status;
  } else if (change.status === "scheduled") {
    const confirmed = confirm({ ...a, start, end }, now);
    if (!confirmed.ok) return confirmed;
    status = confirmed.value.status;
    events.push(confirmed.value.event);
  }
  return ok({ start, end, status, moved, events });
}

/** What a client may still do with one of their sessions, so pages offer only that. */
export type ClientChoices = Readonly<{
  cancel: boolean;
  move: boolean;
  /** Live and upcoming, but inside the trainer's late window. */
  tooLate: boolean;
}>;

/** The same rules as {@link cancel} and {@link decideMove}, asked before the client tries. */
export function clientChoices(
  a: AppointmentState,
  rules: Pick<BookingRules, "slotMinutes"> & Partial<BookingPolicies>,
  now: Temporal.Instant,
): ClientChoices {
  if (!isLive(a.status) || hasStarted(a, now)) {
    return { cancel: false, move: false, tooLate: false };
  }
  if (isInsideLateWindow(a.start, now, policiesOf(rules))) {
    return { cancel: false, move: false, tooLate: true };
  }
  const oneSlot =
    Math.round(a.start.until(a.end).total("minutes")) === rules.slotMinutes;
  return { cancel: true, move: oneSlot, tooLate: false };
}
