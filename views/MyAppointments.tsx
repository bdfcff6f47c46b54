import type { Child } from "hono/jsx";
import type { Appointment } from "../domain/types.ts";
import type { ClientChoices } from "../domain/appointments.ts";
import { badgeClass, statusWords } from "./status.ts";
import { WeeklyBadge } from "./SeriesViews.tsx";
import { Csrf } from "./Layout.tsx";
import { lengthInWords, longDate, minutesBetween, time } from "./format.ts";
import type { TrainerContact } from "../domain/contact.ts";
import { ContactLinks, YourTrainerCard } from "./ContactViews.tsx";
import { currentLocale, useSay, useSayRich } from "./locale.ts";
import { CANCEL_REASONS, reasonIn } from "../lib/cancel_reasons.ts";

/** "Less than 12 hours to go: contact your trainer to cancel." */
export const LateWindowNote = (
  { cancelNoticeMinutes, contact }: {
    cancelNoticeMinutes: number;
    contact?: TrainerContact;
  },
) => {
  const say = useSay();
  return (
    <p class="hint late-window">
      {cancelNoticeMinutes > 0
        ? say("client.my.late_window", {
          window: lengthInWords(cancelNoticeMinutes),
        })
        : say("client.my.about_to_start")} <ContactLinks contact={contact} />
    </p>
  );
};

/** A stored cancel reason in the page's words (lib/cancel_reasons.ts). */
export const reasonWords = (reason: string) =>
  reasonIn(currentLocale(), reason);

/** The reason form: radio choices plus free text; used in the dialog and on its own page. */
export function CancelForm({ csrf, a }: { csrf: string; a: Appointment }) {
  const say = useSay();
  return (
    <form method="post" action={`/appointments/${a.id}/cancel`}>
      <Csrf token={csrf} />
      <fieldset>
        <legend>{say("client.cancel.why")}</legend>
        {CANCEL_REASONS.map(([value, , key]) => (
          <label class="check">
            <input type="radio" name="reason" value={value} /> {say(key)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={`details-${a.id}`}>{say("client.cancel.details")}</label>
        <textarea id={`details-${a.id}`} name="details" maxlength={400}>
        </textarea>
      </div>
      <button type="submit" class="danger">
        {say("client.cancel.button")}
      </button>
    </form>
  );
}

function Item(
  { a, now, csrf, choices, cancelNoticeMinutes, contact }: {
    a: Appointment;
    now: Temporal.Instant;
    csrf: string;
    choices: ClientChoices;
    cancelNoticeMinutes: number;
    contact?: TrainerContact;
  },
) {
  const say = useSay();
  const tz = a.timezone;
  const words = statusWords(a, "client", now, currentLocale());
  return (
    <li class="card appointment" x-data="dialogAction">
      <div class="spread">
        <strong>{longDate(a.start, tz)}</strong>
        <span class={badgeClass(words)}>{words.text}</span>
      </div>
      <p>
        {say("client.my.line", {
          start: time(a.start, tz),
          end: time(a.end, tz),
          minutes: minutesBetween(a.start, a.end),
          trainer: a.trainerName,
        })} <WeeklyBadge a={a} link={false} />
      </p>
      {a.cancellationReason && (
        <p class="muted">
          {say("client.my.reason", {
            reason: reasonWords(a.cancellationReason),
          })}
        </p>
      )}
      <div class="row">
        <a href={`/appointments/${a.id}`}>{say("client.my.details")}</a>
        {choices.move && (
          <a class="button secondary" href={`/appointments/${a.id}/move`}>
            {say("client.my.move")}
          </a>
        )}
        {choices.cancel && (
          <>
            <a
              class="button danger"
              href={`/appointments/${a.id}/cancel`}
              data-hx-boost="false"
              x-on:click="open"
            >
              {say("client.my.cancel")}
            </a>
            <dialog x-ref="dialog" aria-label={say("client.my.cancel_label")}>
              <h2>
                {say("client.cancel.heading", {
                  day: longDate(a.start, tz),
                  time: time(a.start, tz),
                })}
              </h2>
              <CancelForm csrf={csrf} a={a} />
              <button
                type="button"
                class="secondary"
                x-on:click="close"
              >
                {say("client.cancel.keep")}
              </button>
            </dialog>
          </>
        )}
      </div>
      {choices.tooLate && (
        <LateWindowNote
          cancelNoticeMinutes={cancelNoticeMinutes}
          contact={contact}
        />
      )}
    </li>
  );
}

export function MyAppointments(
  {
    tab,
    list,
    now,
    csrf,
    choices,
    cancelNoticeMinutes,
    credits,
    contact,
    classes,
  }: {
    tab: "upcoming" | "history";
    now: Temporal.Instant;
    list: readonly Appointment[];
    csrf: string;
    /** What the client may still do with each session (by id). */
    choices: (a: Appointment) => ClientChoices;
    cancelNoticeMinutes: number;
    /** Their balance and packages (views/CreditViews.tsx). */
    credits?: Child;
    /** Their trainer and how to reach them. */
    contact?: TrainerContact;
    /** Their seats and waitlist places in classes, for the same tab. */
    classes?: Child;
  },
) {
  const say = useSay();
  const sayRich = useSayRich();
  const book = {
    link: (w: string[]) => <a href="/calendar">{w}</a>,
  };
  return (
    <section>
      <h1>{say("client.my.heading")}</h1>
      {credits}
      <nav class="tabs" aria-label={say("client.my.tabs")}>
        <a
          href="/appointments?tab=upcoming"
          aria-current={tab === "upcoming" ? "page" : undefined}
        >
          {say("client.my.upcoming")}
        </a>
        <a
          href="/appointments?tab=history"
          aria-current={tab === "history" ? "page" : undefined}
        >
          {say("client.my.history")}
        </a>
      </nav>
      {list.length === 0
        ? (
          <p class="muted">
            {tab === "upcoming"
              ? sayRich("client.my.empty_upcoming", {}, book)
              : sayRich("client.my.empty_history", {}, book)}
          </p>
        )
        : (
          <ul class="plain">
            {list.map((a) => (
              <Item
                a={a}
                now={now}
                csrf={csrf}
                choices={choices(a)}
                cancelNoticeMinutes={cancelNoticeMinutes}
                contact={contact}
              />
            ))}
          </ul>
        )}
      {classes}
      {contact && <YourTrainerCard contact={contact} />}
    </section>
  );
}
