/** The statistics page's figures at a glance: this week, this month, overall, the next 7 days. */
import type { Child } from "hono/jsx";
import type { BusiestTimes, StatusCounts } from "../domain/types.ts";
import { decimal, weekdayName } from "./format.ts";
import { formatHHMM } from "../domain/time.ts";
import { agreedSessions, cancellationRate } from "../domain/stats.ts";
import type { Locale } from "../lib/i18n.ts";
import { type Say, useSay } from "./locale.ts";

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
const agreedHint = (say: Say, c: StatusCounts) =>
  say("business.stats.agreed_hint", { count: agreedSessions(c) });

/** "25%" (whole percent), or a dash when there is nothing to divide by. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? "–" : `${Math.round((part / whole) * 100)}%`;
}

/** "1.5 h" ("1,5 Std." in German): a decimal as the page's language writes it. */
const hours = (say: Say, minutes: number) =>
  say("business.stats.hours", { hours: decimal(minutes / 60) });

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
  { period }: { period: PeriodStats },
) {
  const c = period.counts;
  const say = useSay();
  return (
    <section class="period">
      <h2>
        {period.label} <small class="muted">{period.range}</small>
      </h2>
      <div class="stats">
        <Stat label={say("status.booked")} value={c.scheduled} />
        <Stat label={say("status.waiting")} value={c.pending} />
        <Stat label={say("status.completed")} value={c.completed} />
        <Stat
          label={say("status.cancelled")}
          value={c.cancelled}
          hint={c.declined
            ? say("business.stats.declined_hint", { count: c.declined })
            : undefined}
        />
        <Stat
          label={say("business.stats.cancellation_rate")}
          value={rate(c)}
          hint={agreedHint(say, c)}
        />
      </div>
    </section>
  );
}

export function StatsPage(
  {
    timezone,
    week,
    month,
    allTime,
    clients,
    busiest,
    utilisation,
    range,
  }: {
    timezone: string;
    /** Unused: the page's locale comes from its context. */
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
  const say = useSay();
  const u = utilisation;
  const working = u.booked + u.available;
  return (
    <>
      <h1>{say("business.stats.title")}</h1>
      <p class="muted">
        {say("business.stats.intro", { zone: timezone.replaceAll("_", " ") })}
        {" "}
        {say("business.stats.rate_definition")}
      </p>
      <Period period={week} />
      <Period period={month} />
      <section class="period">
        <h2>{say("business.stats.overall")}</h2>
        <div class="stats">
          <Stat
            label={say("business.stats.clients", { count: clients })}
            value={clients}
          />
          <Stat
            label={say("business.stats.rate_all_time")}
            value={rate(allTime)}
            hint={agreedHint(say, allTime)}
          />
          <Stat
            label={say("business.stats.busiest_weekday")}
            value={busiest.weekday ? weekdayName(busiest.weekday.isoDay) : "–"}
            hint={busiest.weekday
              ? say("business.stats.sessions", {
                count: busiest.weekday.sessions,
              })
              : say("business.stats.no_sessions_yet")}
          />
          <Stat
            label={say("business.stats.busiest_hour")}
            value={busiest.hour
              ? `${formatHHMM(busiest.hour.hour * 60)}–${
                formatHHMM((busiest.hour.hour + 1) * 60)
              }`
              : "–"}
            hint={busiest.hour
              ? say("business.stats.start_then", {
                count: busiest.hour.sessions,
              })
              : say("business.stats.no_sessions_yet")}
          />
        </div>
      </section>
      <section class="period">
        <h2>
          {say("business.stats.utilisation_next")}{" "}
          <small class="muted">
            {say("business.stats.from_to", { from: u.from, to: u.to })}
          </small>
        </h2>
        <div class="stats">
          <Stat
            label={say("business.stats.of_working_time")}
            value={percent(u.booked, working)}
            hint={say("business.stats.part_of", {
              part: hours(say, u.booked * u.slotMinutes),
              whole: hours(say, working * u.slotMinutes),
            })}
          />
          <Stat label={say("business.stats.booked_slots")} value={u.booked} />
          <Stat label={say("business.stats.free_slots")} value={u.available} />
        </div>
        <p class="hint">{say("business.stats.utilisation_hint")}</p>
      </section>
      {range}
    </>
  );
}
