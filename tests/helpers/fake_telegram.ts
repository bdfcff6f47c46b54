/**
 * A fake Telegram Bot API on 127.0.0.1 for the real grammY client: records every call,
 * answers like Telegram, and can be told to fail (500, 429 with `retry_after`) or hang.
 * It keeps each chat's messages with their buttons, applies `editMessageText` to them,
 * records `answerCallbackQuery` and `setMyCommands`, and makes the `callback_query` a
 * press of a button would send (`press`).
 *
 * With `limits` set it enforces Telegram's flood limits on `sendMessage` as Telegram
 * publishes them: at most `perSecond` messages in any second for the bot, one per
 * `chatIntervalMs` per chat; beyond them it answers 429 with `retry_after` (whole
 * seconds, at least 1). `sends` logs every `sendMessage` with its time and answer.
 */

export type Call = Readonly<{ method: string; body: Record<string, unknown> }>;
type Scripted =
  | Readonly<{ status: number; description?: string; retryAfter?: number }>
  | "hang";

// Telegram's update objects are loose JSON here.
// deno-lint-ignore no-explicit-any
export type Update = Record<string, any> & { update_id: number };

/** An inline keyboard button as the bot sent it. */
export type Button = { text: string; callback_data: string };

/** A message the fake holds: as sent, then as edited. */
export type ChatMessage = {
  message_id: number;
  chat_id: number;
  text: string;
  buttons: Button[][];
  /** Each edit's text, in order. */
  edits: string[];
};

export const BOT_USER = {
  id: 7000001,
  is_bot: true,
  first_name: "Spotter",
  username: "spotter_test_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

export class FakeTelegram {
  readonly calls: Call[] = [];
  private readonly scripts = new Map<string, Scripted[]>();
  private readonly updates: Update[] = [];
  private waiters = new Set<() => void>();
  private closing = new AbortController();
  private messageId = 0;
  /** Milliseconds every sendMessage takes, to make overlaps real. */
  sendDelayMs = 0;
  /** Telegram's flood limits; unset: none. */
  limits?: Readonly<{ perSecond: number; chatIntervalMs: number }>;
  /** Every sendMessage: when it arrived (`Date.now()`), to which chat, and its answer. */
  readonly sends: { at: number; chatId: number; status: number }[] = [];
  private acceptedAt: number[] = [];
  private windowStart = 0;
  private chatLastAt = new Map<number, number>();

  private constructor(
    private server: Deno.HttpServer<Deno.NetAddr>,
    readonly token: string,
  ) {}

  static start(token = "123456:TEST-token"): Promise<FakeTelegram> {
    const box: { fake?: FakeTelegram } = {};
    return new Promise((resolve) => {
      const server = Deno.serve({
        hostname: "127.0.0.1",
        port: 0,
        onListen: () => queueMicrotask(() => resolve(box.fake!)),
      }, (req) => box.fake!.handle(req));
      box.fake = new FakeTelegram(server, token);
    });
  }

  /** `TELEGRAM_API_ROOT` for this fake. */
  get url(): string {
    return `http://127.0.0.1:${this.server.addr.port}`;
  }

  /** The next calls of `method` answer these, in order, before behaving normally again. */
  script(method: string, ...answers: Scripted[]) {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...answers]);
  }

  /** Messages the fake accepted (answered 200). */
  get delivered(): { chat_id: unknown; text: string }[] {
    return this.accepted.slice();
  }
  private accepted: { chat_id: unknown; text: string }[] = [];

  /** Every message sent, by id, as it stands after its edits. */
  readonly messages = new Map<number, ChatMessage>();

  /** The messages of one chat, oldest first. */
  chat(chatId: number): ChatMessage[] {
    return [...this.messages.values()].filter((m) => m.chat_id === chatId);
  }

  /** The last message of a chat. */
  last(chatId: number): ChatMessage {
    const all = this.chat(chatId);
    if (!all.length) throw new Error(`fake Telegram: chat ${chatId} is empty`);
    return all[all.length - 1];
  }

  /** The texts of every `answerCallbackQuery`, in order. */
  get answers(): string[] {
    return this.calls.filter((c) => c.method === "answerCallbackQuery")
      .map((c) => String(c.body.text ?? ""));
  }

  /** Queues an update for `getUpdates` (long polling). */
  pushUpdate(update: Update) {
    this.updates.push(update);
    for (const wake of this.waiters) wake();
  }

  /** Waits until `predicate` holds, polling every 20 ms, or throws after `ms`. */
  async until(predicate: () => boolean, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > end) throw new Error("fake Telegram: timed out waiting");
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close() {
    this.closing.abort();
    for (const wake of this.waiters) wake();
    await this.server.shutdown();
  }

  private async handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(path);
    if (!match || match[1] !== this.token) {
      return Response.json({
        ok: false,
        error_code: 404,
        description: "Not Found",
      }, { status: 404 });
    }
    const method = match[2];
    const body = await req.json().catch(() => ({})) as Record<string, unknown>;
    this.calls.push({ method, body });

    const scripted = this.scripts.get(method)?.shift();
    if (scripted === "hang") {
      await this.sleep(3_600_000, req.signal);
      return new Response(null, { status: 504 });
    }
    if (scripted) {
      if (method === "sendMessage") {
        this.sends.push({
          at: Date.now(),
          chatId: Number(body.chat_id),
          status: scripted.status,
        });
      }
      return Response.json({
        ok: false,
        error_code: scripted.status,
        description: scripted.description ??
          (scripted.status === 429
            ? `Too Many Requests: retry after ${scripted.retryAfter}`
            : "Internal Server Error"),
        ...(scripted.retryAfter !== undefined &&
          { parameters: { retry_after: scripted.retryAfter } }),
      }, { status: scripted.status });
    }

    switch (method) {
      case "getMe":
        return ok(BOT_USER);
      case "getUpdates":
        return ok(await this.nextUpdates(body, req.signal));
      case "sendMessage": {
        const limited = this.flood(Number(body.chat_id));
        if (limited) return limited;
        if (this.sendDelayMs) {
          await new Promise((r) => setTimeout(r, this.sendDelayMs));
        }
        this.accepted.push({
          chat_id: body.chat_id,
          text: String(body.text),
        });
        const message: ChatMessage = {
          message_id: ++this.messageId,
          chat_id: Number(body.chat_id),
          text: String(body.text),
          buttons: keyboardOf(body.reply_markup),
          edits: [],
        };
        this.messages.set(message.message_id, message);
        return ok(asTelegram(message));
      }
      case "editMessageText": {
        const message = this.messages.get(Number(body.message_id));
        if (!message || message.chat_id !== Number(body.chat_id)) {
          return Response.json({
            ok: false,
            error_code: 400,
            description: "Bad Request: message to edit not found",
          }, { status: 400 });
        }
        const buttons = keyboardOf(body.reply_markup);
        if (
          message.text === String(body.text) &&
          JSON.stringify(buttons) === JSON.stringify(message.buttons)
        ) {
          return Response.json({
            ok: false,
            error_code: 400,
            description:
              "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
          }, { status: 400 });
        }
        message.text = String(body.text);
        message.buttons = buttons;
        message.edits.push(message.text);
        return ok(asTelegram(message));
      }
      case "setMyCommands":
        if (!Array.isArray(body.commands)) {
          return Response.json({
            ok: false,
            error_code: 400,
            description: "Bad Request: commands not found",
          }, { status: 400 });
        }
        return ok(true);
      default:
        return ok(true);
    }
  }

  /** A 429 when this message would break `limits`; else logs it as accepted. */
  private flood(chatId: number): Response | undefined {
    const at = Date.now();
    const limits = this.limits;
    let waitMs = 0;
    if (limits) {
      while (
        this.windowStart < this.acceptedAt.length &&
        this.acceptedAt[this.windowStart] <= at - 1000
      ) this.windowStart++;
      if (this.acceptedAt.length - this.windowStart >= limits.perSecond) {
        waitMs = this.acceptedAt[this.windowStart] + 1000 - at;
      }
      const last = this.chatLastAt.get(chatId);
      if (last !== undefined && at - last < limits.chatIntervalMs) {
        waitMs = Math.max(waitMs, last + limits.chatIntervalMs - at);
      }
    }
    if (waitMs > 0) {
      this.sends.push({ at, chatId, status: 429 });
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
      return Response.json({
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      }, { status: 429 });
    }
    this.sends.push({ at, chatId, status: 200 });
    this.acceptedAt.push(at);
    this.chatLastAt.set(chatId, at);
    return undefined;
  }

  private async nextUpdates(
    body: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<Update[]> {
    const offset = Number(body.offset ?? 0);
    const timeout = Math.min(Number(body.timeout ?? 0), 30);
    const end = Date.now() + timeout * 1000;
    for (;;) {
      // Asking from `offset` confirms everything before it, as Telegram does.
      while (this.updates.length && this.updates[0].update_id < offset) {
        this.updates.shift();
      }
      const limit = Number(body.limit ?? 100);
      if (this.updates.length) return this.updates.slice(0, limit);
      const left = end - Date.now();
      if (left <= 0 || signal.aborted || this.closing.signal.aborted) return [];
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          signal.removeEventListener("abort", wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
        signal.addEventListener("abort", wake);
      });
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.closing.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done);
      this.closing.signal.addEventListener("abort", done);
    });
  }
}

const ok = (result: unknown) => Response.json({ ok: true, result });

function keyboardOf(markup: unknown): Button[][] {
  const rows = (markup as { inline_keyboard?: unknown } | undefined)
    ?.inline_keyboard;
  return Array.isArray(rows)
    ? rows.map((row: Button[]) =>
      row.map((b) => ({ text: b.text, callback_data: b.callback_data }))
    )
    : [];
}

function asTelegram(m: ChatMessage) {
  return {
    message_id: m.message_id,
    date: Math.floor(Date.now() / 1000),
    chat: { id: m.chat_id, type: "private", first_name: "Pat" },
    text: m.text,
    ...(m.buttons.length &&
      { reply_markup: { inline_keyboard: m.buttons } }),
  };
}

/** The texts of a message's buttons, row by row. */
export const buttonTexts = (m: ChatMessage) =>
  m.buttons.map((row) => row.map((b) => b.text));

/**
 * The `callback_query` update Telegram sends when `fromChat` presses the button of
 * `message` whose text is (or, given a RegExp, matches) `text`. `fromChat` defaults to
 * the message's own chat; another one is a forged press.
 */
export function press(
  message: ChatMessage,
  text: string | RegExp,
  fromChat = message.chat_id,
): Update {
  const button = message.buttons.flat().find((b) =>
    typeof text === "string" ? b.text === text : text.test(b.text)
  );
  if (!button) {
    throw new Error(
      `no button ${text} on message ${message.message_id}: ${
        JSON.stringify(buttonTexts(message))
      }`,
    );
  }
  return callbackUpdate(
    fromChat,
    { ...message, chat_id: fromChat },
    button.callback_data,
  );
}

/** A `callback_query` from `chatId` about `message` with any `data` (junk included). */
export function callbackUpdate(
  chatId: number,
  message: Pick<ChatMessage, "message_id" | "chat_id" | "text"> | undefined,
  data: string | undefined,
): Update {
  const from = { id: chatId, is_bot: false, first_name: "Pat" };
  return {
    update_id: ++updateId,
    callback_query: {
      id: `cb${updateId}`,
      from,
      chat_instance: `ci${chatId}`,
      ...(message && {
        message: {
          message_id: message.message_id,
          date: Math.floor(Date.now() / 1000),
          chat: { id: message.chat_id, type: "private", first_name: "Pat" },
          text: message.text,
        },
      }),
      ...(data !== undefined && { data }),
    },
  };
}

let updateId = 1000;
/** A private-chat text message as Telegram sends it; commands carry their entity. */
export function textUpdate(chatId: number, text: string): Update {
  const command = /^\/\w+/.exec(text);
  const from = { id: chatId, is_bot: false, first_name: "Pat" };
  return {
    update_id: ++updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "Pat" },
      from,
      text,
      ...(command && {
        entities: [{
          type: "bot_command",
          offset: 0,
          length: command[0].length,
        }],
      }),
    },
  };
}
