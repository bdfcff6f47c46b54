import { Csrf } from "./Layout.tsx";

export type TelegramCardProps = Readonly<{
  csrf: string;
  /** The bot runs on this server. */
  available: boolean;
  linked: boolean;
  /** A fresh one-time deep link, right after "Connect Telegram". */
  link?: string;
}>;

/** "Connect Telegram" on the profile page, for trainers and clients alike. */
export function TelegramCard(
  { csrf, available, linked, link }: TelegramCardProps,
) {
  return (
    <section class="card" id="telegram">
      <h2>Telegram</h2>
      {!available
        ? (
          <p class="muted">
            Telegram is not set up on this server. Reminders and session notices
            come by e-mail when e-mail is set up.
          </p>
        )
        : link
        ? (
          <>
            <p>
              Open this link on a device with Telegram and press{" "}
              <strong>Start</strong>. It works once, within an hour.
            </p>
            <p>
              <a class="button" href={link} data-hx-boost="false">
                Open Telegram
              </a>
            </p>
            <p class="hint">{link}</p>
          </>
        )
        : linked
        ? (
          <>
            <p>
              Telegram is connected: reminders and session notices arrive in
              your chat with the bot.
            </p>
            <form method="post" action="/profile/telegram/unlink">
              <Csrf token={csrf} />
              <button type="submit" class="danger">Disconnect Telegram</button>
            </form>
          </>
        )
        : (
          <>
            <p>
              Get reminders and session notices in Telegram instead of e-mail.
            </p>
            <form method="post" action="/profile/telegram">
              <Csrf token={csrf} />
              <button type="submit">Connect Telegram</button>
            </form>
          </>
        )}
    </section>
  );
}
