/**
 * What a change to a group class sends: the notice to the person a place concerns and the
 * reminders still ahead. Pure, like domain/notifications.ts, whose rows these are.
 */
import type {
  ClassEvent,
  NotificationPayload,
  PlannedNotification,
  Recipient,
} from "./notifications.ts";
/** A group class as its notices describe it. */
export type ClassSnapshot = Readonly<{
  id: string;
  trainerId: string;
  title: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
  status: string;
  timezone: string;
  trainerName: string;
  /** Grows with each change of time or title (1 when absent): older notices are stale. */
  version?: number;
}>;

/**
 * The notice a change to a place in a class sends: `promoted` to the client who took a
 * freed seat; `cancelled` to the client removed by the trainer or whose class was
 * cancelled, or to the trainer when a client gave up a booked seat. One per place and
 * event (the seat's id is in the key), due now.
 *
 * @example planClassEvent(c, seat, { event: "promoted", recipient: "client", now }).kind // "promoted"
 */
export function planClassEvent(
  c: ClassSnapshot,
  seat: Readonly<{ id: string; clientId: string; clientName: string }>,
  e: Readonly<{
    event: ClassEvent;
    recipient: Recipient;
    reason?: string | null;
    /** `credits_low`: the balance the seat's credit left. */
    balance?: number;
    /** `moved`: the class's title before the change, and its start if the time changed. */
    previous?: Readonly<{ start?: Temporal.Instant; title: string }>;
    now: Temporal.Instant;
  }>,
): PlannedNotification {
  return {
    appointmentId: null,
    classId: c.id,
    seatId: seat.id,
    trainerId: c.trainerId,
    recipient: e.recipient,
    recipientId: e.recipient === "client" ? seat.clientId : c.trainerId,
    kind: e.event,
    version: c.version ?? 1,
    payload: {
      ...classPayloadOf(c, seat),
      actor: e.recipient === "client" ? "trainer" : "client",
      ...(e.event === "cancelled" ? { reason: e.reason ?? null } : {}),
      ...(e.balance !== undefined ? { balance: e.balance } : {}),
      ...(e.previous ? { previousTitle: e.previous.title } : {}),
      ...(e.previous?.start
        ? {
          previousStartsAt: e.previous.start.toString({
            smallestUnit: "millisecond",
          }),
        }
        : {}),
    },
    dueAt: e.now,
  };
}
const classPayloadOf = (
  c: ClassSnapshot,
  seat: Readonly<{ clientId: string; clientName: string }> | undefined,
): NotificationPayload => ({
  trainerName: c.trainerName,
  clientName: seat?.clientName ?? "",
  ...(seat ? { clientId: seat.clientId } : {}),
  classTitle: c.title,
  startsAt: c.start.toString({ smallestUnit: "millisecond" }),
  endsAt: c.end.toString({ smallestUnit: "millisecond" }),
  timezone: c.timezone,
  version: c.version ?? 1,
  status: c.status,
});

/** A class as its reminders need it: with the trainer's reminder settings. */
export type ClassReminderSnapshot =
  & ClassSnapshot
  & Readonly<{ remindersEnabled: boolean; reminderMinutes: number }>;

/** Stands for the trainer where a class reminder's key names a seat: one per class. */
export const TRAINER_SEAT = "trainer";

/**
 * The reminders a class still needs, `reminderMinutes` before its start: one to each
 * booked seat in `seats`, and with `trainer` the trainer's one per class when their
 * reminders are on; none for a class that is not scheduled, nor once that time has passed.
 *
 * @example classRemindersFor(c, [seat], now, { trainer: false }).map((r) => r.recipient) // ["client"]
 */
export function classRemindersFor(
  c: ClassReminderSnapshot,
  seats: readonly Readonly<
    { id: string; clientId: string; clientName: string }
  >[],
  now: Temporal.Instant,
  options: Readonly<{ trainer: boolean }>,
): PlannedNotification[] {
  if (c.status !== "scheduled") return [];
  const dueAt = c.start.subtract({ minutes: c.reminderMinutes });
  if (Temporal.Instant.compare(dueAt, now) <= 0) return [];
  const reminder = (
    recipient: Recipient,
    seat: (typeof seats)[number] | undefined,
  ): PlannedNotification => ({
    appointmentId: null,
    classId: c.id,
    seatId: seat?.id ?? TRAINER_SEAT,
    trainerId: c.trainerId,
    recipient,
    recipientId: seat?.clientId ?? c.trainerId,
    kind: "reminder",
    version: c.version ?? 1,
    payload: classPayloadOf(c, seat),
    dueAt,
  });
  return [
    ...seats.map((s) => reminder("client", s)),
    ...(options.trainer && c.remindersEnabled
      ? [reminder("trainer", undefined)]
      : []),
  ];
}
