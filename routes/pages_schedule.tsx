import { Hono } from "hono";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { type AppEnv, settingsOf } from "./context.ts";
import { notFound } from "./errors.ts";
import { formValues, fragmentOrPage, page } from "./render.tsx";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { busyElsewhereWarning } from "./calendars.ts";
import { idParam } from "./validation.ts";
import { formFailure, messageOf } from "./outcomes.ts";
import {
  type Appointment,
  getAppointment,
  listAppointments,
} from "../db/appointments.ts";
import {
  bookAppointment,
  cancelAppointment,
  changeAppointment,
  deleteAppointment,
  type Outcome,
} from "../db/lifecycle.ts";
import { isTrainersClient, listClientNames } from "../db/clients.ts";
import { cancelSeries, createSeries, previewSeries } from "../db/series.ts";
import { occurrenceCount } from "../domain/series.ts";
import { UUID } from "../db/client.ts";
import type { User } from "../db/users.ts";
import { checkDuration } from "../domain/appointments.ts";
import {
  dayRange,
  isHHMM,
  localDateOf,
  localStartOf,
  parseHHMM,
  parseIsoDate,
  startOfWeek,
} from "../domain/time.ts";
import {
  Agenda,
  type AgendaView,
  CancelSessionForm,
  ConfirmPage,
  DeleteSessionForm,
  EditSessionForm,
  NewSessionDateSwap,
  NewSessionForm,
  scheduleHref,
  SchedulePage,
  SeriesPreview,
} from "../views/ScheduleViews.tsx";
import { longDate, minutesBetween, time as wallTime } from "../views/format.ts";

type Values = Record<string, string>;
type Errors = Record<string, string>;

/** Where a form came from, if it is a schedule address; never an open redirect. */
const BACK =
  /^\/(schedule\?date=\d{4}-\d{2}-\d{2}&view=(day|week)|today|history(\?[\w=&%.-]*)?)$/;
const backTo = (values: Values, a: Appointment) =>
  BACK.test(values.back ?? "")
    ? values.back
    : scheduleHref(localDateOf(a.start, a.timezone), "day");

/** Reads date, time, length and notes of a session form; the start is a wall time in `timezone`. */
function parseSessionFields(values: Values, timezone: string) {
  const errors: Errors = {};
  const date = parseIsoDate(values.date?.trim());
  if (!date) errors.date = "must be a real date (YYYY-MM-DD)";
  const time = values.time?.trim() ?? "";
  if (!isHHMM(time)) errors.time = "must be a time HH:MM, from 00:00 to 23:59";
  const durationText = values.duration?.trim() ?? "";
  const duration = /^\d{1,4}$/.test(durationText) ? Number(durationText) : NaN;
  const durationProblem = checkDuration(duration);
  if (durationProblem) errors.duration = durationProblem;
  const notes = parseNotes(values, errors);
  if (Object.keys(errors).length) return { ok: false as const, errors };
  return {
    ok: true as const,
    start: localStartOf(date!, parseHHMM(time), timezone),
    duration,
    notes,
  };
}

function parseNotes(values: Values, errors: Errors): string {
  const notes = (values.notes ?? "").replaceAll("\r\n", "\n").trim();
  if (notes.length > 2000) errors.notes = "must be at most 2000 characters";
  return notes;
}

const trainerSettings = (c: Context<AppEnv>, trainer: User) =>
  settingsOf(c, trainer.id);

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
  const sessions = await listAppointments(c.get("deps").sql, {
    owner: { role: "trainer", id: trainer.id },
    from: range.start,
    to: range.end,
  });
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
    />
  );
}

/** The full schedule page, or the agenda alone for an htmx swap. */
async function schedulePage(
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
  const settings = await trainerSettings(c, trainer);
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
  const swap = (
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
  return fragmentOrPage(c, "Schedule", swap, wrap, options.status);
}

/** The page that asks before a cancel or a delete (the no-JavaScript path). */
async function confirmStep(
  c: Context<AppEnv>,
  title: string,
  Form: (
    props: { a: Appointment; timezone: string; csrf: string; back: string },
  ) => Child,
) {
  const trainer = assertRole(c, "trainer");
  const a = await ownSession(c, trainer);
  const back = backTo(c.req.query(), a);
  return page(
    c,
    title,
    <ConfirmPage back={back}>
      <Form a={a} timezone={a.timezone} csrf={c.get("csrfToken")} back={back} />
    </ConfirmPage>,
  );
}

/** The trainer's own session from `:id`, or a 404 page. */
async function ownSession(c: Context<AppEnv>, trainer: User) {
  const a = await getAppointment(c.get("deps").sql, idParam(c, "Session"), {
    role: "trainer",
    id: trainer.id,
  });
  if (!a) throw notFound("Session");
  return a;
}

function editValues(a: Appointment): Values {
  return {
    date: localDateOf(a.start, a.timezone),
    time: wallTime(a.start, a.timezone),
    duration: String(minutesBetween(a.start, a.end)),
    notes: a.notes,
  };
}

/** Back where the trainer came from, saying what happened to the session or why not. */
function afterChange(
  c: Context<AppEnv>,
  back: string,
  result: Outcome,
  done: string,
) {
  if (!result.ok) {
    return redirectWithFlash(
      c,
      back,
      messageOf(result.reason, "trainer"),
      "error",
    );
  }
  c.get("deps").onOutbox?.();
  return redirectWithFlash(c, back, done);
}

/**
 * A weekly series from the new-session form. Without a choice yet, conflicts are listed
 * date by date first (skip them, or change the request); with none, it is booked at once.
 */
async function bookSeries(
  c: Context<AppEnv>,
  trainer: User,
  values: Values,
  request: Readonly<{
    clientId: string;
    start: Temporal.Instant;
    durationMinutes: number;
    notes: string;
    count: number;
  }>,
  again: (
    form: { errors: Errors; message?: string },
    status: 409 | 422,
  ) => Promise<Response>,
) {
  const { sql, now } = c.get("deps");
  const input = {
    ...request,
    trainerId: trainer.id,
    onConflict: values.onConflict === "skip"
      ? "skip" as const
      : "fail" as const,
    now: now(),
  };
  if (values.onConflict !== "skip") {
    const preview = await previewSeries(sql, input);
    if (!preview.ok) {
      const { status, ...form } = formFailure(preview.reason, "trainer");
      return again(form, status);
    }
    if (preview.occurrences.some((o) => o.conflict)) {
      return page(
        c,
        "Check the dates",
        <SeriesPreview
          csrf={c.get("csrfToken")}
          values={values}
          occurrences={preview.occurrences}
          timezone={(await trainerSettings(c, trainer)).timezone}
        />,
        409,
      );
    }
  }
  const result = await createSeries(sql, input);
  if (!result.ok) {
    const { status, ...form } = formFailure(result.reason, "trainer");
    return again(form, status);
  }
  c.get("deps").onOutbox?.();
  const [first] = result.appointments;
  const date = localDateOf(first.start, first.timezone);
  const skipped = result.skipped.length
    ? ` ${result.skipped.length} ${
      result.skipped.length === 1 ? "date was" : "dates were"
    } skipped.`
    : "";
  return redirectWithFlash(
    c,
    scheduleHref(date, "day"),
    `Weekly sessions booked with ${first.clientName}: ${result.appointments.length}, from ${
      longDate(first.start, first.timezone)
    } at ${wallTime(first.start, first.timezone)}.${skipped}`,
  );
}

/** The trainer's agenda and every change to a session, as plain forms. */
export const schedulePages = new Hono<AppEnv>()
  .get("/schedule", async (c) => {
    const trainer = assertRole(c, "trainer");
    const view = c.req.query("view") === "week" ? "week" : "day";
    const time = c.req.query("time");
    return await schedulePage(c, trainer, {
      date: parseIsoDate(c.req.query("date")),
      view,
      // A free cell of the calendar links here with its start, to prefill a new session.
      time: time && /^([01]\d|2[0-3]):[0-5]\d$/.test(time) ? time : undefined,
      // A client's page links here to book for that client.
      clientId: c.req.query("client"),
    });
  })
  .post("/schedule", async (c) => {
    const trainer = assertRole(c, "trainer");
    const { sql, now } = c.get("deps");
    const values = await formValues(c);
    const { timezone } = await trainerSettings(c, trainer);
    const parsed = parseSessionFields(values, timezone);
    const errors: Errors = parsed.ok ? {} : { ...parsed.errors };
    const clientId = values.clientId ?? "";
    if (!clientId) errors.clientId = "choose a client";
    // Checked here too so that every field's problem shows at once; the booking's
    // transaction is what enforces it.
    else if (
      !UUID.test(clientId) ||
      !(await isTrainersClient(sql, trainer.id, clientId))
    ) {
      errors.clientId =
        formFailure("unknown_client", "trainer").errors.clientId;
    }
    const shownDate = parseIsoDate(values.date);
    const again = (
      form: { errors: Errors; message?: string },
      status: 409 | 422,
    ) =>
      schedulePage(c, trainer, {
        date: shownDate,
        form: { values, ...form },
        status,
      });
    // Repeat weekly: "for N weeks" or "until a date", as the API's series.
    const weeksText = values.weeks?.trim() ?? "";
    const untilText = values.until?.trim() ?? "";
    let count: number | undefined;
    if (parsed.ok && (weeksText || untilText)) {
      const until = untilText ? parseIsoDate(untilText) : undefined;
      if (untilText && !until) {
        errors.until = "must be a real date (YYYY-MM-DD)";
      } else {
        const counted = occurrenceCount({
          start: parsed.start,
          weeks: weeksText ? Number(weeksText) : undefined,
          until,
        }, timezone);
        if (counted.ok) count = counted.count;
        else errors[counted.field] = counted.message;
      }
    }
    if (!parsed.ok || Object.keys(errors).length) {
      return again({ errors }, 422);
    }
    if (count !== undefined) {
      return await bookSeries(c, trainer, values, {
        clientId,
        start: parsed.start,
        durationMinutes: parsed.duration,
        notes: parsed.notes,
        count,
      }, again);
    }
    const result = await bookAppointment(sql, {
      trainerId: trainer.id,
      clientId,
      by: "trainer",
      start: parsed.start,
      durationMinutes: parsed.duration,
      notes: parsed.notes,
      now: now(),
    });
    if (!result.ok) {
      const { status, ...form } = formFailure(result.reason, "trainer");
      return again(form, status);
    }
    c.get("deps").onOutbox?.();
    const a = result.appointment;
    const date = localDateOf(a.start, timezone);
    const warning = await busyElsewhereWarning(sql, trainer.id, a);
    return redirectWithFlash(
      c,
      scheduleHref(date, "day"),
      `Session booked with ${a.clientName} on ${
        longDate(a.start, timezone)
      } at ${wallTime(a.start, timezone)}.${warning}`,
    );
  })
  .get("/schedule/:id/edit", async (c) => {
    const trainer = assertRole(c, "trainer");
    const a = await ownSession(c, trainer);
    return page(
      c,
      "Edit session",
      <EditSessionForm
        a={a}
        csrf={c.get("csrfToken")}
        values={editValues(a)}
        timezone={a.timezone}
      />,
    );
  })
  .post("/schedule/:id/edit", async (c) => {
    const trainer = assertRole(c, "trainer");
    const a = await ownSession(c, trainer);
    const values = await formValues(c);
    const live = a.status === "scheduled" || a.status === "pending";
    const form = (
      errors: Errors,
      message: string | undefined,
      status: 409 | 422,
    ) =>
      page(
        c,
        "Edit session",
        <EditSessionForm
          a={a}
          csrf={c.get("csrfToken")}
          values={{ ...editValues(a), ...values }}
          errors={errors}
          message={message}
          timezone={a.timezone}
        />,
        status,
      );
    let change: {
      start?: Temporal.Instant;
      durationMinutes?: number;
      notes: string;
    };
    if (live) {
      const parsed = parseSessionFields(values, a.timezone);
      if (!parsed.ok) return form(parsed.errors, undefined, 422);
      // Only a real move is checked as a move, so saving notes never trips over the clock.
      change = {
        start: parsed.start.equals(a.start) ? undefined : parsed.start,
        durationMinutes: parsed.duration === minutesBetween(a.start, a.end)
          ? undefined
          : parsed.duration,
        notes: parsed.notes,
      };
    } else {
      const errors: Errors = {};
      const notes = parseNotes(values, errors);
      if (errors.notes) return form(errors, undefined, 422);
      change = { notes };
    }
    const result = await changeAppointment(c.get("deps").sql, {
      id: a.id,
      trainerId: trainer.id,
      change,
      now: c.get("deps").now(),
    });
    if (!result.ok) {
      const { errors, message, status } = formFailure(result.reason, "trainer");
      return form(errors, message, status);
    }
    c.get("deps").onOutbox?.();
    const b = result.appointment;
    const moved = !b.start.equals(a.start) || !b.end.equals(a.end);
    const warning = moved
      ? await busyElsewhereWarning(c.get("deps").sql, trainer.id, b)
      : "";
    return redirectWithFlash(
      c,
      scheduleHref(localDateOf(b.start, b.timezone), "day"),
      moved
        ? `Session with ${b.clientName} moved to ${
          longDate(b.start, b.timezone)
        } at ${wallTime(b.start, b.timezone)}.${warning}`
        : "Session saved.",
    );
  })
  .get(
    "/schedule/:id/cancel",
    (c) => confirmStep(c, "Cancel session", CancelSessionForm),
  )
  .post("/schedule/:id/cancel", async (c) => {
    const trainer = assertRole(c, "trainer");
    const a = await ownSession(c, trainer);
    const values = await formValues(c);
    const reason = (values.reason ?? "").replaceAll("\r\n", "\n").trim();
    if (reason.length > 500) {
      return page(
        c,
        "Cancel session",
        <ConfirmPage back={backTo(values, a)}>
          <CancelSessionForm
            a={a}
            timezone={a.timezone}
            csrf={c.get("csrfToken")}
            reason={reason}
            back={backTo(values, a)}
            error="must be at most 500 characters"
          />
        </ConfirmPage>,
        422,
      );
    }
    if (a.seriesId && values.following === "1") {
      // This one and every later one of its series, in one transaction.
      const series = await cancelSeries(c.get("deps").sql, {
        id: a.seriesId,
        trainerId: trainer.id,
        from: { appointmentId: a.id },
        reason: reason || null,
        now: c.get("deps").now(),
      });
      const n = series.ok ? series.cancelled.length : 0;
      if (n) c.get("deps").onOutbox?.();
      return redirectWithFlash(
        c,
        backTo(values, a),
        n
          ? `Cancelled ${n} ${
            n === 1 ? "session" : "sessions"
          } of the weekly series with ${a.clientName}.`
          : messageOf("already_cancelled", "trainer"),
        n ? "ok" : "error",
      );
    }
    const result = await cancelAppointment(c.get("deps").sql, {
      id: a.id,
      owner: { role: "trainer", id: trainer.id },
      reason: reason || null,
      now: c.get("deps").now(),
    });
    return afterChange(
      c,
      backTo(values, a),
      result,
      a.status === "pending"
        ? `Request from ${a.clientName} declined.`
        : `Session with ${a.clientName} cancelled.`,
    );
  })
  .post("/schedule/:id/complete", async (c) => {
    const trainer = assertRole(c, "trainer");
    const a = await ownSession(c, trainer);
    const values = await formValues(c);
    const result = await changeAppointment(c.get("deps").sql, {
      id: a.id,
      trainerId: trainer.id,
      change: { status: "completed" },
      now: c.get("deps").now(),
    });
    return afterChange(
      c,
      backTo(values, a),
      result,
      `Session with ${a.clientName} marked completed.`,
    );
  })
  .post("/schedule/:id/confirm", async (c) => {
    const trainer = assertRole(c, "trainer");
    const a = await ownSession(c, trainer);
    const values = await formValues(c);
    const result = await changeAppointment(c.get("deps").sql, {
      id: a.id,
      trainerId: trainer.id,
      change: { status: "scheduled" },
      now: c.get("deps").now(),
    });
    return afterChange(
      c,
      backTo(values, a),
      result,
      `Session with ${a.clientName} confirmed.`,
    );
  })
  .get(
    "/schedule/:id/delete",
    (c) => confirmStep(c, "Delete session", DeleteSessionForm),
  )
  .post("/schedule/:id/delete", async (c) => {
    const trainer = assertRole(c, "trainer");
    const a = await ownSession(c, trainer);
    const values = await formValues(c);
    const removed = await deleteAppointment(c.get("deps").sql, {
      id: a.id,
      trainerId: trainer.id,
    });
    if (!removed) {
      throw notFound("Session");
    }
    c.get("deps").onOutbox?.();
    return redirectWithFlash(
      c,
      backTo(values, a),
      `Session with ${a.clientName} deleted.`,
    );
  });
