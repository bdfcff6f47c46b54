/**
 * The one set of words for a session's state, below every surface: the pages (through
 * `views/status.ts`, which adds their look) and the Telegram chat say it the same way.
 */
import { isExpiredRequest } from "../domain/appointments.ts";
import type { Actor, Appointment } from "../domain/types.ts";

/** How a session's state looks: each tone has its own badge and card colour in app.css. */
export type StatusTone =
  | "booked"
  | "waiting"
  | "expired"
  | "declined"
  | "cancelled"
  | "completed";

export type StatusWords = Readonly<{ text: string; tone: StatusTone }>;

/**
 * Booked · Waiting for confirmation · Expired request · Declined · Cancelled by you /
 * by your trainer / by the client · Completed. `viewer` is who reads it; `now` tells a
 * request nobody answered before its start (it can no longer be confirmed).
 */
export function statusWords(
  a: Pick<Appointment, "status" | "cancelledBy" | "declined" | "start">,
  viewer: Actor,
  now: Temporal.Instant,
): StatusWords {
  switch (a.status) {
    case "scheduled":
      return { text: "Booked", tone: "booked" };
    case "pending":
      return isExpiredRequest(a, now)
        ? { text: "Expired request", tone: "expired" }
        : { text: "Waiting for confirmation", tone: "waiting" };
    case "completed":
      return { text: "Completed", tone: "completed" };
    case "cancelled":
      return {
        text: cancelledText(a, viewer),
        tone: a.declined ? "declined" : "cancelled",
      };
  }
}

/** A cancelled session's words: who cancelled it, or that the trainer declined it. */
export function cancelledText(
  a: Pick<Appointment, "cancelledBy" | "declined">,
  viewer: Actor,
): string {
  if (a.declined) return "Declined";
  return !a.cancelledBy
    ? "Cancelled"
    : a.cancelledBy === viewer
    ? "Cancelled by you"
    : viewer === "client"
    ? "Cancelled by your trainer"
    : "Cancelled by the client";
}
