import type { Child } from "hono/jsx";
import { badgeClass, cancelledText, statusWords } from "./status.ts";
import { Csrf, Field } from "./Layout.tsx";
import { isExpiredRequest } from "../domain/appointments.ts";
import type { Appointment } from "../domain/types.ts";
import {
  longDate,
  longDay,
  minutesBetween,
  time,
  zoneLabel,
} from "./format.ts";

type Errors = Readonly<Record<string, string | undefined>>;
type Values = Readonly<Record<string, string | undefined>>;

export type AgendaView = "day" | "week";

const live = (a: Appointment) =>
  a.status === "scheduled" || a.status === "pending";

export const scheduleHref = (date: string, view: AgendaView) =>
  `/schedule?date=${date}&view=${view}`;

export type AgendaDay = Readonly<{
  date: Temporal.PlainDate;
  today: boolean;
  sessions: readonly Appointment[];
}>;

/** Plain links that htmx turns into swaps of just the agenda. */
function AgendaLink(
  { href, children, current }: {
    href: string;
    children: Child;
    current?: boolean;
  },
) {
  return (
    <a
      href={href}
      hx-get={href}
      hx-target="#agenda"
      hx-swap="outerHTML"
      hx-push-url="true"
      aria-current={current ? "page" : undefined}
    >
      {children}
    </a>
  );
}

/** The agenda: one swap target, also the middle of the full schedule page. */
export function Agenda(
  { view, date, today, days, timezone, now, csrf }: {
    view: AgendaView;
    date: Temporal.PlainDate;
    today: Temporal.PlainDate;
    days: readonly AgendaDay[];
    timezone: string;
    now: Temporal.Instant;
    csrf: string;
  },
) {
  const step = view === "week" ? { days: 7 } : { days: 1 };
  const prev = date.subtract(step).toString();
  const next = date.add(step).toString();
  const heading = view === "week"
    ? `Week of ${longDay(days[0].date)}`
    : longDay(date);
  const back = scheduleHref(date.toString(), view);
  const count = days.reduce((n, d) => n + d.sessions.length, 0);
  return (
    <section id="agenda" class="agenda" aria-live="polite">
      <nav class="tabs" aria-label="View">
        <AgendaLink
          href={scheduleHref(date.toString(), "day")}
          current={view === "day"}
        >
          Day
        </AgendaLink>
        <AgendaLink
          href={scheduleHref(date.toString(), "week")}
          current={view === "week"}
        >
          Week
        </AgendaLink>
      </nav>
      <nav class="week-nav" aria-label="Dates">
        <AgendaLink href={scheduleHref(prev, view)}>
          ← {view === "week" ? "Previous week" : "Previous day"}
        </AgendaLink>
        <AgendaLink href={scheduleHref(today.toString(), view)}>
          Today
        </AgendaLink>
        <AgendaLink href={scheduleHref(next, view)}>
          {view === "week" ? "Next week" : "Next day"} →
        </AgendaLink>
      </nav>
      <h2>{heading}</h2>
      <p class="muted">
        Times are in your time zone, {zoneLabel(timezone, now)}.{" "}
        {count === 0 ? "" : count === 1 ? "1 session." : `${count} sessions.`}
      </p>
      {days.map((day) => (
        <section class={day.today ? "agenda-day today" : "agenda-day"}>
          {view === "week" && <h3>{longDay(day.date)}</h3>}
          {day.sessions.length === 0
            ? <p class="muted">No sessions.</p>
            : (
              <ul class="sessions">
                {day.sessions.map((a) => (
                  <SessionItem
                    a={a}
                    timezone={timezone}
                    now={now}
                    csrf={csrf}
                    back={back}
                  />
                ))}
              </ul>
            )}
        </section>
      ))}
    </section>
  );
}

/** The session's state in the one set of words, as the trainer reads it. */
export function StatusBadge(
  { a, now }: { a: Appointment; now: Temporal.Instant },
) {
  const w = statusWords(a, "trainer", now);
  return <span class={badgeClass(w)}>{w.text}</span>;
}

/** Who cancelled a session and why, for a cancelled one. */
export function CancelledLine({ a }: { a: Appointment }) {
  if (a.status !== "cancelled") return null;
  return (
    <p class="muted">
      {cancelledText(a, "trainer")}
      {a.cancellationReason ? `: ${a.cancellationReason}` : "."}
    </p>
  );
}

function SessionItem(
  { a, timezone, now, csrf, back }: {
    a: Appointment;
    timezone: string;
    now: Temporal.Instant;
    csrf: string;
    back: string;
  },
) {
  const started = Temporal.Instant.compare(a.start, now) <= 0;
  const expired = isExpiredRequest(a, now);
  return (
    <li class={`session session-${statusWords(a, "trainer", now).tone}`}>
      <div class="spread">
        <strong class="session-time">
          {time(a.start, timezone)}–{time(a.end, timezone)}
        </strong>
        <StatusBadge a={a} now={now} />
      </div>
      <p class="session-client">
        {a.clientName}{" "}
        <span class="muted">· {minutesBetween(a.start, a.end)} min</span>
      </p>
      {a.notes && <p class="session-notes">{a.notes}</p>}
      <CancelledLine a={a} />
      <div class="row session-actions">
        {a.status === "pending" && !expired && (
          <ActionButton
            action={`/schedule/${a.id}/confirm`}
            csrf={csrf}
            back={back}
            label="Confirm"
          />
        )}
        {a.status === "scheduled" && started && (
          <ActionButton
            action={`/schedule/${a.id}/complete`}
            csrf={csrf}
            back={back}
            label="Mark completed"
          />
        )}
        <a class="button secondary" href={`/schedule/${a.id}/edit`}>
          {live(a) ? "Edit / move" : "Edit notes"}
        </a>
        {live(a) && (
          <DialogAction
            label={a.status === "pending" ? "Decline" : "Cancel"}
            href={`/schedule/${a.id}/cancel?${backQuery(back)}`}
            danger
          >
            <CancelSessionForm
              a={a}
              timezone={timezone}
              now={now}
              csrf={csrf}
              back={back}
            />
          </DialogAction>
        )}
        <DialogAction
          label="Delete"
          href={`/schedule/${a.id}/delete?${backQuery(back)}`}
          danger
        >
          <DeleteSessionForm
            a={a}
            timezone={timezone}
            now={now}
            csrf={csrf}
            back={back}
          />
        </DialogAction>
      </div>
    </li>
  );
}

const backQuery = (back: string) => new URLSearchParams({ back }).toString();

function ActionButton(
  { action, csrf, back, label }: {
    action: string;
    csrf: string;
    back: string;
    label: string;
  },
) {
  return (
    <form method="post" action={action} class="inline">
      <Csrf token={csrf} />
      <input type="hidden" name="back" value={back} />
      <button type="submit">{label}</button>
    </form>
  );
}

/**
 * A link to a confirm page without JavaScript; with Alpine, a button that opens
 * the same form in a `<dialog>`.
 */
function DialogAction(
  { label, href, danger, children }: {
    label: string;
    href: string;
    danger?: boolean;
    children: Child;
  },
) {
  const cls = danger ? "button danger" : "button secondary";
  return (
    <div class="dialog-action" x-data="dialogAction">
      <a class={cls} href={href} x-show="false">{label}</a>
      <button
        type="button"
        class={danger ? "danger" : "secondary"}
        x-cloak
        x-on:click="open"
      >
        {label}
      </button>
      <dialog x-ref="dialog">
        {children}
        <p>
          <button
            type="button"
            class="link"
            x-on:click="close"
          >
            Keep it
          </button>
        </p>
      </dialog>
    </div>
  );
}

function SessionSummary(
  { a, timezone, now }: {
    a: Appointment;
    timezone: string;
    now: Temporal.Instant;
  },
) {
  const date = a.start.toZonedDateTimeISO(timezone).toPlainDate();
  return (
    <p>
      <strong>{a.clientName}</strong>, {longDay(date)},{" "}
      {time(a.start, timezone)}–{time(a.end, timezone)}{" "}
      ({minutesBetween(a.start, a.end)} min, {timezone.replaceAll("_", " ")})
      {" "}
      <StatusBadge a={a} now={now} />
    </p>
  );
}

export function CancelSessionForm(
  { a, timezone, now, csrf, back, reason = "", error }: {
    a: Appointment;
    timezone: string;
    now: Temporal.Instant;
    csrf: string;
    back: string;
    reason?: string;
    error?: string;
  },
) {
  const id = `reason-${a.id}`;
  const decline = a.status === "pending";
  return (
    <form method="post" action={`/schedule/${a.id}/cancel`}>
      <h2>{decline ? "Decline this request?" : "Cancel this session?"}</h2>
      <SessionSummary a={a} timezone={timezone} now={now} />
      <Csrf token={csrf} />
      <input type="hidden" name="back" value={back} />
      <div class={error ? "field invalid" : "field"}>
        <label for={id}>Reason (optional, the client sees it)</label>
        <textarea
          id={id}
          name="reason"
          maxlength={500}
          aria-invalid={error ? "true" : undefined}
        >
          {reason}
        </textarea>
        {error && <small class="error">{error}</small>}
      </div>
      {a.seriesId && (
        <label class="check">
          <input type="checkbox" name="following" value="1" />{" "}
          Also cancel the later sessions of this weekly series
        </label>
      )}
      <button type="submit" class="danger">
        {decline ? "Decline request" : "Cancel session"}
      </button>
    </form>
  );
}

export function DeleteSessionForm(
  { a, timezone, now, csrf, back }: {
    a: Appointment;
    timezone: string;
    now: Temporal.Instant;
    csrf: string;
    back: string;
  },
) {
  return (
    <form method="post" action={`/schedule/${a.id}/delete`}>
      <h2>Delete this session?</h2>
      <SessionSummary a={a} timezone={timezone} now={now} />
      <p>
        It disappears for good and is not counted anywhere. To keep a record,
        cancel it instead.
      </p>
      <Csrf token={csrf} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" class="danger">Delete session</button>
    </form>
  );
}

export function ConfirmPage(
  { back, children }: { back: string; children: Child },
) {
  return (
    <section class="card narrow">
      {children}
      <p>
        <a href={back}>Back to the schedule</a>
      </p>
    </section>
  );
}

function SessionTimeFields(
  { values, errors, timezone }: {
    values: Values;
    errors: Errors;
    timezone: string;
  },
) {
  return (
    <>
      <div class="row session-when">
        <Field
          label="Date"
          name="date"
          type="date"
          value={values.date}
          error={errors.date}
          required
        />
        <Field
          label={`Time (${timezone.replaceAll("_", " ")})`}
          name="time"
          type="time"
          value={values.time}
          error={errors.time}
          required
        />
        <Field
          label="Length (minutes)"
          name="duration"
          type="number"
          value={values.duration}
          error={errors.duration}
          required
          min={15}
          max={240}
          step={5}
        />
      </div>
    </>
  );
}

function NotesField({ value, error }: { value?: string; error?: string }) {
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for="f-notes">Notes</label>
      <textarea
        id="f-notes"
        name="notes"
        maxlength={2000}
        aria-invalid={error ? "true" : undefined}
      >
        {value ?? ""}
      </textarea>
      {error && <small class="error">{error}</small>}
    </div>
  );
}

const FormProblem = ({ message }: { message?: string }) =>
  message ? <p class="flash flash-error" role="alert">{message}</p> : null;

export function NewSessionForm(
  { csrf, clients, values, errors = {}, message, timezone }: {
    csrf: string;
    clients: readonly { id: string; name: string }[];
    values: Values;
    errors?: Errors;
    message?: string;
    timezone: string;
  },
) {
  return (
    <section class="card" id="new-session">
      <h2>New session</h2>
      {clients.length === 0
        ? (
          <p class="muted">
            No clients yet. Share your referral code from your{" "}
            <a href="/profile">profile</a> so clients can join.
          </p>
        )
        : (
          <form method="post" action="/schedule">
            <Csrf token={csrf} />
            <FormProblem message={message} />
            <div class={errors.clientId ? "field invalid" : "field"}>
              <label for="f-clientId">Client</label>
              <select id="f-clientId" name="clientId" required>
                <option value="">Choose a client…</option>
                {clients.map((cl) => (
                  <option value={cl.id} selected={cl.id === values.clientId}>
                    {cl.name}
                  </option>
                ))}
              </select>
              {errors.clientId && <small class="error">{errors.clientId}
              </small>}
            </div>
            <SessionTimeFields
              values={values}
              errors={errors}
              timezone={timezone}
            />
            <NotesField value={values.notes} error={errors.notes} />
            <RepeatFields values={values} errors={errors} />
            <p class="hint">
              You may book any time, also outside your working hours, as long as
              it does not overlap another session.
            </p>
            <button type="submit">Book session</button>
          </form>
        )}
    </section>
  );
}

/**
 * The new-session form's date, sent out of band beside an htmx agenda swap: the form
 * follows the day the trainer moved to, as it does on a full page load.
 */
export const NewSessionDateSwap = ({ date }: { date: string }) => (
  <input
    id="f-date"
    name="date"
    type="date"
    value={date}
    required
    hx-swap-oob="true"
  />
);

export function EditSessionForm(
  { a, csrf, values, errors = {}, message, timezone, now }: {
    a: Appointment;
    now: Temporal.Instant;
    csrf: string;
    values: Values;
    errors?: Errors;
    message?: string;
    timezone: string;
  },
) {
  return (
    <section class="card narrow">
      <h1>{live(a) ? "Edit or move session" : "Edit session notes"}</h1>
      <SessionSummary a={a} timezone={timezone} now={now} />
      <form method="post" action={`/schedule/${a.id}/edit`}>
        <Csrf token={csrf} />
        <FormProblem message={message} />
        {live(a) && (
          <SessionTimeFields
            values={values}
            errors={errors}
            timezone={timezone}
          />
        )}
        <NotesField value={values.notes} error={errors.notes} />
        <button type="submit">Save</button>
      </form>
      <p>
        <a href={scheduleHref(localDate(a, timezone), "day")}>
          Back to the schedule
        </a>
      </p>
    </section>
  );
}

const localDate = (a: Appointment, timezone: string) =>
  a.start.toZonedDateTimeISO(timezone).toPlainDate().toString();

export function SchedulePage(
  { agenda, form }: { agenda: Child; form: Child },
) {
  return (
    <>
      <h1>Schedule</h1>
      {agenda}
      {form}
    </>
  );
}

/** "Repeat weekly for N weeks / until a date": optional, on the new-session form. */
function RepeatFields({ values, errors }: { values: Values; errors: Errors }) {
  return (
    <fieldset class="repeat">
      <legend>Repeat weekly (optional)</legend>
      <p class="hint">
        Same day and local time every week; leave both empty for one session.
      </p>
      <div class="row">
        <Field
          label="For how many weeks (2–52)"
          name="weeks"
          type="number"
          min={2}
          max={52}
          value={values.weeks}
          error={errors.weeks}
        />
        <Field
          label="Or until (last date)"
          name="until"
          type="date"
          value={values.until}
          error={errors.until}
        />
      </div>
    </fieldset>
  );
}

const CONFLICT_TEXT = {
  slot_taken: "overlaps another session",
  holiday: "is one of your holidays",
} as const;

/** Before saving a series with conflicts: every date, and what to do about them. */
export function SeriesPreview(
  { csrf, values, occurrences, timezone }: {
    csrf: string;
    values: Values;
    occurrences: readonly {
      start: Temporal.Instant;
      end: Temporal.Instant;
      conflict?: keyof typeof CONFLICT_TEXT;
    }[];
    timezone: string;
  },
) {
  const free = occurrences.filter((o) => !o.conflict).length;
  const clash = occurrences.length - free;
  return (
    <section class="card narrow">
      <h1>Check the dates</h1>
      <p>
        {clash} of the {occurrences.length} dates{" "}
        {clash === 1 ? "conflicts" : "conflict"}. Nothing is booked yet.
      </p>
      <ul class="plain series-dates">
        {occurrences.map((o) => (
          <li class={o.conflict ? "conflict" : "free"}>
            <time datetime={o.start.toString()}>
              {longDate(o.start, timezone)}, {time(o.start, timezone)}
            </time>{" "}
            {o.conflict
              ? <strong class="error">— {CONFLICT_TEXT[o.conflict]}</strong>
              : <span class="muted">— free</span>}
          </li>
        ))}
      </ul>
      {free > 0 && (
        <form method="post" action="/schedule">
          <Csrf token={csrf} />
          {Object.entries(values).filter(([k]) =>
            k !== "_csrf" && k !== "onConflict"
          ).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <input type="hidden" name="onConflict" value="skip" />
          <button type="submit">
            Book the {free} free {free === 1 ? "date" : "dates"}, skip {clash}
          </button>
        </form>
      )}
      <p>
        <a href={scheduleHref(values.date ?? "", "day")}>
          Cancel the request
        </a>
      </p>
    </section>
  );
}
