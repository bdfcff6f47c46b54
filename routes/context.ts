import type { Sql } from "../db/client.ts";
import type { User } from "../db/users.ts";
import type { Config } from "../config.ts";
import type { Context } from "hono";
import { getSettings, type TrainerSettings } from "../db/settings.ts";
import type { Throttles } from "../db/throttle.ts";
import type { Flash } from "../views/Layout.tsx";

export type { Flash };
import type { CalendarSync } from "../jobs/calendar_sync.ts";
import type { Logger } from "../lib/log.ts";
import type { BackupStatus } from "../db/backup.ts";

/** What the app is built from; tests pass their own clock, database and cost. */
export type AppDeps = Readonly<{
  sql: Sql;
  config: Config;
  /** The clock. Only `main.ts` passes the real one. */
  now: () => Temporal.Instant;
  /** scrypt log2(N) for new password hashes. */
  passwordCost: number;
  /** Budgets that differ from `THROTTLES` (tests sign up many accounts from one address). */
  throttles?: Partial<Throttles>;
  /** Called after a commit that wrote notifications, so delivery can start at once. */
  onOutbox?: () => void;
  /** Telegram bot username for deep links, when the bot is on. */
  telegramBotUsername?: string;
  /** Handles a Telegram update posted to the webhook, when the bot is on. */
  telegramWebhook?: (request: Request) => Promise<Response>;
  /** Fetches the trainers' other calendars; by default built from `config`. */
  calendars?: CalendarSync;
  /** Where request lines and errors go; unset: nowhere (errors to the console). */
  log?: Logger;
  /** The automatic backup's last outcome, for `GET /healthz?detail`. */
  backupStatus?: () => BackupStatus;
}>;

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    user: User | undefined;
    sessionHash: Uint8Array | undefined;
    /** The signed-in user's trainer's calendar counter, read with the session. */
    calendarVersion: string | undefined;
    /** Set by a page that may be kept by `renderCache`: until when it reads the same. */
    cacheUntil: Temporal.Instant | undefined;
    csrfToken: string;
    flash: Flash | undefined;
    /** The trainer's settings, read at most once per request (see `settingsOf`). */
    settings: Promise<TrainerSettings | undefined> | undefined;
  };
};

/**
 * The settings of the signed-in user's trainer, read once per request however many
 * parts of the page need them.
 */
export function settingsOf(
  c: Context<AppEnv>,
  trainerId: string,
): Promise<TrainerSettings> {
  let read = c.get("settings");
  if (!read) {
    read = getSettings(c.get("deps").sql, trainerId);
    c.set("settings", read);
  }
  return read.then((s) => {
    if (!s) throw new Error(`trainer ${trainerId} has no settings`);
    return s;
  });
}
