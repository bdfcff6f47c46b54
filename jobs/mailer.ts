import nodemailer from "nodemailer";

export type Mail = Readonly<{
  to: string;
  subject: string;
  text: string;
  /** Stable per notification, so a resend after a crash can be recognised as the same message. */
  messageId: string;
}>;

/** Sends one e-mail; throws on failure (with `responseCode` when the server answered). */
export type Mailer = Readonly<{
  send: (mail: Mail) => Promise<void>;
  close: () => void;
}>;

/**
 * A mailer over SMTP. `smtpUrl` takes nodemailer's URL options as query parameters,
 * e.g. `smtp://user:pass@mail.example:587` or `smtp://127.0.0.1:2525/?ignoreTLS=true`.
 *
 * ```ts
 * const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
 * await mailer.send({ to, subject, text, messageId: "<id@spotter>" });
 * ```
 */
export function createMailer(
  options: Readonly<{ smtpUrl: string; from: string; timeoutSeconds?: number }>,
): Mailer {
  const ms = (options.timeoutSeconds ?? 20) * 1000;
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: ms,
    greetingTimeout: ms,
    socketTimeout: ms,
  });
  return {
    async send(mail) {
      await transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
      });
    },
    close: () => transport.close(),
  };
}

/** The SMTP reply code of a failed send, if the server gave one. */
export function smtpResponseCode(error: unknown): number | undefined {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" ? code : undefined;
}
