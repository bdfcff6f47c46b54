import { Csrf } from "./Layout.tsx";
import { useSay, useSayRich } from "./locale.ts";

/** On the profile page: where the calendar feed is set up. */
export function FeedLinkCard() {
  const say = useSay();
  return (
    <section class="card">
      <h2>{say("client.feed.heading")}</h2>
      <p>{say("client.feed.card_text")}</p>
      <a class="button secondary" href="/feeds">{say("client.feed.set_up")}</a>
    </section>
  );
}

/** Bold words inside a sentence of the instructions. */
const strong = { b: (w: string[]) => <strong>{w}</strong> };

/**
 * The secret feed link: selectable text in a read-only field (works without JavaScript),
 * a Copy button with it, how to subscribe, and a reset behind a confirm step. The
 * button's words after a copy come from `data-copied` (static/app.js), and its labels
 * are in `data-copy-label` / `data-copied-label` for the script to read.
 */
export function FeedPage(
  { csrf, url }: { csrf: string; url: string },
) {
  const say = useSay();
  const sayRich = useSayRich();
  const webcal = url.replace(/^https?:/, "webcal:");
  return (
    <>
      <h1>{say("client.feed.heading")}</h1>
      <section
        class="card feed"
        x-data="copyLink"
        data-copied={say("client.feed.copied")}
        data-copy-label={say("client.feed.copy")}
        data-copied-label={say("client.feed.copied_label")}
      >
        <h2>{say("client.feed.secret_heading")}</h2>
        <p>{say("client.feed.secret_text")}</p>
        <div class="field">
          <label for="feed-url">{say("client.feed.link_label")}</label>
          <input
            id="feed-url"
            type="text"
            readonly
            value={url}
            x-ref="link"
            autocomplete="off"
            spellcheck={false}
          />
          <small class="hint">{say("client.feed.select_hint")}</small>
        </div>
        <div class="feed-actions">
          <button
            type="button"
            x-cloak
            x-on:click="copy"
            x-text="label"
          >
            {say("client.feed.copy")}
          </button>
          <a class="button secondary" href={webcal} data-hx-boost="false">
            {say("client.feed.open_app")}
          </a>
          <span class="hint" role="status" x-text="done"></span>
        </div>
      </section>
      <section class="card">
        <h2>{say("client.feed.google_heading")}</h2>
        <ol>
          <li>{say("client.feed.google_1")}</li>
          <li>{sayRich("client.feed.google_2", {}, strong)}</li>
          <li>{sayRich("client.feed.google_3", {}, strong)}</li>
        </ol>
        <p class="hint">{say("client.feed.google_hint")}</p>
      </section>
      <section class="card">
        <h2>{say("client.feed.apple_heading")}</h2>
        <ol>
          <li>{sayRich("client.feed.apple_1", {}, strong)}</li>
          <li>{sayRich("client.feed.apple_2", {}, strong)}</li>
        </ol>
      </section>
      <section class="card">
        <h2>{say("client.feed.reset_heading")}</h2>
        <p>{say("client.feed.reset_text")}</p>
        <details class="reset">
          <summary>{say("client.feed.reset_summary")}</summary>
          <form method="post" action="/feeds/reset">
            <Csrf token={csrf} />
            <p>{sayRich("client.feed.reset_warning", {}, strong)}</p>
            <button type="submit" class="danger">
              {say("client.feed.reset_button")}
            </button>
          </form>
        </details>
      </section>
    </>
  );
}
