/**
 * The one set of words for a session's state, below every surface: the pages (through
 * `views/status.ts`, which adds their look) and the Telegram chat say it the same way.
 */
import type { Actor, Appointment } from "../domain/types.ts";

/** How a session's state looks: each tone has its own badge and card colour in app.css. */
export type StatusTone =
  | "booked"
  | "waiting"
  | "declined"
  | "cancelled"
  | "completed";

export type StatusWords = Readonly<{ text: string; tone: StatusTone }>;

/**
 * Booked · Waiting for confirmation · Declined · Cancelled by you / by your trainer /
 * by the client · Completed. `viewer` is who reads it.
 */
export function statusWords(
  a: Pick<Appointment, "status" | "cancelledBy" | "declined">,
  viewer: Actor,
): StatusWords {
  switch (a.status) {
    case "scheduled":
      return { text: "Booked", tone: "booked" };
    case "pending":
      return { text: "Waiting for confirmation", tone: "waiting" };
    case "completed":
      return { text: "Completed", tone: "completed" };
    case "cancelled":
      if (a.declined) return { text: "Declined", tone: "declined" };
      return {
        text: !a.cancelledBy
          ? "Cancelled"
          : a.cancelledBy === viewer
          ? "Cancelled by you"
          : viewer === "client"
          ? "Cancelled by your trainer"
          : "Cancelled by the client",
        tone: "cancelled",
      };
  }
}
