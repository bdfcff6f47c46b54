import type { Child } from "hono/jsx";
import type { Appointment } from "../domain/types.ts";
import type { ClientChoices } from "../domain/appointments.ts";
import { LateWindowNote, reasonWords } from "./MyAppointments.tsx";
import { badgeClass, statusWords } from "./status.ts";
import type { Slot } from "../domain/types.ts";
import { Csrf } from "./Layout.tsx";
import {
  lengthInWords,
  longDate,
  minutesBetween,
  shortDateTime,
  time,
  zoneLabel,
} from "./format.ts";
import { slotCellId } from "./WeekGrid.tsx";
import type { TrainerContact } from "../domain/contact.ts";
import { ContactLinks } from "./ContactViews.tsx";
import { currentLocale, useSay, useSayRich } from "./locale.ts";

type ConfirmProps = Readonly<{
  csrf: string;
  /** Sent back with the booking: the same form sent twice books once. */
  formKey: string;
  slot: Slot;
  trainerName: string;
  timezone: string;
  /** Rendered inside the week grid (htmx) rather than as a page. */
  inCell?: boolean;
  error?: string;
  /** What paying for it takes ("Uses 1 of your 4 sessions."). */
  credit?: Child;
  /** Why it cannot be booked (no credit left): shown instead of the form. */
  blocked?: Child;
  /** The rules that will bind this session, said before the tap. */
  rules: BookingRules;
}>;

/** What the client commits to: the cancel/move window and whether the trainer confirms. */
export type BookingRules = Readonly<{
  cancelNoticeMinutes: number;
  /** The session already starts inside the window: no cancelling or moving it oneself. */
  insideWindow: boolean;
  requiresConfirmation: boolean;
  contact?: TrainerContact;
}>;

/** "You can cancel or move it yourself until Mon 14 Dec, 08:00 (12 hours before)." */
function RulesNote(
  { rules, slot, timezone, trainerName }: {
    rules: BookingRules;
    slot: Slot;
    timezone: string;
    trainerName: string;
  },
) {
  const say = useSay();
  const sayRich = useSayRich();
  const strong = { b: (w: string[]) => <strong>{w}</strong> };
  const window = lengthInWords(rules.cancelNoticeMinutes);
  const deadline = slot.start.subtract({ minutes: rules.cancelNoticeMinutes });
  return (
    <div class="rules-note">
      {rules.requiresConfirmation && (
        <p>
          {sayRich(
            "client.book.rules_confirms",
            { trainer: trainerName },
            strong,
          )}
        </p>
      )}
      <p>
        {rules.cancelNoticeMinutes === 0
          ? say("client.book.rules_until_start")
          : rules.insideWindow
          ? (
            <>
              {sayRich("client.book.rules_inside_window", {
                window,
                trainer: trainerName,
              }, strong)} <ContactLinks contact={rules.contact} />
            </>
          )
          : say("client.book.rules_until", {
            deadline: shortDateTime(deadline, timezone),
            window,
          })}
      </p>
    </div>
  );
}

/** The confirm step: what, when and with whom, before anything is booked. */
export function ConfirmBooking(
  {
    csrf,
    formKey,
    slot,
    trainerName,
    timezone,
    inCell,
    error,
    credit,
    blocked,
    rules,
  }: ConfirmProps,
) {
  const say = useSay();
  const start = slot.start.toString();
  const week = slot.date;
  const details = (
    <dl class="facts">
      <dt>{say("client.detail.with")}</dt>
      <dd>{trainerName}</dd>
      <dt>{say("client.detail.date")}</dt>
      <dd>{longDate(slot.start, timezone)}</dd>
      <dt>{say("client.detail.time")}</dt>
      <dd>
        {say("client.detail.time_span", {
          start: time(slot.start, timezone),
          end: time(slot.end, timezone),
          minutes: minutesBetween(slot.start, slot.end),
        })}
      </dd>
      <dt>{say("client.detail.zone")}</dt>
      <dd>{zoneLabel(timezone, slot.start)}</dd>
    </dl>
  );
  const heading = blocked
    ? say("client.book.no_sessions_left")
    : rules.requiresConfirmation
    ? say("client.book.request_heading")
    : say("client.book.confirm_heading");
  const headingId = `heading-${slotCellId(slot)}`;
  const back = inCell
    ? (
      <button
        type="button"
        class="secondary"
        data-hx-get={`/calendar/cell?start=${encodeURIComponent(start)}`}
        data-hx-target={`#${slotCellId(slot)}`}
        data-hx-swap="outerHTML"
        data-hx-disabled-elt="this"
      >
        {say("client.book.back")}
      </button>
    )
    : (
      <a class="button secondary" href={`/calendar?week=${week}&day=${week}`}>
        {say("client.book.back_to_calendar")}
      </a>
    );
  const form = blocked
    ? (
      <>
        {blocked}
        <div class="row">{back}</div>
      </>
    )
    : (
      <form
        method="post"
        action="/book"
        {...(inCell
          ? {
            "data-hx-post": "/book?cell=1",
            "data-hx-target": `#${slotCellId(slot)}`,
            "data-hx-swap": "outerHTML",
            "data-hx-disabled-elt": "find button[type=submit]",
          }
          : {})}
      >
        <Csrf token={csrf} />
        <input type="hidden" name="start" value={start} />
        <input type="hidden" name="key" value={formKey} />
        <div class="field">
          <label for={`note-${slotCellId(slot)}`}>
            {say("client.book.note_label")}
          </label>
          <textarea
            id={`note-${slotCellId(slot)}`}
            name="notes"
            maxlength={2000}
          >
          </textarea>
        </div>
        <div class="row">
          <button type="submit">
            {rules.requiresConfirmation
              ? say("client.book.request_button")
              : say("client.book.book_button")}
          </button>
          {back}
        </div>
      </form>
    );
  if (inCell) {
    return (
      <li id={slotCellId(slot)} class="slot slot-confirm">
        {/* On a phone it opens in its day; on a desktop a panel over the week (app.css). */}
        <div class="confirm-panel" role="dialog" aria-labelledby={headingId}>
          <h4 id={headingId} tabindex={-1}>{heading}</h4>
          {error && <p class="error">{error}</p>}
          {details}
          {!blocked && (
            <RulesNote
              rules={rules}
              slot={slot}
              timezone={timezone}
              trainerName={trainerName}
            />
          )}
          {credit}
          {form}
        </div>
      </li>
    );
  }
  return (
    <section class="card narrow">
      <h1>{heading}</h1>
      {error && <p class="flash flash-error" role="alert">{error}</p>}
      {details}
      {!blocked && (
        <RulesNote
          rules={rules}
          slot={slot}
          timezone={timezone}
          trainerName={trainerName}
        />
      )}
      {credit}
      {form}
    </section>
  );
}

/** The confirmation screen and the appointment's own page. */
export function AppointmentDetail(
  { a, now, justBooked, viewer, choices, cancelNoticeMinutes, contact }: {
    a: Appointment;
    now: Temporal.Instant;
    justBooked: boolean;
    viewer: "trainer" | "client";
    /** What the viewer may still do with it (a trainer: any live session). */
    choices: ClientChoices;
    cancelNoticeMinutes: number;
    /** The trainer's phone/e-mail, for a client told to contact them. */
    contact?: TrainerContact;
  },
) {
  const say = useSay();
  const tz = a.timezone;
  const words = statusWords(a, viewer, now, currentLocale());
  return (
    <section class="card narrow">
      {justBooked
        ? (
          <h1>
            {a.status === "pending"
              ? say("client.detail.request_sent")
              : say("client.detail.booked")}
          </h1>
        )
        : <h1>{say("client.detail.heading")}</h1>}
      {justBooked && (
        <p class="flash flash-ok" role="status">
          {a.status === "pending"
            ? say("client.detail.request_sent_text", { trainer: a.trainerName })
            : say("client.detail.booked_text", { trainer: a.trainerName })}
        </p>
      )}
      <dl class="facts">
        <dt>
          {viewer === "client"
            ? say("client.detail.with")
            : say("client.detail.client")}
        </dt>
        <dd>{viewer === "client" ? a.trainerName : a.clientName}</dd>
        <dt>{say("client.detail.date")}</dt>
        <dd>{longDate(a.start, tz)}</dd>
        <dt>{say("client.detail.time")}</dt>
        <dd>
          {say("client.detail.time_span", {
            start: time(a.start, tz),
            end: time(a.end, tz),
            minutes: minutesBetween(a.start, a.end),
          })}
        </dd>
        <dt>{say("client.detail.zone")}</dt>
        <dd>{zoneLabel(tz, a.start)}</dd>
        <dt>{say("client.detail.status")}</dt>
        <dd>
          <span class={badgeClass(words)}>{words.text}</span>
        </dd>
        {a.notes && (
          <>
            <dt>{say("client.detail.notes")}</dt>
            <dd>{a.notes}</dd>
          </>
        )}
        {a.cancellationReason && (
          <>
            <dt>{say("client.detail.reason")}</dt>
            <dd>{reasonWords(a.cancellationReason)}</dd>
          </>
        )}
      </dl>
      <div class="row">
        {a.status !== "cancelled" && (
          <a
            class="button secondary"
            href={`/appointments/${a.id}/calendar.ics`}
            download="spotter-session.ics"
            data-hx-boost="false"
          >
            {say("client.detail.add_to_calendar")}
          </a>
        )}
        {choices.move && (
          <a class="button secondary" href={`/appointments/${a.id}/move`}>
            {say("client.detail.move")}
          </a>
        )}
        {choices.cancel && (
          <a class="button danger" href={`/appointments/${a.id}/cancel`}>
            {say("client.detail.cancel")}
          </a>
        )}
        <a class="button secondary" href="/appointments">
          {say("client.detail.my_appointments")}
        </a>
      </div>
      {choices.tooLate && (
        <LateWindowNote
          cancelNoticeMinutes={cancelNoticeMinutes}
          contact={contact}
        />
      )}
    </section>
  );
}

/** The step before a client's move: from when to when, one button. */
export function ConfirmMove(
  { a, to, csrf, back }: {
    a: Appointment;
    to: Readonly<{ start: Temporal.Instant; end: Temporal.Instant }>;
    csrf: string;
    back: string;
  },
) {
  const say = useSay();
  const tz = a.timezone;
  return (
    <section class="card narrow">
      <h1>{say("client.move.heading")}</h1>
      <dl class="facts">
        <dt>{say("client.move.from")}</dt>
        <dd>
          {longDate(a.start, tz)}, {time(a.start, tz)}–{time(a.end, tz)}
        </dd>
        <dt>{say("client.move.to")}</dt>
        <dd>
          <strong>
            {longDate(to.start, tz)}, {time(to.start, tz)}–{time(to.end, tz)}
          </strong>
        </dd>
        <dt>{say("client.detail.with")}</dt>
        <dd>{a.trainerName}</dd>
        <dt>{say("client.detail.zone")}</dt>
        <dd>{zoneLabel(tz, to.start)}</dd>
      </dl>
      <form method="post" action={`/appointments/${a.id}/move`}>
        <Csrf token={csrf} />
        <input type="hidden" name="start" value={to.start.toString()} />
        <button type="submit">{say("client.move.button")}</button>
      </form>
      <p>
        <a href={back}>{say("client.move.pick_again")}</a> ·{" "}
        <a href={`/appointments/${a.id}`}>{say("client.move.keep")}</a>
      </p>
    </section>
  );
}
