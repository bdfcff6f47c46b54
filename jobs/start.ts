import type { Sql } from "../db/client.ts";
import type { Config } from "../config.ts";
import { deliverDue, type DeliveryReport } from "./deliver.ts";
import { createMailer } from "./mailer.ts";
import { deliverAccountMessages } from "./account_mail.ts";
import type { SendPace } from "./pacing.ts";
import {
  createTelegramApi,
  type Polling,
  singlePoller,
  telegramWebhook,
} from "./telegram.ts";
import { createBot, registerCommands } from "../bot/bot.ts";
import { errorLogger, type Logger } from "../lib/log.ts";
import { runJob } from "./observe.ts";

export type Notifications = Readonly<{
  kick: () => void;
  /** Stops the cron and polling and waits for a delivery pass in progress. */
  stop: () => Promise<void>;
  botUsername?: string;
  webhook?: (request: Request) => Promise<Response>;
}>;

export type NotificationDeps = Readonly<{
  sql: Sql;
  config: Config;
  now: () => Temporal.Instant;
  /** How long one Telegram call may hang before it counts as failed. */
  telegramTimeoutSeconds?: number;
  /** Debounce of `kick()`. */
  kickDelayMs?: number;
  /** One line per delivery pass; unset: errors only, to stderr. */
  log?: Logger;
  /**
   * The send budget shared by every process. Set, a pass that was cut off at its limit
   * is followed by another at once, and one that handed rows back by another when they
   * are due (a storm goes out at the budget's rate, not a pass a minute). Unset (tests on
   * a fixed clock), sends are not paced.
   */
  pace?: SendPace;
}>;

/** Everything `startNotifications` runs, without the cron: tests drive it by hand. */
export type NotificationService =
  & Notifications
  & Readonly<{
    /** One delivery pass at `now()`; concurrent calls in this process are coalesced. */
    deliver: () => Promise<DeliveryReport>;
    /** Long polling, when the bot is on and no webhook secret is set. */
    polling?: Polling;
  }>;

const STARTUP_TIMEOUT_MS = 10_000;
/** Rows one delivery pass handles at most. */
const PASS_LIMIT = 500;
/** A row handed back for later than this waits for the minute's pass. */
const FOLLOW_UP_MS = 60_000;

/**
 * Builds delivery (grammY's API client, nodemailer) and the bot (`bot/`) from the config,
 * and registers the bot's commands with Telegram. With `TELEGRAM_BOT_TOKEN` unset there is
 * no bot; with `SMTP_URL` unset no e-mail.
 */
export async function createNotifications(
  deps: NotificationDeps,
): Promise<NotificationService> {
  const { config, sql } = deps;
  const token = config.telegramBotToken;
  const telegram = token
    ? createTelegramApi({
      token,
      apiRoot: config.telegramApiRoot,
      timeoutSeconds: deps.telegramTimeoutSeconds,
    })
    : undefined;
  const mailer = config.smtpUrl
    ? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom })
    : undefined;

  let botUsername: string | undefined;
  let webhook: Notifications["webhook"];
  let polling: Polling | undefined;
  if (token) {
    const bot = createBot({
      token,
      apiRoot: config.telegramApiRoot,
      sql,
      now: deps.now,
      appUrl: config.appUrl,
      // The bot's changes write notices like the web's: send them at once.
      onOutbox: () => kick(),
    });
    try {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        bot.init(),
        new Promise((_, reject) =>
          timer = setTimeout(
            () => reject(new Error("getMe did not answer")),
            STARTUP_TIMEOUT_MS,
          )
        ),
      ]).finally(() => clearTimeout(timer));
      botUsername = bot.botInfo.username;
      await registerCommands(bot).catch((error) =>
        console.error("Telegram did not take the command menu:", error)
      );
      if (config.telegramWebhookSecret) {
        webhook = telegramWebhook(bot, config.telegramWebhookSecret);
      } else polling = singlePoller(sql, bot);
    } catch (error) {
      // Sending still works through the API client; only linking needs the bot's name.
      console.error(
        "Telegram bot is unreachable; linking chats is off until restart:",
        error instanceof Error ? error.message : error,
      );
    }
  }

  let active: Promise<DeliveryReport> | undefined;
  let queued: Promise<DeliveryReport> | undefined;
  const log = deps.log ?? errorLogger;
  const halt = new AbortController();
  const pass = async () => {
    // Messages about accounts first: a reset link is wanted now, and is small.
    await runJob(log, "deliver account messages", () =>
      deliverAccountMessages({
        sql,
        now: deps.now(),
        appUrl: config.appUrl,
        telegram,
        mailer,
      })).catch(() => {}); // runJob logged it
    const report = await runJob(log, "deliver notifications", () =>
      deliverDue({
        sql,
        now: deps.now(),
        appUrl: config.appUrl,
        telegram,
        mailer,
        limit: PASS_LIMIT,
        pace: deps.pace,
        signal: halt.signal,
      }), (report) => report);
    if (deps.pace) followUp(report);
    return report;
  };
  const deliver = (): Promise<DeliveryReport> => {
    if (!active) {
      active = pass().finally(() => active = undefined);
      return active;
    }
    queued ??= active.catch(() => {}).then(() => {
      queued = undefined;
      return deliver();
    });
    return queued;
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopping = false;

  let wakeTimer: ReturnType<typeof setTimeout> | undefined;
  let wakeAt = Infinity;
  const wake = (ms: number) => {
    const at = Date.now() + ms;
    if (stopping || at >= wakeAt) return;
    clearTimeout(wakeTimer);
    wakeAt = at;
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      wakeAt = Infinity;
      deliver().catch((error) =>
        console.error("notification delivery failed:", error)
      );
    }, ms);
  };
  const followUp = (report: DeliveryReport) => {
    const handled = report.sent + report.retried + report.failed +
      report.skipped + report.released;
    if (handled >= PASS_LIMIT) return wake(0);
    if (!report.wakeAt) return;
    const ms = report.wakeAt.epochMilliseconds - deps.now().epochMilliseconds;
    if (ms <= FOLLOW_UP_MS) wake(Math.max(0, ms));
  };
  const kick = () => {
    if (stopping || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      deliver().catch(() => {}); // runJob logged it
    }, deps.kickDelayMs ?? 250);
  };

  let done: Promise<void> | undefined;
  const stopped = () => {
    stopping = true;
    halt.abort(); // sends in flight finish; the rest of their claim is handed back
    clearTimeout(timer);
    timer = undefined;
    clearTimeout(wakeTimer);
    wakeTimer = undefined;
    done ??= (async () => {
      await polling?.stop();
      await Promise.allSettled([active, queued]);
      mailer?.close();
    })();
    return done;
  };

  return {
    kick,
    stop: stopped,
    deliver,
    polling,
    botUsername,
    webhook,
  };
}

/**
 * Telegram's limit for one chat is one message a second; a tenth more keeps two sends a
 * second apart on the database's clock from arriving closer than that.
 */
const TELEGRAM_CHAT_INTERVAL_MS = 1100;

/**
 * Starts notification delivery for this process: a pass every minute (`Deno.cron`) and
 * right after `kick()`; long polling for the bot when no webhook secret is set.
 * Several processes may run this against one database.
 */
export async function startNotifications(
  deps: Readonly<{
    sql: Sql;
    config: Config;
    now: () => Temporal.Instant;
    log?: Logger;
  }>,
): Promise<Notifications> {
  const service = await createNotifications({
    ...deps,
    pace: {
      telegramPerSecond: deps.config.telegramRate,
      chatIntervalMs: TELEGRAM_CHAT_INTERVAL_MS,
      emailPerSecond: deps.config.smtpRate,
    },
  });
  const controller = new AbortController();
  const tick = async () => {
    await service.deliver().catch(() => {}); // runJob logged it
    try {
      await service.polling?.tryStart();
    } catch (error) {
      console.error("telegram polling did not start:", error);
    }
  };
  Deno.cron(
    "deliver notifications",
    "* * * * *",
    { signal: controller.signal },
    tick,
  );
  void tick();
  return {
    kick: service.kick,
    stop: async () => {
      controller.abort();
      await service.stop();
    },
    botUsername: service.botUsername,
    webhook: service.webhook,
  };
}
