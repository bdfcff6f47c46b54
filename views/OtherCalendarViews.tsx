import { Csrf } from "./Layout.tsx";
import { longDate, time } from "./format.ts";
import type { BusyCalendar } from "../domain/types.ts";

/**
 * "Your other calendars" on the settings page: each calendar with its status, when it
 * last synced and its error in plain words, "Sync now" and "Remove"; then the form to add
 * one, with where Google, Apple and Outlook show their secret address.
 */
export function OtherCalendars(
  { csrf, calendars, timezone, max }: {
    csrf: string;
    calendars: readonly BusyCalendar[];
    timezone: string;
    max: number;
  },
) {
  return (
    <section class="card other-calendars" id="calendars">
      <h2>Your other calendars</h2>
      <p>
        Time you are busy in your own calendars is shown as busy here, so
        clients cannot book it. Clients see only that the time is taken, never
        what it is. You can still book a session over it yourself.
      </p>
      {calendars.length > 0 && (
        <ul class="calendar-list">
          {calendars.map((k) => (
            <li class={`calendar-item calendar-${k.status}`}>
              <p>
                <strong>{k.name}</strong>
                <br />
                <span class="calendar-url">{k.url}</span>
              </p>
              <p role={k.status === "error" ? "alert" : undefined}>
                {k.status === "ok"
                  ? `In sync: ${k.events} busy ${
                    k.events === 1 ? "time" : "times"
                  } in the coming year.`
                  : `Not in sync: ${k.error}`} {k.lastSyncedAt
                  ? `Last synced ${longDate(k.lastSyncedAt, timezone)} at ${
                    time(k.lastSyncedAt, timezone)
                  }.`
                  : "Never synced yet."}
              </p>
              <div class="actions">
                <form method="post" action={`/settings/calendars/${k.id}/sync`}>
                  <Csrf token={csrf} />
                  <button type="submit" class="secondary">Sync now</button>
                </form>
                <form
                  method="post"
                  action={`/settings/calendars/${k.id}/delete`}
                >
                  <Csrf token={csrf} />
                  <button type="submit" class="secondary danger">
                    Remove {k.name}
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      )}
      {calendars.length < max
        ? (
          <form method="post" action="/settings/calendars" class="add-calendar">
            <Csrf token={csrf} />
            <div class="field">
              <label for="calendar-url">Secret address (iCal)</label>
              <input
                id="calendar-url"
                name="url"
                type="text"
                inputmode="url"
                required
                maxlength={2048}
                placeholder="https://… or webcal://…"
              />
            </div>
            <div class="field">
              <label for="calendar-name">Name (optional)</label>
              <input
                id="calendar-name"
                name="name"
                type="text"
                maxlength={100}
                placeholder="Private"
              />
            </div>
            <button type="submit">Add calendar</button>
          </form>
        )
        : <p>You have {max} calendars, the most there can be.</p>}
      <details>
        <summary>Where to find the address</summary>
        <ul>
          <li>
            <strong>Google Calendar</strong>: Settings, pick the calendar under
            "Settings for my calendars", "Integrate calendar", then copy "Secret
            address in iCal format".
          </li>
          <li>
            <strong>Apple Calendar (iCloud)</strong>: next to the calendar, tap
            the share button, turn on "Public Calendar" and copy the webcal://
            link.
          </li>
          <li>
            <strong>Outlook</strong>: Settings, Calendar, "Shared calendars",
            under "Publish a calendar" pick the calendar and "Can view all
            details", Publish, then copy the ICS link.
          </li>
        </ul>
      </details>
    </section>
  );
}
