/** The charts and tables of one range of weeks on the statistics page (`GET /stats?weeks=N`). */
import { localDateOf } from "../domain/time.ts";
import {
  CANCELLATION_RATE_DEFINITION,
  RANGE_WEEKS,
  type RangeWeeks,
  type StatsReport,
  wholePercent,
} from "../domain/stats.ts";
import { BarChart, HeatmapChart, SERIES_COLOURS } from "./charts.tsx";
import { Table } from "./FiguresTable.tsx";
import { lengthInWords, time } from "./format.ts";
import { WEEKDAYS as WEEKDAY_SHORT } from "../lib/messages.ts";
import { formatDate, type Locale, t as say } from "../lib/i18n.ts";

/** "Mar 2026" (in the reader's locale) for `YYYY-MM`. */
export const monthLabel = (ym: string, locale: Locale = "en") =>
  formatDate(locale, `${ym}-01`, "monthYear");
const pct = (r: number | null) => r === null ? "–" : `${Math.round(r * 100)}%`;
const pctValue = (r: number | null) => r === null ? 0 : Math.round(r * 100);
const h = (minutes: number) => {
  const v = minutes / 60;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
};

/** The 4 / 12 / 52 week choice: plain links, so it works without JavaScript. */
function RangePicker({ weeks }: { weeks: RangeWeeks }) {
  return (
    <nav class="tabs" aria-label="Range">
      {RANGE_WEEKS.map((w) => (
        <a
          href={`/stats?weeks=${w}`}
          aria-current={w === weeks ? "page" : undefined}
        >
          {w} weeks
        </a>
      ))}
    </nav>
  );
}

/** The charts and tables of one range: the same numbers as `GET /api/stats`. */
export function StatsRange(
  { report, locale = "en" }: { report: StatsReport; locale?: Locale },
) {
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
    ["completed", say(locale, "status.completed")],
    ["scheduled", say(locale, "status.booked")],
    ["pending", say(locale, "status.waiting")],
    ["cancelled", say(locale, "status.cancelled")],
    ["declined", say(locale, "status.declined")],
  ] as const;
  const sessionsDesc = r.weekly.map((w) =>
    `week of ${dayMonth(w.week)}: ${
      statuses.map(([k, name]) => `${w[k]} ${name.toLowerCase()}`).join(", ")
    }`
  ).join("; ");
  const t = r.totals;
  const at = (i: Temporal.Instant | null) =>
    i ? `${date(localDateOf(i, tz))} ${time(i, tz)}` : "–";
  const span = `${date(r.from)} to ${date(r.to)}`;
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
        Last {r.weeks} weeks <small class="muted">{span}</small>
      </h2>
      <RangePicker weeks={r.weeks} />

      <section class="chart-block" aria-labelledby="h-sessions">
        <h3 id="h-sessions">Sessions per week</h3>
        <BarChart
          id="chart-sessions"
          title={`Sessions per week by status, ${span}`}
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
          caption="Sessions per week by status"
          head={["Week of", ...statuses.map(([, n]) => n)]}
          rows={r.weekly.map((w) => [
            date(w.week),
            ...statuses.map(([k]) => w[k]),
          ])}
        />
      </section>

      <section class="chart-block" aria-labelledby="h-cancel">
        <h3 id="h-cancel">Cancellations</h3>
        <p>
          {t.cancelled} cancelled ({pct(t.cancellationRate)} cancellation rate):
          {" "}
          {t.cancelledByClient} by clients, {t.cancelledByTrainer} by you;{" "}
          {t.declined} {t.declined === 1 ? "request" : "requests"}{" "}
          declined, which {t.declined === 1 ? "is" : "are"}{" "}
          not counted as cancellations.
        </p>
        <p class="hint">{CANCELLATION_RATE_DEFINITION}</p>
        <BarChart
          id="chart-cancel"
          title="Cancellation rate per week"
          desc={r.weekly.map((w) =>
            `week of ${dayMonth(w.week)}: ${pct(w.cancellationRate)}`
          ).join("; ")}
          labels={labels}
          axis={axis}
          series={[{
            name: "Cancellation rate",
            colour: SERIES_COLOURS.cancelled,
            values: r.weekly.map((w) => pctValue(w.cancellationRate)),
          }]}
          unit="%"
          max={100}
        />
        <Table
          caption="Cancellations per week"
          head={["Week of", "Cancelled", "By clients", "By you", "Rate"]}
          rows={r.weekly.map((w) => [
            date(w.week),
            w.cancelled,
            w.cancelledByClient,
            w.cancelledByTrainer,
            pct(w.cancellationRate),
          ])}
        />
        <Table
          caption="Reasons, most frequent first"
          head={["Reason", "Cancellations"]}
          rows={r.reasons.length
            ? r.reasons.map((x) => [x.reason, x.count])
            : [["No cancellations", 0]]}
        />
      </section>

      <section class="chart-block" aria-labelledby="h-util">
        <h3 id="h-util">Utilisation</h3>
        <p>
          {h(t.bookedMinutes)} h booked of {h(t.offeredMinutes)}{" "}
          h offered ({pct(t.utilisation)}). Offered time is your working hours
          less holidays, in real hours (a week with a clock change counts the
          hour it gains or loses).
        </p>
        <BarChart
          id="chart-util"
          title="Utilisation per week: booked hours over offered hours"
          desc={r.weekly.map((w) =>
            `week of ${dayMonth(w.week)}: ${pct(w.utilisation)}, ${
              h(w.bookedMinutes)
            } of ${h(w.offeredMinutes)} hours`
          ).join("; ")}
          labels={labels}
          axis={axis}
          series={[{
            name: "Utilisation",
            colour: SERIES_COLOURS.single,
            values: r.weekly.map((w) => Math.min(100, pctValue(w.utilisation))),
          }]}
          unit="%"
          max={100}
        />
        <Table
          caption="Utilisation per week"
          head={["Week of", "Booked h", "Offered h", "Utilisation"]}
          rows={r.weekly.map((w) => [
            date(w.week),
            h(w.bookedMinutes),
            h(w.offeredMinutes),
            pct(w.utilisation),
          ])}
        />
      </section>

      <section class="chart-block" aria-labelledby="h-heat">
        <h3 id="h-heat">When sessions happen</h3>
        <HeatmapChart
          id="chart-heat"
          title="Sessions by weekday and starting hour"
          desc={WEEKDAY_SHORT.flatMap((d, i) =>
            hours.filter((hr) => r.heatmap.grid[i][hr] > 0).map((hr) =>
              `${d} ${String(hr).padStart(2, "0")}:00: ${r.heatmap.grid[i][hr]}`
            )
          ).join("; ") || "No sessions in this range."}
          grid={r.heatmap.grid}
          firstHour={r.heatmap.firstHour}
          lastHour={r.heatmap.lastHour}
          days={WEEKDAY_SHORT}
        />
        <Table
          caption="Sessions by starting hour (rows) and weekday (columns)"
          head={["Hour", ...WEEKDAY_SHORT]}
          rows={hours.map((hr) => [
            `${String(hr).padStart(2, "0")}:00`,
            ...WEEKDAY_SHORT.map((_, i) => r.heatmap.grid[i][hr]),
          ])}
        />
      </section>

      <section class="chart-block" aria-labelledby="h-clients">
        <h3 id="h-clients">New clients</h3>
        <BarChart
          id="chart-clients"
          title="New clients per month"
          desc={r.newClients.map((m) =>
            `${monthLabel(m.month, locale)}: ${m.count}`
          ).join("; ")}
          labels={r.newClients.map((m) => monthLabel(m.month, locale))}
          series={[{
            name: "New clients",
            colour: SERIES_COLOURS.single,
            values: r.newClients.map((m) => m.count),
          }]}
        />
        <Table
          caption="New clients per month"
          head={["Month", "New clients"]}
          rows={r.newClients.map((m) => [monthLabel(m.month, locale), m.count])}
        />
        <h3 id="h-slipping">Slipping away</h3>
        <p class="muted">
          Nothing booked and no session for 30 days.
        </p>
        {r.slipping.length === 0
          ? (
            <p>
              Nobody: every client has been in lately or has a session coming.
            </p>
          )
          : (
            <ul class="plain slipping">
              {r.slipping.map((c) => (
                <li>
                  <a href={`/clients/${c.id}`}>{c.name}</a>{" "}
                  <span class="muted">
                    {c.lastSession
                      ? `last session ${date(localDateOf(c.lastSession, tz))}`
                      : `no session yet, joined ${
                        date(localDateOf(c.joinedAt, tz))
                      }`}
                  </span>
                </li>
              ))}
            </ul>
          )}
      </section>

      <section class="chart-block" aria-labelledby="h-per-client">
        <h3 id="h-per-client">Per client</h3>
        <Table
          caption={`Sessions from ${span}; last and next whenever they are. A late cancel is less than ${
            r.lateWindowOwn ? lengthInWords(r.lateCancelMinutes) : "24 hours"
          } before the start (${
            r.lateWindowOwn ? "your late window" : "you have set no late window"
          }).`}
          head={[
            "Client",
            "Sessions",
            "Completed",
            "Cancelled late",
            "Cancelled earlier",
            "Last",
            "Next",
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
          <h3 id="h-classes">Group classes</h3>
          <p>
            {r.groupClasses.totals.seatsBooked} of{" "}
            {r.groupClasses.totals.seatsOffered} seats taken in{" "}
            {r.groupClasses.totals.classes}{" "}
            {r.groupClasses.totals.classes === 1 ? "class" : "classes"} held:
            {" "}
            {percent(r.groupClasses.totals.fillRate)} full
            {r.groupClasses.totals.cancelled > 0 &&
              ` (${r.groupClasses.totals.cancelled} cancelled)`}.
          </p>
          <Table
            caption={`Attendance per class from ${span}: booked seats against capacity.`}
            head={["Class", "Start", "Booked", "Capacity", "Waiting", "Full"]}
            rows={r.groupClasses.list.map((k) => [
              k.status === "cancelled" ? `${k.title} (cancelled)` : k.title,
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
