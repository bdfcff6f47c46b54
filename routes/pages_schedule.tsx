/** The schedule page and booking from it: one session, or a weekly series. */
import { Hono } from "hono";
import type { Context } from "hono";
import { type AppEnv, settingsOf } from "./context.ts";
import { formValues, page } from "./render.tsx";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { busyElsewhereWarning } from "./calendars.ts";
import { formFailure } from "./outcomes.ts";
import {
  type Errors,
  fieldWords,
  flashDate,
  parseSessionFields,
  type Values,
} from "./schedule_forms.ts";
import { sayFor, viewerLocale } from "./language.ts";
import type { Locale } from "../lib/i18n.ts";
import { schedulePage } from "./schedule_page.tsx";
import { bookAppointment } from "../db/lifecycle.ts";
import { isTrainersClient } from "../db/clients.ts";
import { createSeries, previewSeries } from "../db/series.ts";
import {
  MAX_OCCURRENCES,
  MIN_OCCURRENCES,
  occurrenceCount,
  type OccurrenceProblem,
} from "../domain/series.ts";
import { UUID } from "../db/client.ts";
import type { User } from "../db/users.ts";
import { localDateOf, parseIsoDate } from "../domain/time.ts";
import { SeriesPreview } from "../views/SeriesPreview.tsx";
import { scheduleHref } from "../views/SessionParts.tsx";
import { time as wallTime } from "../views/format.ts";
import { t } from "../lib/i18n.ts";

/** A weekly count's refusal in `locale`. */
const occurrenceProblem = (problem: OccurrenceProblem, locale: Locale) =>
  t(locale, `trainer.form.${problem}`, {
    min: MIN_OCCURRENCES,
    max: MAX_OCCURRENCES,
  });

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
  const locale = viewerLocale(c);
  const say = sayFor(c);
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
      const { status, ...form } = formFailure(
        preview.reason,
        "trainer",
        locale,
      );
      return again(form, status);
    }
    if (preview.occurrences.some((o) => o.conflict)) {
      return page(
        c,
        say("trainer.series_preview.title"),
        <SeriesPreview
          csrf={c.get("csrfToken")}
          values={values}
          occurrences={preview.occurrences}
          timezone={(await settingsOf(c, trainer.id)).timezone}
        />,
        409,
      );
    }
  }
  const result = await createSeries(sql, input);
  if (!result.ok) {
    const { status, ...form } = formFailure(result.reason, "trainer", locale);
    return again(form, status);
  }
  c.get("deps").onOutbox?.();
  const [first] = result.appointments;
  const date = localDateOf(first.start, first.timezone);
  return redirectWithFlash(
    c,
    scheduleHref(date, "day"),
    say("trainer.series.booked", {
      name: first.clientName,
      count: result.appointments.length,
      date: flashDate(locale, first.start, first.timezone),
      time: wallTime(first.start, first.timezone),
      skipped: result.skipped.length,
    }),
  );
}

/** The trainer's agenda and booking from it, as plain forms. */
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
    const { timezone } = await settingsOf(c, trainer.id);
    const locale = viewerLocale(c);
    const say = sayFor(c);
    const parsed = parseSessionFields(values, timezone, locale);
    const errors: Errors = parsed.ok ? {} : { ...parsed.errors };
    const clientId = values.clientId ?? "";
    if (!clientId) errors.clientId = say("trainer.form.choose_client");
    // Checked here too so that every field's problem shows at once; the booking's
    // transaction is what enforces it.
    else if (
      !UUID.test(clientId) ||
      !(await isTrainersClient(sql, trainer.id, clientId))
    ) {
      errors.clientId =
        formFailure("unknown_client", "trainer", locale).errors.clientId;
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
        errors.until = fieldWords.realDate(locale);
      } else {
        const counted = occurrenceCount({
          start: parsed.start,
          weeks: weeksText ? Number(weeksText) : undefined,
          until,
        }, timezone);
        if (counted.ok) count = counted.count;
        else errors[counted.field] = occurrenceProblem(counted.problem, locale);
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
      const { status, ...form } = formFailure(result.reason, "trainer", locale);
      return again(form, status);
    }
    c.get("deps").onOutbox?.();
    const a = result.appointment;
    const date = localDateOf(a.start, timezone);
    const warning = await busyElsewhereWarning(
      sql,
      trainer.id,
      a,
      viewerLocale(c),
    );
    return redirectWithFlash(
      c,
      scheduleHref(date, "day"),
      say("trainer.session.booked", {
        name: a.clientName,
        date: flashDate(locale, a.start, timezone),
        time: wallTime(a.start, timezone),
      }) + warning,
    );
  });
