import type { Child } from "hono/jsx";
/** Group classes on pages: the week's list, a class's page for clients and trainers, the new-class form. */
import type { GroupClass, Seat, SeatStatus } from "../domain/classes.ts";
import { seatsLeft } from "../domain/classes.ts";
import { Csrf, Field } from "./Layout.tsx";
import { longDate, time } from "./format.ts";
import { currentLocale, type Say, useSay, useSayRich } from "./locale.ts";
import { t } from "../lib/i18n.ts";

/** A class as a week shows it, with the viewer's place in it (clients). */
export type ClassLine = GroupClass & {
  mine?: SeatStatus | null;
  position?: number | null;
};

const span = (c: GroupClass) =>
  `${time(c.start, c.timezone)}–${time(c.end, c.timezone)}`;

/** "3 seats left", "Full · 2 waiting", "Cancelled", in the page's locale. */
export function availability(c: GroupClass): string {
  const locale = currentLocale();
  if (c.status === "cancelled") return t(locale, "status.cancelled");
  const left = seatsLeft(c);
  if (left > 0) return t(locale, "trainer.class.seats_left", { left });
  return c.waitlisted > 0
    ? t(locale, "trainer.class.full_waiting", { count: c.waitlisted })
    : t(locale, "trainer.class.full");
}

const placeOf = (c: ClassLine, say: Say) =>
  c.mine === "booked"
    ? say("trainer.class.have_seat")
    : c.mine === "waitlisted"
    ? say("trainer.class.number", { position: c.position ?? "" })
    : undefined;

/** One day's classes, beside its slots. */
export function DayClasses({ classes }: { classes: readonly ClassLine[] }) {
  if (classes.length === 0) return null;
  const say = useSay();
  return (
    <ul class="slots classes" aria-label={say("trainer.class.classes_label")}>
      {classes.map((c) => (
        <li
          class={`slot class-line ${
            c.status === "cancelled" ? "slot-past" : c.mine ? "slot-mine" : ""
          }`}
        >
          <a href={`/classes/${c.id}`}>
            {span(c)} · {c.title} · {placeOf(c, say) ?? availability(c)}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** A class's page as a client sees it: when, how full, their place and what they can do. */
export function ClientClassPage(
  { c, csrf, now, credit, blocked }: {
    c: ClassLine;
    csrf: string;
    now: Temporal.Instant;
    /** What a seat takes ("Uses 1 of your 4 sessions."). */
    credit?: Child;
    /** Why they cannot take a place (no credit left): shown instead of the button. */
    blocked?: Child;
  },
) {
  const started = Temporal.Instant.compare(c.start, now) <= 0;
  const say = useSay();
  return (
    <section id="class" class="class-page">
      <h1>{c.title}</h1>
      <ClassFacts c={c} />
      {c.mine === "booked" && (
        <p class="flash flash-ok" role="status">
          {say("trainer.class.have_seat_full")}
        </p>
      )}
      {c.mine === "waitlisted" && (
        <p class="flash flash-ok" role="status" data-position={c.position}>
          {say("trainer.class.number_full", { position: c.position ?? "" })}
        </p>
      )}
      {c.status === "scheduled" && !started && !c.mine && blocked}
      {c.status === "scheduled" && !started && !c.mine && !blocked && credit}
      {c.status === "scheduled" && !started && !c.mine && !blocked && (
        <form method="post" action={`/classes/${c.id}/seats`}>
          <Csrf token={csrf} />
          <button type="submit">
            {say(
              seatsLeft(c) > 0
                ? "trainer.class.take_seat"
                : "trainer.class.join_waitlist",
            )}
          </button>
        </form>
      )}
      {c.status === "scheduled" && c.mine && (
        <p>
          {/* Asks first (views/SeatViews.tsx): a seat given up goes on to the waitlist. */}
          <a class="button secondary" href={`/classes/${c.id}/leave`}>
            {say(
              c.mine === "booked"
                ? "trainer.class.give_up"
                : "trainer.class.leave_waitlist",
            )}
          </a>
        </p>
      )}
      <p>
        <a class="target" href="/calendar">
          {say("trainer.class.back_calendar")}
        </a>
      </p>
    </section>
  );
}

function ClassFacts({ c }: { c: GroupClass }) {
  const say = useSay();
  const sayRich = useSayRich();
  return (
    <>
      <p>
        {sayRich("trainer.class.when_with", {
          when: `${longDate(c.start, c.timezone)}, ${span(c)}`,
          trainer: c.trainerName,
        }, { b: (w) => <strong>{w}</strong> })}
      </p>
      <p class="muted">
        {availability(c)} · {say("trainer.class.booked_of", {
          booked: c.booked,
          capacity: c.capacity,
        })}
      </p>
      {c.notes && <p class="session-notes">{c.notes}</p>}
      {c.status === "cancelled" && c.cancellationReason && (
        <p class="muted">
          {say("notice.reason", { reason: c.cancellationReason })}
        </p>
      )}
    </>
  );
}

/** A class's page for its trainer: roster, waitlist, add and remove people, cancel. */
export function TrainerClassPage(
  { c, seats, clients, csrf, editable }: {
    c: GroupClass;
    seats: readonly Seat[];
    clients: readonly { id: string; name: string }[];
    csrf: string;
    /** Scheduled and not started: its title, time, capacity and notes can change. */
    editable: boolean;
  },
) {
  const roster = seats.filter((s) => s.status === "booked");
  const waitlist = seats.filter((s) => s.status === "waitlisted");
  const inClass = new Set(seats.map((s) => s.clientId));
  const addable = clients.filter((cl) => !inClass.has(cl.id));
  const say = useSay();
  const remove = (s: Seat) => (
    <a
      class="button secondary remove-seat"
      href={`/classes/${c.id}/remove?clientId=${s.clientId}`}
      aria-label={say("trainer.class.remove_label", { name: s.clientName })}
    >
      {say("trainer.class.remove")}
    </a>
  );
  return (
    <section id="class" class="class-page">
      <h1>{c.title}</h1>
      <ClassFacts c={c} />
      {editable && (
        <p>
          <a class="button secondary" href={`/classes/${c.id}/edit`}>
            {say("trainer.class.edit")}
          </a>
        </p>
      )}
      <h2>
        {say("trainer.class.roster", {
          count: roster.length,
          capacity: c.capacity,
        })}
      </h2>
      {roster.length === 0
        ? <p class="muted">{say("trainer.class.nobody")}</p>
        : (
          <ol class="roster">
            {roster.map((s) => <li>{s.clientName} {remove(s)}</li>)}
          </ol>
        )}
      <h2>{say("trainer.class.waitlist", { count: waitlist.length })}</h2>
      {waitlist.length === 0
        ? <p class="muted">{say("trainer.class.nobody_waiting")}</p>
        : (
          <ol class="waitlist">
            {waitlist.map((s) => (
              <li>
                #{s.position} {s.clientName} {remove(s)}
              </li>
            ))}
          </ol>
        )}
      {c.status === "scheduled" && addable.length > 0 && (
        <form method="post" action={`/classes/${c.id}/seats`}>
          <Csrf token={csrf} />
          <div class="field">
            <label for="f-clientId">{say("trainer.class.add_client")}</label>
            <select id="f-clientId" name="clientId" required>
              {/* An empty first choice, so `required` asks for a real one. */}
              <option value="">
                {say("trainer.session_form.choose_client")}
              </option>
              {addable.map((cl) => <option value={cl.id}>{cl.name}</option>)}
            </select>
          </div>
          <button type="submit" class="secondary">
            {say("trainer.class.add")}
          </button>
        </form>
      )}
      {c.status === "scheduled" && (
        <form method="post" action={`/classes/${c.id}/cancel`}>
          <Csrf token={csrf} />
          <Field
            label={say("trainer.class.reason")}
            name="reason"
            maxlength={500}
          />
          <button type="submit" class="danger">
            {say("trainer.class.cancel")}
          </button>
        </form>
      )}
      <p>
        <a class="target" href="/classes">{say("trainer.class.all")}</a>
      </p>
    </section>
  );
}

export type NewClassForm = Readonly<{
  values: Record<string, string>;
  errors: Record<string, string>;
  message?: string;
}>;

/** The trainer's classes ahead and the form for a new one. */
export function ClassesPage(
  { classes, form, csrf }: {
    classes: readonly GroupClass[];
    form: NewClassForm;
    csrf: string;
  },
) {
  const say = useSay();
  return (
    <section id="classes">
      <h1>{say("trainer.classes.title")}</h1>
      {classes.length === 0
        ? <p class="muted">{say("trainer.classes.none")}</p>
        : (
          <ul class="sessions">
            {classes.map((c) => (
              <li>
                <a href={`/classes/${c.id}`}>
                  {longDate(c.start, c.timezone)}, {span(c)} · {c.title} ·{" "}
                  {availability(c)}
                </a>
              </li>
            ))}
          </ul>
        )}
      <h2 id="new-class">{say("trainer.classes.new")}</h2>
      {form.message && (
        <p class="flash flash-error" role="alert">{form.message}</p>
      )}
      <form method="post" action="/classes">
        <Csrf token={csrf} />
        <ClassFields form={form} />
        <button type="submit">{say("trainer.classes.create")}</button>
      </form>
    </section>
  );
}

/** The fields of a class, for the new-class form and the edit form. */
function ClassFields({ form }: { form: NewClassForm }) {
  const v = form.values;
  const say = useSay();
  return (
    <>
      <Field
        label={say("trainer.class_form.title")}
        name="title"
        value={v.title}
        error={form.errors.title}
        required
        maxlength={200}
      />
      <Field
        label={say("trainer.class_form.date")}
        name="date"
        type="date"
        value={v.date}
        error={form.errors.date}
        required
      />
      <Field
        label={say("trainer.class_form.time")}
        name="time"
        type="time"
        value={v.time}
        error={form.errors.time}
        required
      />
      <Field
        label={say("trainer.session_form.length")}
        name="duration"
        type="number"
        value={v.duration}
        error={form.errors.duration}
        min={15}
        max={240}
        step={5}
        inputmode="numeric"
      />
      <Field
        label={say("trainer.class_form.capacity")}
        name="capacity"
        type="number"
        value={v.capacity}
        error={form.errors.capacity}
        required
        min={2}
        max={50}
        inputmode="numeric"
      />
      <Field
        label={say("trainer.session_form.notes")}
        name="notes"
        value={v.notes}
        error={form.errors.notes}
        maxlength={2000}
      />
    </>
  );
}

/** The edit form of a class: everyone in it is told of a new time or title. */
export function EditClassPage(
  { c, form, csrf }: { c: GroupClass; form: NewClassForm; csrf: string },
) {
  const people = c.booked + c.waitlisted;
  const say = useSay();
  return (
    <section id="class-edit" class="class-page">
      <h1>{say("trainer.class_edit.title", { title: c.title })}</h1>
      <p class="muted">
        {longDate(c.start, c.timezone)}, {span(c)} ·{" "}
        {say("trainer.class_edit.booked", {
          booked: c.booked,
          capacity: c.capacity,
          waitlisted: c.waitlisted,
        })}
      </p>
      {people > 0 && (
        <p>
          {say("trainer.class_edit.told", { people, booked: c.booked })}
        </p>
      )}
      {form.message && (
        <p class="flash flash-error" role="alert">{form.message}</p>
      )}
      <form method="post" action={`/classes/${c.id}/edit`}>
        <Csrf token={csrf} />
        <ClassFields form={form} />
        <button type="submit">{say("trainer.class_edit.save")}</button>
      </form>
      <p>
        <a class="target" href={`/classes/${c.id}`}>
          {say("trainer.class_edit.back")}
        </a>
      </p>
    </section>
  );
}
