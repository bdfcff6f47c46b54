/** The trainer's forms for one session: book a new one (once or weekly), edit or move one. */
import { Csrf, Field } from "./Layout.tsx";
import type { Appointment } from "../domain/types.ts";
import { live, scheduleHref, SessionSummary } from "./SessionParts.tsx";

type Errors = Readonly<Record<string, string | undefined>>;
type Values = Readonly<Record<string, string | undefined>>;

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
    data-hx-swap-oob="true"
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
