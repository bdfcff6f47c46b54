/**
 * Syncs the trainers' other calendars: fetch safely (lib/safe_fetch.ts), read the busy
 * time (lib/ics_read.ts) in the trainer's zone over the window from 1 day ago to 366 days
 * ahead, and store it (db/busy_calendars.ts). A round every `CALENDAR_SYNC_MINUTES`
 * fetches each calendar once across all app processes: the claim in the database decides
 * who fetches, never the number of processes whose cron fired.
 */
import { NOT_ICALENDAR, TOO_MANY_EVENTS } from "../lib/sync_errors.ts";
import { metrics } from "../lib/metrics.ts";
import { type Logger, silentLogger } from "../lib/log.ts";
import { runJob } from "./observe.ts";
import type { Sql } from "../db/client.ts";
import {
  type BusyCalendar,
  claimDueCalendars,
  type DueCalendar,
  storeSyncResult,
  type SyncResult,
} from "../db/busy_calendars.ts";
import { getSettings } from "../db/settings.ts";
import { readBusyTime } from "../lib/ics_read.ts";
import {
  FETCH_ERRORS,
  fetchCalendar,
  type Resolver,
} from "../lib/safe_fetch.ts";
import { sha256 } from "../lib/security.ts";

export type CalendarSyncDeps = Readonly<{
  sql: Sql;
  now: () => Temporal.Instant;
  /** `CALENDARS_ALLOW_PRIVATE=1`. */
  allowPrivate: boolean;
  /** The app's public URL: events with a `UID` at its host are its own feed read back. */
  appUrl: string;
  syncMinutes: number;
  /** DNS lookup (tests name hosts that resolve to private addresses). */
  resolve?: Resolver;
  /** Where each round's line goes; unset: nowhere. */
  log?: Logger;
}>;

/** Calendars fetched at once in one process. */
const PARALLEL = 4;
const CLAIM = 20;

/** What syncing offers the app: a first read when a calendar is added, and "Sync now". */
export type CalendarSync = Readonly<{
  /** Fetches and reads `url` for `trainerId`; `not_allowed` when its address is private. */
  read: (
    input: Readonly<{
      trainerId: string;
      url: string;
      etag?: string | null;
      lastModified?: string | null;
    }>,
  ) => Promise<SyncResult | "not_allowed">;
  /** Fetches a calendar now and stores the outcome (`undefined`: it was removed meanwhile). */
  sync: (calendar: DueCalendar) => Promise<BusyCalendar | undefined>;
  syncMinutes: number;
}>;

/** Builds the sync from its dependencies; no side effects. */
export function createCalendarSync(deps: CalendarSyncDeps): CalendarSync {
  const ownHost = new URL(deps.appUrl).host;
  const read: CalendarSync["read"] = async (input) => {
    const [settings, fetched] = await Promise.all([
      getSettings(deps.sql, input.trainerId),
      fetchCalendar(input.url, {
        etag: input.etag,
        lastModified: input.lastModified,
        allowPrivate: deps.allowPrivate,
        resolve: deps.resolve,
      }),
    ]);
    if (fetched.kind === "not_modified") return { kind: "unchanged" };
    if (fetched.kind === "failed") {
      if (fetched.failure === "not_allowed") return "not_allowed";
      return { kind: "failed", error: FETCH_ERRORS[fetched.failure] };
    }
    const now = deps.now();
    const read = readBusyTime({
      text: fetched.text,
      window: {
        start: now.subtract({ hours: 24 }),
        end: now.add({ hours: 366 * 24 }),
      },
      timezone: settings?.timezone ?? "UTC",
      ownHost,
    });
    if (!read.ok) {
      return {
        kind: "failed",
        error: read.reason === "not_icalendar"
          ? NOT_ICALENDAR
          : TOO_MANY_EVENTS,
      };
    }
    return {
      kind: "fresh",
      busy: read.busy,
      digest: digestOf(read.busy),
      etag: fetched.etag,
      lastModified: fetched.lastModified,
    };
  };
  const sync: CalendarSync["sync"] = async (calendar) => {
    const count = (result: "ok" | "error") =>
      metrics.calendarSyncs.inc({ provider: providerOf(calendar.url), result });
    const result = await read(calendar).catch((error) => {
      count("error");
      throw error;
    });
    count(
      result === "not_allowed" || result.kind === "failed" ? "error" : "ok",
    );
    return await storeSyncResult(deps.sql, {
      id: calendar.id,
      // A redirect into a private network after the address was added.
      result: result === "not_allowed"
        ? { kind: "failed", error: FETCH_ERRORS.not_allowed }
        : result,
      now: deps.now(),
    });
  };
  return { read, sync, syncMinutes: deps.syncMinutes };
}

/** The calendar service an address belongs to, for the sync counter's few labels. */
export function providerOf(
  url: string,
): "google" | "apple" | "outlook" | "other" {
  const host = URL.canParse(url) ? new URL(url).hostname : "";
  if (host === "calendar.google.com" || host.endsWith(".google.com")) {
    return "google";
  }
  if (host === "icloud.com" || host.endsWith(".icloud.com")) return "apple";
  if (
    /(^|\.)(outlook\.(com|office365\.com|live\.com)|office\.com)$/.test(host)
  ) {
    return "outlook";
  }
  return "other";
}

function digestOf(
  busy: readonly Readonly<
    { start: Temporal.Instant; end: Temporal.Instant; summary: string }
  >[],
): string {
  const text = JSON.stringify(
    busy.map((
      b,
    ) => [b.start.epochMilliseconds, b.end.epochMilliseconds, b.summary]),
  );
  return Array.from(sha256(text), (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}

/**
 * One round in this process: claims the calendars that are due, a few at a time, and
 * syncs them until none is left. Returns how many it fetched.
 */
export async function syncDueCalendars(
  deps: CalendarSyncDeps,
  calendars: CalendarSync = createCalendarSync(deps),
): Promise<number> {
  let fetched = 0;
  for (;;) {
    const due = await claimDueCalendars(deps.sql, {
      now: deps.now(),
      minutes: deps.syncMinutes,
      limit: CLAIM,
    });
    if (due.length === 0) return fetched;
    for (let i = 0; i < due.length; i += PARALLEL) {
      await Promise.all(
        due.slice(i, i + PARALLEL).map(async (c) => {
          try {
            await calendars.sync(c);
          } catch (error) {
            console.error(`calendar ${c.id} sync failed:`, error);
          }
        }),
      );
    }
    fetched += due.length;
  }
}

/**
 * Starts the rounds in this process: `Deno.cron` checks each minute for calendars whose
 * round is due (every `CALENDAR_SYNC_MINUTES` since their last). Several processes may
 * run this against one database.
 */
export function startCalendarSync(deps: CalendarSyncDeps) {
  const controller = new AbortController();
  const calendars = createCalendarSync(deps);
  let running: Promise<unknown> | undefined;
  Deno.cron(
    "sync other calendars",
    "* * * * *",
    { signal: controller.signal },
    async () => {
      if (running) return;
      running = runJob(
        deps.log ?? silentLogger,
        "sync other calendars",
        () => syncDueCalendars(deps, calendars),
        (fetched) => ({ fetched }),
      )
        .catch(() => {}) // runJob logged it
        .finally(() => running = undefined);
      await running;
    },
  );
  return {
    calendars,
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}
