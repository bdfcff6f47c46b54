/**
 * The chat as a second way in, against the fake Bot API that the real grammY client talks
 * to: each button and command, who may press, presses on sessions that changed since, the
 * late window, `/book` and its race, the reminder switches and class reminders. Updates go
 * to the webhook as Telegram posts them (long polling once, at the end). Two real app
 * processes: tests/telegram_processes_test.ts.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { createApp } from "../app.tsx";
import { connect } from "../db/client.ts";
import { createNotifications } from "../jobs/start.ts";
import { cancelAppointment, changeAppointment } from "../db/lifecycle.ts";
import { OUTCOMES } from "../routes/outcomes.ts";
import { CHAT, notLinkedText } from "../lib/chat.ts";
import { dbTest, testApp } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import {
  buttonTexts,
  callbackUpdate,
  type ChatMessage,
  FakeTelegram,
  press,
  textUpdate,
  type Update,
} from "./helpers/fake_telegram.ts";
import { linkChat } from "./helpers/notify.ts";

const SECRET = "chat-s3cret";
/** Tue 1 Dec 2026, 09:00 in Berlin. */
const NOW = "2026-12-01T08:00:00Z";
const CLIENT = 7001;
const TRAINER = 7002;
const STRANGER = 7999;
const APP_URL = "http://spotter.test";

type World = Awaited<ReturnType<typeof world>>;

async function world(mode: "webhook" | "polling" = "webhook") {
  const fake = await FakeTelegram.start();
  const url = await freshDatabaseUrl();
  const sql = connect(url);
  const base = await testApp({
    now: NOW,
    env: {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      ...(mode === "webhook" ? { TELEGRAM_WEBHOOK_SECRET: SECRET } : {}),
    },
    deps: { sql },
  });
  await base.sql.end(); // testApp's own pool is unused: everything runs on `sql`
  // Delivery runs when a test says so (`deliver()`), never on a timer.
  const service = await createNotifications({
    sql,
    config: base.deps.config,
    now: base.clock.now,
    kickDelayMs: 3_600_000,
  });
  const deps = {
    ...base.deps,
    telegramBotUsername: service.botUsername,
    telegramWebhook: service.webhook,
  };
  const t = { ...base, sql, deps, app: createApp(deps) };
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode);
  await linkChat(sql, client.id, CLIENT);
  await linkChat(sql, trainer.id, TRAINER);

  /** Posts an update as Telegram does; the webhook always answers 200. */
  const hook = async (update: Update) => {
    const res = await t.app.request("/telegram/webhook", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": SECRET,
      },
      body: JSON.stringify(update),
    });
    assert.equal(res.status, 200, await res.text());
  };
  const say = (chat: number, text: string) => hook(textUpdate(chat, text));
  const tap = (m: ChatMessage, button: string | RegExp, from?: number) =>
    hook(press(m, button, from));
  const deliver = () => service.deliver();
  const as = (
    who: { token: string },
    method: string,
    path: string,
    body?: unknown,
  ) => api(t, method, path, { token: who.token, body });
  const session = async (id: string) => {
    const [row] = await sql<{ status: string; cancelled_by: string | null }[]>`
      SELECT status, cancelled_by FROM appointments WHERE id = ${id}`;
    return row;
  };
  const close = async () => {
    await service.stop();
    await fake.close();
    await sql.end();
  };
  return {
    t,
    sql,
    fake,
    service,
    trainer,
    client,
    hook,
    say,
    tap,
    deliver,
    as,
    session,
    close,
  };
}

const chatTest = (
  name: string,
  fn: (w: World) => Promise<void>,
  mode?: "webhook" | "polling",
) =>
  dbTest(name, async () => {
    const w = await world(mode);
    try {
      await fn(w);
    } finally {
      await w.close();
    }
  });

/** A copy of a message as it is now (its buttons survive later edits). */
const snapshot = (m: ChatMessage): ChatMessage => structuredClone(m);

chatTest(
  "a pending request reaches the trainer with Confirm and Decline; each acts on one press, edits the message and tells the client",
  async ({ sql, fake, as, client, trainer, tap, deliver, session }) => {
    await sql`UPDATE trainers SET requires_confirmation = true WHERE user_id = ${trainer.id}`;
    const first = await as(client, "POST", "/api/appointments", {
      start: "2026-12-02T10:00:00+01:00",
    });
    assert.equal(first.body.status, "pending");
    await deliver();
    const request = fake.last(TRAINER);
    assert.match(request.text, /^Cleo Client asks for a session on Wed 2 Dec/);
    assert.deepEqual(buttonTexts(request), [["Confirm", "Decline"]]);
    const before = snapshot(request);

    await tap(request, "Confirm");
    assert.equal((await session(first.body.id)).status, "scheduled");
    assert.equal(fake.answers.at(-1), "Confirmed. Cleo Client has been told.");
    assert.deepEqual(request.buttons, [], "its buttons are gone");
    assert.equal(
      request.text,
      `${before.text}\n\nConfirmed. Cleo Client has been told.`,
    );
    await deliver();
    const confirmed = fake.last(CLIENT);
    assert.match(confirmed.text, /^Tess Trainer confirmed your session/);
    assert.deepEqual(buttonTexts(confirmed), [["Cancel"]]);

    // The same button again (its data kept from before the edit) acts no more.
    await tap(before, "Confirm");
    assert.match(fake.answers.at(-1)!, /^These buttons no longer apply/);
    await deliver();
    assert.equal(fake.chat(CLIENT).length, 1, "no second notice");

    const second = await as(client, "POST", "/api/appointments", {
      start: "2026-12-03T10:00:00+01:00",
    });
    await deliver();
    await tap(fake.last(TRAINER), "Decline");
    assert.deepEqual(await session(second.body.id), {
      status: "cancelled",
      cancelled_by: "trainer",
    });
    assert.equal(fake.answers.at(-1), "Declined. Cleo Client has been told.");
    await deliver();
    const declined = fake.last(CLIENT);
    assert.match(declined.text, /^Tess Trainer declined your session request/);
    assert.deepEqual(declined.buttons, [], "a declined notice has no buttons");
  },
);

chatTest(
  "a cancel takes two presses: the second choice keeps the session, “Yes” cancels it and tells the other side; the trainer's booked notice cancels the same way",
  async ({ fake, as, client, trainer, tap, deliver, session }) => {
    const byTrainer = await as(trainer, "POST", "/api/appointments", {
      clientId: client.id,
      start: "2026-12-02T10:00:00+01:00",
    });
    await deliver();
    const notice = fake.last(CLIENT);
    assert.match(notice.text, /^Tess Trainer booked a session for you/);
    assert.deepEqual(buttonTexts(notice), [["Cancel"]]);
    const text = notice.text;

    await tap(notice, "Cancel");
    assert.equal((await session(byTrainer.body.id)).status, "scheduled");
    assert.deepEqual(buttonTexts(notice), [["Yes, cancel it", "No, keep it"]]);
    assert.equal(notice.text, `${text}\n\n${CHAT.asked}`);
    await tap(notice, /^No/);
    assert.equal((await session(byTrainer.body.id)).status, "scheduled");
    assert.deepEqual(buttonTexts(notice), [["Cancel"]]);
    assert.equal(notice.text, text);

    await tap(notice, "Cancel");
    await tap(notice, /^Yes/);
    assert.deepEqual(await session(byTrainer.body.id), {
      status: "cancelled",
      cancelled_by: "client",
    });
    assert.equal(fake.answers.at(-1), "Cancelled. Tess Trainer has been told.");
    assert.deepEqual(notice.buttons, []);
    await deliver();
    const told = fake.last(TRAINER);
    assert.match(told.text, /^Cleo Client cancelled the session on Wed 2 Dec/);
    assert.deepEqual(told.buttons, []);

    // The client books: the trainer's notice carries Cancel, and cancels for the trainer.
    const byClient = await as(client, "POST", "/api/appointments", {
      start: "2026-12-03T10:00:00+01:00",
    });
    await deliver();
    const booked = fake.last(TRAINER);
    assert.match(booked.text, /^Cleo Client booked a session on Thu 3 Dec/);
    assert.deepEqual(buttonTexts(booked), [["Cancel"]]);
    await tap(booked, "Cancel");
    await tap(booked, /^Yes/);
    assert.deepEqual(await session(byClient.body.id), {
      status: "cancelled",
      cancelled_by: "trainer",
    });
    await deliver();
    assert.match(
      fake.last(CLIENT).text,
      /^Tess Trainer cancelled your session on Thu 3 Dec/,
    );
  },
);

chatTest(
  "moved notices and the client's reminder carry Cancel, the trainer's reminder none; a press on a message about an older time answers how the session stands now",
  async ({ t, fake, as, client, trainer, tap, deliver, session }) => {
    const a = await as(trainer, "POST", "/api/appointments", {
      clientId: client.id,
      start: "2026-12-02T10:00:00+01:00",
    });
    await deliver();
    const booked = fake.last(CLIENT);
    const moved = await as(trainer, "PATCH", `/api/appointments/${a.body.id}`, {
      start: "2026-12-03T15:00:00+01:00",
    });
    assert.equal(moved.status, 200);
    await deliver();
    const movedNotice = fake.last(CLIENT);
    assert.match(movedNotice.text, /moved your session from Wed 2 Dec/);
    assert.deepEqual(buttonTexts(movedNotice), [["Cancel"]]);

    await tap(booked, "Cancel");
    const changed = `${OUTCOMES.session_changed.message} Now: ` +
      "Thu 3 Dec 2026, 15:00–16:00 (Europe/Berlin) with Tess Trainer: Booked.";
    assert.equal(fake.answers.at(-1), changed);
    assert.deepEqual(booked.buttons, [], "no further press on it acts");
    assert.match(booked.text, /Now: Thu 3 Dec 2026, 15:00–16:00/);
    assert.equal((await session(a.body.id)).status, "scheduled");

    t.clock.set("2026-12-03T12:00:00Z"); // the reminders are due at 13:00 Berlin
    await deliver();
    const reminder = fake.last(CLIENT);
    assert.match(reminder.text, /^Reminder: your session with Tess Trainer/);
    assert.deepEqual(buttonTexts(reminder), [["Cancel"]]);
    const trainers = fake.last(TRAINER);
    assert.match(trainers.text, /^Reminder: session with Cleo Client/);
    assert.deepEqual(trainers.buttons, []);
  },
);

chatTest(
  "a press after the session was cancelled on the web answers its state and changes nothing; the trainer hears nothing from it",
  async ({ sql, fake, as, client, trainer, tap, deliver, session }) => {
    const a = await as(client, "POST", "/api/appointments", {
      start: "2026-12-02T10:00:00+01:00",
    });
    await as(trainer, "POST", `/api/appointments/${a.body.id}/cancel`, {
      reason: "Ill",
    });
    await deliver();
    // The booking's notice went out after the session was cancelled: no buttons.
    assert.match(fake.last(TRAINER).text, /^Cleo Client booked a session/);
    assert.deepEqual(fake.last(TRAINER).buttons, []);

    const b = await as(trainer, "POST", "/api/appointments", {
      clientId: client.id,
      start: "2026-12-03T10:00:00+01:00",
    });
    await deliver();
    const notice = fake.last(CLIENT);
    await tap(notice, "Cancel");
    const asking = snapshot(notice);
    await as(trainer, "POST", `/api/appointments/${b.body.id}/cancel`, {});
    await tap(notice, /^Yes/);
    assert.deepEqual(await session(b.body.id), {
      status: "cancelled",
      cancelled_by: "trainer",
    });
    assert.match(fake.answers.at(-1)!, /Now: .* Cancelled by your trainer\.$/);
    assert.deepEqual(notice.buttons, []);
    await tap(asking, /^Yes/);
    assert.match(fake.answers.at(-1)!, /^These buttons no longer apply/);
    await deliver();
    const [{ n }] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM notifications
      WHERE appointment_id = ${b.body.id} AND kind = 'cancelled'`;
    assert.equal(n, 1, "only the trainer's own cancel was told");
    assert.ok(
      fake.chat(TRAINER).every((m) => !/Cleo Client cancelled/.test(m.text)),
    );
  },
);

chatTest(
  "a press from another user's chat, an unlinked chat or a chat unlinked since changes nothing and says so; junk gets a polite answer",
  async ({ fake, as, client, trainer, tap, hook, say, deliver, session }) => {
    const a = await as(trainer, "POST", "/api/appointments", {
      clientId: client.id,
      start: "2026-12-02T10:00:00+01:00",
    });
    await deliver();
    const notice = fake.last(CLIENT);
    await tap(notice, "Cancel", TRAINER);
    assert.equal(fake.answers.at(-1), CHAT.notYourChat);
    await tap(notice, "Cancel", STRANGER);
    assert.equal(fake.answers.at(-1), CHAT.notLinkedPress);
    assert.deepEqual(notice.edits, [], "the message was not touched");

    await tap(notice, "Cancel");
    const asking = snapshot(notice);
    await tap(asking, /^Yes/, TRAINER);
    await tap(asking, /^Yes/, STRANGER);
    assert.equal((await session(a.body.id)).status, "scheduled");

    await say(CLIENT, "/stop");
    await tap(asking, /^Yes/);
    assert.equal(fake.answers.at(-1), CHAT.notLinkedPress);
    assert.equal((await session(a.body.id)).status, "scheduled");

    // Junk: unknown or malformed data, no message, a group chat.
    await hook(callbackUpdate(CLIENT, notice, "A".repeat(22) + ":y"));
    assert.equal(fake.answers.at(-1), CHAT.gone);
    await hook(callbackUpdate(CLIENT, notice, "'; DROP TABLE users; --"));
    assert.equal(fake.answers.at(-1), CHAT.gone);
    await hook(callbackUpdate(CLIENT, undefined, "x"));
    assert.equal(fake.answers.at(-1), CHAT.gone);
    await hook(callbackUpdate(CLIENT, notice, undefined));
    assert.equal(fake.answers.at(-1), CHAT.gone);
    const group = textUpdate(-100123, "/today");
    group.message.chat = { id: -100123, type: "group", title: "Gym" };
    await hook(group);
    assert.equal(fake.last(-100123).text, CHAT.privateOnly);
    await hook({ update_id: 999_001, edited_message: { text: "x" } });
    await hook({ update_id: 999_002, message: { text: 5 } });
    assert.equal((await session(a.body.id)).status, "scheduled");
  },
);

chatTest(
  "the late window refuses a chat cancel with the API's words, and nothing changes",
  async ({ sql, fake, as, client, trainer, tap, deliver, session }) => {
    await sql`UPDATE trainers SET cancel_notice_minutes = 1440 WHERE user_id = ${trainer.id}`;
    const a = await as(trainer, "POST", "/api/appointments", {
      clientId: client.id,
      start: "2026-12-01T13:00:00+01:00",
    });
    await deliver();
    const notice = fake.last(CLIENT);
    await tap(notice, "Cancel");
    await tap(notice, /^Yes/);
    const refused = OUTCOMES.too_late_to_cancel.message;
    assert.equal(fake.answers.at(-1), refused);
    assert.match(notice.text, new RegExp(`\n\n${refused}$`));
    assert.deepEqual(notice.buttons, []);
    assert.equal((await session(a.body.id)).status, "scheduled");
    await deliver();
    assert.equal(fake.chat(TRAINER).length, 0, "the trainer is told nothing");
  },
);

chatTest(
  "an update Telegram delivers twice acts once",
  async ({ fake, as, client, hook, deliver, session }) => {
    const a = await as(client, "POST", "/api/appointments", {
      start: "2026-12-02T10:00:00+01:00",
    });
    await deliver();
    const cancel = press(fake.last(TRAINER), "Cancel");
    await hook(cancel);
    await hook(cancel);
    const yes = press(fake.last(TRAINER), /^Yes/);
    await Promise.all([hook(yes), hook(yes)]);
    assert.equal((await session(a.body.id)).status, "cancelled");
    assert.equal(fake.answers.length, 2, "one answer per update");
    assert.equal(fake.last(TRAINER).edits.length, 2);
    await deliver();
    assert.equal(fake.chat(CLIENT).length, 1, "one notice");
  },
);

chatTest(
  "commands: the menu is registered; /today, /next, /my and /help answer a linked chat, and an unlinked chat is told how to link",
  async ({ t, fake, as, client, trainer, say, tap, session }) => {
    const menu = fake.calls.find((c) => c.method === "setMyCommands");
    assert.deepEqual(
      (menu?.body.commands as { command: string }[]).map((c) => c.command),
      ["today", "next", "book", "my", "reminders", "help", "stop"],
    );
    for (
      const command of ["/today", "/next", "/book", "/my", "/reminders off"]
    ) {
      await say(STRANGER, command);
      assert.equal(fake.last(STRANGER).text, notLinkedText(APP_URL), command);
    }
    await say(STRANGER, "/help");
    assert.match(fake.last(STRANGER).text, /Connect Telegram/);

    const ada = await signUpClient(t, trainer.referralCode, "Ada Client");
    const book = (who: { token: string }, body: Record<string, unknown>) =>
      as(who, "POST", "/api/appointments", body);
    await book(ada, { start: "2026-12-01T11:00:00+01:00" });
    const mine = await book(client, { start: "2026-12-01T14:00:00+01:00" });
    const later = await book(client, { start: "2026-12-02T10:00:00+01:00" });
    const gc = await as(trainer, "POST", "/api/classes", {
      title: "Strength circuit",
      start: "2026-12-01T16:00:00+01:00",
      capacity: 8,
    });
    await as(client, "POST", `/api/classes/${gc.body.id}/seats`, {});

    await say(TRAINER, "/today");
    assert.equal(
      fake.last(TRAINER).text,
      [
        "Today, Tue 1 Dec 2026 (Europe/Berlin):",
        "11:00–12:00 Ada Client: Booked",
        "14:00–15:00 Cleo Client: Booked",
        "16:00–17:00 Strength circuit (class, 1 of 8 booked)",
      ].join("\n"),
    );
    await say(CLIENT, "/today");
    assert.equal(
      fake.last(CLIENT).text,
      [
        "Today, Tue 1 Dec 2026 (Europe/Berlin):",
        "14:00–15:00 Session with Tess Trainer: Booked",
        "16:00–17:00 Strength circuit (class with Tess Trainer)",
      ].join("\n"),
    );
    await say(TRAINER, "/next");
    assert.equal(
      fake.last(TRAINER).text,
      "Next: Tue 1 Dec 2026, 11:00–12:00 (Europe/Berlin) with Ada Client: Booked.",
    );
    t.clock.set("2026-12-01T14:30:00Z"); // 15:30 Berlin: the class is next
    await say(CLIENT, "/next");
    assert.equal(
      fake.last(CLIENT).text,
      "Next: Tue 1 Dec 2026, 16:00–17:00 (Europe/Berlin), Strength circuit (class with Tess Trainer).",
    );
    t.clock.set(NOW);

    const sent = fake.chat(CLIENT).length;
    await say(CLIENT, "/my");
    const entries = fake.chat(CLIENT).slice(sent);
    assert.deepEqual(entries.map((m) => [m.text, buttonTexts(m)]), [
      [
        "Tue 1 Dec 2026, 14:00–15:00 (Europe/Berlin) with Tess Trainer: Booked.",
        [["Cancel"]],
      ],
      [
        "Wed 2 Dec 2026, 10:00–11:00 (Europe/Berlin) with Tess Trainer: Booked.",
        [["Cancel"]],
      ],
    ]);
    await tap(entries[1], "Cancel");
    await tap(entries[1], /^Yes/);
    assert.equal((await session(later.body.id)).status, "cancelled");
    assert.equal((await session(mine.body.id)).status, "scheduled");

    await say(TRAINER, "/my");
    assert.equal(fake.last(TRAINER).text, CHAT.trainerMy);
    await say(TRAINER, "/book");
    assert.match(fake.last(TRAINER).text, /on your schedule/);
    await say(CLIENT, "/help");
    assert.match(fake.last(CLIENT).text, /\/book: book a session/);
    await say(CLIENT, "hello?");
    assert.match(fake.last(CLIENT).text, /\/my: your upcoming sessions/);
  },
);

chatTest(
  "/book offers the days with free times (policies applied), then a day's free times, then books with the API's checks; a time taken meanwhile is refused in the API's words",
  async ({ t, sql, fake, as, client, trainer, say, tap, deliver }) => {
    // 8 hours' notice: nothing is left today (Tuesday); weekends have no hours.
    await sql`UPDATE trainers SET min_notice_minutes = 480 WHERE user_id = ${trainer.id}`;
    const ada = await signUpClient(t, trainer.referralCode, "Ada Client");
    const book = (who: { token: string }, start: string) =>
      as(who, "POST", "/api/appointments", { start });
    await book(ada, "2026-12-02T10:00:00+01:00");

    await say(CLIENT, "/book");
    const picker = fake.last(CLIENT);
    assert.equal(
      picker.text,
      "Book a session with Tess Trainer. Pick a day:",
    );
    assert.deepEqual(buttonTexts(picker), [
      ["Wed 2 Dec", "Thu 3 Dec", "Fri 4 Dec"],
      ["Mon 7 Dec"],
    ]);
    await tap(picker, "Thu 3 Dec");
    await tap(picker, "« Other days");
    assert.deepEqual(buttonTexts(picker)[1], ["Mon 7 Dec"]);
    await tap(picker, "Wed 2 Dec");
    assert.equal(
      picker.text,
      "Free times on Wed 2 Dec 2026 (Europe/Berlin). Pick one:",
    );
    assert.deepEqual(buttonTexts(picker), [
      ["09:00", "11:00", "12:00", "13:00"],
      ["14:00", "15:00", "16:00"],
      ["« Other days"],
    ]);

    // Ada takes 11:00 on the web while the list is open.
    assert.equal((await book(ada, "2026-12-02T11:00:00+01:00")).status, 201);
    await tap(picker, "11:00");
    const taken = OUTCOMES.slot_taken.message;
    assert.equal(fake.answers.at(-1), taken);
    assert.equal(
      picker.text,
      `${taken}\n\nFree times on Wed 2 Dec 2026 (Europe/Berlin). Pick one:`,
    );
    assert.deepEqual(buttonTexts(picker)[0], [
      "09:00",
      "12:00",
      "13:00",
      "14:00",
    ]);

    const list = snapshot(picker);
    await tap(picker, "12:00");
    assert.equal(fake.answers.at(-1), "Booked.");
    assert.equal(
      picker.text,
      "Booked: Wed 2 Dec 2026, 12:00–13:00 (Europe/Berlin) with Tess Trainer. Send /my to see or cancel your sessions.",
    );
    assert.deepEqual(picker.buttons, []);
    // Another time pressed on the same list books nothing more.
    await tap(list, "13:00");
    assert.equal(fake.answers.at(-1), CHAT.pickerUsed);
    const mine = await as(client, "GET", "/api/appointments");
    assert.deepEqual(
      mine.body.appointments.map((a: { start: string; status: string }) => [
        a.start,
        a.status,
      ]),
      [["2026-12-02T12:00:00+01:00", "scheduled"]],
    );
    await deliver();
    const told = fake.chat(TRAINER).filter((m) => /^Cleo Client/.test(m.text));
    assert.equal(told.length, 1);
    assert.match(
      told[0].text,
      /^Cleo Client booked a session on Wed 2 Dec 2026, 12:00/,
    );
    assert.deepEqual(buttonTexts(told[0]), [["Cancel"]]);
  },
);

chatTest(
  "/reminders off skips a client's reminders until switched on (also on their notifications page); the trainer's own switch silences only the trainer",
  async ({ t, sql, fake, as, client, trainer, say, deliver }) => {
    for (
      const start of ["2026-12-02T10:00:00+01:00", "2026-12-03T10:00:00+01:00"]
    ) {
      await as(trainer, "POST", "/api/appointments", {
        clientId: client.id,
        start,
      });
    }
    await deliver();
    await say(CLIENT, "/reminders off");
    assert.match(fake.last(CLIENT).text, /^Reminders are off/);
    await say(CLIENT, "/reminders");
    assert.match(fake.last(CLIENT).text, /Send \/reminders on to switch\.$/);

    const sent = fake.chat(CLIENT).length;
    t.clock.set("2026-12-02T07:00:00Z");
    await deliver();
    assert.equal(fake.chat(CLIENT).length, sent, "no reminder while off");
    assert.match(fake.last(TRAINER).text, /^Reminder: session with Cleo/);
    const [skipped] = await sql<{ status: string; error: string }[]>`
      SELECT status, error FROM notifications
      WHERE recipient = 'client' AND kind = 'reminder' AND due_at = '2026-12-02T07:00:00Z'`;
    assert.deepEqual(skipped, {
      status: "skipped",
      error: "The client turned their reminders off.",
    });

    // On again from the notifications page; the trainer turns their own off in the chat.
    const b = new Browser(t);
    await b.post("/signin", { email: client.email, password: "password-1" });
    const page = await b.get("/notifications");
    assert.match(page.text, /action="\/notifications\/reminders"/);
    assert.doesNotMatch(
      page.text,
      /name="remindersEnabled" value="on" checked/,
    );
    const on = await b.post("/notifications/reminders", {
      remindersEnabled: "on",
    });
    assert.equal(on.status, 303);
    assert.match(
      (await b.get("/notifications")).text,
      /name="remindersEnabled" value="on" checked/,
    );
    await say(TRAINER, "/reminders off");
    assert.match(fake.last(TRAINER).text, /^Reminders are off/);
    const trainerSaid = fake.chat(TRAINER).length;

    t.clock.set("2026-12-03T07:00:00Z");
    await deliver();
    const reminder = fake.last(CLIENT);
    assert.match(
      reminder.text,
      /^Reminder: your session with Tess Trainer is on Thu 3 Dec/,
    );
    assert.deepEqual(buttonTexts(reminder), [["Cancel"]]);
    assert.equal(
      fake.chat(TRAINER).length,
      trainerSaid,
      "the trainer's is off",
    );
    const trainerPage = new Browser(t);
    await trainerPage.post("/signin", {
      email: trainer.email,
      password: "password-1",
    });
    assert.equal(
      (await trainerPage.post("/notifications/reminders", {})).status,
      403,
      "a trainer's switch is in settings",
    );
  },
);

chatTest(
  "a class reminder goes to every booked seat and once to the trainer, reminderMinutes ahead; a seat given up has none",
  async ({ t, sql, fake, as, client, trainer, deliver }) => {
    const ada = await signUpClient(t, trainer.referralCode, "Ada Client");
    const bo = await signUpClient(t, trainer.referralCode, "Bo Client");
    await linkChat(sql, ada.id, 7003);
    const gc = await as(trainer, "POST", "/api/classes", {
      title: "Strength circuit",
      start: "2026-12-02T16:00:00+01:00",
      capacity: 3,
    });
    for (const who of [client, ada, bo]) {
      await as(who, "POST", `/api/classes/${gc.body.id}/seats`, {});
    }
    await as(bo, "DELETE", `/api/classes/${gc.body.id}/seats/me`, {});
    // A new lead time moves the class's reminders too: 60 minutes, 14:00Z.
    const settings = await as(trainer, "GET", "/api/settings");
    await as(trainer, "PUT", "/api/settings", {
      ...settings.body,
      reminderMinutes: 60,
    });
    // A seat gone behind the lifecycle's back keeps its planned row: it is void at send time.
    await sql`DELETE FROM class_seats WHERE client_id = ${ada.id}`;
    t.clock.set("2026-12-02T13:00:00Z");
    await deliver();
    assert.equal(fake.chat(CLIENT).length, 0, "not at the old lead time");
    t.clock.set("2026-12-02T14:00:00Z");
    await deliver();
    assert.deepEqual(
      fake.chat(CLIENT).map((m) => [m.text, m.buttons]),
      [[
        "Reminder: your class Strength circuit with Tess Trainer is on Wed 2 Dec 2026, 16:00–17:00 (Europe/Berlin).\n" +
        "Your classes: http://spotter.test/calendar",
        [],
      ]],
    );
    assert.deepEqual(
      fake.chat(TRAINER).map((m) => m.text).filter((m) => /^Reminder/.test(m)),
      [
        "Reminder: your class Strength circuit is on Wed 2 Dec 2026, 16:00–17:00 (Europe/Berlin).\n" +
        "Your classes: http://spotter.test/classes",
      ],
    );
    assert.equal(fake.chat(7003).length, 0);
    const rows = await sql<{ recipient_id: string; status: string }[]>`
      SELECT recipient_id, status FROM notifications
      WHERE class_id = ${gc.body.id} AND kind = 'reminder'`;
    assert.deepEqual(
      rows.map((r) => [r.recipient_id, r.status]).sort(),
      [
        [ada.id, "skipped"],
        [client.id, "sent"],
        [trainer.id, "sent"],
      ].sort(),
    );
  },
);

dbTest(
  "the lifecycle refuses a cancel or confirm asked of a session as it no longer is, under the trainer's lock",
  async () => {
    const w = await world();
    try {
      const { sql, as, client, trainer, session } = w;
      await sql`UPDATE trainers SET requires_confirmation = true WHERE user_id = ${trainer.id}`;
      const a = await as(client, "POST", "/api/appointments", {
        start: "2026-12-02T10:00:00+01:00",
      });
      const seen = { status: "pending", version: 1 } as const;
      const now = w.t.clock.now();
      const confirmed = await changeAppointment(sql, {
        id: a.body.id,
        trainerId: trainer.id,
        change: { status: "scheduled" },
        now,
        seen,
      });
      assert.equal(confirmed.ok, true);
      for (
        const stale of [
          () =>
            changeAppointment(sql, {
              id: a.body.id,
              trainerId: trainer.id,
              change: { status: "scheduled" },
              now,
              seen,
            }),
          () =>
            cancelAppointment(sql, {
              id: a.body.id,
              owner: { role: "client", id: client.id },
              reason: null,
              now,
              seen,
            }),
        ]
      ) {
        const outcome = await stale();
        assert.deepEqual(outcome, { ok: false, reason: "session_changed" });
      }
      assert.equal((await session(a.body.id)).status, "scheduled");
    } finally {
      await w.close();
    }
  },
);

chatTest(
  "long polling: a press that arrives by getUpdates acts like one by webhook",
  async ({ fake, service, as, client, deliver, session }) => {
    assert.ok(service.polling);
    assert.equal(await service.polling.tryStart(), true);
    const a = await as(client, "POST", "/api/appointments", {
      start: "2026-12-02T10:00:00+01:00",
    });
    await deliver();
    fake.pushUpdate(press(fake.last(TRAINER), "Cancel"));
    // The press is answered first and its message edited after: wait for the edit.
    await fake.until(() =>
      fake.answers.length === 1 &&
      fake.last(TRAINER).buttons.flat().some((b) => /^Yes/.test(b.text))
    );
    fake.pushUpdate(press(fake.last(TRAINER), /^Yes/));
    await fake.until(() => fake.answers.length === 2);
    assert.equal((await session(a.body.id)).status, "cancelled");
  },
  "polling",
);

chatTest(
  "any update the webhook takes gets 200, never an error: random shapes, texts and callback data",
  async ({ t, fake, as, client, trainer, deliver }) => {
    await as(trainer, "POST", "/api/appointments", {
      clientId: client.id,
      start: "2026-12-02T10:00:00+01:00",
    });
    await deliver();
    const real = fake.last(CLIENT);
    const chat = fc.constantFrom(CLIENT, TRAINER, STRANGER, -1, 0);
    let id = 5_000_000;
    const update = fc.oneof(
      fc.record({ message: fc.anything(), callback_query: fc.anything() }),
      fc.record({
        message: fc.record({
          message_id: fc.integer(),
          chat: fc.record({
            id: chat,
            type: fc.constantFrom("private", "group"),
          }),
          text: fc.oneof(
            fc.string(),
            fc.constantFrom("/book", "/my", "/today", "/next", "/reminders x"),
          ),
        }),
      }),
      fc.record({
        callback_query: fc.record({
          id: fc.string(),
          from: fc.record({
            id: chat,
            is_bot: fc.boolean(),
            first_name: fc.string(),
          }),
          chat_instance: fc.string(),
          message: fc.record({
            message_id: fc.constantFrom(real.message_id, 1),
            date: fc.nat(),
            chat: fc.record({ id: chat, type: fc.constant("private") }),
          }),
          data: fc.oneof(
            fc.string(),
            fc.constantFrom(...real.buttons.flat().map((b) => b.callback_data)),
            fc.constantFrom(
              real.buttons[0][0].callback_data.replace(/:c$/, ":y"),
              real.buttons[0][0].callback_data.replace(/:c$/, ":s9"),
              real.buttons[0][0].callback_data.replace(/:c$/, ":d0"),
            ),
          ),
        }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(update, async (u) => {
        const res = await t.app.request("/telegram/webhook", {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": SECRET,
          },
          body: JSON.stringify({ ...u, update_id: ++id }),
        });
        await res.body?.cancel();
        assert.equal(res.status, 200);
      }),
      { numRuns: 150, seed: 20261201 },
    );
  },
);
