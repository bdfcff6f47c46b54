import assert from "node:assert/strict";
import { connect, type Sql } from "../db/client.ts";
import { loadConfig } from "../config.ts";
import { claimDueNotification, finishNotification } from "../db/delivery.ts";
import {
  deliverDue,
  type DeliveryDeps,
  LEASE_SECONDS,
} from "../jobs/deliver.ts";
import { createMailer } from "../jobs/mailer.ts";
import { createTelegramApi } from "../jobs/telegram.ts";
import { createNotifications } from "../jobs/start.ts";
import { dbTest, testApp, type TestContext } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { FakeTelegram } from "./helpers/fake_telegram.ts";
import { FakeSmtp } from "./helpers/fake_smtp.ts";
import {
  cancelSession,
  insertSession,
  linkChat,
  moveSession,
  notificationRows,
} from "./helpers/notify.ts";

const NOW = "2026-12-01T08:00:00Z";
/** Wed 2 Dec 2026, 10:00 in Berlin; its reminder is due at 07:00Z. */
const START = "2026-12-02T09:00:00Z";
const REMINDER_DUE = "2026-12-02T07:00:00Z";
const CLIENT_CHAT = 5551001;
const TRAINER_CHAT = 5551002;

type Setup = Awaited<ReturnType<typeof setup>>;

async function setup(
  options: { smtp?: boolean; telegram?: boolean; sql?: Sql } = {},
) {
  const t: TestContext = await testApp({
    now: NOW,
    deps: options.sql ? { sql: options.sql } : {},
  });
  const sql = t.deps.sql;
  const fake = await FakeTelegram.start();
  const smtp = options.smtp === false ? undefined : await FakeSmtp.start();
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode);
  const telegram = options.telegram === false ? undefined : createTelegramApi({
    token: fake.token,
    apiRoot: fake.url,
    timeoutSeconds: 1,
  });
  const mailer = smtp &&
    createMailer({
      smtpUrl: smtp.url,
      from: "Spotter <no-reply@spotter.test>",
    });
  // These tests are about delivery to confirmed addresses (unconfirmed ones get no
  // e-mail: tests/email_verification_test.ts).
  const deliver = async (extra: Partial<DeliveryDeps> = {}) => {
    await sql`UPDATE users SET email_verified_at = created_at
      WHERE email_verified_at IS NULL`;
    return await deliverDue({
      sql,
      now: t.clock.now(),
      appUrl: t.deps.config.appUrl,
      telegram,
      mailer,
      ...extra,
    });
  };
  const book = (extra: Partial<Parameters<typeof insertSession>[1]> = {}) =>
    insertSession(sql, {
      trainerId: trainer.id,
      clientId: client.id,
      start: START,
      now: t.clock.now(),
      ...extra,
    });
  const close = async () => {
    mailer?.close();
    await fake.close();
    await smtp?.close();
    await t.sql.end();
    if (sql !== t.sql) await sql.end();
  };
  return {
    t,
    sql,
    fake,
    smtp,
    trainer,
    client,
    telegram,
    mailer,
    deliver,
    book,
    close,
  };
}

const notifyTest = (
  name: string,
  fn: (s: Setup) => Promise<void>,
  options?: Parameters<typeof setup>[0],
) =>
  dbTest(name, async () => {
    const s = await setup(options);
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  });

const iso = (d: Date | null) => d?.toISOString();

notifyTest(
  "a booking writes a notice to the other side and a reminder per person 120 minutes ahead",
  async ({ sql, book, client }) => {
    const id = await book();
    const rows = await notificationRows(sql, id);
    assert.deepEqual(
      rows.map((r) => [r.kind, r.recipient, r.status, iso(r.due_at)]),
      [
        ["booked", "trainer", "pending", new Date(NOW).toISOString()],
        ["reminder", "client", "pending", new Date(REMINDER_DUE).toISOString()],
        [
          "reminder",
          "trainer",
          "pending",
          new Date(REMINDER_DUE).toISOString(),
        ],
      ],
    );

    await sql`UPDATE trainers SET reminders_enabled = false, reminder_minutes = 30
              WHERE user_id = ${client.trainerId}`;
    const quiet = await book({ start: "2026-12-03T09:00:00Z" });
    assert.deepEqual(
      (await notificationRows(sql, quiet)).map((
        r,
      ) => [r.kind, r.recipient, iso(r.due_at)]),
      [
        ["booked", "trainer", new Date(NOW).toISOString()],
        ["reminder", "client", "2026-12-03T08:30:00.000Z"],
      ],
    );

    // Too close to plan a reminder: only the notice.
    const soon = await book({
      start: "2026-12-01T08:20:00Z",
      actor: "trainer",
    });
    assert.deepEqual(
      (await notificationRows(sql, soon)).map((r) => [r.kind, r.recipient]),
      [["booked", "client"]],
    );
  },
);

notifyTest(
  "a due reminder is sent exactly once, in the trainer's zone, with where to manage it",
  async ({ sql, book, t, fake, smtp, client, trainer, deliver }) => {
    await linkChat(sql, client.id, CLIENT_CHAT);
    const id = await book();
    await deliver(); // the booking notice to the trainer, by e-mail
    assert.equal(fake.delivered.length, 0);
    assert.equal(smtp!.received.length, 1);

    t.clock.set("2026-12-02T06:59:00Z");
    await deliver();
    assert.equal(fake.delivered.length, 0, "not before it is due");

    t.clock.set(REMINDER_DUE);
    const report = await deliver();
    assert.equal(report.sent, 2);
    assert.deepEqual(fake.delivered, [{
      chat_id: CLIENT_CHAT,
      text:
        "Reminder: your session with Tess Trainer is on Wed 2 Dec 2026, 10:00–11:00 (Europe/Berlin).\n" +
        "Manage your sessions: http://spotter.test/appointments",
    }]);
    const toTrainer = smtp!.received[1];
    assert.deepEqual(toTrainer.to, [trainer.email]);
    assert.equal(toTrainer.subject, "Reminder: session on Wed 2 Dec, 10:00");
    assert.equal(
      toTrainer.text,
      "Reminder: session with Cleo Client on Wed 2 Dec 2026, 10:00–11:00 (Europe/Berlin).\n" +
        "Your schedule: http://spotter.test/schedule",
    );

    t.clock.advance({ hours: 1 });
    await deliver();
    await deliver();
    assert.equal(fake.delivered.length, 1);
    assert.equal(smtp!.received.length, 2);
    const rows = await notificationRows(sql, id);
    assert.ok(rows.every((r) => r.status === "sent" && r.attempts === 1));
    assert.deepEqual(
      rows.map((r) => [r.kind, r.recipient, r.channel]),
      [["booked", "trainer", "email"], ["reminder", "client", "telegram"], [
        "reminder",
        "trainer",
        "email",
      ]],
    );
  },
);

dbTest(
  "two processes delivering at the same moment send every message once",
  async () => {
    const url = await freshDatabaseUrl();
    const a = connect(url);
    const b = connect(url);
    const s = await setup({ sql: a });
    try {
      await linkChat(a, s.client.id, CLIENT_CHAT);
      await linkChat(a, s.trainer.id, TRAINER_CHAT);
      await a`UPDATE trainers SET reminder_minutes = 1440 WHERE user_id = ${s.trainer.id}`;
      for (let i = 0; i < 12; i++) {
        await s.book({
          start: Temporal.Instant.from(START).add({ hours: i }).toString(),
        });
      }
      s.t.clock.set("2026-12-01T21:00:00Z"); // every notice and reminder is due
      const [{ count }] = await a<{ count: number }[]>`
        SELECT count(*)::int AS count FROM notifications`;
      assert.equal(count, 36);
      await Promise.all([a`SELECT 1`, b`SELECT 1`]);
      s.fake.sendDelayMs = 15;
      const [ra, rb] = await Promise.all([
        s.deliver({ sql: a, concurrency: 3 }),
        s.deliver({ sql: b, concurrency: 3 }),
      ]);
      assert.equal(ra.sent + rb.sent, 36);
      assert.ok(ra.sent > 0 && rb.sent > 0, "both processes took a share");
      assert.equal(s.fake.delivered.length, 36);
      const [{ sent, once }] = await a<{ sent: number; once: boolean }[]>`
        SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent,
               bool_and(attempts = 1) AS once
        FROM notifications`;
      assert.equal(sent, 36);
      assert.equal(once, true);
    } finally {
      await s.close();
      await b.end();
    }
  },
);

notifyTest(
  "a session cancelled before its reminder gets none, and the trainer hears why",
  async ({ sql, book, t, fake, smtp, client, trainer, deliver }) => {
    await linkChat(sql, client.id, CLIENT_CHAT);
    await linkChat(sql, trainer.id, TRAINER_CHAT);
    const id = await book({ actor: "trainer" });
    await deliver();
    t.clock.advance({ hours: 3 });
    await cancelSession(sql, {
      id,
      by: "client",
      reason: "Flu, sorry",
      now: t.clock.now(),
    });
    await deliver();
    t.clock.set(REMINDER_DUE);
    await deliver();
    t.clock.set("2026-12-02T08:30:00Z");
    await deliver();

    assert.deepEqual(fake.delivered.map((m) => [m.chat_id, m.text]), [
      [
        CLIENT_CHAT,
        "Tess Trainer booked a session for you on Wed 2 Dec 2026, 10:00–11:00 (Europe/Berlin).\n" +
        "Manage your sessions: http://spotter.test/appointments",
      ],
      [
        TRAINER_CHAT,
        "Cleo Client cancelled the session on Wed 2 Dec 2026, 10:00–11:00 (Europe/Berlin).\n" +
        "Reason: Flu, sorry\n" +
        "Your schedule: http://spotter.test/schedule",
      ],
    ]);
    assert.equal(smtp!.received.length, 0);
    const rows = await notificationRows(sql, id);
    assert.deepEqual(rows.map((r) => [r.kind, r.recipient, r.status]), [
      ["booked", "client", "sent"],
      ["cancelled", "trainer", "sent"],
    ]);
  },
);

notifyTest(
  "a cancellation by the trainer reaches the client by e-mail with the reason",
  async ({ sql, book, t, smtp, client, deliver }) => {
    const id = await book();
    await cancelSession(sql, {
      id,
      by: "trainer",
      reason: "Gym closed for repairs",
      now: t.clock.now(),
    });
    await deliver();
    const mail = smtp!.received.find((m) => m.to[0] === client.email)!;
    assert.equal(mail.subject, "Cancelled: session on Wed 2 Dec, 10:00");
    assert.equal(
      mail.text,
      "Tess Trainer cancelled your session on Wed 2 Dec 2026, 10:00–11:00 (Europe/Berlin).\n" +
        "Reason: Gym closed for repairs\n" +
        "Manage your sessions: http://spotter.test/appointments",
    );
  },
);

notifyTest(
  "a moved session's reminder follows it",
  async ({ sql, book, t, fake, client, deliver }) => {
    await linkChat(sql, client.id, CLIENT_CHAT);
    const id = await book({ actor: "client" });
    await moveSession(sql, {
      id,
      start: "2026-12-03T13:30:00Z",
      now: t.clock.now(),
    });
    await deliver();
    assert.deepEqual(fake.delivered.map((m) => m.text), [
      "Tess Trainer moved your session from Wed 2 Dec 2026, 10:00 to Thu 3 Dec 2026, 14:30–15:30 (Europe/Berlin).\n" +
      "Manage your sessions: http://spotter.test/appointments",
    ]);

    t.clock.set(REMINDER_DUE);
    await deliver();
    assert.equal(fake.delivered.length, 1, "nothing at the old time");

    t.clock.set("2026-12-03T11:30:00Z");
    await deliver();
    assert.equal(fake.delivered.length, 2);
    assert.match(
      fake.delivered[1].text,
      /^Reminder: your session with Tess Trainer is on Thu 3 Dec 2026, 14:30–15:30 \(Europe\/Berlin\)\./,
    );
    const reminders = (await notificationRows(sql, id)).filter((r) =>
      r.kind === "reminder"
    );
    assert.deepEqual(
      reminders.map((r) => [r.recipient, r.status, iso(r.due_at)]),
      [
        ["client", "sent", "2026-12-03T11:30:00.000Z"],
        ["trainer", "sent", "2026-12-03T11:30:00.000Z"],
      ],
    );
  },
);

notifyTest(
  "a failing Bot API is retried with growing back-off until it succeeds, once",
  async ({ sql, book, t, fake, client, deliver }) => {
    await linkChat(sql, client.id, CLIENT_CHAT);
    const id = await book({ actor: "trainer" });
    fake.script("sendMessage", { status: 500 }, { status: 502 });
    const first = await deliver();
    assert.equal(first.retried, 1);
    let [row] = await notificationRows(sql, id);
    assert.equal(row.status, "pending");
    assert.equal(row.attempts, 1);
    assert.match(row.error!, /^Telegram 500/);
    assert.equal(iso(row.next_attempt_at), "2026-12-01T08:01:00.000Z");

    t.clock.advance({ seconds: 30 });
    await deliver();
    assert.equal(
      fake.calls.filter((c) => c.method === "sendMessage").length,
      1,
    );

    t.clock.set("2026-12-01T08:01:00Z");
    await deliver();
    [row] = await notificationRows(sql, id);
    assert.equal(row.attempts, 2);
    assert.equal(iso(row.next_attempt_at), "2026-12-01T08:03:00.000Z");

    t.clock.set("2026-12-01T08:03:00Z");
    await deliver();
    t.clock.advance({ hours: 1 });
    await deliver();
    [row] = await notificationRows(sql, id);
    assert.equal(row.status, "sent");
    assert.equal(row.attempts, 3);
    assert.equal(row.error, null);
    assert.equal(
      fake.calls.filter((c) => c.method === "sendMessage").length,
      3,
    );
    assert.equal(fake.delivered.length, 1);
  },
);

notifyTest(
  "Telegram's 429 retry_after is honoured and pauses the other Telegram sends of the pass",
  async ({ sql, book, t, fake, client, trainer, deliver }) => {
    await linkChat(sql, client.id, CLIENT_CHAT);
    await linkChat(sql, trainer.id, TRAINER_CHAT);
    const first = await book({ actor: "trainer" });
    const second = await book({
      actor: "client",
      start: "2026-12-05T09:00:00Z",
    });
    fake.script("sendMessage", { status: 429, retryAfter: 300 });
    const report = await deliver({ concurrency: 1 });
    assert.deepEqual([report.retried, report.released, report.sent], [1, 1, 0]);
    const [x] = await notificationRows(sql, first);
    const [y] = await notificationRows(sql, second);
    const [a, b] = x.attempts === 1 ? [x, y] : [y, x];
    assert.equal(iso(a.next_attempt_at), "2026-12-01T08:05:00.000Z");
    assert.equal(a.attempts, 1);
    assert.match(a.error!, /^Telegram 429/);
    assert.equal(iso(b.next_attempt_at), "2026-12-01T08:05:00.000Z");
    assert.equal(b.attempts, 0, "released untried");

    t.clock.advance({ minutes: 2 });
    await deliver();
    assert.equal(
      fake.calls.filter((c) => c.method === "sendMessage").length,
      1,
    );
    t.clock.advance({ minutes: 3 });
    await deliver();
    assert.equal(fake.delivered.length, 2);
  },
);

notifyTest(
  "a Bot API that hangs times out and the message goes out on the next attempt",
  async ({ sql, book, t, fake, client, deliver }) => {
    await linkChat(sql, client.id, CLIENT_CHAT);
    const id = await book({ actor: "trainer" });
    fake.script("sendMessage", "hang");
    await deliver();
    let [row] = await notificationRows(sql, id);
    assert.equal(row.status, "pending");
    assert.match(row.error!, /timed out/);
    t.clock.advance({ minutes: 1 });
    await deliver();
    [row] = await notificationRows(sql, id);
    assert.equal(row.status, "sent");
    assert.equal(fake.delivered.length, 1);
  },
);

notifyTest(
  "e-mail is used when no chat is linked, with a Message-ID stable per notification",
  async ({ sql, book, smtp, fake, trainer, deliver }) => {
    const id = await book();
    await deliver();
    assert.equal(
      fake.calls.filter((c) => c.method === "sendMessage").length,
      0,
    );
    assert.equal(smtp!.received.length, 1);
    const [mail] = smtp!.received;
    const [row] = await notificationRows(sql, id);
    assert.deepEqual(mail.to, [trainer.email]);
    assert.equal(mail.from, "no-reply@spotter.test");
    assert.equal(mail.messageId, `<${row.id}@spotter.test>`);
    assert.equal(mail.subject, "New session on Wed 2 Dec, 10:00");
    assert.equal(
      mail.text,
      "Cleo Client booked a session on Wed 2 Dec 2026, 10:00–11:00 (Europe/Berlin).\n" +
        "Your schedule: http://spotter.test/schedule",
    );
    assert.equal(row.channel, "email");
  },
);

notifyTest(
  "with Telegram off and no SMTP a notification is skipped with the reason",
  async ({ sql, book, client, deliver }) => {
    await linkChat(sql, client.id, CLIENT_CHAT);
    const id = await book({ actor: "trainer" });
    const report = await deliver();
    assert.equal(report.skipped, 1);
    const [row] = await notificationRows(sql, id);
    assert.equal(row.status, "skipped");
    assert.equal(row.attempts, 0);
    assert.equal(
      row.error,
      "Not sent: Telegram is off on this server and e-mail is not configured.",
    );
  },
  { smtp: false, telegram: false },
);

notifyTest(
  "the trainer's reminders off change nobody's channel: a linked chat still gets its notices and the client's reminder",
  async ({ sql, book, smtp, fake, t, client, trainer, deliver }) => {
    await linkChat(sql, client.id, CLIENT_CHAT);
    await linkChat(sql, trainer.id, TRAINER_CHAT);
    await sql`UPDATE trainers SET reminders_enabled = false WHERE user_id = ${trainer.id}`;
    const id = await book({ actor: "trainer" });
    const other = await book({ start: "2026-12-03T09:00:00Z" });
    await deliver();
    assert.deepEqual(fake.delivered.map((m) => m.chat_id).sort(), [
      CLIENT_CHAT,
      TRAINER_CHAT,
    ]);
    t.clock.set(REMINDER_DUE);
    await deliver();
    assert.equal(fake.delivered.length, 3);
    assert.match(fake.delivered[2].text, /^Reminder: your session/);
    assert.equal(fake.delivered[2].chat_id, CLIENT_CHAT);
    assert.equal(smtp!.received.length, 0);
    const rows = [
      ...await notificationRows(sql, id),
      ...await notificationRows(sql, other),
    ];
    assert.ok(
      rows.every((r) => r.recipient === "client" || r.kind !== "reminder"),
      "no reminder was planned for the trainer",
    );
  },
);

notifyTest(
  "after the last attempt the row is failed with the error; a permanent SMTP refusal fails at once",
  async ({ sql, book, t, fake, client, smtp, deliver }) => {
    await linkChat(sql, client.id, CLIENT_CHAT);
    const id = await book({ actor: "trainer" });
    fake.script(
      "sendMessage",
      { status: 500 },
      { status: 500 },
      { status: 500, description: "Internal Server Error: still down" },
    );
    for (let i = 0; i < 3; i++) {
      await deliver({ maxAttempts: 3 });
      t.clock.advance({ minutes: 10 });
    }
    let [row] = await notificationRows(sql, id);
    assert.equal(row.status, "failed");
    assert.equal(row.attempts, 3);
    assert.equal(row.error, "Telegram 500: Internal Server Error: still down");
    await deliver({ maxAttempts: 3 });
    assert.equal(
      fake.calls.filter((c) => c.method === "sendMessage").length,
      3,
    );

    const mailed = await book({
      actor: "client",
      start: "2026-12-06T09:00:00Z",
    });
    smtp!.rejectNext(550, "No such user here");
    await deliver();
    [row] = await notificationRows(sql, mailed);
    assert.equal(row.status, "failed");
    assert.equal(row.attempts, 1);
    assert.match(row.error!, /^SMTP 550: .*No such user here/);
  },
);

notifyTest(
  "a chat that blocked the bot is unlinked and the notice falls back to e-mail",
  async ({ sql, book, fake, smtp, client, deliver }) => {
    await linkChat(sql, client.id, CLIENT_CHAT);
    const id = await book({ actor: "trainer" });
    fake.script("sendMessage", {
      status: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    await deliver();
    const [row] = await notificationRows(sql, id);
    assert.equal(row.status, "sent");
    assert.equal(row.channel, "email");
    assert.equal(row.attempts, 2);
    assert.deepEqual(smtp!.received.map((m) => m.to), [[client.email]]);
    const [user] =
      await sql`SELECT telegram_chat_id FROM users WHERE id = ${client.id}`;
    assert.equal(user.telegram_chat_id, null);
    assert.equal(fake.delivered.length, 0);
  },
);

notifyTest(
  "a process that dies mid-send loses nothing: its claim lapses and the row is sent once more",
  async ({ sql, book, t, fake, client, deliver }) => {
    await linkChat(sql, client.id, CLIENT_CHAT);
    const id = await book({ actor: "trainer" });
    // Process A claims the row and dies before recording the outcome.
    const stale = await claimDueNotification(sql, t.clock.now(), LEASE_SECONDS);
    assert.ok(stale);
    await deliver();
    assert.equal(fake.delivered.length, 0, "the live claim is respected");
    let [row] = await notificationRows(sql, id);
    assert.equal(row.status, "sending");

    t.clock.advance({ seconds: LEASE_SECONDS });
    await deliver();
    assert.equal(fake.delivered.length, 1);
    [row] = await notificationRows(sql, id);
    assert.equal(row.status, "sent");
    assert.equal(row.attempts, 2);

    // Were A only slow, its late write cannot undo the takeover.
    const wrote = await finishNotification(sql, stale, {
      status: "retry",
      channel: "telegram",
      error: "late",
      nextAttemptAt: t.clock.now(),
    });
    assert.equal(wrote, false);
    t.clock.advance({ hours: 1 });
    await deliver();
    assert.equal(fake.delivered.length, 1);
  },
);

notifyTest(
  "GET /api/notifications lists a trainer's all and a client's own, per appointment",
  async ({ sql, book, t, trainer, client, deliver }) => {
    const id = await book();
    const other = await signUpClient(t, trainer.referralCode, "Otto Other");
    await insertSession(sql, {
      trainerId: trainer.id,
      clientId: other.id,
      start: "2026-12-02T11:00:00Z",
      now: t.clock.now(),
    });
    await deliver();
    await claimDueNotification(sql, Temporal.Instant.from(REMINDER_DUE), 60);

    const mine = await api(t, "GET", `/api/notifications?appointmentId=${id}`, {
      token: trainer.token,
    });
    assert.equal(mine.status, 200);
    assert.deepEqual(
      mine.body.notifications.map((n: Record<string, unknown>) => [
        n.kind,
        n.status,
        n.channel,
      ]),
      [
        ["reminder", "pending", "email"],
        ["reminder", "pending", "email"],
        ["booked", "sent", "email"],
      ],
    );
    // One reminder is claimed (`sending` in the database) and still shows as pending.
    assert.deepEqual(
      mine.body.notifications.slice(0, 2).map((
        n: Record<string, unknown>,
      ) => n.attempts).sort(),
      [0, 1],
    );
    const booked = mine.body.notifications[2];
    assert.equal(booked.appointmentId, id);
    assert.equal(booked.dueAt, "2026-12-01T09:00:00+01:00");
    assert.equal(booked.sentAt, "2026-12-01T09:00:00+01:00");
    assert.equal(booked.error, null);
    assert.deepEqual(Object.keys(booked).sort(), [
      "appointmentId",
      "attempts",
      "channel",
      "classId",
      "dueAt",
      "error",
      "id",
      "kind",
      "recipient",
      "recipientId",
      "recipientName",
      "sentAt",
      "status",
    ]);

    const all = await api(t, "GET", "/api/notifications", {
      token: trainer.token,
    });
    assert.equal(all.body.notifications.length, 6);
    const own = await api(t, "GET", "/api/notifications", {
      token: client.token,
    });
    assert.deepEqual(
      own.body.notifications.map((n: Record<string, unknown>) => [
        n.kind,
        n.recipient,
        n.appointmentId,
      ]),
      [["reminder", "client", id]],
    );
    const stranger = await signUpTrainer(t);
    const none = await api(t, "GET", `/api/notifications?appointmentId=${id}`, {
      token: stranger.token,
    });
    assert.deepEqual(none.body, { notifications: [] });

    const bad = await api(t, "GET", "/api/notifications?appointmentId=nope", {
      token: trainer.token,
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, "validation_failed");
    assert.ok(bad.body.error.fields.appointmentId);
    assert.equal(
      (await api(t, "GET", "/api/notifications")).status,
      401,
    );
  },
);

notifyTest(
  "the notification log page shows a trainer what went to whom, filterable by client",
  async ({ sql, book, t, trainer, client, deliver, smtp }) => {
    const other = await signUpClient(t, trainer.referralCode, "Otto Other");
    await book({ actor: "trainer" });
    await insertSession(sql, {
      trainerId: trainer.id,
      clientId: other.id,
      start: "2026-12-02T11:00:00Z",
      actor: "trainer",
      now: t.clock.now(),
    });
    smtp!.rejectNext(550, "Mailbox unavailable");
    await deliver();

    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    const all = await b.get("/notifications");
    assert.equal(all.status, 200);
    assert.match(all.text, /Cleo Client/);
    assert.match(all.text, /Otto Other/);
    assert.match(all.text, /Failed/);
    assert.match(all.text, /SMTP 550/);
    assert.match(all.text, /Tess Trainer booked a session for you on/);
    // Pending reminders are listed once, the kind named once.
    assert.match(
      all.text,
      /<strong>Reminder<\/strong>: Your session with Tess Trainer is on/,
    );
    assert.doesNotMatch(all.text, /Reminder<\/strong>: Reminder/);

    const filtered = await b.get(`/notifications?client=${other.id}`);
    assert.doesNotMatch(filtered.text, /<td data-label="To">Cleo Client/);
    assert.match(filtered.text, /<td data-label="To">Otto Other/);
    assert.equal((await b.get("/notifications?client=junk")).status, 200);

    const c = new Browser(t);
    await c.post("/signin", { email: client.email, password: "password-1" });
    const own = await c.get("/notifications");
    assert.equal(own.status, 200);
    assert.match(own.text, /Tess Trainer booked a session for you/);
    assert.doesNotMatch(own.text, /Otto Other/);
  },
);

dbTest(
  "kick() delivers a fresh notice at once, without waiting for the cron",
  async () => {
    const fake = await FakeTelegram.start();
    const smtp = await FakeSmtp.start();
    const t = await testApp({ now: NOW });
    const service = await createNotifications({
      sql: t.sql,
      config: loadConfig({
        APP_URL: "http://spotter.test",
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.url,
        TELEGRAM_WEBHOOK_SECRET: "s3cret",
        SMTP_URL: smtp.url,
      }),
      now: t.clock.now,
      kickDelayMs: 10,
    });
    try {
      assert.equal(service.botUsername, "spotter_test_bot");
      const trainer = await signUpTrainer(t);
      const client = await signUpClient(t, trainer.referralCode);
      await linkChat(t.sql, trainer.id, TRAINER_CHAT);
      await insertSession(t.sql, {
        trainerId: trainer.id,
        clientId: client.id,
        start: START,
        now: t.clock.now(),
      });
      service.kick();
      service.kick();
      await fake.until(() => fake.delivered.length === 1);
      assert.match(fake.delivered[0].text, /^Cleo Client booked a session on/);
      await service.stop();
    } finally {
      await fake.close();
      await smtp.close();
      await t.sql.end();
    }
  },
);

dbTest(
  "changing the reminder lead time or the toggle re-plans upcoming reminders",
  async () => {
    const t = await testApp({ now: NOW });
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: START },
    });
    assert.equal(booked.status, 201);
    const reminders = async () =>
      (await t.sql`
      SELECT recipient, due_at FROM notifications
      WHERE appointment_id = ${booked.body.id} AND kind = 'reminder' AND status = 'pending'
      ORDER BY recipient`).map((r) => [r.recipient, r.due_at.toISOString()]);
    assert.deepEqual(await reminders(), [
      ["client", "2026-12-02T07:00:00.000Z"],
      ["trainer", "2026-12-02T07:00:00.000Z"],
    ]);
    const settings =
      (await api(t, "GET", "/api/settings", { token: trainer.token })).body;
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...settings, reminderMinutes: 30, remindersEnabled: false },
    });
    assert.deepEqual(await reminders(), [[
      "client",
      "2026-12-02T08:30:00.000Z",
    ]]);
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...settings, reminderMinutes: 60, remindersEnabled: true },
    });
    assert.deepEqual(await reminders(), [
      ["client", "2026-12-02T08:00:00.000Z"],
      ["trainer", "2026-12-02T08:00:00.000Z"],
    ]);
  },
);
