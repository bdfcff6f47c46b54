import { Csrf } from "./Layout.tsx";
import { longDate, time } from "./format.ts";
import type { BusyCalendar } from "../domain/types.ts";
import { type Say, useSay, useSayRich } from "./locale.ts";
import { FETCH_ERRORS, type FetchFailure } from "../lib/safe_fetch.ts";
import { NOT_ICALENDAR, TOO_MANY_EVENTS } from "../lib/sync_errors.ts";
import type { MessageKey } from "../lib/i18n.ts";

/** A sync's stored error (English, as the sync job words it) by its catalogue key. */
const ERROR_KEYS: ReadonlyMap<string, MessageKey> = new Map([
  ...(Object.keys(FETCH_ERRORS) as FetchFailure[]).map((failure) =>
    [
      FETCH_ERRORS[failure],
      `business.calendars.error.${failure}`,
    ] as const
  ),
  [NOT_ICALENDAR, "business.calendars.error.not_icalendar"],
  [TOO_MANY_EVENTS, "business.calendars.error.too_many_events"],
]);

/** Why a calendar is not in sync, in the viewer's words (an unknown reason as stored). */
export function calendarError(say: Say, error: string | null): string {
  const key = error === null ? undefined : ERROR_KEYS.get(error);
  return key ? say(key) : error ?? "";
}

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
  const say = useSay();
  const sayRich = useSayRich();
  const strong = { b: (words: string[]) => <strong>{words}</strong> };
  return (
    <section class="card other-calendars" id="calendars">
      <h2>{say("business.calendars.heading")}</h2>
      <p>{say("business.calendars.lead")}</p>
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
                  ? say("business.calendars.in_sync", { count: k.events })
                  : say("business.calendars.not_in_sync", {
                    error: calendarError(say, k.error),
                  })} {k.lastSyncedAt
                  ? say("business.calendars.last_synced", {
                    date: longDate(k.lastSyncedAt, timezone),
                    time: time(k.lastSyncedAt, timezone),
                  })
                  : say("business.calendars.never_synced")}
              </p>
              <div class="actions">
                <form method="post" action={`/settings/calendars/${k.id}/sync`}>
                  <Csrf token={csrf} />
                  <button type="submit" class="secondary">
                    {say("business.calendars.sync_now")}
                  </button>
                </form>
                <form
                  method="post"
                  action={`/settings/calendars/${k.id}/delete`}
                >
                  <Csrf token={csrf} />
                  <button type="submit" class="secondary danger">
                    {say("business.calendars.remove", { name: k.name })}
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
              <label for="calendar-url">
                {say("business.calendars.url_label")}
              </label>
              <input
                id="calendar-url"
                name="url"
                type="text"
                inputmode="url"
                required
                maxlength={2048}
                placeholder={say("business.calendars.url_placeholder")}
              />
            </div>
            <div class="field">
              <label for="calendar-name">
                {say("business.calendars.name_label")}
              </label>
              <input
                id="calendar-name"
                name="name"
                type="text"
                maxlength={100}
                placeholder={say("business.calendars.name_placeholder")}
              />
            </div>
            <button type="submit">{say("business.calendars.add")}</button>
          </form>
        )
        : <p>{say("business.calendars.at_most", { count: max })}</p>}
      <details>
        <summary>{say("business.calendars.where")}</summary>
        <ul>
          <li>{sayRich("business.calendars.google", {}, strong)}</li>
          <li>{sayRich("business.calendars.apple", {}, strong)}</li>
          <li>{sayRich("business.calendars.outlook", {}, strong)}</li>
        </ul>
      </details>
    </section>
  );
}
