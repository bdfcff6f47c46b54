import type { Child } from "hono/jsx";
import type { Appointment } from "../domain/types.ts";
import type { ClientChoices } from "../domain/appointments.ts";
import { badgeClass, statusWords } from "./status.ts";
import { WeeklyBadge } from "./SeriesViews.tsx";
import { Csrf } from "./Layout.tsx";
import { lengthInWords, longDate, minutesBetween, time } from "./format.ts";
import type { TrainerContact } from "../domain/contact.ts";
import { ContactLinks, YourTrainerCard } from "./ContactViews.tsx";

/** "Less than 12 hours to go: contact your trainer to cancel." */
export const LateWindowNote = (
  { cancelNoticeMinutes, contact }: {
    cancelNoticeMinutes: number;
    contact?: TrainerContact;
  },
) => (
  <p class="hint late-window">
    {cancelNoticeMinutes > 0
      ? `Less than ${
        lengthInWords(cancelNoticeMinutes)
      } to go: contact your trainer to cancel or move it.`
      : "It is about to start: contact your trainer to cancel or move it."}{" "}
    <ContactLinks contact={contact} />
  </p>
);

export const CANCEL_REASONS = [
  ["sick", "Sick"],
  ["schedule", "Schedule conflict"],
  ["travel", "Travel"],
  ["other", "Other"],
] as const;

/** The reason form: radio choices plus free text; used in the dialog and on its own page. */
export function CancelForm({ csrf, a }: { csrf: string; a: Appointment }) {
  return (
    <form method="post" action={`/appointments/${a.id}/cancel`}>
      <Csrf token={csrf} />
      <fieldset>
        <legend>Why are you cancelling?</legend>
        {CANCEL_REASONS.map(([value, label]) => (
          <label class="check">
            <input type="radio" name="reason" value={value} /> {label}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={`details-${a.id}`}>Anything to add? (optional)</label>
        <textarea id={`details-${a.id}`} name="details" maxlength={400}>
        </textarea>
      </div>
      <button type="submit" class="danger">Cancel the session</button>
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
  const tz = a.timezone;
  const words = statusWords(a, "client", now);
  return (
    <li class="card appointment" x-data="dialogAction">
      <div class="spread">
        <strong>{longDate(a.start, tz)}</strong>
        <span class={badgeClass(words)}>{words.text}</span>
      </div>
      <p>
        {time(a.start, tz)}–{time(a.end, tz)} · {minutesBetween(a.start, a.end)}
        {" "}
        min with {a.trainerName} <WeeklyBadge a={a} link={false} />
      </p>
      {a.cancellationReason && (
        <p class="muted">Reason: {a.cancellationReason}</p>
      )}
      <div class="row">
        <a href={`/appointments/${a.id}`}>Details</a>
        {choices.move && (
          <a class="button secondary" href={`/appointments/${a.id}/move`}>
            Move
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
              Cancel
            </a>
            <dialog x-ref="dialog" aria-label="Cancel session">
              <h2>Cancel {longDate(a.start, tz)}, {time(a.start, tz)}?</h2>
              <CancelForm csrf={csrf} a={a} />
              <button
                type="button"
                class="secondary"
                x-on:click="close"
              >
                Keep it
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
  return (
    <section>
      <h1>My appointments</h1>
      {credits}
      <nav class="tabs" aria-label="Appointments">
        <a
          href="/appointments?tab=upcoming"
          aria-current={tab === "upcoming" ? "page" : undefined}
        >
          Upcoming
        </a>
        <a
          href="/appointments?tab=history"
          aria-current={tab === "history" ? "page" : undefined}
        >
          History
        </a>
      </nav>
      {list.length === 0
        ? (
          <p class="muted">
            {tab === "upcoming"
              ? "Nothing booked yet. "
              : "No past sessions yet. "}
            <a href="/calendar">Book a session</a>
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
