/**
 * Appointment status transitions as small pure functions. Each answers the new
 * state or the reason it is not allowed; callers map reasons to responses.
 */
import { isBookable, type NotBookableReason } from "./availability.ts";
import { overlaps } from "./intervals.ts";
import type {
  Actor,
  AppointmentStatus,
  BusinessSettings,
  BusyInterval,
} from "./types.ts";

export type AppointmentState = Readonly<{
  status: AppointmentStatus;
  start: Temporal.Instant;
  end: Temporal.Instant;
}>;

export type TransitionError =
  | "already_cancelled"
  | "already_completed"
  | "not_started"
  | "not_pending"
  | "in_past";

export type Transition<T> = { ok: true; value: T } | {
  ok: false;
  reason: TransitionError;
};

const live = (s: AppointmentStatus) => s === "scheduled" || s === "pending";

function closedReason(status: AppointmentStatus): TransitionError {
  return status === "cancelled" ? "already_cancelled" : "already_completed";
}

/** A client may cancel only before the session starts; a trainer any live session. */
export function cancel(
  a: AppointmentState,
  by: Actor,
  now: Temporal.Instant,
): Transition<{ status: "cancelled"; cancelledBy: Actor }> {
  if (!live(a.status)) return { ok: false, reason: closedReason(a.status) };
  if (by === "client" && Temporal.Instant.compare(a.start, now) <= 0) {
    return { ok: false, reason: "in_past" };
  }
  return { ok: true, value: { status: "cancelled", cancelledBy: by } };
}

/** Only live sessions move, and never into the past. */
export function move(
  a: AppointmentState,
  to: Readonly<{ start: Temporal.Instant; end: Temporal.Instant }>,
  now: Temporal.Instant,
): Transition<{ start: Temporal.Instant; end: Temporal.Instant }> {
  if (!live(a.status)) return { ok: false, reason: closedReason(a.status) };
  if (Temporal.Instant.compare(to.start, now) < 0) {
    return { ok: false, reason: "in_past" };
  }
  return { ok: true, value: to };
}

/** A session is completed once it has started. */
export function complete(
  a: AppointmentState,
  now: Temporal.Instant,
): Transition<{ status: "completed" }> {
  if (a.status === "completed") {
    return { ok: false, reason: "already_completed" };
  }
  if (a.status === "cancelled") {
    return { ok: false, reason: "already_cancelled" };
  }
  if (Temporal.Instant.compare(a.start, now) > 0) {
    return { ok: false, reason: "not_started" };
  }
  return { ok: true, value: { status: "completed" } };
}

/** The trainer confirms a pending request. */
export function confirm(
  a: AppointmentState,
): Transition<{ status: "scheduled" }> {
  if (a.status === "scheduled") {
    return { ok: true, value: { status: "scheduled" } };
  }
  if (a.status !== "pending") {
    return { ok: false, reason: closedReason(a.status) };
  }
  return { ok: true, value: { status: "scheduled" } };
}

/** The longest session anyone can book, in minutes. */
export const MAX_SESSION_MINUTES = 240;

/** Trainer-chosen lengths: 15–240 minutes in steps of 5. */
export function checkDuration(minutes: number): string | undefined {
  if (
    !Number.isInteger(minutes) || minutes < 15 ||
    minutes > MAX_SESSION_MINUTES ||
    minutes % 5 !== 0
  ) {
    return "must be a whole number of minutes from 15 to 240 that divides by 5";
  }
}

/** What deciding one booking needs besides the trainer's rules and busy time. */
export type BookingRequest = Readonly<{
  by: Actor;
  clientId: string;
  start: Temporal.Instant;
  /** Trainer bookings only; a client always gets one slot. */
  durationMinutes?: number;
  now: Temporal.Instant;
}>;

export type BookingRules =
  & BusinessSettings
  & Readonly<{ requiresConfirmation: boolean }>;

export type BookingDecision =
  | Readonly<{
    ok: true;
    end: Temporal.Instant;
    status: "scheduled" | "pending";
  }>
  | Readonly<{ ok: false; reason: NotBookableReason }>;

/**
 * Whether `request` may be booked against `busy` (every live session that can overlap
 * it), in the contract's order: in the past, then (clients) not a slot, then taken.
 * A client gets exactly an available slot of the trainer's grid; a trainer any time
 * and length that overlaps none of their sessions.
 *
 * @example decideBooking({ by: "client", clientId, start, now }, rules, busy)
 */
export function decideBooking(
  request: BookingRequest,
  rules: BookingRules,
  busy: readonly BusyInterval[],
): BookingDecision {
  if (Temporal.Instant.compare(request.start, request.now) < 0) {
    return { ok: false, reason: "in_past" };
  }
  if (request.by === "client") {
    const check = isBookable({
      settings: rules,
      busy,
      now: request.now,
      viewer: { role: "client", clientId: request.clientId },
      start: request.start,
    });
    if (!check.ok) return check;
    return {
      ok: true,
      end: check.slot.end,
      status: rules.requiresConfirmation ? "pending" : "scheduled",
    };
  }
  const end = request.start.add({
    minutes: request.durationMinutes ?? rules.slotMinutes,
  });
  const wanted = { start: request.start, end };
  if (busy.some((b) => overlaps(b, wanted))) {
    return { ok: false, reason: "slot_taken" };
  }
  return { ok: true, end, status: "scheduled" };
}
