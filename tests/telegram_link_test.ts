import assert from "node:assert/strict";
import { createApp } from "../app.tsx";
import { connect } from "../db/client.ts";
import { createNotifications } from "../jobs/start.ts";
import { dbTest, testApp } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { FakeTelegram, textUpdate } from "./helpers/fake_telegram.ts";

const SECRET = "webhook-s3cret";
const CHAT = 4242001;

/** The app with the bot on, as main.ts wires it, against a fake Bot API. */
async function withBot(
  mode: "webhook" | "polling",
  fn: (s: Awaited<ReturnType<typeof build>>) => Promise<void>,
) {
  const s = await build(mode);
  try {
    await fn(s);
  } finally {
    await s.service.stop();
    await s.fake.close();
    await s.t.sql.end();
  }
}

async function build(mode: "webhook" | "polling") {
  const fake = await FakeTelegram.start();
  const env = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.url,
    ...(mode === "webhook" ? { TELEGRAM_WEBHOOK_SECRET: SECRET } : {}),
  };
  const url = await freshDatabaseUrl();
  const sql = connect(url);
  const base = await testApp({ env, deps: { sql } });
  await base.sql.end(); // testApp's own pool is unused here
  const service = await createNotifications({
    sql,
    config: base.deps.config,
    now: base.clock.now,
  });
  const deps = {
    ...base.deps,
    telegramBotUsername: service.botUsername,
    telegramWebhook: service.webhook,
  };
  const t = { ...base, sql, deps, app: createApp(deps) };
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode);
  const post = (update: unknown, secret: string | null = SECRET) =>
    t.app.request("/telegram/webhook", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(secret !== null &&
          { "X-Telegram-Bot-Api-Secret-Token": secret }),
      },
      body: typeof update === "string" ? update : JSON.stringify(update),
    });
  const chatOf = async (id: string) => {
    const [row] = await t.sql<{ telegram_chat_id: string | null }[]>`
      SELECT telegram_chat_id FROM users WHERE id = ${id}`;
    return row.telegram_chat_id === null ? null : Number(row.telegram_chat_id);
  };
  const replies = (chat: number) =>
    fake.delivered.filter((m) => m.chat_id === chat).map((m) => m.text);
  return { t, url, fake, service, trainer, client, post, chatOf, replies };
}

dbTest(
  "POST /api/telegram/link gives a one-time deep link whose token is stored only hashed",
  () =>
    withBot("webhook", async ({ t, trainer, client }) => {
      for (const who of [trainer, client]) {
        const res = await api(t, "POST", "/api/telegram/link", {
          token: who.token,
        });
        assert.equal(res.status, 200);
        assert.match(res.body.token, /^[\w-]{43}$/);
        assert.equal(
          res.body.url,
          `https://t.me/spotter_test_bot?start=${res.body.token}`,
        );
      }
      const rows = await t.sql<{ hex: string; expires_at: Date }[]>`
        SELECT encode(token_hash, 'hex') AS hex, expires_at FROM telegram_link_tokens`;
      assert.equal(rows.length, 2);
      assert.ok(rows.every((r) => r.hex.length === 64));
      assert.ok(
        rows.every((r) =>
          r.expires_at.getTime() ===
            t.clock.now().add({ hours: 1 }).epochMilliseconds
        ),
      );
      assert.equal(
        (await api(t, "POST", "/api/telegram/link")).status,
        401,
      );
    }),
);

dbTest(
  "linking by webhook: /start binds the chat, answers in it, and the token works once",
  () =>
    withBot(
      "webhook",
      async ({ t, client, trainer, post, chatOf, replies }) => {
        const link = await api(t, "POST", "/api/telegram/link", {
          token: client.token,
        });
        const res = await post(textUpdate(CHAT, `/start ${link.body.token}`));
        assert.equal(res.status, 200);
        assert.equal(await chatOf(client.id), CHAT);
        assert.deepEqual(replies(CHAT), [
          "Connected, Cleo Client. Your Spotter reminders and session notices will arrive in this chat. Send /help to see what you can do here, /stop to disconnect.",
        ]);

        // The same token from another chat links nothing.
        const other = CHAT + 1;
        await post(textUpdate(other, `/start ${link.body.token}`));
        assert.match(replies(other)[0], /expired or was already used/);
        assert.equal(await chatOf(client.id), CHAT);
        assert.equal(await chatOf(trainer.id), null);

        const me = await api(t, "GET", "/api/notifications", {
          token: client.token,
        });
        assert.equal(me.status, 200);
      },
    ),
);

dbTest(
  "the webhook refuses a wrong secret with 401 and junk with 400, never 500",
  () =>
    withBot("webhook", async ({ post, fake }) => {
      assert.equal(
        (await post(textUpdate(CHAT, "/start x"), "wrong")).status,
        401,
      );
      assert.equal(
        (await post(textUpdate(CHAT, "/start x"), null)).status,
        401,
      );
      assert.equal((await post("{not json")).status, 400);
      assert.equal((await post({ hello: 1 })).status, 400);
      assert.equal((await post([])).status, 400);
      assert.equal(
        fake.calls.filter((c) => c.method === "sendMessage").length,
        0,
      );
      // Anything else said to the bot gets the help text.
      const res = await post(textUpdate(CHAT, "hello?"));
      assert.equal(res.status, 200);
      assert.match(fake.delivered[0].text, /Connect Telegram/);
    }),
);

dbTest(
  "a chat belongs to one account: linking it to another takes it from the first",
  () =>
    withBot(
      "webhook",
      async ({ t, client, trainer, post, chatOf, replies }) => {
        for (const who of [client, trainer]) {
          const link = await api(t, "POST", "/api/telegram/link", {
            token: who.token,
          });
          await post(textUpdate(CHAT, `/start ${link.body.token}`));
        }
        assert.equal(await chatOf(trainer.id), CHAT);
        assert.equal(await chatOf(client.id), null);
        assert.match(replies(CHAT).at(-1)!, /^Connected, Tess Trainer\./);
      },
    ),
);

dbTest(
  "a link token expires after an hour",
  () =>
    withBot("webhook", async ({ t, client, post, chatOf, replies }) => {
      const link = await api(t, "POST", "/api/telegram/link", {
        token: client.token,
      });
      t.clock.advance({ minutes: 61 });
      await post(textUpdate(CHAT, `/start ${link.body.token}`));
      assert.equal(await chatOf(client.id), null);
      assert.match(replies(CHAT)[0], /expired/);
    }),
);

dbTest(
  "/stop in the chat and DELETE /api/telegram/link both unlink",
  () =>
    withBot(
      "webhook",
      async ({ t, client, trainer, post, chatOf, replies }) => {
        const link = async (who: { token: string }, chat: number) => {
          const res = await api(t, "POST", "/api/telegram/link", {
            token: who.token,
          });
          await post(textUpdate(chat, `/start ${res.body.token}`));
        };
        await link(client, CHAT);
        await link(trainer, CHAT + 5);
        await post(textUpdate(CHAT, "/stop"));
        assert.equal(await chatOf(client.id), null);
        assert.match(replies(CHAT).at(-1)!, /^Disconnected/);
        await post(textUpdate(CHAT, "/stop"));
        assert.match(replies(CHAT).at(-1)!, /not connected/);

        const res = await api(t, "DELETE", "/api/telegram/link", {
          token: trainer.token,
        });
        assert.equal(res.status, 204);
        assert.equal(await chatOf(trainer.id), null);
        assert.equal(
          (await api(t, "DELETE", "/api/telegram/link")).status,
          401,
        );
      },
    ),
);

dbTest(
  "linking by long polling, with one poller per database",
  () =>
    withBot(
      "polling",
      async ({ t, url, service, client, fake, chatOf, replies }) => {
        assert.equal(service.webhook, undefined);
        assert.ok(service.polling);
        // A second process: its own pool on the same database, its own bot.
        const sql = connect(url);
        const twin = await createNotifications({
          sql,
          config: t.deps.config,
          now: t.clock.now,
        });
        try {
          assert.equal(await service.polling.tryStart(), true);
          assert.equal(await twin.polling!.tryStart(), false, "one poller");

          const link = await api(t, "POST", "/api/telegram/link", {
            token: client.token,
          });
          fake.pushUpdate(textUpdate(CHAT, `/start ${link.body.token}`));
          await fake.until(() => replies(CHAT).length === 1);
          assert.equal(await chatOf(client.id), CHAT);
          assert.match(replies(CHAT)[0], /^Connected, Cleo Client\./);

          // When the poller stops (or dies), another process takes over.
          await service.polling.stop();
          assert.equal(await twin.polling!.tryStart(), true);
          fake.pushUpdate(textUpdate(CHAT, "/stop"));
          await fake.until(() => replies(CHAT).length === 2);
          assert.equal(await chatOf(client.id), null);
          assert.equal(
            fake.calls.filter((c) => c.method === "deleteWebhook").length,
            2,
          );
        } finally {
          await twin.stop();
          await sql.end();
        }
      },
    ),
);

dbTest(
  "with the bot off, linking answers 409 and the webhook 404; pages say so",
  async () => {
    const t = await testApp();
    try {
      const trainer = await signUpTrainer(t);
      const res = await api(t, "POST", "/api/telegram/link", {
        token: trainer.token,
      });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, "telegram_disabled");
      const hook = await t.app.request("/telegram/webhook", {
        method: "POST",
        body: "{}",
      });
      assert.equal(hook.status, 404);
      const b = new Browser(t);
      await b.post("/signin", { email: trainer.email, password: "password-1" });
      const profile = await b.get("/profile");
      assert.match(profile.text, /Telegram is not set up on this server/);
      assert.doesNotMatch(profile.text, /Connect Telegram<\/button>/);
    } finally {
      await t.sql.end();
    }
  },
);

dbTest(
  "profile pages of trainers and clients connect and disconnect Telegram",
  () =>
    withBot("webhook", async ({ t, trainer, client, post, chatOf }) => {
      for (const who of [trainer, client]) {
        const b = new Browser(t);
        await b.post("/signin", { email: who.email, password: "password-1" });
        const profile = await b.get("/profile");
        assert.match(profile.text, /Connect Telegram<\/button>/);
        const connect = await b.post("/profile/telegram");
        assert.equal(connect.status, 200);
        const url = /href="(https:\/\/t\.me\/spotter_test_bot\?start=([\w-]+))"/
          .exec(connect.text);
        assert.ok(url, "the page shows the deep link");
        await post(textUpdate(CHAT, `/start ${url[2]}`));
        assert.equal(await chatOf(who.id), CHAT);
        assert.match((await b.get("/profile")).text, /Disconnect Telegram/);
        const off = await b.post("/profile/telegram/unlink");
        assert.equal(off.status, 303);
        assert.equal(await chatOf(who.id), null);
      }
    }),
);
