import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { page } from "./render.tsx";
import { assertRole } from "./middleware.ts";
import { listBusy } from "../db/appointments.ts";
import { getSettings } from "../db/settings.ts";
import {
  countClients,
  countSessionsByStatus,
  getBusiestTimes,
  getStatsReport,
} from "../db/stats.ts";
import {
  DEFAULT_WEEKS,
  parseWeeks,
  type StatsReport,
  weekStarts,
} from "../domain/stats.ts";
import type { CreditReport } from "../domain/credit_stats.ts";
import { getCreditReport } from "../db/credit_stats.ts";
import { CreditStats } from "../views/CreditStatsViews.tsx";
import { computeSlots } from "../domain/availability.ts";
import { dayRange, localDateOf, startOfWeek } from "../domain/time.ts";
import type { Slot } from "../domain/types.ts";
import { StatsPage } from "../views/StatsViews.tsx";
import { StatsRange } from "../views/StatsRange.tsx";
import { formatDate } from "../lib/i18n.ts";
import { sayFor, viewerLocale } from "./language.ts";

/** Future working slots by status: past ones are neither free nor bookable any more. */
export function countSlots(slots: readonly Slot[]) {
  let booked = 0;
  let available = 0;
  for (const slot of slots) {
    if (slot.status === "booked") booked++;
    else if (slot.status === "available") available++;
  }
  return { booked, available };
}

/**
 * The chosen range's charts and the credits' figures. A component, so both render in the
 * page's locale (a fragment written here would be rendered before `page()` provides it).
 */
function RangeParts(
  { report, credits }: {
    report: StatsReport;
    credits: CreditReport;
  },
) {
  return (
    <>
      <StatsRange report={report} />
      <CreditStats report={credits} />
    </>
  );
}

/**
 * `GET /stats?weeks=4|12|52`: this week, this month, all time and the coming week's
 * utilisation, then the charts of the chosen range (12 weeks unless chosen).
 */
export const statsPages = new Hono<AppEnv>()
  .get("/stats", async (c) => {
    const trainer = assertRole(c, "trainer");
    const { sql } = c.get("deps");
    const now = c.get("deps").now();
    const settings = (await getSettings(sql, trainer.id))!;
    const tz = settings.timezone;
    const today = Temporal.PlainDate.from(localDateOf(now, tz));
    const weekStart = startOfWeek(today);
    const weekEnd = weekStart.add({ days: 6 });
    const monthStart = today.with({ day: 1 });
    const monthEnd = today.with({ day: today.daysInMonth });
    const nextEnd = today.add({ days: 6 });
    const next = dayRange(today, nextEnd, tz);
    const weeks = parseWeeks(c.req.query("weeks")) ?? DEFAULT_WEEKS;
    const locale = viewerLocale(c);
    const say = sayFor(c);
    const date = (d: Temporal.PlainDate) => formatDate(locale, d);
    const mondays = weekStarts(today, weeks);
    const [week, month, allTime, clients, busiest, busy, report, credits] =
      await Promise.all([
        countSessionsByStatus(
          sql,
          trainer.id,
          dayRange(weekStart, weekEnd, tz),
        ),
        countSessionsByStatus(
          sql,
          trainer.id,
          dayRange(monthStart, monthEnd, tz),
        ),
        countSessionsByStatus(sql, trainer.id),
        countClients(sql, trainer.id),
        getBusiestTimes(sql, trainer.id, tz),
        listBusy(
          sql,
          trainer.id,
          next.start.subtract({ hours: 24 }),
          next.end.add({ hours: 24 }),
        ),
        getStatsReport(sql, { trainerId: trainer.id, settings, weeks, now }),
        getCreditReport(sql, {
          trainerId: trainer.id,
          timezone: tz,
          from: mondays[0],
          to: mondays[weeks - 1].add({ days: 6 }),
          now,
        }),
      ]);
    const slots = computeSlots({
      settings,
      busy,
      from: today,
      to: nextEnd,
      now,
      viewer: { role: "trainer" },
    });
    return page(
      c,
      say("business.stats.title"),
      <StatsPage
        timezone={tz}
        locale={locale}
        week={{
          label: say("business.stats.this_week"),
          range: say("business.stats.from_to", {
            from: date(weekStart),
            to: date(weekEnd),
          }),
          counts: week,
        }}
        month={{
          label: say("business.stats.this_month"),
          range: formatDate(locale, today, "monthYear"),
          counts: month,
        }}
        allTime={allTime}
        clients={clients}
        busiest={busiest}
        utilisation={{
          from: date(today),
          to: date(nextEnd),
          ...countSlots(slots),
          slotMinutes: settings.slotMinutes,
        }}
        range={<RangeParts report={report} credits={credits} />}
      />,
    );
  });
