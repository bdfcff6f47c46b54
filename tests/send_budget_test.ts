/**
 * The send budget over two real app processes (`deno run main.ts`) on one database: a
 * storm of due notices through a fake Bot API that enforces Telegram's flood limits (a
 * small, fast bot limit here) and a fake SMTP server, on the real clock. Both processes
 * start with everything due; the run is shared by the tests below, each checking one
 * rule of it.
 */
import assert from "node:assert/strict";
import { connect } from "../db/client.ts";
import { dbTest } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { FakeSmtp } from "./helpers/fake_smtp.ts";
import { FakeTelegram } from "./helpers/fake_telegram.ts";
import { AppProcess } from "./helpers/process.ts";
import { seedStorm } from "./helpers/storm.ts";

/** What the fake Bot API allows the bot a second, and what the app is told to send. */
const BOT_LIMIT = 10;
const TELEGRAM_RATE = 6;
const SMTP_RATE = 4;
const RETRY_AFTER = 2;

const fake = await FakeTelegram.start();
fake.limits = { perSecond: BOT_LIMIT, chatIntervalMs: 1000 };
// The first message is answered 429: every process must then hold off RETRY_AFTER s.
fake.script("sendMessage", { status: 429, retryAfter: RETRY_AFTER });
const smtp = await FakeSmtp.start();
const url = await freshDatabaseUrl();
const sql = connect(url, { max: 2 });
const storm = await seedStorm(sql, {
  telegramPairs: 10,
  oneChatNotices: 3,
  emailPairs: 8,
  dueAt: Temporal.Now.instant().subtract({ minutes: 1 }),
});
const env = {
  DATABASE_URL: url,
  TELEGRAM_BOT_TOKEN: fake.token,
  TELEGRAM_API_ROOT: fake.url,
  TELEGRAM_WEBHOOK_SECRET: "budget-s3cret",
  SMTP_URL: smtp.url,
  TELEGRAM_RATE: String(TELEGRAM_RATE),
  SMTP_RATE: String(SMTP_RATE),
  APP_URL: "http://spotter.test",
};
const servers = [new AppProcess(env), new AppProcess(env)];
globalThis.addEventListener("unload", () => {
  for (const s of servers) s.kill();
});

const run = (async () => {
  await Promise.all(servers.map((s) => s.ready()));
  await fake.until(
    () =>
      fake.delivered.length >= storm.telegram &&
      smtp.received.length >= storm.email,
    60_000,
  );
  // A little longer: a duplicate would show up now.
  await new Promise((r) => setTimeout(r, 1_500));
})();
run.catch(() => {}); // reported by every test that awaits it

let pending = 0;
const stormTest = (name: string, fn: () => void | Promise<void>) => {
  pending++;
  dbTest(name, async () => {
    try {
      await run;
      await fn();
    } finally {
      if (--pending === 0) {
        await Promise.all(servers.map((s) => s.kill()));
        await Promise.all([sql.end(), fake.close(), smtp.close()]);
      }
    }
  });
};

/** The most of `times` (ms) that fall within any `windowMs`-long window. */
function busiest(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

stormTest(
  "two processes together keep to the bot's budget: no flood 429, never more than the limit in a second",
  () => {
    const flooded = fake.sends.filter((s) => s.status === 429).slice(1);
    assert.deepEqual(flooded, [], "only the scripted 429");
    assert.ok(
      busiest(fake.sends.map((s) => s.at)) <= BOT_LIMIT,
      `at most ${BOT_LIMIT} calls in any second`,
    );
    const spanMs = fake.sends.at(-1)!.at - fake.sends[0].at;
    assert.ok(
      spanMs >= ((storm.telegram - 1) / TELEGRAM_RATE) * 1000 * 0.8,
      `${storm.telegram} messages at ${TELEGRAM_RATE}/s took ${spanMs} ms`,
    );
  },
);

stormTest(
  "Telegram's 429 retry_after holds every process's sends, then the refused message goes out",
  () => {
    const [refused, ...rest] = fake.sends;
    assert.equal(refused.status, 429);
    const early = rest.filter((s) => s.at < refused.at + RETRY_AFTER * 1000);
    assert.deepEqual(
      early.map((s) => ({ ...s, at: s.at - refused.at })),
      [],
      "nothing sent within retry_after",
    );
    const again = rest.filter((s) => s.chatId === refused.chatId);
    assert.ok(again.length >= 1 && again.every((s) => s.status === 200));
  },
);

stormTest(
  "one chat gets at most one message a second, and all of them",
  () => {
    // (the first call, refused by the script, may have been one of them)
    const calls = fake.sends.filter((s) => s.chatId === storm.oneChat)
      .map((s) => s.at);
    assert.ok(calls.length >= 4, "its reminder and three booking notices");
    for (let i = 1; i < calls.length; i++) {
      assert.ok(
        calls[i] - calls[i - 1] >= 1000,
        `${calls[i] - calls[i - 1]} ms between two messages to one chat`,
      );
    }
    assert.equal(fake.chat(storm.oneChat).length, 4);
  },
);

stormTest(
  "every notice is delivered exactly once, by Telegram or e-mail",
  async () => {
    const sent = fake.delivered.map((m) => `${m.chat_id}\n${m.text}`);
    assert.equal(sent.length, storm.telegram);
    assert.equal(new Set(sent).size, sent.length, "no message twice");
    const ids = smtp.received.map((m) => m.messageId);
    assert.equal(ids.length, storm.email);
    assert.equal(new Set(ids).size, ids.length, "no e-mail twice");
    const rows = await sql<{ status: string; channel: string; n: number }[]>`
      SELECT status, channel, count(*)::int AS n FROM notifications
      GROUP BY 1, 2 ORDER BY 1, 2`;
    assert.deepEqual([...rows], [
      { status: "sent", channel: "email", n: storm.email },
      { status: "sent", channel: "telegram", n: storm.telegram },
    ]);
  },
);

stormTest(
  "e-mail keeps to SMTP_RATE across both processes",
  () => {
    const times = smtp.received.map((m) => m.at);
    assert.ok(
      busiest(times) <= SMTP_RATE + 1,
      `${busiest(times)} e-mails in one second at SMTP_RATE=${SMTP_RATE}: ${
        times.map((t) => t - Math.min(...times)).sort((a, b) => a - b)
      }`,
    );
    const spanMs = Math.max(...times) - Math.min(...times);
    assert.ok(
      spanMs >= ((storm.email - 1) / SMTP_RATE) * 1000 * 0.8,
      `${storm.email} e-mails took ${spanMs} ms`,
    );
  },
);
