import { Api, Bot, webhookCallback } from "grammy";
import type { BotConfig, Context } from "grammy";
import type { Sql } from "../db/client.ts";
import {
  linkTelegramChat,
  type PollingLock,
  releasePollingLock,
  takePollingLock,
  unlinkTelegramChat,
} from "../db/telegram.ts";
import { safeEqual, sha256 } from "../lib/security.ts";

const HELP =
  "This bot sends your Spotter reminders and session notices. To connect this chat, " +
  "open your Spotter profile and press “Connect Telegram”. Send /stop to disconnect.";

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
 * The bot that links chats: `/start <token>` binds the chat to the token's user and says
 * so in the chat, `/stop` unlinks it. Updates come by webhook or long polling.
 */
export function createLinkBot(
  options: Readonly<{
    token: string;
    apiRoot: string;
    sql: Sql;
    now: () => Temporal.Instant;
    botInfo?: BotConfig<Context>["botInfo"];
  }>,
): Bot {
  const bot = new Bot(options.token, {
    client: { apiRoot: options.apiRoot },
    botInfo: options.botInfo,
  });
  bot.command("start", async (ctx) => {
    if (ctx.chat.type !== "private") {
      await ctx.reply("Please open the link in a private chat with me.");
      return;
    }
    const token = ctx.match.trim();
    if (!/^[\w-]{20,64}$/.test(token)) {
      await ctx.reply(HELP);
      return;
    }
    const user = await linkTelegramChat(options.sql, {
      tokenHash: sha256(token),
      chatId: ctx.chat.id,
      now: options.now(),
    });
    await ctx.reply(
      user
        ? `Connected, ${user.name}. Your Spotter reminders and session notices will arrive in this chat. Send /stop to disconnect.`
        : "This link has expired or was already used. Open your Spotter profile and press “Connect Telegram” for a new one.",
    );
  });
  bot.command("stop", async (ctx) => {
    const count = await unlinkTelegramChat(options.sql, ctx.chat.id);
    await ctx.reply(
      count
        ? "Disconnected. Spotter will no longer write to this chat; notices go by e-mail where it is set up."
        : "This chat is not connected to Spotter.",
    );
  });
  bot.on("message", (ctx) => ctx.reply(HELP));
  bot.catch((error) => console.error("telegram update failed:", error.error));
  return bot;
}

/**
 * `Request → Response` for `POST /telegram/webhook`: 401 without the secret header,
 * 400 for a body that is not an update, 200 once handled.
 */
export function telegramWebhook(
  bot: Bot,
  secretToken: string,
): (request: Request) => Promise<Response> {
  const handle = webhookCallback(bot, "std/http", { secretToken });
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
