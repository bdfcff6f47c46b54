/**
 * Reminder storm: 10,000 Telegram reminders (and some e-mailed ones) all due in the same
 * minute, delivered by two real app processes sharing one database, through a fake Bot
 * API on loopback that enforces Telegram's published flood limits (30 messages in any
 * second per bot, one a second per chat, 429 with `retry_after` beyond them) and a fake
 * SMTP server.
 *
 *   deno task storm              (STORM_REMINDERS=2000 for a shorter run)
 *
 * Prints how long the last reminder took against the time the 30/s limit allows
 * (target ≤ 1.15 ×), the share of calls answered 429 (target ≤ 1 %), the busiest
 * second, the closest two messages to one chat, and the e-mails' pace against
 * SMTP_RATE. Exits 1 when a notice is lost or sent twice; nothing asserts on time.
 */
import { connect } from "../db/client.ts";
import { freshDatabaseUrl } from "../tests/helpers/db.ts";
import { FakeSmtp } from "../tests/helpers/fake_smtp.ts";
import { FakeTelegram } from "../tests/helpers/fake_telegram.ts";
import { AppProcess } from "../tests/helpers/process.ts";
import { seedStorm } from "../tests/helpers/storm.ts";

const REMINDERS = Number(Deno.env.get("STORM_REMINDERS") ?? 10_000);
/** Telegram's published limits. */
const BOT_LIMIT = 30;
const CHAT_INTERVAL_MS = 1000;
const SMTP_RATE = 10;
const EMAIL_PAIRS = 100;
/** Extra booking notices to one trainer's chat, on top of its own reminder. */
const ONE_CHAT_NOTICES = 4;
const TARGET_RATIO = 1.15;
const TARGET_429_SHARE = 0.01;

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The most of `times` (ms) within any `windowMs`-long window. */
function busiest(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

const fake = await FakeTelegram.start();
fake.limits = { perSecond: BOT_LIMIT, chatIntervalMs: CHAT_INTERVAL_MS };
const smtp = await FakeSmtp.start();
const url = await freshDatabaseUrl();
const sql = connect(url, { max: 2 });
const pairs = Math.floor((REMINDERS - ONE_CHAT_NOTICES) / 2);
const storm = await seedStorm(sql, {
  telegramPairs: pairs,
  oneChatNotices: REMINDERS - 2 * pairs,
  emailPairs: EMAIL_PAIRS,
  dueAt: Temporal.Now.instant().subtract({ seconds: 30 }),
});
console.log(
  `${storm.telegram} Telegram and ${storm.email} e-mailed notices due at once; ` +
    `fake Bot API: ${BOT_LIMIT}/s per bot, 1 per ${CHAT_INTERVAL_MS} ms per chat; ` +
    `app: TELEGRAM_RATE default, SMTP_RATE=${SMTP_RATE}; two app processes`,
);

const env = {
  DATABASE_URL: url,
  TELEGRAM_BOT_TOKEN: fake.token,
  TELEGRAM_API_ROOT: fake.url,
  TELEGRAM_WEBHOOK_SECRET: "storm-s3cret",
  SMTP_URL: smtp.url,
  SMTP_RATE: String(SMTP_RATE),
  APP_URL: "http://spotter.test",
};
const servers = [new AppProcess(env), new AppProcess(env)];
let exitCode = 0;
try {
  const started = Date.now();
  await Promise.all(servers.map((p) => p.ready()));
  const accepted = () => fake.sends.filter((x) => x.status === 200).length;
  let shown = 0;
  const allowMs = (storm.telegram / BOT_LIMIT) * 1000;
  const deadline = started + allowMs * 2 + 120_000;
  while (
    (accepted() < storm.telegram || smtp.received.length < storm.email) &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 250));
    const n = accepted();
    if (n - shown >= 1000) {
      shown = n - (n % 1000);
      console.log(`  ${n} delivered after ${s(Date.now() - started)}`);
    }
  }
  // A little longer: a duplicate would show up now.
  await new Promise((r) => setTimeout(r, 3_000));

  const ok = fake.sends.filter((x) => x.status === 200);
  const refused = fake.sends.filter((x) => x.status === 429);
  const first = fake.sends[0]?.at ?? started;
  const last = ok.at(-1)?.at ?? Date.now();
  const texts = fake.delivered.map((m) => `${m.chat_id}\n${m.text}`);
  const unique = new Set(texts).size;
  const byChat = new Map<number, number[]>();
  for (const x of ok) {
    byChat.set(x.chatId, [...byChat.get(x.chatId) ?? [], x.at]);
  }
  let closest = Infinity;
  for (const times of byChat.values()) {
    for (let i = 1; i < times.length; i++) {
      closest = Math.min(closest, times[i] - times[i - 1]);
    }
  }
  const rows = await sql<
    { status: string; channel: string | null; n: number }[]
  >`
    SELECT status, channel, count(*)::int AS n FROM notifications
    GROUP BY 1, 2 ORDER BY 1, 2`;
  const ratio = (last - started) / allowMs;
  const share = refused.length / Math.max(1, fake.sends.length);
  console.log(
    `Telegram: ${ok.length} delivered (${unique} distinct), ${refused.length} calls answered 429 ` +
      `(${(share * 100).toFixed(2)} % of ${fake.sends.length}; target ≤ ${
        TARGET_429_SHARE * 100
      } %)`,
  );
  console.log(
    `  last delivered ${s(last - started)} after the processes started ` +
      `(${
        s(last - first)
      } after the first call); the ${BOT_LIMIT}/s limit allows ` +
      `${s(allowMs)}: ${ratio.toFixed(3)} × (target ≤ ${TARGET_RATIO} ×)`,
  );
  console.log(
    `  busiest second ${
      busiest(ok.map((x) => x.at))
    } messages (limit ${BOT_LIMIT}); ` +
      `closest two to one chat ${closest} ms apart (limit ${CHAT_INTERVAL_MS} ms); ` +
      `the busiest chat got ${
        Math.max(...[...byChat.values()].map((t) => t.length))
      }`,
  );
  const mails = smtp.received.map((m) => m.at);
  const ids = new Set(smtp.received.map((m) => m.messageId)).size;
  console.log(
    `E-mail: ${mails.length} delivered (${ids} distinct) over ${
      s(Math.max(...mails) - Math.min(...mails))
    }, busiest second ${busiest(mails)} (SMTP_RATE ${SMTP_RATE})`,
  );
  console.log(
    `outbox: ${rows.map((r) => `${r.n} ${r.status}/${r.channel}`).join(", ")}`,
  );
  if (
    ok.length !== storm.telegram || unique !== ok.length ||
    mails.length !== storm.email || ids !== mails.length
  ) {
    console.error("FAIL: a notice was lost or sent twice");
    exitCode = 1;
  }
} finally {
  await Promise.all(servers.map((p) => p.kill()));
  await Promise.all([sql.end(), fake.close(), smtp.close()]);
}
Deno.exit(exitCode);
