/**
 * The trainer's other calendars as the API and the settings page both use them: adding
 * one (with its first fetch), "Sync now", and the contract's calendar object.
 */
import type { AppDeps } from "./context.ts";
import {
  type BusyCalendar,
  type CalendarFailure,
  countCalendars,
  getCalendar,
  insertCalendar,
  MAX_CALENDARS,
  reserveCalendarFetch,
} from "../db/busy_calendars.ts";
import { fetchableUrl } from "../lib/safe_fetch.ts";
import { listBusyElsewhere } from "../db/busy_times.ts";
import { toOffsetString } from "../domain/time.ts";
import { busyElsewhereDuring } from "../domain/appointments.ts";
import type { Interval } from "../domain/types.ts";
import type { Queryable } from "../db/client.ts";
import { type Locale, t } from "../lib/i18n.ts";

export type CalendarAnswer =
  | Readonly<{ ok: true; calendar: BusyCalendar }>
  | Readonly<{ ok: false; reason: CalendarFailure }>
  | Readonly<{ ok: false; reason: "too_many_fetches"; retryAfter: number }>
  | Readonly<{ ok: false; reason: "not_found" }>;

/** Why an address is not one to fetch, or `undefined` when it is. */
export function checkCalendarUrl(url: string): string | undefined {
  if (url.trim().length > 2048) return "must be at most 2048 characters";
  if (!fetchableUrl(url)) {
    return "must be an https:, http: or webcal: address";
  }
}

/** The sync the app was built with (`createApp` fills in one from the config). */
const calendarSyncOf = (deps: AppDeps) => {
  if (!deps.calendars) {
    throw new Error("the app was built without calendar sync");
  }
  return deps.calendars;
};

/** Adds a calendar after its first fetch; `url` must have passed {@link checkCalendarUrl}. */
export async function addCalendar(
  deps: AppDeps,
  trainerId: string,
  input: Readonly<{ url: string; name?: string }>,
): Promise<CalendarAnswer> {
  const url = input.url.trim();
  if (await countCalendars(deps.sql, trainerId) >= MAX_CALENDARS) {
    return { ok: false, reason: "too_many_calendars" };
  }
  const budget = await reserveCalendarFetch(deps.sql, trainerId, deps.now());
  if (!budget.ok) {
    return {
      ok: false,
      reason: "too_many_fetches",
      retryAfter: budget.retryAfter,
    };
  }
  const sync = calendarSyncOf(deps);
  const result = await sync.read({ trainerId, url });
  if (result === "not_allowed") return { ok: false, reason: "url_not_allowed" };
  const name = input.name?.trim() || fetchableUrl(url)!.hostname.slice(0, 100);
  const added = await insertCalendar(deps.sql, {
    trainerId,
    name,
    url,
    result,
    now: deps.now(),
    syncMinutes: sync.syncMinutes,
  });
  return typeof added === "string"
    ? { ok: false, reason: added }
    : { ok: true, calendar: added };
}

/** Fetches one of the trainer's calendars now. */
export async function syncCalendarNow(
  deps: AppDeps,
  trainerId: string,
  id: string,
): Promise<CalendarAnswer> {
  const calendar = await getCalendar(deps.sql, trainerId, id);
  if (!calendar) return { ok: false, reason: "not_found" };
  const budget = await reserveCalendarFetch(deps.sql, trainerId, deps.now());
  if (!budget.ok) {
    return {
      ok: false,
      reason: "too_many_fetches",
      retryAfter: budget.retryAfter,
    };
  }
  const synced = await calendarSyncOf(deps).sync(calendar);
  return synced
    ? { ok: true, calendar: synced }
    : { ok: false, reason: "not_found" };
}

/** The contract's calendar object. */
export const calendarJson = (c: BusyCalendar, timezone: string) => ({
  id: c.id,
  name: c.name,
  url: c.url,
  status: c.status,
  events: c.events,
  lastSyncedAt: c.lastSyncedAt && toOffsetString(c.lastSyncedAt, timezone),
  error: c.status === "ok" ? null : c.error,
});

/**
 * The warning a trainer's session over busy time elsewhere gets (allowed: it is their
 * calendar), naming the events; empty when there is none.
 */
export async function busyElsewhereWarning(
  sql: Queryable,
  trainerId: string,
  session: Interval,
  locale: Locale = "en",
): Promise<string> {
  const near = await listBusyElsewhere(
    sql,
    trainerId,
    session.start,
    session.end,
    true,
  );
  const titles = [
    ...new Set(
      busyElsewhereDuring(session, near).map((b) =>
        b.summary || t(locale, "calendars.an_event")
      ),
    ),
  ];
  if (titles.length === 0) return "";
  const named = titles.slice(0, 3).map((t) => `“${t}”`).join(", ");
  return ` ${
    titles.length > 3
      ? t(locale, "calendars.busy_warning_more", {
        titles: named,
        more: titles.length - 3,
      })
      : t(locale, "calendars.busy_warning", { titles: named })
  }`;
}
