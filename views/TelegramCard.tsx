import { Csrf } from "./Layout.tsx";
import { useSay, useSayRich } from "./locale.ts";

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
  const say = useSay();
  const sayRich = useSayRich();
  return (
    <section class="card" id="telegram">
      <h2>Telegram</h2>
      {!available ? <p class="muted">{say("site.telegram.off")}</p> : link
        ? (
          <>
            <p>
              {sayRich("site.telegram.open_lead", {}, {
                b: (w) => <strong>{w}</strong>,
              })}
            </p>
            <p>
              <a class="button" href={link} data-hx-boost="false">
                {say("site.telegram.open")}
              </a>
            </p>
            <p class="hint">{link}</p>
          </>
        )
        : linked
        ? (
          <>
            <p>{say("site.telegram.connected")}</p>
            <form method="post" action="/profile/telegram/unlink">
              <Csrf token={csrf} />
              <button type="submit" class="danger">
                {say("site.telegram.disconnect")}
              </button>
            </form>
          </>
        )
        : (
          <>
            <p>{say("site.telegram.offer")}</p>
            <form method="post" action="/profile/telegram">
              <Csrf token={csrf} />
              <button type="submit">{say("site.telegram.connect")}</button>
            </form>
          </>
        )}
    </section>
  );
}
