import { Csrf } from "./Layout.tsx";

/** On the profile page: where the calendar feed is set up. */
export function FeedLinkCard() {
  return (
    <section class="card">
      <h2>Calendar feed</h2>
      <p>
        See your sessions in Google Calendar, Apple Calendar or any calendar app
        that subscribes to a link; it keeps itself up to date.
      </p>
      <a class="button secondary" href="/feeds">Set up the calendar feed</a>
    </section>
  );
}

/**
 * The secret feed link: selectable text in a read-only field (works without JavaScript),
 * a Copy button with it, how to subscribe, and a reset behind a confirm step.
 */
export function FeedPage(
  { csrf, url }: { csrf: string; url: string },
) {
  const webcal = url.replace(/^https?:/, "webcal:");
  return (
    <>
      <h1>Calendar feed</h1>
      <section class="card feed" x-data="copyLink" data-copied="Copied.">
        <h2>Your secret link</h2>
        <p>
          Anyone with this link can see your sessions, so keep it to yourself.
          Sessions from the last 90 days and all upcoming ones are in it;
          cancelled ones stay, marked cancelled.
        </p>
        <div class="field">
          <label for="feed-url">Feed link</label>
          <input
            id="feed-url"
            type="text"
            readonly
            value={url}
            x-ref="link"
            autocomplete="off"
            spellcheck={false}
          />
          <small class="hint">Select the link and copy it.</small>
        </div>
        <div class="feed-actions">
          <button
            type="button"
            x-cloak
            x-on:click="copy"
            x-text="label"
          >
            Copy link
          </button>
          <a class="button secondary" href={webcal} data-hx-boost="false">
            Open in my calendar app
          </a>
          <span class="hint" role="status" x-text="done"></span>
        </div>
      </section>
      <section class="card">
        <h2>Add to Google Calendar</h2>
        <ol>
          <li>
            On a computer, open calendar.google.com (the phone app cannot add
            links).
          </li>
          <li>
            Beside “Other calendars”, choose <strong>+</strong>, then{" "}
            <strong>From URL</strong>.
          </li>
          <li>
            Paste the link and choose{" "}
            <strong>Add calendar</strong>. It shows on your phone too.
          </li>
        </ol>
        <p class="hint">
          Google refreshes subscribed calendars every few hours, so changes may
          take a while to show.
        </p>
      </section>
      <section class="card">
        <h2>Add to Apple Calendar</h2>
        <ol>
          <li>
            On iPhone or iPad, tap <strong>Open in my calendar app</strong>{" "}
            above, or go to Settings › Apps › Calendar › Calendar Accounts › Add
            Account › Other › <strong>Add Subscribed Calendar</strong>{" "}
            and paste the link.
          </li>
          <li>
            On a Mac, in Calendar choose File ›{" "}
            <strong>New Calendar Subscription</strong>, paste the link and
            choose Subscribe.
          </li>
        </ol>
      </section>
      <section class="card">
        <h2>Reset the link</h2>
        <p>
          If someone else got hold of the link, make a new one.
        </p>
        <details class="reset">
          <summary>Reset the link…</summary>
          <form method="post" action="/feeds/reset">
            <Csrf token={csrf} />
            <p>
              <strong>The old link stops working at once.</strong>{" "}
              Every calendar subscribed to it stops updating until you add the
              new link there.
            </p>
            <button type="submit" class="danger">Yes, make a new link</button>
          </form>
        </details>
      </section>
    </>
  );
}
