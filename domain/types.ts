/** Shared domain types. Pure data: no I/O, no clock, no framework. */

export const WEEKDAYS = [
  "mon",
  "tue",
  "wed",
  "thu",
  "fri",
  "sat",
  "sun",
] as const;
export type Weekday = typeof WEEKDAYS[number];

/** The languages Spotter speaks (BCP 47 tags), English first: it is the fallback. */
export const LANGUAGES = ["en", "de", "es", "ru"] as const;
export type Language = typeof LANGUAGES[number];

/** Whether `value` is one of {@link LANGUAGES}. */
export const isLanguage = (value: unknown): value is Language =>
  (LANGUAGES as readonly unknown[]).includes(value);

/** A local working range, `HH:MM` to `HH:MM` (`24:00` may end a day). */
export type TimeRange = Readonly<{ start: string; end: string }>;

export type WorkingHours = Readonly<Record<Weekday, readonly TimeRange[]>>;

export type BusinessSettings = Readonly<{
  /** IANA zone name, e.g. `Europe/Berlin`. */
  timezone: string;
  /** 15–90, divisible by 5. */
  slotMinutes: number;
  workingHours: WorkingHours;
  /** Local dates `YYYY-MM-DD` in the trainer's zone without slots. */
  holidays: readonly string[];
}>;

/** Half-open instant interval [start, end). */
export type Interval = Readonly<
  { start: Temporal.Instant; end: Temporal.Instant }
>;

/** A scheduled or pending appointment that occupies the trainer's time. */
export type BusyInterval =
  & Interval
  & Readonly<{ appointmentId: string; clientId: string }>;

/**
 * Time the trainer is busy in one of their other calendars: it blocks clients' slots
 * but is never a conflict for the trainer. `summary` is the event's title, for the
 * trainer's eyes only (empty when not read).
 */
export type BusyElsewhere = Interval & Readonly<{ summary: string }>;

export type Viewer =
  | Readonly<{ role: "trainer" }>
  | Readonly<{ role: "client"; clientId: string }>;

/** `too_soon` and `too_far` only in a client's view, from the trainer's booking policies. */
export type SlotStatus =
  | "available"
  | "booked"
  | "mine"
  | "past"
  | "too_soon"
  | "too_far";

export type Slot = Readonly<{
  start: Temporal.Instant;
  end: Temporal.Instant;
  /** The local date (trainer's zone) of the working range the slot belongs to. */
  date: string;
  status: SlotStatus;
  /** The overlapping appointment, for `booked` and `mine` (trainer views use it to show names). */
  appointmentId?: string;
  clientId?: string;
  /** Trainer views only: the title of the other calendar's event the slot overlaps. */
  elsewhere?: string;
}>;

export type AppointmentStatus =
  | "scheduled"
  | "pending"
  | "cancelled"
  | "completed";
export type Actor = "trainer" | "client";

export type Appointment = Readonly<{
  id: string;
  trainerId: string;
  clientId: string;
  clientName: string;
  trainerName: string;
  timezone: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
  status: AppointmentStatus;
  notes: string;
  cancellationReason: string | null;
  cancelledBy: Actor | null;
  cancelledAt: Temporal.Instant | null;
  /** Cancelled by the trainer while it was still a request (the outbox kept a 'declined' notice). */
  declined?: boolean;
  createdAt: Temporal.Instant;
  version: number;
  /** The weekly series it belongs to, if any. */
  seriesId: string | null;
  /** The grant that paid for it, and whether its credit went back (domain/credits.ts). */
  creditGrantId?: string | null;
  creditReturned?: boolean;
}>;

export type ClientSummary = Readonly<{
  id: string;
  name: string;
  /** `null`: a walk-in the trainer added without an address. */
  email: string | null;
  /** A phone the trainer noted for a walk-in; empty when none. */
  phone: string;
  /** A walk-in with no sign-in of their own yet (they may claim the account). */
  unclaimed: boolean;
  tags: readonly string[];
  notes: string;
  /** As the API counts them: `booked` is scheduled and pending, `cancelled` every cancelled row. */
  stats: Readonly<{ booked: number; cancelled: number; completed: number }>;
  /** Of `booked`: requests waiting for confirmation. Of `cancelled`: declined requests. */
  pending: number;
  declined: number;
  lastSession: Temporal.Instant | null;
  nextSession: Temporal.Instant | null;
}>;

/** How many of a trainer's sessions have each status. */
/**
 * What the history can be filtered by: a state, or `declined` (a request the trainer
 * turned down), which `cancelled` does not include.
 */
export type HistoryStatus = AppointmentStatus | "declined";

export type StatusCounts = Readonly<{
  scheduled: number;
  pending: number;
  completed: number;
  /** Agreed sessions that were cancelled: declined requests are not among them. */
  cancelled: number;
  /** Requests the trainer declined. */
  declined: number;
}>;

/** The busiest local weekday (1 = Monday) and hour, with their session counts. */
export type BusiestTimes = Readonly<{
  weekday: Readonly<{ isoDay: number; sessions: number }> | null;
  hour: Readonly<{ hour: number; sessions: number }> | null;
}>;

export type Role = "trainer" | "client";

/** The signed-in person as the app sees them. `trainerId` is their own id for a trainer. */
export type User = Readonly<{
  id: string;
  role: Role;
  name: string;
  email: string;
  trainerId: string;
  telegramLinked: boolean;
  /** What the user reads: pages, notices and the chat. */
  language: Language;
}>;

/** A session as a calendar feed shows it: `updatedAt` (its last change) is the `DTSTAMP`. */
export type FeedAppointment = Readonly<
  { appointment: Appointment; updatedAt: Temporal.Instant }
>;

/** What a message about an account says (a link, a farewell). */
export type AccountMessageKind =
  | "password_reset"
  | "verify_email"
  | "email_changed"
  | "client_left"
  | "client_removed"
  | "trainer_left";

/** A signed-in device of an account, for the profile. */
export type DeviceSession = Readonly<{
  id: string;
  via: "browser" | "api" | undefined;
  userAgent: string | undefined;
  createdAt: Temporal.Instant;
  lastUsedAt: Temporal.Instant;
  /** The session this request came with. */
  current: boolean;
}>;

/** One of the trainer's other calendars, as the settings page shows it. */
export type BusyCalendar = Readonly<{
  id: string;
  trainerId: string;
  name: string;
  url: string;
  status: "ok" | "error";
  /** Busy intervals in force (kept after a failed fetch). */
  events: number;
  /** The last successful fetch (a 304 counts); `null` before any. */
  lastSyncedAt: Temporal.Instant | null;
  error: string | null;
  etag: string | null;
  lastModified: string | null;
}>;

/** A value of one exported row. */
export type ExportRow = Record<
  string,
  string | number | boolean | null | readonly string[]
>;

/** One file of a trainer's export: its columns and its rows, read as they are written. */
export type ExportTable = Readonly<{
  name: string;
  columns: readonly string[];
  rows: () => AsyncIterable<readonly ExportRow[]>;
}>;
