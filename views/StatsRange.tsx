/** The charts and tables of one range of weeks on the statistics page (`GET /stats?weeks=N`). */
import { localDateOf } from "../domain/time.ts";
import {
  RANGE_WEEKS,
  type RangeWeeks,
  type StatsReport,
  wholePercent,
} from "../domain/stats.ts";
import { BarChart, HeatmapChart, SERIES_COLOURS } from "./charts.tsx";
import { Table } from "./FiguresTable.tsx";
import { decimal, lengthInWords, time, weekdayShort } from "./format.ts";
import { formatDate, type Locale } from "../lib/i18n.ts";
import { currentLocale, useSay } from "./locale.ts";

/** "Mar 2026" (in the reader's locale) for `YYYY-MM`. */
export const monthLabel = (ym: string, locale: Locale = "en") =>
  formatDate(locale, `${ym}-01`, "monthYear");
const pct = (r: number | null) => r === null ? "–" : `${Math.round(r * 100)}%`;
const pctValue = (r: number | null) => r === null ? 0 : Math.round(r * 100);
const h = (minutes: number) => decimal(minutes / 60);

/** Mon … Sun, short, in the page's language (a Monday and the six days after it). */
const weekdaysShort = () =>
  Array.from(
    { length: 7 },
    (_, i) =>
      weekdayShort(Temporal.PlainDate.from("2026-01-05").add({ days: i })),
  );

/** The 4 / 12 / 52 week choice: plain links, so it works without JavaScript. */
function RangePicker({ weeks }: { weeks: RangeWeeks }) {
  const say = useSay();
  return (
    <nav class="tabs" aria-label={say("business.stats.range_label")}>
      {RANGE_WEEKS.map((w) => (
        <a
          href={`/stats?weeks=${w}`}
          aria-current={w === weeks ? "page" : undefined}
        >
          {say("business.stats.weeks_option", { count: w })}
        </a>
      ))}
    </nav>
  );
}

/** The charts and tables of one range: the same numbers as `GET /api/stats`. */
export function StatsRange(
  { report }: { report: StatsReport; locale?: Locale },
) {
  const say = useSay();
  const locale = currentLocale();
  const WEEKDAY_SHORT = weekdaysShort();
  const r = report;
  const tz = r.timezone;
  const date = (iso: string) => formatDate(locale, iso);
  const dayMonth = (iso: string) => formatDate(locale, iso, "dayMonth");
  const labels = r.weekly.map((w) => dayMonth(w.week));
  // A year of weeks spans two calendar years: its axis names the month and the year.
  const axis = r.weeks === 52
    ? r.weekly.map((w) => formatDate(locale, w.week, "monthYear"))
    : labels;
  const statuses = [
    ["completed", say("status.completed")],
    ["scheduled", say("status.booked")],
    ["pending", say("status.waiting")],
    ["cancelled", say("status.cancelled")],
    ["declined", say("status.declined")],
  ] as const;
  const sessionsDesc = r.weekly.map((w) =>
    say("business.stats.week_desc", {
      week: dayMonth(w.week),
      figures: statuses.map(([k, name]) =>
        say("business.stats.figure", {
          count: w[k],
          status: name.toLowerCase(),
        })
      ).join(", "),
    })
  ).join("; ");
  const t = r.totals;
  const at = (i: Temporal.Instant | null) =>
    i ? `${date(localDateOf(i, tz))} ${time(i, tz)}` : "–";
  const span = say("business.stats.from_to", {
    from: date(r.from),
    to: date(r.to),
  });
  const percent = (ratio: number | null) => {
    const whole = wholePercent(ratio);
    return whole === null ? "–" : `${whole}%`;
  };
  const hours = Array.from(
    { length: r.heatmap.lastHour - r.heatmap.firstHour + 1 },
    (_, i) => r.heatmap.firstHour + i,
  );
  return (
    <section id="range" class="stats-range">
      <h2>
        {say("business.stats.last_weeks", { count: r.weeks })}{" "}
        <small class="muted">{span}</small>
      </h2>
      <RangePicker weeks={r.weeks} />

      <section class="chart-block" aria-labelledby="h-sessions">
        <h3 id="h-sessions">{say("business.stats.sessions_heading")}</h3>
        <BarChart
          id="chart-sessions"
          title={say("business.stats.sessions_chart", { span })}
          desc={sessionsDesc}
          labels={labels}
          axis={axis}
          series={statuses.map(([k, name]) => ({
            name,
            colour: SERIES_COLOURS[k],
            values: r.weekly.map((w) => w[k]),
          }))}
        />
        <Table
          caption={say("business.stats.sessions_table")}
          head={[say("business.stats.week_of"), ...statuses.map(([, n]) => n)]}
          rows={r.weekly.map((w) => [
            date(w.week),
            ...statuses.map(([k]) => w[k]),
          ])}
        />
      </section>

      <section class="chart-block" aria-labelledby="h-cancel">
        <h3 id="h-cancel">{say("business.stats.cancellations_heading")}</h3>
        <p>
          {say("business.stats.cancellations_summary", {
            cancelled: t.cancelled,
            rate: pct(t.cancellationRate),
            byClients: t.cancelledByClient,
            byYou: t.cancelledByTrainer,
            declined: t.declined,
          })}
        </p>
        <p class="hint">{say("business.stats.rate_definition")}</p>
        <BarChart
          id="chart-cancel"
          title={say("business.stats.rate_chart")}
          desc={r.weekly.map((w) =>
            say("business.stats.week_value", {
              week: dayMonth(w.week),
              value: pct(w.cancellationRate),
            })
          ).join("; ")}
          labels={labels}
          axis={axis}
          series={[{
            name: say("business.stats.cancellation_rate"),
            colour: SERIES_COLOURS.cancelled,
            values: r.weekly.map((w) => pctValue(w.cancellationRate)),
          }]}
          unit="%"
          max={100}
        />
        <Table
          caption={say("business.stats.cancellations_table")}
          head={[
            say("business.stats.week_of"),
            say("business.stats.col.cancelled"),
            say("business.stats.col.by_clients"),
            say("business.stats.col.by_you"),
            say("business.stats.col.rate"),
          ]}
          rows={r.weekly.map((w) => [
            date(w.week),
            w.cancelled,
            w.cancelledByClient,
            w.cancelledByTrainer,
            pct(w.cancellationRate),
          ])}
        />
        <Table
          caption={say("business.stats.reasons_table")}
          head={[
            say("business.stats.col.reason"),
            say("business.stats.cancellations_heading"),
          ]}
          rows={r.reasons.length
            ? r.reasons.map((x) => [x.reason, x.count])
            : [[say("business.stats.no_cancellations"), 0]]}
        />
      </section>

      <section class="chart-block" aria-labelledby="h-util">
        <h3 id="h-util">{say("business.stats.utilisation_heading")}</h3>
        <p>
          {say("business.stats.utilisation_summary", {
            booked: h(t.bookedMinutes),
            offered: h(t.offeredMinutes),
            rate: pct(t.utilisation),
          })}
        </p>
        <BarChart
          id="chart-util"
          title={say("business.stats.utilisation_chart")}
          desc={r.weekly.map((w) =>
            say("business.stats.utilisation_desc", {
              week: dayMonth(w.week),
              rate: pct(w.utilisation),
              booked: h(w.bookedMinutes),
              offered: h(w.offeredMinutes),
            })
          ).join("; ")}
          labels={labels}
          axis={axis}
          series={[{
            name: say("business.stats.utilisation_heading"),
            colour: SERIES_COLOURS.single,
            values: r.weekly.map((w) => Math.min(100, pctValue(w.utilisation))),
          }]}
          unit="%"
          max={100}
        />
        <Table
          caption={say("business.stats.utilisation_table")}
          head={[
            say("business.stats.week_of"),
            say("business.stats.col.booked_h"),
            say("business.stats.col.offered_h"),
            say("business.stats.utilisation_heading"),
          ]}
          rows={r.weekly.map((w) => [
            date(w.week),
            h(w.bookedMinutes),
            h(w.offeredMinutes),
            pct(w.utilisation),
          ])}
        />
      </section>

      <section class="chart-block" aria-labelledby="h-heat">
        <h3 id="h-heat">{say("business.stats.heat_heading")}</h3>
        <HeatmapChart
          id="chart-heat"
          title={say("business.stats.heat_chart")}
          desc={WEEKDAY_SHORT.flatMap((d, i) =>
            hours.filter((hr) => r.heatmap.grid[i][hr] > 0).map((hr) =>
              `${d} ${String(hr).padStart(2, "0")}:00: ${r.heatmap.grid[i][hr]}`
            )
          ).join("; ") || say("business.stats.heat_empty")}
          grid={r.heatmap.grid}
          firstHour={r.heatmap.firstHour}
          lastHour={r.heatmap.lastHour}
          days={WEEKDAY_SHORT}
        />
        <Table
          caption={say("business.stats.heat_table")}
          head={[say("business.stats.col.hour"), ...WEEKDAY_SHORT]}
          rows={hours.map((hr) => [
            `${String(hr).padStart(2, "0")}:00`,
            ...WEEKDAY_SHORT.map((_, i) => r.heatmap.grid[i][hr]),
          ])}
        />
      </section>

      <section class="chart-block" aria-labelledby="h-clients">
        <h3 id="h-clients">{say("business.stats.clients_heading")}</h3>
        <BarChart
          id="chart-clients"
          title={say("business.stats.clients_chart")}
          desc={r.newClients.map((m) =>
            `${monthLabel(m.month, locale)}: ${m.count}`
          ).join("; ")}
          labels={r.newClients.map((m) => monthLabel(m.month, locale))}
          series={[{
            name: say("business.stats.clients_heading"),
            colour: SERIES_COLOURS.single,
            values: r.newClients.map((m) => m.count),
          }]}
        />
        <Table
          caption={say("business.stats.clients_chart")}
          head={[
            say("business.stats.col.month"),
            say("business.stats.clients_heading"),
          ]}
          rows={r.newClients.map((m) => [monthLabel(m.month, locale), m.count])}
        />
        <h3 id="h-slipping">{say("business.stats.slipping_heading")}</h3>
        <p class="muted">{say("business.stats.slipping_hint")}</p>
        {r.slipping.length === 0
          ? <p>{say("business.stats.slipping_none")}</p>
          : (
            <ul class="plain slipping">
              {r.slipping.map((c) => (
                <li>
                  <a href={`/clients/${c.id}`}>{c.name}</a>{" "}
                  <span class="muted">
                    {c.lastSession
                      ? say("business.stats.last_session", {
                        date: date(localDateOf(c.lastSession, tz)),
                      })
                      : say("business.stats.no_session_joined", {
                        date: date(localDateOf(c.joinedAt, tz)),
                      })}
                  </span>
                </li>
              ))}
            </ul>
          )}
      </section>

      <section class="chart-block" aria-labelledby="h-per-client">
        <h3 id="h-per-client">{say("business.stats.per_client_heading")}</h3>
        <Table
          caption={r.lateWindowOwn
            ? say("business.stats.per_client_own", {
              span,
              window: lengthInWords(r.lateCancelMinutes),
            })
            : say("business.stats.per_client_default", { span })}
          head={[
            say("business.stats.col.client"),
            say("business.stats.col.sessions"),
            say("business.stats.col.completed"),
            say("business.stats.col.cancelled_late"),
            say("business.stats.col.cancelled_earlier"),
            say("business.stats.col.last"),
            say("business.stats.col.next"),
          ]}
          rows={r.clients.map((c) => [
            c.name,
            c.sessions,
            c.completed,
            c.cancelledLate,
            c.cancelledOther,
            at(c.lastSession),
            at(c.nextSession),
          ])}
        />
      </section>

      {r.groupClasses.list.length > 0 && (
        <section class="chart-block" aria-labelledby="h-classes">
          <h3 id="h-classes">{say("business.stats.classes_heading")}</h3>
          <p>
            {say("business.stats.classes_summary", {
              booked: r.groupClasses.totals.seatsBooked,
              offered: r.groupClasses.totals.seatsOffered,
              classes: r.groupClasses.totals.classes,
              fill: percent(r.groupClasses.totals.fillRate),
              cancelled: r.groupClasses.totals.cancelled,
            })}
          </p>
          <Table
            caption={say("business.stats.classes_table", { span })}
            head={[
              say("business.stats.col.class"),
              say("business.stats.col.start"),
              say("business.stats.col.booked"),
              say("business.stats.col.capacity"),
              say("business.stats.col.waiting"),
              say("business.stats.col.full"),
            ]}
            rows={r.groupClasses.list.map((k) => [
              k.status === "cancelled"
                ? say("business.stats.class_cancelled", { title: k.title })
                : k.title,
              at(k.start),
              k.booked,
              k.capacity,
              k.waitlisted,
              percent(k.fillRate),
            ])}
          />
        </section>
      )}
    </section>
  );
}
