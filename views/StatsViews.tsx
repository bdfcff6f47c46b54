/** The statistics page's figures at a glance: this week, this month, overall, the next 7 days. */
import type { Child } from "hono/jsx";
import type { BusiestTimes, StatusCounts } from "../domain/types.ts";
import { DAY_NAMES } from "./SettingsViews.tsx";
import { WEEKDAYS } from "../domain/types.ts";
import { formatHHMM } from "../domain/time.ts";
import {
  agreedSessions,
  CANCELLATION_RATE_DEFINITION,
  cancellationRate,
} from "../domain/stats.ts";
import { type Locale, t } from "../lib/i18n.ts";

/** "1 session", "2 sessions". */
const sessions = (n: number) => n === 1 ? "1 session" : `${n} sessions`;

export type PeriodStats = Readonly<{
  label: string;
  range: string;
  counts: StatusCounts;
}>;

/** Working slots of the coming days by status, each `slotMinutes` long. */
export type Utilisation = Readonly<{
  from: string;
  to: string;
  booked: number;
  available: number;
  slotMinutes: number;
}>;

/** The {@link cancellationRate} as a whole percent, or a dash with nothing agreed. */
const rate = (c: StatusCounts) => {
  const r = cancellationRate(c);
  return r === null ? "–" : `${Math.round(r * 100)}%`;
};

/** "of 3 agreed sessions": what the rate divides by. */
const agreedHint = (c: StatusCounts) => {
  const n = agreedSessions(c);
  return `of ${n} agreed ${n === 1 ? "session" : "sessions"}`;
};

/** "25%" (whole percent), or a dash when there is nothing to divide by. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? "–" : `${Math.round((part / whole) * 100)}%`;
}

const hours = (minutes: number) =>
  minutes % 60 === 0 ? `${minutes / 60} h` : `${(minutes / 60).toFixed(1)} h`;

function Stat({ label, value, hint }: {
  label: string;
  value: string | number;
  hint?: string;
}) {
  return (
    <div class="card stat">
      <strong>{value}</strong>
      {label}
      {hint && <small class="hint">{hint}</small>}
    </div>
  );
}

function Period(
  { period, locale }: { period: PeriodStats; locale: Locale },
) {
  const c = period.counts;
  return (
    <section class="period">
      <h2>
        {period.label} <small class="muted">{period.range}</small>
      </h2>
      <div class="stats">
        <Stat label={t(locale, "status.booked")} value={c.scheduled} />
        <Stat label={t(locale, "status.waiting")} value={c.pending} />
        <Stat label={t(locale, "status.completed")} value={c.completed} />
        <Stat
          label={t(locale, "status.cancelled")}
          value={c.cancelled}
          hint={c.declined
            ? `and ${c.declined} ${c.declined === 1 ? "request" : "requests"} ${
              t(locale, "status.declined").toLowerCase()
            }`
            : undefined}
        />
        <Stat label="Cancellation rate" value={rate(c)} hint={agreedHint(c)} />
      </div>
    </section>
  );
}

export function StatsPage(
  {
    timezone,
    locale = "en",
    week,
    month,
    allTime,
    clients,
    busiest,
    utilisation,
    range,
  }: {
    timezone: string;
    locale?: Locale;
    week: PeriodStats;
    month: PeriodStats;
    allTime: StatusCounts;
    clients: number;
    busiest: BusiestTimes;
    utilisation: Utilisation;
    /** The charts of the chosen range, below the at-a-glance numbers. */
    range?: Child;
  },
) {
  const u = utilisation;
  const working = u.booked + u.available;
  return (
    <>
      <h1>Statistics</h1>
      <p class="muted">
        Weeks run Monday to Sunday; days and hours are in your time zone,{" "}
        {timezone.replaceAll("_", " ")}. {CANCELLATION_RATE_DEFINITION}
      </p>
      <Period period={week} locale={locale} />
      <Period period={month} locale={locale} />
      <section class="period">
        <h2>Overall</h2>
        <div class="stats">
          <Stat label={clients === 1 ? "Client" : "Clients"} value={clients} />
          <Stat
            label="Cancellation rate, all time"
            value={rate(allTime)}
            hint={agreedHint(allTime)}
          />
          <Stat
            label="Busiest weekday"
            value={busiest.weekday
              ? DAY_NAMES[WEEKDAYS[busiest.weekday.isoDay - 1]]
              : "–"}
            hint={busiest.weekday
              ? sessions(busiest.weekday.sessions)
              : "no sessions yet"}
          />
          <Stat
            label="Busiest hour"
            value={busiest.hour
              ? `${formatHHMM(busiest.hour.hour * 60)}–${
                formatHHMM((busiest.hour.hour + 1) * 60)
              }`
              : "–"}
            hint={busiest.hour
              ? `${sessions(busiest.hour.sessions)} start then`
              : "no sessions yet"}
          />
        </div>
      </section>
      <section class="period">
        <h2>
          Utilisation, next 7 days{" "}
          <small class="muted">{u.from} to {u.to}</small>
        </h2>
        <div class="stats">
          <Stat
            label="of working time booked"
            value={percent(u.booked, working)}
            hint={`${hours(u.booked * u.slotMinutes)} of ${
              hours(working * u.slotMinutes)
            }`}
          />
          <Stat label="Booked slots" value={u.booked} />
          <Stat label="Free slots" value={u.available} />
        </div>
        <p class="hint">
          Counts the slots of your working hours from now on; sessions outside
          working hours do not count.
        </p>
      </section>
      {range}
    </>
  );
}
