/** Every change to one session of the trainer's, as plain forms: edit or move, cancel or decline, complete, confirm, delete. */
import { Hono } from "hono";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "./context.ts";
import { notFound } from "./errors.ts";
import { formValues, page } from "./render.tsx";
import { busyElsewhereWarning } from "./calendars.ts";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { formFailure, messageOf } from "./outcomes.ts";
import {
  afterChange,
  backTo,
  type Errors,
  fieldWords,
  flashDate,
  ownSession,
  parseNotes,
  parseSessionFields,
  type Values,
} from "./schedule_forms.ts";
import { type Appointment, listKnownToClient } from "../db/appointments.ts";
import { mayDelete } from "../domain/appointments.ts";
import {
  cancelAppointment,
  changeAppointment,
  deleteAppointment,
} from "../db/lifecycle.ts";
import { cancelSeries } from "../db/series.ts";
import { localDateOf } from "../domain/time.ts";
import {
  CancelSessionForm,
  ConfirmPage,
  DeleteSessionForm,
} from "../views/SessionConfirmViews.tsx";
import { EditSessionForm } from "../views/SessionForms.tsx";
import { live, scheduleHref } from "../views/SessionParts.tsx";
import { minutesBetween, time as wallTime } from "../views/format.ts";
import { sayFor, viewerLocale } from "./language.ts";
import type { MessageKey } from "../lib/i18n.ts";

/** The page that asks before a cancel or a delete (the no-JavaScript path). */
async function confirmStep(
  c: Context<AppEnv>,
  title: MessageKey,
  Form: (
    props: {
      a: Appointment;
      timezone: string;
      now: Temporal.Instant;
      csrf: string;
      back: string;
    },
  ) => Child,
) {
  const trainer = assertRole(c, "trainer");
  const a = await ownSession(c, trainer);
  const back = backTo(c.req.query(), a);
  return page(
    c,
    sayFor(c)(title),
    <ConfirmPage back={back}>
      <Form
        a={a}
        timezone={a.timezone}
        now={c.get("deps").now()}
        csrf={c.get("csrfToken")}
        back={back}
      />
    </ConfirmPage>,
  );
}

function editValues(a: Appointment): Values {
  return {
    date: localDateOf(a.start, a.timezone),
    time: wallTime(a.start, a.timezone),
    duration: String(minutesBetween(a.start, a.end)),
    notes: a.notes,
  };
}

/** Each change to one session, from the agenda, Today or History. */
/** Completes or confirms the session of `c`'s path, then goes back with `done`'s words. */
async function setStatus(
  c: Context<AppEnv>,
  status: "completed" | "scheduled",
  done: MessageKey,
) {
  const trainer = assertRole(c, "trainer");
  const a = await ownSession(c, trainer);
  const values = await formValues(c);
  const result = await changeAppointment(c.get("deps").sql, {
    id: a.id,
    trainerId: trainer.id,
    change: { status },
    now: c.get("deps").now(),
  });
  return afterChange(
    c,
    backTo(values, a),
    result,
    sayFor(c)(done, { name: a.clientName }),
  );
}

export const sessionPages = new Hono<AppEnv>()
  .get("/schedule/:id/edit", async (c) => {
    const trainer = assertRole(c, "trainer");
    const a = await ownSession(c, trainer);
    return page(
      c,
      sayFor(c)("trainer.session.title_edit"),
      <EditSessionForm
        a={a}
        now={c.get("deps").now()}
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
    const locale = viewerLocale(c);
    const say = sayFor(c);
    const form = (
      errors: Errors,
      message: string | undefined,
      status: 409 | 422,
    ) =>
      page(
        c,
        say("trainer.session.title_edit"),
        <EditSessionForm
          a={a}
          now={c.get("deps").now()}
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
      const parsed = parseSessionFields(values, a.timezone, locale);
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
      const notes = parseNotes(values, errors, locale);
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
      const { errors, message, status } = formFailure(
        result.reason,
        "trainer",
        locale,
      );
      return form(errors, message, status);
    }
    c.get("deps").onOutbox?.();
    const b = result.appointment;
    const moved = !b.start.equals(a.start) || !b.end.equals(a.end);
    const warning = moved
      ? await busyElsewhereWarning(
        c.get("deps").sql,
        trainer.id,
        b,
        viewerLocale(c),
      )
      : "";
    return redirectWithFlash(
      c,
      scheduleHref(localDateOf(b.start, b.timezone), "day"),
      moved
        ? say("trainer.session.moved", {
          name: b.clientName,
          date: flashDate(locale, b.start, b.timezone),
          time: wallTime(b.start, b.timezone),
        }) + warning
        : say("trainer.session.saved"),
    );
  })
  .get(
    "/schedule/:id/cancel",
    (c) => confirmStep(c, "trainer.session.title_cancel", CancelSessionForm),
  )
  .post("/schedule/:id/cancel", async (c) => {
    const trainer = assertRole(c, "trainer");
    const a = await ownSession(c, trainer);
    const values = await formValues(c);
    const locale = viewerLocale(c);
    const say = sayFor(c);
    const reason = (values.reason ?? "").replaceAll("\r\n", "\n").trim();
    if (reason.length > 500) {
      return page(
        c,
        say("trainer.session.title_cancel"),
        <ConfirmPage back={backTo(values, a)}>
          <CancelSessionForm
            a={a}
            timezone={a.timezone}
            now={c.get("deps").now()}
            csrf={c.get("csrfToken")}
            reason={reason}
            back={backTo(values, a)}
            error={fieldWords.atMost(locale, 500)}
            refund={values.refund !== "0"}
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
        refund: values.refund !== "0",
      });
      const n = series.ok ? series.cancelled.length : 0;
      if (n) c.get("deps").onOutbox?.();
      return redirectWithFlash(
        c,
        backTo(values, a),
        n
          ? say("trainer.session.series_cancelled", {
            count: n,
            name: a.clientName,
          })
          : messageOf("already_cancelled", "trainer", locale),
        n ? "ok" : "error",
      );
    }
    const result = await cancelAppointment(c.get("deps").sql, {
      id: a.id,
      owner: { role: "trainer", id: trainer.id },
      reason: reason || null,
      now: c.get("deps").now(),
      refund: values.refund !== "0",
    });
    return afterChange(
      c,
      backTo(values, a),
      result,
      say(
        a.status === "pending"
          ? "trainer.session.declined"
          : "trainer.session.cancelled",
        { name: a.clientName },
      ),
    );
  })
  .post(
    "/schedule/:id/complete",
    (c) => setStatus(c, "completed", "trainer.session.completed"),
  )
  .post(
    "/schedule/:id/confirm",
    (c) => setStatus(c, "scheduled", "trainer.session.confirmed"),
  )
  .get("/schedule/:id/delete", async (c) => {
    const trainer = assertRole(c, "trainer");
    const a = await ownSession(c, trainer);
    const now = c.get("deps").now();
    const known = await listKnownToClient(c.get("deps").sql, [a.id]);
    if (mayDelete(a, known.has(a.id), now).ok) {
      return confirmStep(c, "trainer.session.title_delete", DeleteSessionForm);
    }
    // The client knows of it: not Delete, which tells nobody, but Cancel, which tells them.
    const back = backTo(c.req.query(), a);
    return page(
      c,
      sayFor(c)("trainer.session.title_cancel"),
      <ConfirmPage back={back}>
        <p class="flash flash-error" role="alert">
          {messageOf("client_was_told", "trainer", viewerLocale(c))}
        </p>
        {live(a) && (
          <CancelSessionForm
            a={a}
            timezone={a.timezone}
            now={now}
            csrf={c.get("csrfToken")}
            back={back}
          />
        )}
      </ConfirmPage>,
    );
  })
  .post("/schedule/:id/delete", async (c) => {
    const trainer = assertRole(c, "trainer");
    const a = await ownSession(c, trainer);
    const values = await formValues(c);
    const removed = await deleteAppointment(c.get("deps").sql, {
      id: a.id,
      trainerId: trainer.id,
      now: c.get("deps").now(),
      onlyUntold: true,
    });
    if (removed === "not_found") throw notFound("Session");
    if (removed === "client_was_told") {
      return redirectWithFlash(
        c,
        backTo(values, a),
        messageOf("client_was_told", "trainer", viewerLocale(c)),
      );
    }
    c.get("deps").onOutbox?.();
    return redirectWithFlash(
      c,
      backTo(values, a),
      sayFor(c)("trainer.session.deleted", { name: a.clientName }),
    );
  });
