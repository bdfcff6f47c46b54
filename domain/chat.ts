/**
 * What the Telegram chat offers, as pure rules: which message about a session carries
 * which buttons while its action is still possible, and which days and times `/book`
 * offers. `jobs/` and `bot/` ask these; `lib/chat.ts` words and draws them; the changes
 * themselves are the lifecycle's (`db/lifecycle.ts`), with the same rules as the web.
 */
import type { NotificationKind, Recipient } from "./notifications.ts";
import type { AppointmentStatus, Slot } from "./types.ts";

/** Confirm and Decline on a request to the trainer; Cancel (two presses) on a session. */
export type SessionButtons = "request" | "session";

/** What deciding a notice's buttons needs of a claimed outbox row. */
export type NoticeForButtons = Readonly<{
  kind: NotificationKind;
  recipient: Recipient;
  classId: string | null;
  /** The session as the notice announces it. */
  payload: Readonly<{ status: string; version: number }>;
  /** The session as it is now. */
  appointment: Readonly<{
    status: AppointmentStatus;
    version: number;
    start: Temporal.Instant;
  }>;
}>;

/** The client's notices that carry Cancel: a session booked, moved or confirmed, and its reminder. */
const CLIENT_CANCEL: readonly NotificationKind[] = [
  "booked",
  "moved",
  "confirmed",
  "reminder",
];

/**
 * The buttons a notice carries when it is sent at `now`, or none: to the trainer, the
 * `booked` notice of a pending request gets Confirm and Decline, of a scheduled session
 * Cancel; to the client, the `booked`, `moved`, `confirmed` notice and the reminder of a
 * scheduled session get Cancel. Only while the session is still as the notice announces
 * it and has not started; class notices carry none.
 *
 * @example noticeButtons(claim, now) // "request" for a trainer's pending request
 */
export function noticeButtons(
  n: NoticeForButtons,
  now: Temporal.Instant,
): SessionButtons | undefined {
  const a = n.appointment;
  if (n.classId !== null) return undefined;
  if (a.status !== n.payload.status || a.version !== n.payload.version) {
    return undefined;
  }
  if (Temporal.Instant.compare(a.start, now) <= 0) return undefined;
  if (n.recipient === "trainer") {
    if (n.kind !== "booked") return undefined;
    return a.status === "pending"
      ? "request"
      : a.status === "scheduled"
      ? "session"
      : undefined;
  }
  return a.status === "scheduled" && CLIENT_CANCEL.includes(n.kind)
    ? "session"
    : undefined;
}

/** How many days `/book` looks at: today and the 6 after it. */
export const BOOKING_DAYS = 7;

/** The local dates (`YYYY-MM-DD`) from `today` on, `BOOKING_DAYS` of them, in order. */
export function bookingWindow(today: Temporal.PlainDate): string[] {
  return Array.from(
    { length: BOOKING_DAYS },
    (_, i) => today.add({ days: i }).toString(),
  );
}

/**
 * The days `/book` offers: those of the window starting `today` (the trainer's zone) that
 * have at least one free slot in the client's view (policies applied), in order.
 */
export function bookableDays(
  slots: readonly Slot[],
  today: Temporal.PlainDate,
): string[] {
  const free = new Set(
    slots.filter((s) => s.status === "available").map((s) => s.date),
  );
  return bookingWindow(today).filter((d) => free.has(d));
}

/** The free slots of one local date, by start. */
export function freeSlotsOn(slots: readonly Slot[], date: string): Slot[] {
  return slots
    .filter((s) => s.date === date && s.status === "available")
    .sort((a, b) => Temporal.Instant.compare(a.start, b.start));
}
