/**
 * What a delivery test needs: a fake Bot API and a fake SMTP server on 127.0.0.1, the real
 * grammY and nodemailer clients talking to them, and a pass over the due notices.
 */
import { deliverDue } from "../../jobs/deliver.ts";
import { createMailer } from "../../jobs/mailer.ts";
import { createTelegramApi } from "../../jobs/telegram.ts";
import type { testApp } from "./app.ts";
import { FakeSmtp } from "./fake_smtp.ts";
import { FakeTelegram } from "./fake_telegram.ts";

export async function startDeliveryRig(t: Awaited<ReturnType<typeof testApp>>) {
  const fake = await FakeTelegram.start();
  const smtp = await FakeSmtp.start();
  const mailer = createMailer({
    smtpUrl: smtp.url,
    from: "Spotter <no-reply@spotter.test>",
  });
  const telegram = createTelegramApi({
    token: fake.token,
    apiRoot: fake.url,
    timeoutSeconds: 1,
  });
  return {
    fake,
    smtp,
    mailer,
    telegram,
    /** One delivery pass, to confirmed addresses (unconfirmed ones get no e-mail). */
    deliver: async () => {
      await t.sql`UPDATE users SET email_verified_at = created_at
        WHERE email_verified_at IS NULL`;
      return await deliverDue({
        sql: t.sql,
        now: t.clock.now(),
        appUrl: t.deps.config.appUrl,
        telegram,
        mailer,
      });
    },
    close: async () => {
      mailer.close();
      await fake.close();
      await smtp.close();
    },
  };
}
