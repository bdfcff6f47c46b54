/**
 * What a change to an appointment sends, and when: the notice to the other side, the
 * reminders still ahead, which pending reminders no longer hold, and at send time whether
 * a reminder is still due and by which channel a message goes. Pure: `db/` writes what
 * these functions return and `jobs/` sends it.
 */
import type { Actor, AppointmentStatus } from "./types.ts";

/** Something that happened to an appointment and is worth telling the other side. */
export type AppointmentEvent =
  | "booked"
  | "cancelled"
  | "moved"
  | "confirmed"
  | "declined";

/** Something that happened to a place in a group class, told to the person it concerns. */
export type ClassEvent = "promoted" | "cancelled" | "moved" | CreditEvent;

/** About a client's credits: a use left 1 or none, or their turn on a waitlist passed them by. */
export type CreditEvent = "credits_low" | "passed_over";

export type NotificationKind =
  | AppointmentEvent
  | "reminder"
  | "promoted"
  | CreditEvent;
export type Recipient = Actor;
export type Channel = "telegram" | "email";

/** What a message needs, frozen when the row is written. */
export type NotificationPayload = Readonly<{
  trainerName: string;
  clientName: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  version: number;
  status: string;
  actor?: Recipient;
  reason?: string | null;
  previousStartsAt?: string;
  /** A changed class's title before the change. */
  previousTitle?: string;
  /** Set on notices about a group class (the class's title). */
  classTitle?: string;
  /** The client a class notice is about. */
  clientId?: string;
  /** `credits_low`: the client's balance after the use. */
  balance?: number;
}>;

/** An appointment as its messages describe it, with the trainer's reminder settings. */
export type AppointmentSnapshot = Readonly<{
  id: string;
  trainerId: string;
  clientId: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
  status: AppointmentStatus;
  /** Grows with every move: a reminder planned for an older version is stale. */
  version: number;
  cancellationReason: string | null;
  timezone: string;
  trainerName: string;
  clientName: string;
  remindersEnabled: boolean;
  reminderMinutes: number;
}>;

/** A notification row before it is written. */
export type PlannedNotification = Readonly<{
  /** Exactly one of `appointmentId` and `classId` is set. */
  appointmentId: string | null;
  classId?: string | null;
  /** A class notice's seat: each place is told of each event once. */
  seatId?: string;
  trainerId: string;
  recipient: Recipient;
  recipientId: string;
  kind: NotificationKind;
  version: number;
  payload: NotificationPayload;
  dueAt: Temporal.Instant;
}>;

/** Which pending reminders of the appointment a change makes wrong. */
export type ReminderDrop = "none" | "all" | "other_versions";

/** Everything one change writes to the outbox. */
export type OutboxPlan = Readonly<{
  appointmentId: string;
  /** The appointment's version after the change. */
  version: number;
  drop: ReminderDrop;
  rows: readonly PlannedNotification[];
}>;

const other = (r: Recipient): Recipient =>
  r === "client" ? "trainer" : "client";

const recipientId = (a: AppointmentSnapshot, r: Recipient) =>
  r === "client" ? a.clientId : a.trainerId;

/**
 * The unique key of one message: appointment, recipient, kind and appointment version; for
 * a class, its seat instead of the appointment, and its version from the first change on.
 */
export function dedupeKey(
  n: Pick<
    PlannedNotification,
    "appointmentId" | "recipient" | "kind" | "version" | "classId" | "seatId"
  >,
): string {
  if (n.classId) {
    const key = `class:${n.classId}:${n.seatId}:${n.recipient}:${n.kind}`;
    return n.version > 1 ? `${key}:v${n.version}` : key;
  }
  return `${n.appointmentId}:${n.recipient}:${n.kind}:v${n.version}`;
}

const payloadOf = (a: AppointmentSnapshot): NotificationPayload => ({
  trainerName: a.trainerName,
  clientName: a.clientName,
  startsAt: a.start.toString({ smallestUnit: "millisecond" }),
  endsAt: a.end.toString({ smallestUnit: "millisecond" }),
  timezone: a.timezone,
  version: a.version,
  status: a.status,
});

/**
 * The reminders a session still needs: one per recipient `reminderMinutes` before a
 * scheduled session, to the client always and to the trainer when their reminders are
 * on; none for another status, nor once that time has passed.
 *
 * @example remindersFor(snapshot, Temporal.Now.instant()).map((r) => r.recipient) // ["client", "trainer"]
 */
export function remindersFor(
  a: AppointmentSnapshot,
  now: Temporal.Instant,
): PlannedNotification[] {
  if (a.status !== "scheduled") return [];
  const dueAt = a.start.subtract({ minutes: a.reminderMinutes });
  if (Temporal.Instant.compare(dueAt, now) <= 0) return [];
  const recipients: Recipient[] = a.remindersEnabled
    ? ["client", "trainer"]
    : ["client"];
  return recipients.map((r) => ({
    appointmentId: a.id,
    trainerId: a.trainerId,
    recipient: r,
    recipientId: recipientId(a, r),
    kind: "reminder",
    version: a.version,
    payload: payloadOf(a),
    dueAt,
  }));
}

/**
 * What `event`, done by `actor`, sends: a notice to the other side now, and the
 * appointment's reminders brought in line with its state after the event (`a`). A session
 * that is no longer scheduled drops every pending reminder; a moved one drops those of its
 * older versions; a new one has none to drop.
 *
 * @example planEvent(a, { event: "cancelled", actor: "client", now }).drop // "all"
 */
export function planEvent(
  a: AppointmentSnapshot,
  e: Readonly<{
    event: AppointmentEvent;
    actor: Actor;
    now: Temporal.Instant;
    /** Where a moved session was last announced, for "moved from …". */
    previousStartsAt?: string;
    /** A changed class's title before the change. */
    previousTitle?: string;
  }>,
): OutboxPlan {
  const to = other(e.actor);
  const carriesReason = e.event === "cancelled" || e.event === "declined";
  const notice: PlannedNotification = {
    appointmentId: a.id,
    trainerId: a.trainerId,
    recipient: to,
    recipientId: recipientId(a, to),
    kind: e.event,
    version: a.version,
    payload: {
      ...payloadOf(a),
      actor: e.actor,
      ...(carriesReason ? { reason: a.cancellationReason } : {}),
      ...(e.previousStartsAt ? { previousStartsAt: e.previousStartsAt } : {}),
    },
    dueAt: e.now,
  };
  const drop: ReminderDrop = a.status !== "scheduled"
    ? "all"
    : e.event === "booked"
    ? "none"
    : "other_versions";
  return {
    appointmentId: a.id,
    version: a.version,
    drop,
    rows: [notice, ...remindersFor(a, e.now)],
  };
}

/**
 * The client's `credits_low` notice for a booking whose credit left their balance at
 * `balance` (1 or 0; `leavesLowBalance` in domain/credits.ts decides when), due now.
 *
 * @example planCreditsLow(snapshot, 1, now).kind // "credits_low"
 */
export function planCreditsLow(
  a: AppointmentSnapshot,
  balance: number,
  now: Temporal.Instant,
): PlannedNotification {
  return {
    appointmentId: a.id,
    trainerId: a.trainerId,
    recipient: "client",
    recipientId: a.clientId,
    kind: "credits_low",
    version: a.version,
    payload: { ...payloadOf(a), balance },
    dueAt: now,
  };
}

/** What the send-time checks need of a claimed row. */
export type DeliveryCandidate = Readonly<{
  kind: NotificationKind;
  recipient: Recipient;
  payload: Pick<NotificationPayload, "version">;
  /** Telegram chat id, if the recipient linked one. */
  chatId: string | null;
  /** False while the recipient's address is not confirmed: no e-mail goes there yet. */
  emailVerified?: boolean;
  /** False for a walk-in client with no address: e-mail cannot reach them at all. */
  hasEmail?: boolean;
  /** The trainer's reminders (they govern only the trainer's own). */
  remindersEnabled: boolean;
  /** The recipient's own switch when a client (`/reminders off`); true for a trainer. */
  clientRemindersEnabled: boolean;
  /** The appointment as it is now. */
  appointment: Readonly<{
    status: AppointmentStatus;
    version: number;
    start: Temporal.Instant;
  }>;
}>;

/**
 * Why a reminder claimed for sending must not go out any more, or `undefined` when it is
 * still due: the session moved or was cancelled after it was planned, it has started, or
 * its recipient turned their reminders off (the trainer in settings, a client for
 * themselves).
 */
export function reminderVoidReason(
  n: DeliveryCandidate,
  now: Temporal.Instant,
): string | undefined {
  if (n.kind !== "reminder") return undefined;
  if (
    n.appointment.status !== "scheduled" ||
    n.appointment.version !== n.payload.version
  ) {
    return "The session was moved or cancelled after this reminder was planned.";
  }
  if (Temporal.Instant.compare(n.appointment.start, now) <= 0) {
    return "The session had already started.";
  }
  if (n.recipient === "trainer" && !n.remindersEnabled) {
    return "The trainer turned reminders off.";
  }
  if (n.recipient === "client" && !n.clientRemindersEnabled) {
    return "The client turned their reminders off.";
  }
  return undefined;
}

export type ChannelDecision =
  | Readonly<{ send: Channel }>
  | Readonly<{ skip: string }>
  | Readonly<{ release: Temporal.Instant }>;

/**
 * Which channel a claimed row goes by, or why it goes nowhere: Telegram when the
 * recipient linked a chat, else e-mail when it is configured (nobody's reminder setting
 * changes the channel); while Telegram asked to pause, Telegram rows are handed back
 * untried.
 */
export function chooseChannel(
  n: DeliveryCandidate,
  env: Readonly<{
    now: Temporal.Instant;
    telegramOn: boolean;
    mailOn: boolean;
    telegramPausedUntil?: Temporal.Instant;
  }>,
): ChannelDecision {
  const void_ = reminderVoidReason(n, env.now);
  if (void_) return { skip: void_ };
  if (n.chatId && env.telegramOn) {
    if (
      env.telegramPausedUntil &&
      Temporal.Instant.compare(env.telegramPausedUntil, env.now) > 0
    ) return { release: env.telegramPausedUntil };
    return { send: "telegram" };
  }
  if (n.hasEmail === false) {
    return {
      skip: n.chatId
        ? "Not sent: Telegram is off on this server and the client has no e-mail address."
        : "Not sent: the client has no Telegram chat and no e-mail address.",
    };
  }
  if (env.mailOn && n.emailVerified === false) {
    return { skip: "Not sent: the e-mail address is not confirmed yet." };
  }
  if (env.mailOn) return { send: "email" };
  const why = !n.chatId
    ? "no Telegram chat is linked"
    : "Telegram is off on this server";
  return { skip: `Not sent: ${why} and e-mail is not configured.` };
}

export type NotificationStatus =
  | "pending"
  | "sending"
  | "sent"
  | "failed"
  | "skipped";

/** One line of the notification log. */
export type NotificationEntry = Readonly<{
  id: string;
  appointmentId: string | null;
  classId: string | null;
  recipient: Recipient;
  recipientId: string;
  recipientName: string;
  channel: Channel;
  kind: NotificationKind;
  status: NotificationStatus;
  dueAt: Date;
  sentAt: Date | null;
  attempts: number;
  error: string | null;
  payload: NotificationPayload;
  timezone: string;
}>;
