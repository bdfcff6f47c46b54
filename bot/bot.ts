/**
 * The Telegram bot: a surface beside `routes/`. Its handlers parse an update, call `db/`
 * (the same lifecycle functions as the web) and reply in `lib/chat.ts`'s words. Updates
 * come by webhook or long polling (`jobs/telegram.ts`); each is handled once, whichever
 * process gets it and however often. A bad or foreign update gets a polite answer (or
 * none), never an error. Replies are in the linked user's language; an unlinked chat is
 * answered in the language its Telegram app reports.
 */
import { Bot } from "grammy";
import type { BotConfig, Context } from "grammy";
import type { BotDeps } from "./deps.ts";
import { type ChatUser, claimUpdate, getChatUser } from "../db/chat.ts";
import { linkTelegramChat, unlinkTelegramChat } from "../db/telegram.ts";
import { sha256 } from "../lib/security.ts";
import {
  chatText,
  chatWords,
  commandsIn,
  helpText,
  notLinkedText,
} from "../lib/chat.ts";
import { LANGUAGES } from "../lib/i18n.ts";
import { spoken } from "./speaker.ts";
import { book, my, next, reminders, today } from "./commands.ts";
import { handlePress } from "./presses.ts";

export type { BotDeps };

/**
 * Builds the bot for `token` against `apiRoot` (Telegram's, or a self-hosted Bot API).
 *
 * ```ts
 * const bot = createBot({ token, apiRoot, sql, now, appUrl, onOutbox: kick });
 * await bot.init();
 * ```
 */
export function createBot(
  options:
    & BotDeps
    & Readonly<{
      token: string;
      apiRoot: string;
      botInfo?: BotConfig<Context>["botInfo"];
    }>,
): Bot {
  const deps: BotDeps = options;
  const bot = new Bot(options.token, {
    client: { apiRoot: options.apiRoot },
    botInfo: options.botInfo,
  });

  // Once per update, private chats only; an unexpected failure is said politely.
  bot.use(async (ctx, next) => {
    try {
      if (!await claimUpdate(deps.sql, ctx.update.update_id, deps.now())) {
        return;
      }
      // A message with no chat is not one Telegram sends: nothing to answer.
      if ((ctx.message || ctx.callbackQuery?.message) && !ctx.chat?.id) return;
      if (ctx.chat && ctx.chat.type !== "private") {
        await politely(ctx, chatWords(spoken(ctx)).privateOnly);
        return;
      }
      await next();
    } catch (error) {
      console.error(`telegram update ${ctx.update.update_id} failed:`, error);
      await politely(ctx, chatWords(spoken(ctx)).failed);
    }
  });

  bot.command("start", async (ctx) => {
    const token = ctx.match.trim();
    if (!/^[\w-]{20,64}$/.test(token)) {
      const user = await getChatUser(deps.sql, ctx.chat.id);
      await ctx.reply(helpText(user?.role, deps.appUrl, spoken(ctx, user)));
      return;
    }
    const user = await linkTelegramChat(deps.sql, {
      tokenHash: sha256(token),
      chatId: ctx.chat.id,
      now: deps.now(),
    });
    await ctx.reply(
      user
        ? chatText(user.language, "chat.connected", { name: user.name })
        : chatText(spoken(ctx), "chat.link_expired"),
    );
  });
  bot.command("stop", async (ctx) => {
    const user = await getChatUser(deps.sql, ctx.chat.id);
    const count = await unlinkTelegramChat(deps.sql, ctx.chat.id);
    await ctx.reply(
      chatText(
        spoken(ctx, user),
        count ? "chat.disconnected" : "chat.not_connected",
      ),
    );
  });

  /** A command for a linked chat; any other chat is told how to link. */
  const linked = (
    name: string,
    run: (ctx: Context, user: ChatUser, arg: string) => Promise<unknown>,
  ) =>
    bot.command(name, async (ctx) => {
      const user = await getChatUser(deps.sql, ctx.chat.id);
      if (!user) {
        return void await ctx.reply(notLinkedText(deps.appUrl, spoken(ctx)));
      }
      await run(ctx, user, ctx.match);
    });
  linked("today", (ctx, user) => today(ctx, deps, user));
  linked("next", (ctx, user) => next(ctx, deps, user));
  linked("my", (ctx, user) => my(ctx, deps, user));
  linked("book", (ctx, user) => book(ctx, deps, user));
  linked("reminders", (ctx, user, arg) => reminders(ctx, deps, user, arg));
  bot.command("help", async (ctx) => {
    const user = await getChatUser(deps.sql, ctx.chat.id);
    await ctx.reply(helpText(user?.role, deps.appUrl, spoken(ctx, user)));
  });

  bot.on("callback_query:data", (ctx) => handlePress(ctx, deps));
  bot.on(
    "callback_query",
    (ctx) => ctx.answerCallbackQuery({ text: chatWords(spoken(ctx)).gone }),
  );
  bot.on("message", async (ctx) => {
    const user = await getChatUser(deps.sql, ctx.chat.id);
    await ctx.reply(helpText(user?.role, deps.appUrl, spoken(ctx, user)));
  });
  // Anything else (edits, membership changes, inline queries) needs no answer.
  bot.catch((error) => console.error("telegram update failed:", error.error));
  return bot;
}

/**
 * Registers the commands so Telegram shows them as the chat's menu: English for every
 * app language, and each of Spotter's other languages for apps set to it.
 */
export async function registerCommands(bot: Bot): Promise<void> {
  await bot.api.setMyCommands(commandsIn("en"));
  for (const language of LANGUAGES.filter((l) => l !== "en")) {
    await bot.api.setMyCommands(commandsIn(language), {
      language_code: language,
    });
  }
}

async function politely(ctx: Context, text: string) {
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
    else if (ctx.chat) await ctx.reply(text);
  } catch (error) {
    console.warn("telegram: a polite answer failed too:", error);
  }
}
