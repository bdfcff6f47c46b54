/**
 * Telegram's transport: the API client that sends, the webhook's `Request → Response`,
 * and long polling by one process per database. What the bot does with an update is
 * `bot/`.
 */
import { Api, type Bot, webhookCallback } from "grammy";
import type { Sql } from "../db/client.ts";
import {
  type PollingLock,
  releasePollingLock,
  takePollingLock,
} from "../db/telegram.ts";
import { safeEqual } from "../lib/security.ts";

/**
 * A grammY API client for sending. Its timeout bounds how long one send may hang, which
 * keeps every send well inside a delivery claim.
 */
export function createTelegramApi(
  options: Readonly<
    { token: string; apiRoot: string; timeoutSeconds?: number }
  >,
): Api {
  return new Api(options.token, {
    apiRoot: options.apiRoot,
    timeoutSeconds: options.timeoutSeconds ?? 20,
  });
}

/**
 * `Request → Response` for `POST /telegram/webhook`: 401 without the secret header,
 * 400 for a body that is not an update, 200 once handled.
 */
export function telegramWebhook(
  bot: Bot,
  secretToken: string,
): (request: Request) => Promise<Response> {
  // A slow update still answers 200 (and goes on being handled) rather than an error.
  const handle = webhookCallback(bot, "std/http", {
    secretToken,
    onTimeout: "return",
  });
  return async (request) => {
    const header = request.headers.get("X-Telegram-Bot-Api-Secret-Token");
    if (header === null || !safeEqual(header, secretToken)) {
      return new Response("secret token is wrong", { status: 401 });
    }
    let update: unknown;
    try {
      update = await request.json();
    } catch {
      return new Response("not JSON", { status: 400 });
    }
    if (
      typeof update !== "object" || update === null ||
      typeof (update as { update_id?: unknown }).update_id !== "number"
    ) return new Response("not an update", { status: 400 });
    const headers = new Headers(request.headers);
    headers.delete("Content-Length");
    return await handle(
      new Request(request.url, {
        method: "POST",
        headers,
        body: JSON.stringify(update),
      }),
    );
  };
}

export type Polling = Readonly<{
  /** Starts long polling if no other process does; true when this process polls. */
  tryStart: () => Promise<boolean>;
  stop: () => Promise<void>;
  isPolling: () => boolean;
}>;

/**
 * Long polling by at most one process per database: the poller holds a session advisory
 * lock on a reserved connection. If it dies, its connection and lock go, and another
 * process takes over at its next `tryStart()` (every cron tick).
 */
export function singlePoller(sql: Sql, bot: Bot): Polling {
  let reserved: PollingLock | undefined;
  let running: Promise<void> | undefined;
  let starting: Promise<boolean> | undefined;

  const release = async () => {
    const r = reserved;
    reserved = undefined;
    if (r) await releasePollingLock(r);
  };

  const start = async (): Promise<boolean> => {
    if (running) return true;
    const lock = await takePollingLock(sql);
    if (!lock) return false;
    reserved = lock;
    let started!: () => void;
    const onStart = new Promise<void>((resolve) => started = resolve);
    running = bot.start({ onStart: () => started() })
      .catch((error) => console.error("telegram polling stopped:", error))
      .finally(async () => {
        running = undefined;
        await release();
      });
    await Promise.race([onStart, running]);
    return running !== undefined;
  };

  return {
    tryStart() {
      starting ??= start().finally(() => starting = undefined);
      return starting;
    },
    async stop() {
      await starting?.catch(() => {});
      const current = running;
      if (current) {
        await bot.stop();
        await current;
      }
    },
    isPolling: () => running !== undefined,
  };
}
