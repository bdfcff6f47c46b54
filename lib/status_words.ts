/**
 * The one set of words for a session's state, below every surface: the pages (through
 * `views/status.ts`, which adds their look) and the Telegram chat say it the same way.
 */
import { isExpiredRequest } from "../domain/appointments.ts";
import type { Actor, Appointment } from "../domain/types.ts";
import { type Locale, t } from "./i18n.ts";

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
  locale: Locale = "en",
): StatusWords {
  switch (a.status) {
    case "scheduled":
      return { text: t(locale, "status.booked"), tone: "booked" };
    case "pending":
      return isExpiredRequest(a, now)
        ? { text: t(locale, "status.expired"), tone: "expired" }
        : { text: t(locale, "status.waiting"), tone: "waiting" };
    case "completed":
      return { text: t(locale, "status.completed"), tone: "completed" };
    case "cancelled":
      return {
        text: cancelledText(a, viewer, locale),
        tone: a.declined ? "declined" : "cancelled",
      };
  }
}

/** A cancelled session's words: who cancelled it, or that the trainer declined it. */
export function cancelledText(
  a: Pick<Appointment, "cancelledBy" | "declined">,
  viewer: Actor,
  locale: Locale = "en",
): string {
  if (a.declined) return t(locale, "status.declined");
  return t(
    locale,
    !a.cancelledBy
      ? "status.cancelled"
      : a.cancelledBy === viewer
      ? "status.cancelled_by_you"
      : viewer === "client"
      ? "status.cancelled_by_trainer"
      : "status.cancelled_by_client",
  );
}
