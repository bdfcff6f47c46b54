import type { Child } from "hono/jsx";
/** Group classes on pages: the week's list, a class's page for clients and trainers, the new-class form. */
import type { GroupClass, Seat, SeatStatus } from "../domain/classes.ts";
import { seatsLeft } from "../domain/classes.ts";
import { Csrf, Field } from "./Layout.tsx";
import { longDate, time } from "./format.ts";

/** A class as a week shows it, with the viewer's place in it (clients). */
export type ClassLine = GroupClass & {
  mine?: SeatStatus | null;
  position?: number | null;
};

const span = (c: GroupClass) =>
  `${time(c.start, c.timezone)}–${time(c.end, c.timezone)}`;

/** "3 seats left", "Full · 2 waiting", "Cancelled". */
export function availability(c: GroupClass): string {
  if (c.status === "cancelled") return "Cancelled";
  const left = seatsLeft(c);
  if (left > 0) return `${left} ${left === 1 ? "seat" : "seats"} left`;
  return c.waitlisted > 0 ? `Full · ${c.waitlisted} waiting` : "Full";
}

const placeOf = (c: ClassLine) =>
  c.mine === "booked"
    ? "You have a seat"
    : c.mine === "waitlisted"
    ? `You are number ${c.position} on the waitlist`
    : undefined;

/** One day's classes, beside its slots. */
export function DayClasses({ classes }: { classes: readonly ClassLine[] }) {
  if (classes.length === 0) return null;
  return (
    <ul class="slots classes" aria-label="Classes">
      {classes.map((c) => (
        <li
          class={`slot class-line ${
            c.status === "cancelled" ? "slot-past" : c.mine ? "slot-mine" : ""
          }`}
        >
          <a href={`/classes/${c.id}`}>
            {span(c)} · {c.title} · {placeOf(c) ?? availability(c)}
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
  return (
    <section id="class" class="class-page">
      <h1>{c.title}</h1>
      <ClassFacts c={c} />
      {c.mine === "booked" && (
        <p class="flash flash-ok" role="status">You have a seat.</p>
      )}
      {c.mine === "waitlisted" && (
        <p class="flash flash-ok" role="status" data-position={c.position}>
          You are number {c.position} on the waitlist.
        </p>
      )}
      {c.status === "scheduled" && !started && !c.mine && blocked}
      {c.status === "scheduled" && !started && !c.mine && !blocked && credit}
      {c.status === "scheduled" && !started && !c.mine && !blocked && (
        <form method="post" action={`/classes/${c.id}/seats`}>
          <Csrf token={csrf} />
          <button type="submit">
            {seatsLeft(c) > 0 ? "Take a seat" : "Join the waitlist"}
          </button>
        </form>
      )}
      {c.status === "scheduled" && c.mine && (
        <p>
          {/* Asks first (views/SeatViews.tsx): a seat given up goes on to the waitlist. */}
          <a class="button secondary" href={`/classes/${c.id}/leave`}>
            {c.mine === "booked" ? "Give up my seat" : "Leave the waitlist"}
          </a>
        </p>
      )}
      <p>
        <a class="target" href="/calendar">Back to the calendar</a>
      </p>
    </section>
  );
}

function ClassFacts({ c }: { c: GroupClass }) {
  return (
    <>
      <p>
        <strong>{longDate(c.start, c.timezone)}, {span(c)}</strong> with{" "}
        {c.trainerName}
      </p>
      <p class="muted">
        {availability(c)} · {c.booked} of {c.capacity} booked
      </p>
      {c.notes && <p class="session-notes">{c.notes}</p>}
      {c.status === "cancelled" && c.cancellationReason && (
        <p class="muted">Reason: {c.cancellationReason}</p>
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
  const remove = (s: Seat) => (
    <a
      class="button secondary remove-seat"
      href={`/classes/${c.id}/remove?clientId=${s.clientId}`}
      aria-label={`Remove ${s.clientName}`}
    >
      Remove
    </a>
  );
  return (
    <section id="class" class="class-page">
      <h1>{c.title}</h1>
      <ClassFacts c={c} />
      {editable && (
        <p>
          <a class="button secondary" href={`/classes/${c.id}/edit`}>
            Edit the class
          </a>
        </p>
      )}
      <h2>Booked ({roster.length} of {c.capacity})</h2>
      {roster.length === 0
        ? <p class="muted">Nobody yet.</p>
        : (
          <ol class="roster">
            {roster.map((s) => <li>{s.clientName} {remove(s)}</li>)}
          </ol>
        )}
      <h2>Waitlist ({waitlist.length})</h2>
      {waitlist.length === 0
        ? <p class="muted">Nobody waiting.</p>
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
            <label for="f-clientId">Add a client</label>
            <select id="f-clientId" name="clientId" required>
              {/* An empty first choice, so `required` asks for a real one. */}
              <option value="">Choose a client…</option>
              {addable.map((cl) => <option value={cl.id}>{cl.name}</option>)}
            </select>
          </div>
          <button type="submit" class="secondary">Add</button>
        </form>
      )}
      {c.status === "scheduled" && (
        <form method="post" action={`/classes/${c.id}/cancel`}>
          <Csrf token={csrf} />
          <Field label="Reason (optional)" name="reason" maxlength={500} />
          <button type="submit" class="danger">Cancel the class</button>
        </form>
      )}
      <p>
        <a class="target" href="/classes">All classes</a>
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
  return (
    <section id="classes">
      <h1>Classes</h1>
      {classes.length === 0
        ? <p class="muted">No classes ahead.</p>
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
      <h2 id="new-class">New class</h2>
      {form.message && (
        <p class="flash flash-error" role="alert">{form.message}</p>
      )}
      <form method="post" action="/classes">
        <Csrf token={csrf} />
        <ClassFields form={form} />
        <button type="submit">Create class</button>
      </form>
    </section>
  );
}

/** The fields of a class, for the new-class form and the edit form. */
function ClassFields({ form }: { form: NewClassForm }) {
  const v = form.values;
  return (
    <>
      <Field
        label="Title"
        name="title"
        value={v.title}
        error={form.errors.title}
        required
        maxlength={200}
      />
      <Field
        label="Date"
        name="date"
        type="date"
        value={v.date}
        error={form.errors.date}
        required
      />
      <Field
        label="Time"
        name="time"
        type="time"
        value={v.time}
        error={form.errors.time}
        required
      />
      <Field
        label="Length (minutes)"
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
        label="Capacity"
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
        label="Notes"
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
  return (
    <section id="class-edit" class="class-page">
      <h1>Edit {c.title}</h1>
      <p class="muted">
        {longDate(c.start, c.timezone)}, {span(c)} · {c.booked} of {c.capacity}
        {" "}
        booked{c.waitlisted > 0 ? `, ${c.waitlisted} waiting` : ""}
      </p>
      {people > 0 && (
        <p>
          Everyone in the class ({people}{" "}
          {people === 1 ? "person" : "people"}) is told of a new time or title.
          The capacity cannot go below the{" "}
          {c.booked === 1 ? "1 seat" : `${c.booked} seats`}{" "}
          booked; more seats go to the waitlist in its order.
        </p>
      )}
      {form.message && (
        <p class="flash flash-error" role="alert">{form.message}</p>
      )}
      <form method="post" action={`/classes/${c.id}/edit`}>
        <Csrf token={csrf} />
        <ClassFields form={form} />
        <button type="submit">Save changes</button>
      </form>
      <p>
        <a class="target" href={`/classes/${c.id}`}>Back to the class</a>
      </p>
    </section>
  );
}
