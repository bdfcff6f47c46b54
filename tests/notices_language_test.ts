/**
 * A notice is written in its recipient's language, not its sender's: e-mails, Telegram
 * texts and their buttons, through the real nodemailer and grammY clients against the
 * fake SMTP and Bot API servers; and the bot answers in the linked user's language.
 */
import assert from "node:assert/strict";
import { createApp } from "../app.tsx";
import { connect } from "../db/client.ts";
import { deliverDue } from "../jobs/deliver.ts";
import { createMailer } from "../jobs/mailer.ts";
import { createTelegramApi } from "../jobs/telegram.ts";
import { createNotifications } from "../jobs/start.ts";
import { renderMessage } from "../lib/messages.ts";
import { accountMessageText } from "../lib/account_messages.ts";
import { eraseClient } from "../db/erasure.ts";
import { deliverAccountMessages } from "../jobs/account_mail.ts";
import { startDeliveryRig } from "./helpers/delivery_rig.ts";
import { dbTest, testApp } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";
import {
  buttonTexts,
  FakeTelegram,
  press,
  textUpdate,
  type Update,
} from "./helpers/fake_telegram.ts";
import { FakeSmtp } from "./helpers/fake_smtp.ts";
import { insertSession, linkChat } from "./helpers/notify.ts";

const NOW = "2026-12-01T08:00:00Z";
/** Tue 8 Dec 2026, 18:00 in Berlin. */
const START = "2026-12-08T17:00:00Z";
const TRAINER_CHAT = 6661001;
const CLIENT_CHAT = 6661002;

const setLanguage = (
  sql: ReturnType<typeof connect>,
  id: string,
  language: string,
) => sql`UPDATE users SET language = ${language} WHERE id = ${id}`;

dbTest(
  "a German trainer's reminder comes in German by e-mail and by Telegram, with German dates and buttons; the English client's stays English",
  async () => {
    const t = await testApp({ now: NOW });
    const { fake, smtp, deliver, close } = await startDeliveryRig(t);
    try {
      const trainer = await signUpTrainer(t, { language: "de" });
      const client = await signUpClient(t, trainer.referralCode);
      await linkChat(t.sql, client.id, CLIENT_CHAT);
      await insertSession(t.sql, {
        trainerId: trainer.id,
        clientId: client.id,
        start: START,
        now: t.clock.now(),
      });
      await deliver(); // the booking notice to the trainer, by e-mail
      const booked = smtp.received.find((m) => m.to.includes(trainer.email))!;
      assert.equal(booked.subject, "Neuer Termin am Di., 8. Dez., 18:00");
      assert.equal(
        booked.text,
        "Cleo Client hat einen Termin am Di., 8. Dez. 2026, 18:00–19:00 (Europe/Berlin) gebucht.\n" +
          "Ihr Terminplan: http://spotter.test/schedule",
      );

      t.clock.set("2026-12-08T15:00:00Z"); // two hours ahead: both reminders are due
      await deliver();
      const reminder = smtp.received.at(-1)!;
      assert.deepEqual(reminder.to, [trainer.email]);
      assert.equal(
        reminder.subject,
        "Erinnerung: Termin am Di., 8. Dez., 18:00",
      );
      assert.equal(
        reminder.text,
        "Erinnerung: Termin mit Cleo Client am Di., 8. Dez. 2026, 18:00–19:00 (Europe/Berlin).\n" +
          "Ihr Terminplan: http://spotter.test/schedule",
      );
      const toClient = fake.last(CLIENT_CHAT);
      assert.equal(
        toClient.text,
        "Reminder: your session with Tess Trainer is on Tue 8 Dec 2026, 18:00–19:00 (Europe/Berlin).\n" +
          "Manage your sessions: http://spotter.test/appointments",
      );

      // Linked, the trainer's next notice comes by Telegram, its buttons in German too.
      await linkChat(t.sql, trainer.id, TRAINER_CHAT);
      await t
        .sql`UPDATE trainers SET requires_confirmation = true WHERE user_id = ${trainer.id}`;
      await insertSession(t.sql, {
        trainerId: trainer.id,
        clientId: client.id,
        start: "2026-12-09T17:00:00Z",
        status: "pending",
        now: t.clock.now(),
      });
      await deliver();
      const request = fake.last(TRAINER_CHAT);
      assert.equal(
        request.text,
        "Cleo Client fragt einen Termin am Mi., 9. Dez. 2026, 18:00–19:00 (Europe/Berlin) an. Bitte bestätigen Sie ihn oder lehnen Sie ihn ab.\n" +
          "Ihr Terminplan: http://spotter.test/schedule",
      );
      assert.deepEqual(buttonTexts(request), [["Bestätigen", "Ablehnen"]]);
    } finally {
      await close();
      await t.sql.end();
    }
  },
);

dbTest(
  "a Russian client reads Russian, with the plural of the sessions left in their own four forms",
  async () => {
    const t = await testApp({ now: NOW });
    const fake = await FakeTelegram.start();
    const telegram = createTelegramApi({
      token: fake.token,
      apiRoot: fake.url,
      timeoutSeconds: 1,
    });
    try {
      const trainer = await signUpTrainer(t);
      const client = await signUpClient(t, trainer.referralCode, "Дмитрий");
      await setLanguage(t.sql, client.id, "ru");
      await linkChat(t.sql, client.id, CLIENT_CHAT);
      await insertSession(t.sql, {
        trainerId: trainer.id,
        clientId: client.id,
        start: START,
        actor: "trainer",
        now: t.clock.now(),
      });
      await deliverDue({
        sql: t.sql,
        now: t.clock.now(),
        appUrl: t.deps.config.appUrl,
        telegram,
      });
      const booked = fake.last(CLIENT_CHAT);
      assert.equal(
        booked.text,
        "Тренер Tess Trainer записал вас на занятие вт, 8 дек. 2026 г., 18:00–19:00 (Europe/Berlin).\n" +
          "Ваши занятия: http://spotter.test/appointments",
      );
      assert.deepEqual(buttonTexts(booked), [["Отменить"]]);
    } finally {
      await fake.close();
      await t.sql.end();
    }

    const lowOn = (balance: number) =>
      renderMessage({
        kind: "credits_low",
        recipient: "client",
        language: "ru",
        payload: {
          startsAt: START,
          endsAt: "2026-12-08T18:00:00Z",
          timezone: "Europe/Berlin",
          trainerName: "Анна",
          clientName: "Дмитрий",
          status: "scheduled",
          version: 1,
          balance,
        } as Parameters<typeof renderMessage>[0]["payload"],
      }, "http://spotter.test");
    assert.deepEqual(
      [0, 1, 2, 5, 21].map((n) => lowOn(n).subject),
      [
        "В абонементе не осталось занятий",
        "В абонементе осталось 1 занятие",
        "В абонементе осталось 2 занятия",
        "В абонементе осталось 5 занятий",
        "В абонементе осталось 21 занятие",
      ],
    );
    assert.match(
      lowOn(1).text,
      /^Занятие вт, 8 дек\. 2026 г\., 18:00–19:00 \(Europe\/Berlin\) списано с абонемента: у вас осталось 1 занятие\. Когда понадобится новый абонемент, попросите его у тренера \(Анна\)\.\n/,
    );
    const left = (cancelled: number) =>
      accountMessageText("client_left", {
        clientName: "Дмитрий",
        cancelled: String(cancelled),
      }, "ru").text;
    assert.match(left(2), /Отменено 2 предстоящих занятия\./);
    assert.match(left(5), /Отменено 5 предстоящих занятий\./);
    assert.match(left(21), /Отменено 21 предстоящее занятие\./);
    assert.doesNotMatch(left(0), /Отменено/);
  },
);

Deno.test(
  "an account's own messages (a reset link) come in its language",
  () => {
    const reset = accountMessageText("password_reset", {
      link: "http://spotter.test/password-reset/x",
    }, "de");
    assert.equal(reset.subject, "Ihr Spotter-Passwort zurücksetzen");
    assert.match(reset.text, /innerhalb von 30 Minuten/);
    assert.match(reset.text, /http:\/\/spotter\.test\/password-reset\/x/);
    assert.equal(
      accountMessageText("password_reset", { link: "x" }).subject,
      "Reset your Spotter password",
    );
  },
);

dbTest(
  "the bot answers in the linked user's language, an unlinked chat in its app's, and follows a change of language",
  async () => {
    const fake = await FakeTelegram.start();
    const sql = connect(await freshDatabaseUrl());
    const base = await testApp({
      now: NOW,
      env: {
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.url,
        TELEGRAM_WEBHOOK_SECRET: "s3cret",
      },
      deps: { sql },
    });
    await base.sql.end();
    const service = await createNotifications({
      sql,
      config: base.deps.config,
      now: base.clock.now,
      kickDelayMs: 3_600_000,
    });
    const t = {
      ...base,
      sql,
      app: createApp({
        ...base.deps,
        telegramBotUsername: service.botUsername,
        telegramWebhook: service.webhook,
      }),
    };
    const hook = async (update: Update) => {
      const res = await t.app.request("/telegram/webhook", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Telegram-Bot-Api-Secret-Token": "s3cret",
        },
        body: JSON.stringify(update),
      });
      assert.equal(res.status, 200);
    };
    try {
      const trainer = await signUpTrainer(t);
      const client = await signUpClient(t, trainer.referralCode);
      await setLanguage(sql, client.id, "de");
      await linkChat(sql, client.id, CLIENT_CHAT);
      await insertSession(sql, {
        trainerId: trainer.id,
        clientId: client.id,
        start: START,
        now: t.clock.now(),
      });

      // The menu: English for every app, and each other language for apps set to it.
      const menus = fake.calls.filter((c) => c.method === "setMyCommands");
      assert.deepEqual(
        menus.map((c) => c.body.language_code ?? "any"),
        ["any", "de", "es", "ru"],
      );
      const ru = menus.at(-1)!.body.commands as { description: string }[];
      assert.equal(ru[2].description, "Записаться на занятие (для клиентов)");

      await hook(textUpdate(CLIENT_CHAT, "/help"));
      assert.match(fake.last(CLIENT_CHAT).text, /^Spotter in Telegram: /);
      assert.match(fake.last(CLIENT_CHAT).text, /\/book: einen Termin buchen/);

      await hook(textUpdate(CLIENT_CHAT, "/my"));
      const mine = fake.last(CLIENT_CHAT);
      assert.equal(
        mine.text,
        "Di., 8. Dez. 2026, 18:00–19:00 (Europe/Berlin) mit Tess Trainer: Gebucht.",
      );
      assert.deepEqual(buttonTexts(mine), [["Absagen"]]);
      await hook(press(mine, "Absagen"));
      assert.equal(
        fake.answers.at(-1),
        "Diesen Termin absagen? Es ändert sich nichts, bis Sie auf „Ja“ drücken.",
      );
      assert.deepEqual(buttonTexts(mine), [["Ja, absagen", "Nein, behalten"]]);
      await hook(press(mine, "Ja, absagen"));
      assert.equal(
        fake.answers.at(-1),
        "Abgesagt. Tess Trainer wurde benachrichtigt.",
      );

      await hook(textUpdate(CLIENT_CHAT, "/reminders"));
      assert.match(fake.last(CLIENT_CHAT).text, /^Erinnerungen sind an/);

      // The profile's language is the chat's from the next message on.
      await setLanguage(sql, client.id, "es");
      await hook(textUpdate(CLIENT_CHAT, "/next"));
      assert.equal(
        fake.last(CLIENT_CHAT).text,
        "No hay nada reservado más adelante. Envía /book para reservar una sesión.",
      );

      // Nobody is linked here: the person's Telegram app says Russian.
      const stranger = textUpdate(6669999, "/today");
      stranger.message.from.language_code = "ru";
      await hook(stranger);
      assert.match(
        fake.last(6669999).text,
        /^Этот чат не подключён к Spotter\. Чтобы подключить его, войдите на http:\/\/spotter\.test\/profile/,
      );
    } finally {
      await service.stop();
      await fake.close();
      await sql.end();
    }
  },
);

dbTest(
  "a farewell sent once the account is gone is still in its reader's language",
  async () => {
    const t = await testApp({ now: NOW });
    const smtp = await FakeSmtp.start();
    const mailer = createMailer({
      smtpUrl: smtp.url,
      from: "Spotter <no-reply@spotter.test>",
    });
    try {
      const trainer = await signUpTrainer(t, { language: "de" });
      const client = await signUpClient(t, trainer.referralCode, "Дмитрий");
      await setLanguage(t.sql, client.id, "ru");
      await t.sql`DELETE FROM account_messages`; // the sign-ups' own messages
      const erased = await eraseClient(t.sql, {
        clientId: client.id,
        trainerId: trainer.id,
        by: "trainer",
        now: t.clock.now(),
      });
      assert.ok(erased.ok);
      await deliverAccountMessages({
        sql: t.sql,
        now: t.clock.now(),
        appUrl: t.deps.config.appUrl,
        mailer,
      });
      const farewell = smtp.received.find((m) => m.to.includes(client.email))!;
      assert.equal(
        farewell.subject,
        "Тренер Tess Trainer удалил вас из Spotter",
      );
      assert.match(farewell.text, /Ваши предстоящие занятия отменены\./);
    } finally {
      mailer.close();
      await smtp.close();
      await t.sql.end();
    }
  },
);
