/** The trainer's forms for one session: book a new one (once or weekly), edit or move one. */
import { Csrf, Field } from "./Layout.tsx";
import type { Appointment } from "../domain/types.ts";
import { live, scheduleHref, SessionSummary } from "./SessionParts.tsx";
import { useSay, useSayRich } from "./locale.ts";

type Errors = Readonly<Record<string, string | undefined>>;
type Values = Readonly<Record<string, string | undefined>>;

function SessionTimeFields(
  { values, errors, timezone }: {
    values: Values;
    errors: Errors;
    timezone: string;
  },
) {
  const say = useSay();
  return (
    <>
      <div class="row session-when">
        <Field
          label={say("trainer.session_form.date")}
          name="date"
          type="date"
          value={values.date}
          error={errors.date}
          required
        />
        <Field
          label={say("trainer.session_form.time", {
            zone: timezone.replaceAll("_", " "),
          })}
          name="time"
          type="time"
          value={values.time}
          error={errors.time}
          required
        />
        <Field
          label={say("trainer.session_form.length")}
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
  const say = useSay();
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for="f-notes">{say("trainer.session_form.notes")}</label>
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
  const say = useSay();
  const sayRich = useSayRich();
  return (
    <section class="card" id="new-session">
      <h2>{say("trainer.session_form.new_title")}</h2>
      {clients.length === 0
        ? (
          <p class="muted">
            {sayRich("trainer.session_form.no_clients", {}, {
              link: (w) => <a href="/profile">{w}</a>,
            })}
          </p>
        )
        : (
          <form method="post" action="/schedule">
            <Csrf token={csrf} />
            <FormProblem message={message} />
            <div class={errors.clientId ? "field invalid" : "field"}>
              <label for="f-clientId">
                {say("trainer.session_form.client")}
              </label>
              <select id="f-clientId" name="clientId" required>
                <option value="">
                  {say("trainer.session_form.choose_client")}
                </option>
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
            <p class="hint">{say("trainer.session_form.any_time")}</p>
            <button type="submit">{say("trainer.session_form.book")}</button>
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
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>
        {say(
          live(a)
            ? "trainer.session_form.edit_move_title"
            : "trainer.session_form.edit_notes_title",
        )}
      </h1>
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
        <button type="submit">{say("trainer.session_form.save")}</button>
      </form>
      <p>
        <a href={scheduleHref(localDate(a, timezone), "day")}>
          {say("trainer.session_form.back")}
        </a>
      </p>
    </section>
  );
}

const localDate = (a: Appointment, timezone: string) =>
  a.start.toZonedDateTimeISO(timezone).toPlainDate().toString();

/** "Repeat weekly for N weeks / until a date": optional, on the new-session form. */
function RepeatFields({ values, errors }: { values: Values; errors: Errors }) {
  const say = useSay();
  return (
    <fieldset class="repeat">
      <legend>{say("trainer.session_form.repeat")}</legend>
      <p class="hint">{say("trainer.session_form.repeat_hint")}</p>
      <div class="row">
        <Field
          label={say("trainer.session_form.weeks")}
          name="weeks"
          type="number"
          min={2}
          max={52}
          value={values.weeks}
          error={errors.weeks}
        />
        <Field
          label={say("trainer.session_form.until")}
          name="until"
          type="date"
          value={values.until}
          error={errors.until}
        />
      </div>
    </fieldset>
  );
}
