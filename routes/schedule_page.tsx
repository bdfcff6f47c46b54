/** The trainer's schedule page: the agenda of a day or week and the new-session form. */
import type { Context } from "hono";
import { type AppEnv, settingsOf } from "./context.ts";
import { fragmentOrPage } from "./render.tsx";
import type { Errors, Values } from "./schedule_forms.ts";
import { listAppointments, listKnownToClient } from "../db/appointments.ts";
import { listClassesInRange } from "../db/classes.ts";
import { listClientNames } from "../db/clients.ts";
import type { User } from "../db/users.ts";
import { dayRange, localDateOf, startOfWeek } from "../domain/time.ts";
import { mayDelete } from "../domain/appointments.ts";
import { Agenda, SchedulePage } from "../views/ScheduleViews.tsx";
import { NewSessionDateSwap, NewSessionForm } from "../views/SessionForms.tsx";
import type { AgendaView } from "../views/SessionParts.tsx";
import { sayFor } from "./language.ts";

/** The agenda of `date` (its day or its Monday-to-Sunday week) in the trainer's zone. */
async function agenda(
  c: Context<AppEnv>,
  trainer: User,
  timezone: string,
  date: Temporal.PlainDate,
  view: AgendaView,
) {
  const now = c.get("deps").now();
  const today = Temporal.PlainDate.from(localDateOf(now, timezone));
  const first = view === "week" ? startOfWeek(date) : date;
  const last = view === "week" ? first.add({ days: 6 }) : date;
  const range = dayRange(first, last, timezone);
  const [sessions, classes] = await Promise.all([
    listAppointments(c.get("deps").sql, {
      owner: { role: "trainer", id: trainer.id },
      from: range.start,
      to: range.end,
    }),
    listClassesInRange(c.get("deps").sql, trainer.id, range.start, range.end),
  ]);
  const known = await listKnownToClient(
    c.get("deps").sql,
    sessions.map((a) => a.id),
  );
  const deletable = new Set(
    sessions.filter((a) => mayDelete(a, known.has(a.id), now).ok).map((a) =>
      a.id
    ),
  );
  const days = [];
  for (
    let d = first;
    Temporal.PlainDate.compare(d, last) <= 0;
    d = d.add({ days: 1 })
  ) {
    const key = d.toString();
    days.push({
      date: d,
      today: d.equals(today),
      sessions: sessions.filter((a) => localDateOf(a.start, timezone) === key),
      classes: classes.filter((k) => localDateOf(k.start, timezone) === key),
    });
  }
  return (
    <Agenda
      view={view}
      date={date}
      today={today}
      days={days}
      timezone={timezone}
      now={now}
      csrf={c.get("csrfToken")}
      deletable={deletable}
    />
  );
}

/** The full schedule page, or the agenda alone for an htmx swap. */
export async function schedulePage(
  c: Context<AppEnv>,
  trainer: User,
  options: {
    date?: Temporal.PlainDate;
    view?: AgendaView;
    time?: string;
    /** Preselects this client in the new-session form (only if it is one of theirs). */
    clientId?: string;
    form?: { values: Values; errors: Errors; message?: string };
    status?: 200 | 409 | 422;
  } = {},
) {
  const settings = await settingsOf(c, trainer.id);
  const { timezone } = settings;
  const today = Temporal.PlainDate.from(
    localDateOf(c.get("deps").now(), timezone),
  );
  const date = options.date ?? today;
  const view = options.view ?? "day";
  const fragment = await agenda(c, trainer, timezone, date, view);
  const clients = await listClientNames(c.get("deps").sql, trainer.id);
  const values = options.form?.values ?? {
    date: Temporal.PlainDate.compare(date, today) < 0
      ? today.toString()
      : date.toString(),
    duration: String(settings.slotMinutes),
    ...(options.time ? { time: options.time } : {}),
    ...(clients.some((cl) => cl.id === options.clientId)
      ? { clientId: options.clientId }
      : {}),
  };
  // An htmx swap gets the agenda and the form's new date; a full page, the agenda in place.
  // A component, so the swap renders inside htmlIn's locale: a fragment literal here
  // would render at once, outside it, in English.
  const Swap = () => (
    <>
      {fragment}
      {clients.length > 0 && <NewSessionDateSwap date={values.date ?? ""} />}
    </>
  );
  const wrap = () => (
    <SchedulePage
      agenda={fragment}
      form={
        <NewSessionForm
          csrf={c.get("csrfToken")}
          clients={clients}
          values={values}
          errors={options.form?.errors}
          message={options.form?.message}
          timezone={timezone}
        />
      }
    />
  );
  return fragmentOrPage(
    c,
    sayFor(c)("trainer.schedule.title"),
    <Swap />,
    wrap,
    options.status,
  );
}
