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
 * The one set of words for a session's state, for every list and detail page:
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

/** The badge's classes for these words. */
export const badgeClass = (w: StatusWords) => `badge badge-${w.tone}`;
