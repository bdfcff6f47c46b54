import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { settingsOf } from "./context.ts";
import { invalidFields } from "./errors.ts";
import { assertRole } from "./middleware.ts";
import { getStatsReport } from "../db/stats.ts";
import {
  DEFAULT_WEEKS,
  parseWeeks,
  type StatsReport,
} from "../domain/stats.ts";
import { toOffsetString } from "../domain/time.ts";
import { getCreditReport } from "../db/credit_stats.ts";

const ratio = (r: number | null) =>
  r === null ? null : Math.round(r * 1e4) / 1e4;

/** The report as JSON: instants with the trainer's offset, ratios to 4 decimals. */
export function statsJson(report: StatsReport) {
  const tz = report.timezone;
  const at = (i: Temporal.Instant | null) => i && toOffsetString(i, tz);
  const client = (c: StatsReport["clients"][number]) => ({
    id: c.id,
    name: c.name,
    sessions: c.sessions,
    completed: c.completed,
    cancelledLate: c.cancelledLate,
    cancelledOther: c.cancelledOther,
    lastSession: at(c.lastSession),
    nextSession: at(c.nextSession),
  });
  const heat = [];
  for (let day = 1; day <= 7; day++) {
    for (let hour = 0; hour < 24; hour++) {
      const sessions = report.heatmap.grid[day - 1][hour];
      if (sessions > 0) heat.push({ weekday: day, hour, sessions });
    }
  }
  return {
    weeks: report.weeks,
    timezone: tz,
    from: report.from,
    to: report.to,
    totals: {
      ...report.totals,
      cancellationRate: ratio(report.totals.cancellationRate),
      utilisation: ratio(report.totals.utilisation),
    },
    weekly: report.weekly.map((w) => ({
      ...w,
      cancellationRate: ratio(w.cancellationRate),
      utilisation: ratio(w.utilisation),
    })),
    reasons: report.reasons,
    heatmap: heat,
    newClients: report.newClients,
    slipping: report.slipping.map((c) => ({
      id: c.id,
      name: c.name,
      lastSession: at(c.lastSession),
    })),
    clients: report.clients.map(client),
    lateCancelMinutes: report.lateCancelMinutes,
    groupClasses: {
      totals: {
        ...report.groupClasses.totals,
        fillRate: ratio(report.groupClasses.totals.fillRate),
      },
      classes: report.groupClasses.list.map((k) => ({
        id: k.id,
        title: k.title,
        start: toOffsetString(k.start, tz),
        status: k.status,
        capacity: k.capacity,
        booked: k.booked,
        waitlisted: k.waitlisted,
        fillRate: ratio(k.fillRate),
      })),
    },
  };
}

/** `GET /api/stats?weeks=4|12|52` (trainer only). */
export const statsApi = new Hono<AppEnv>()
  .get("/stats", async (c) => {
    const trainer = assertRole(c, "trainer");
    const text = c.req.query("weeks");
    const weeks = text === undefined ? DEFAULT_WEEKS : parseWeeks(text);
    if (weeks === undefined) {
      throw invalidFields({ weeks: "must be 4, 12 or 52" });
    }
    const settings = await settingsOf(c, trainer.id);
    const report = await getStatsReport(c.get("deps").sql, {
      trainerId: trainer.id,
      settings,
      weeks,
      now: c.get("deps").now(),
    });
    const credits = await getCreditReport(c.get("deps").sql, {
      trainerId: trainer.id,
      timezone: settings.timezone,
      from: Temporal.PlainDate.from(report.from),
      to: Temporal.PlainDate.from(report.to),
      now: c.get("deps").now(),
    });
    const { chartAmounts: _, chartCurrency: __, ...figures } = credits;
    return c.json({ ...statsJson(report), credits: figures });
  });
