import { listClassesInRange } from "../db/classes.ts";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { type AppEnv, settingsOf } from "./context.ts";
import { page } from "./render.tsx";
import { assertRole } from "./middleware.ts";
import { listAppointments, listBusy } from "../db/appointments.ts";
import { listCancelledSince, listClientNotes } from "../db/today.ts";
import { countAwaitingMark } from "../db/history.ts";
import { computeSlots } from "../domain/availability.ts";
import { listBusyElsewhere } from "../db/busy_times.ts";
import { dayRange, localDateOf } from "../domain/time.ts";
import { TodayPage } from "../views/TodayViews.tsx";
import { listRecentCreditUsers, listTrainerOpenGrants } from "../db/credits.ts";
import { creditDay, lowBalances } from "../domain/credits.ts";
import { LowBalances } from "../views/CreditViews.tsx";
import { sayFor } from "./language.ts";

const VISIT_COOKIE = "spotter_today";
/** Views of Today closer together than this are one visit (a confirm comes back to it). */
const VISIT_GAP_MS = 30 * 60_000;
const FIRST_VISIT_LOOKBACK = { hours: 24 * 7 };
const FREE_SLOTS = 5;
const FREE_SLOT_DAYS = 14;
/** Clients who used a credit this lately are watched for running out. */
const CREDIT_USERS_SINCE = { hours: 24 * 30 };

/**
 * The previous visit, from the cookie `"<last view ms>.<since ms, 0 for none>"`: a view
 * within {@link VISIT_GAP_MS} of the last one continues the visit, so "since" stays put.
 */
export function visitOf(cookie: string | undefined, now: Temporal.Instant) {
  const nowMs = now.epochMilliseconds;
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(cookie ?? "");
  if (!match) return { since: undefined, cookie: `${nowMs}.0` };
  const [last, since] = [Number(match[1]), Number(match[2])];
  const shown = nowMs - last <= VISIT_GAP_MS ? since : last;
  return {
    since: shown === 0
      ? undefined
      : Temporal.Instant.fromEpochMilliseconds(shown),
    cookie: `${nowMs}.${shown}`,
  };
}

/** `GET /today`: the trainer's home. */
export const todayPages = new Hono<AppEnv>()
  .get("/today", async (c) => {
    const trainer = assertRole(c, "trainer");
    const { sql } = c.get("deps");
    const now = c.get("deps").now();
    const settings = await settingsOf(c, trainer.id);
    const tz = settings.timezone;
    const today = Temporal.PlainDate.from(localDateOf(now, tz));
    const day = dayRange(today, today, tz);
    const visit = visitOf(getCookie(c, VISIT_COOKIE), now);
    const lastDay = today.add({ days: FREE_SLOT_DAYS - 1 });
    const horizon = dayRange(today, lastDay, tz);
    const [
      all,
      pending,
      cancelled,
      busy,
      awaiting,
      creditUsers,
      grants,
      elsewhere,
      classes,
    ] = await Promise.all([
      listAppointments(sql, {
        owner: { role: "trainer", id: trainer.id },
        from: day.start,
        to: day.end,
        statuses: ["scheduled", "pending", "completed"],
      }),
      listAppointments(sql, {
        owner: { role: "trainer", id: trainer.id },
        from: now,
        statuses: ["pending"],
        limit: 50,
      }),
      listCancelledSince(
        sql,
        trainer.id,
        visit.since ?? now.subtract(FIRST_VISIT_LOOKBACK),
      ),
      listBusy(
        sql,
        trainer.id,
        horizon.start.subtract({ hours: 24 }),
        horizon.end.add({ hours: 24 }),
      ),
      countAwaitingMark(sql, trainer.id, day.start),
      listRecentCreditUsers(
        sql,
        trainer.id,
        now.subtract(CREDIT_USERS_SINCE),
      ),
      listTrainerOpenGrants(sql, trainer.id),
      // The free slots clients could book: busy time elsewhere is not among them.
      listBusyElsewhere(
        sql,
        trainer.id,
        horizon.start.subtract({ hours: 24 }),
        horizon.end.add({ hours: 24 }),
        false,
      ),
      listClassesInRange(sql, trainer.id, day.start, day.end),
    ]);
    const freeSlots = computeSlots({
      settings,
      busy,
      elsewhere,
      from: today,
      to: lastDay,
      now,
      viewer: { role: "trainer" },
    }).filter((s) => s.status === "available").slice(0, FREE_SLOTS);
    const clients = await listClientNotes(sql, trainer.id, [
      ...new Set([...all, ...pending].map((a) => a.clientId)),
    ]);
    setCookie(c, VISIT_COOKIE, visit.cookie, {
      httpOnly: true,
      sameSite: "Lax",
      path: "/today",
      maxAge: 60 * 60 * 24 * 365,
    });
    return page(
      c,
      sayFor(c)("trainer.today.title"),
      <TodayPage
        data={{
          date: today,
          timezone: tz,
          now,
          sessions: all,
          classes,
          pending,
          cancelled,
          since: visit.since,
          freeSlots,
          clients,
          awaiting,
          csrf: c.get("csrfToken"),
          credits: (
            <LowBalances
              clients={lowBalances(creditUsers, grants, creditDay(now, tz))}
            />
          ),
        }}
      />,
    );
  });
