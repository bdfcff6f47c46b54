/**
 * The trainer's statistics over a range of whole weeks, as small pure functions over
 * rows that set-based SQL has already grouped (see `db/stats.ts`). No clock, no I/O.
 */
import type { BusinessSettings } from "./types.ts";
import type { BookingPolicies } from "./policies.ts";
import { localStartOf, parseHHMM, weekdayOf } from "./time.ts";

/** The ranges a trainer can choose, in weeks; 12 unless they choose. */
export const RANGE_WEEKS = [4, 12, 52] as const;
export type RangeWeeks = typeof RANGE_WEEKS[number];
export const DEFAULT_WEEKS: RangeWeeks = 12;

/** Without a late window of the trainer's own, a cancellation less than this before the start is "late". */
export const DEFAULT_LATE_CANCEL_MINUTES = 24 * 60;

/**
 * How long before the start a cancellation counts as late: the trainer's late window
 * (`cancelNoticeMinutes`) when they set one, else {@link DEFAULT_LATE_CANCEL_MINUTES}.
 */
export const lateCancelMinutes = (
  p: Pick<BookingPolicies, "cancelNoticeMinutes">,
) =>
  p.cancelNoticeMinutes > 0
    ? p.cancelNoticeMinutes
    : DEFAULT_LATE_CANCEL_MINUTES;

/** A client with no session in this many days (and none coming) is slipping away. */
export const SLIPPING_DAYS = 30;

/** `"4"`, `"12"`, `"52"` → the range; anything else → undefined. */
export function parseWeeks(text: unknown): RangeWeeks | undefined {
  if (typeof text !== "string" || !/^\d{1,2}$/.test(text)) return undefined;
  const n = Number(text);
  return RANGE_WEEKS.find((w) => w === n);
}

/**
 * The Mondays of the `weeks` weeks ending with the week of `today`, oldest first.
 *
 * @example weekStarts(Temporal.PlainDate.from("2026-12-02"), 4)[3].toString() // "2026-11-30"
 */
export function weekStarts(
  today: Temporal.PlainDate,
  weeks: number,
): Temporal.PlainDate[] {
  const monday = today.subtract({ days: today.dayOfWeek - 1 });
  return Array.from(
    { length: weeks },
    (_, i) => monday.subtract({ weeks: weeks - 1 - i }),
  );
}

/**
 * Real minutes of working time offered on the local dates `from` to `to` (inclusive):
 * every working range of each non-holiday day, measured between the instants its ends
 * fall on, so a range across a DST change counts the hours it really has.
 *
 * @example offeredMinutes(settings, monday, monday.add({ days: 6 })) // 2400 for Mon–Fri 9–17
 */
export function offeredMinutes(
  settings: BusinessSettings,
  from: Temporal.PlainDate,
  to: Temporal.PlainDate,
): number {
  const holidays = new Set(settings.holidays);
  let total = 0;
  for (
    let d = from;
    Temporal.PlainDate.compare(d, to) <= 0;
    d = d.add({ days: 1 })
  ) {
    if (holidays.has(d.toString())) continue;
    for (const range of settings.workingHours[weekdayOf(d)]) {
      const start = localStartOf(d, parseHHMM(range.start), settings.timezone);
      const end = localStartOf(d, parseHHMM(range.end), settings.timezone);
      total += Math.max(0, start.until(end).total("minutes"));
    }
  }
  return Math.round(total);
}

/**
 * The one cancellation rate of the statistics: cancelled ÷ agreed sessions, where agreed
 * means booked (confirmed), completed or cancelled after it was agreed. Requests still
 * waiting for confirmation and declined requests were never agreed, so they count in
 * neither part; null when nothing was agreed.
 */
export function cancellationRate(
  c: Readonly<{ scheduled: number; completed: number; cancelled: number }>,
): number | null {
  const agreed = c.scheduled + c.completed + c.cancelled;
  return agreed === 0 ? null : c.cancelled / agreed;
}

/** The agreed sessions the {@link cancellationRate} divides by. */
export const agreedSessions = (
  c: Readonly<{ scheduled: number; completed: number; cancelled: number }>,
) => c.scheduled + c.completed + c.cancelled;

/** The rate's definition in words, as the statistics page says it once. */
export const CANCELLATION_RATE_DEFINITION =
  "Cancellation rate: cancelled sessions ÷ agreed sessions (booked, completed or cancelled after booking). Requests still waiting and declined requests are not agreed sessions, and a decline is not a cancellation.";

/** What SQL counts per local week (Monday `YYYY-MM-DD`) and status. */
export type WeekStatusRow = Readonly<{
  week: string;
  status: "scheduled" | "pending" | "completed" | "cancelled";
  sessions: number;
  /** Real minutes of these sessions. */
  minutes: number;
  /** Of the cancelled: requests the trainer declined (never agreed sessions). */
  declined: number;
  byClient: number;
  byTrainer: number;
}>;

export type WeekFigures = Readonly<{
  /** Monday, `YYYY-MM-DD`. */
  week: string;
  scheduled: number;
  pending: number;
  completed: number;
  /** Agreed sessions that were cancelled (declined requests are not among them). */
  cancelled: number;
  declined: number;
  cancelledByClient: number;
  cancelledByTrainer: number;
  /** {@link cancellationRate}: cancelled ÷ (scheduled + completed + cancelled). */
  cancellationRate: number | null;
  /** Scheduled, pending and completed sessions' real minutes. */
  bookedMinutes: number;
  offeredMinutes: number;
  /** booked ÷ offered minutes; null when nothing was offered. */
  utilisation: number | null;
}>;

/**
 * One entry per week of `weeks` (Mondays, oldest first), zeros where SQL had no row.
 * A session counts in the week it starts in now, so a moved session counts where it went.
 */
export function weeklyFigures(
  settings: BusinessSettings,
  weeks: readonly Temporal.PlainDate[],
  rows: readonly WeekStatusRow[],
): WeekFigures[] {
  return weeks.map((monday) => {
    const week = monday.toString();
    const mine = rows.filter((r) => r.week === week);
    const of = (s: WeekStatusRow["status"]) => mine.find((r) => r.status === s);
    const cancelledRow = of("cancelled");
    const declined = cancelledRow?.declined ?? 0;
    const cancelled = (cancelledRow?.sessions ?? 0) - declined;
    const scheduled = of("scheduled")?.sessions ?? 0;
    const completed = of("completed")?.sessions ?? 0;
    const bookedMinutes = (of("scheduled")?.minutes ?? 0) +
      (of("pending")?.minutes ?? 0) + (of("completed")?.minutes ?? 0);
    const offered = offeredMinutes(settings, monday, monday.add({ days: 6 }));
    return {
      week,
      scheduled,
      pending: of("pending")?.sessions ?? 0,
      completed,
      cancelled,
      declined,
      // Declines are the trainer's by definition; they are counted apart.
      cancelledByClient: cancelledRow?.byClient ?? 0,
      cancelledByTrainer: (cancelledRow?.byTrainer ?? 0) - declined,
      cancellationRate: cancellationRate({ scheduled, completed, cancelled }),
      bookedMinutes,
      offeredMinutes: offered,
      utilisation: offered === 0 ? null : bookedMinutes / offered,
    };
  });
}

export type ReasonCount = Readonly<{ reason: string; count: number }>;

export const NO_REASON = "No reason given";

/**
 * Cancellation reasons grouped by their first part ("Travel: away for work" → "Travel";
 * the client's form puts its chosen reason first), the most frequent first, ties by name.
 */
export function groupReasons(
  rows: readonly Readonly<{ reason: string | null; count: number }>[],
): ReasonCount[] {
  const groups = new Map<string, { reason: string; count: number }>();
  for (const row of rows) {
    const head = (row.reason ?? "").split(":")[0].trim().replace(/\s+/g, " ");
    const label = head === "" ? NO_REASON : head.slice(0, 80);
    const key = label.toLowerCase();
    const g = groups.get(key);
    if (g) g.count += row.count;
    else groups.set(key, { reason: label, count: row.count });
  }
  return [...groups.values()].sort((a, b) =>
    b.count - a.count || a.reason.localeCompare(b.reason)
  );
}

/** Booked sessions by local weekday (1 = Monday) and starting hour. */
export type HeatCell = Readonly<
  { isoDay: number; hour: number; sessions: number }
>;

/**
 * A 7 × 24 grid (`grid[isoDay - 1][hour]`) and the hours worth showing: from the
 * earliest to the latest hour that has a session or a working range, 08–18 when empty.
 */
export function heatmap(
  settings: BusinessSettings,
  cells: readonly HeatCell[],
): Readonly<{ grid: number[][]; firstHour: number; lastHour: number }> {
  const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const hours: number[] = [];
  for (const c of cells) {
    grid[c.isoDay - 1][c.hour] += c.sessions;
    hours.push(c.hour);
  }
  for (const ranges of Object.values(settings.workingHours)) {
    for (const r of ranges) {
      hours.push(Math.floor(parseHHMM(r.start) / 60));
      hours.push(Math.ceil(parseHHMM(r.end) / 60) - 1);
    }
  }
  if (hours.length === 0) return { grid, firstHour: 8, lastHour: 18 };
  return {
    grid,
    firstHour: Math.max(0, Math.min(...hours)),
    lastHour: Math.min(23, Math.max(...hours)),
  };
}

/**
 * The calendar months (`YYYY-MM`) that `from`..`to` touch, each with the count SQL
 * found (zero otherwise).
 */
export function perMonth(
  from: Temporal.PlainDate,
  to: Temporal.PlainDate,
  rows: readonly Readonly<{ month: string; count: number }>[],
): { month: string; count: number }[] {
  const out: { month: string; count: number }[] = [];
  const last = Temporal.PlainYearMonth.from(to);
  for (
    let m = Temporal.PlainYearMonth.from(from);
    Temporal.PlainYearMonth.compare(m, last) <= 0;
    m = m.add({ months: 1 })
  ) {
    const month = m.toString();
    out.push({
      month,
      count: rows.find((r) => r.month === month)?.count ?? 0,
    });
  }
  return out;
}

/** Whole percent, or null when there is nothing to divide by. */
export const wholePercent = (ratio: number | null) =>
  ratio === null ? null : Math.round(ratio * 100);

/** One client's figures over the range (counts) and overall (last and next). */
export type ClientFigures = Readonly<{
  id: string;
  name: string;
  joinedAt: Temporal.Instant;
  sessions: number;
  completed: number;
  cancelledLate: number;
  cancelledOther: number;
  lastSession: Temporal.Instant | null;
  nextSession: Temporal.Instant | null;
}>;

/**
 * Clients slipping away: nothing coming up and no session for {@link SLIPPING_DAYS}
 * days (never one: joined that long ago), longest silent first.
 */
export function slippingAway(
  clients: readonly ClientFigures[],
  now: Temporal.Instant,
): ClientFigures[] {
  const limit = now.subtract({ hours: 24 * SLIPPING_DAYS });
  const since = (c: ClientFigures) => c.lastSession ?? c.joinedAt;
  return clients
    .filter((c) =>
      c.nextSession === null && Temporal.Instant.compare(since(c), limit) <= 0
    )
    .sort((a, b) => Temporal.Instant.compare(since(a), since(b)));
}

/** Everything the statistics page and `GET /api/stats` show for one range. */
/** One group class in the range: who came (booked seats) and how full it was. */
export type ClassFigures = Readonly<{
  id: string;
  title: string;
  start: Temporal.Instant;
  status: "scheduled" | "cancelled";
  capacity: number;
  booked: number;
  waitlisted: number;
  /** booked ÷ capacity. */
  fillRate: number;
}>;

export type ClassTotals = Readonly<{
  classes: number;
  cancelled: number;
  seatsOffered: number;
  seatsBooked: number;
  /** Over the classes that were held (not cancelled); null with none. */
  fillRate: number | null;
}>;

/** Attendance and fill rate per class, and over the classes held. */
export function classFigures(
  classes: readonly Readonly<{
    id: string;
    title: string;
    start: Temporal.Instant;
    status: "scheduled" | "cancelled";
    capacity: number;
    booked: number;
    waitlisted: number;
  }>[],
): Readonly<{ list: readonly ClassFigures[]; totals: ClassTotals }> {
  const list = classes.map((c) => ({
    id: c.id,
    title: c.title,
    start: c.start,
    status: c.status,
    capacity: c.capacity,
    booked: c.booked,
    waitlisted: c.waitlisted,
    fillRate: c.booked / c.capacity,
  }));
  const held = list.filter((c) => c.status === "scheduled");
  const offered = held.reduce((n, c) => n + c.capacity, 0);
  const booked = held.reduce((n, c) => n + c.booked, 0);
  return {
    list,
    totals: {
      classes: held.length,
      cancelled: list.length - held.length,
      seatsOffered: offered,
      seatsBooked: booked,
      fillRate: offered === 0 ? null : booked / offered,
    },
  };
}

export type StatsReport = Readonly<{
  weeks: RangeWeeks;
  timezone: string;
  /** First and last local date of the range (Monday and Sunday). */
  from: string;
  to: string;
  weekly: readonly WeekFigures[];
  /** The weeks' figures summed (the rates over the whole range). */
  totals: Pick<
    WeekFigures,
    | "cancelled"
    | "declined"
    | "cancelledByClient"
    | "cancelledByTrainer"
    | "cancellationRate"
    | "bookedMinutes"
    | "offeredMinutes"
    | "utilisation"
  >;
  reasons: readonly ReasonCount[];
  heatmap: ReturnType<typeof heatmap>;
  newClients: readonly Readonly<{ month: string; count: number }>[];
  slipping: readonly ClientFigures[];
  clients: readonly ClientFigures[];
  /** A client's cancellation less than this many minutes before the start is late ({@link lateCancelMinutes}). */
  lateCancelMinutes: number;
  /** Whether that is the trainer's own late window (else the 24-hour default). */
  lateWindowOwn: boolean;
  groupClasses: ReturnType<typeof classFigures>;
}>;

/** Assembles the report from what SQL grouped; `weekMondays` as {@link weekStarts} gives them. */
export function buildReport(
  input: Readonly<{
    settings: BusinessSettings & Pick<BookingPolicies, "cancelNoticeMinutes">;
    weeks: RangeWeeks;
    weekMondays: readonly Temporal.PlainDate[];
    now: Temporal.Instant;
    weekRows: readonly WeekStatusRow[];
    reasonRows: readonly Readonly<{ reason: string | null; count: number }>[];
    heatCells: readonly HeatCell[];
    newClientRows: readonly Readonly<{ month: string; count: number }>[];
    clients: readonly ClientFigures[];
    classes?: Parameters<typeof classFigures>[0];
  }>,
): StatsReport {
  const { settings, weekMondays } = input;
  const first = weekMondays[0];
  const last = weekMondays[weekMondays.length - 1].add({ days: 6 });
  const weekly = weeklyFigures(settings, weekMondays, input.weekRows);
  const sum = (f: (w: WeekFigures) => number) =>
    weekly.reduce((n, w) => n + f(w), 0);
  const cancelled = sum((w) => w.cancelled);
  const booked = sum((w) => w.bookedMinutes);
  const offered = sum((w) => w.offeredMinutes);
  return {
    weeks: input.weeks,
    timezone: settings.timezone,
    from: first.toString(),
    to: last.toString(),
    weekly,
    totals: {
      cancelled,
      declined: sum((w) => w.declined),
      cancelledByClient: sum((w) => w.cancelledByClient),
      cancelledByTrainer: sum((w) => w.cancelledByTrainer),
      cancellationRate: cancellationRate({
        scheduled: sum((w) => w.scheduled),
        completed: sum((w) => w.completed),
        cancelled,
      }),
      bookedMinutes: booked,
      offeredMinutes: offered,
      utilisation: offered === 0 ? null : booked / offered,
    },
    reasons: groupReasons(input.reasonRows),
    heatmap: heatmap(settings, input.heatCells),
    newClients: perMonth(first, last, input.newClientRows),
    slipping: slippingAway(input.clients, input.now),
    clients: input.clients,
    lateCancelMinutes: lateCancelMinutes(settings),
    lateWindowOwn: settings.cancelNoticeMinutes > 0,
    groupClasses: classFigures(input.classes ?? []),
  };
}
