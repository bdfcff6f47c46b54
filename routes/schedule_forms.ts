/**
 * What every form of the schedule shares: reading a session's fields, the session a form
 * names, where it sends the trainer back to, and the answer after a change.
 */
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { notFound } from "./errors.ts";
import { redirectWithFlash } from "./middleware.ts";
import { idParam } from "./validation.ts";
import { fieldText, messageOf } from "./outcomes.ts";
import { viewerLocale } from "./language.ts";
import { isSessionLength } from "../domain/appointments.ts";
import { formatDay, type Locale, t } from "../lib/i18n.ts";
import { longDate } from "../views/format.ts";
import { type Appointment, getAppointment } from "../db/appointments.ts";
import type { Outcome } from "../db/lifecycle.ts";
import type { User } from "../db/users.ts";
import {
  isHHMM,
  localDateOf,
  localStartOf,
  parseHHMM,
  parseIsoDate,
} from "../domain/time.ts";
import { scheduleHref } from "../views/SessionParts.tsx";

export type Values = Record<string, string>;
export type Errors = Record<string, string>;

/** Where a form came from, if it is a schedule address; never an open redirect. */
const BACK =
  /^\/(schedule\?date=\d{4}-\d{2}-\d{2}&view=(day|week)|today|history(\?[\w=&%.-]*)?)$/;
export const backTo = (values: Values, a: Appointment) =>
  BACK.test(values.back ?? "")
    ? values.back
    : scheduleHref(localDateOf(a.start, a.timezone), "day");

/**
 * A flash's date in the viewer's locale: English keeps the long date the pages always
 * said ("Wednesday, 2 December 2026"); the other languages say the day as they write it.
 */
export const flashDate = (
  locale: Locale,
  at: Temporal.Instant,
  timezone: string,
) =>
  locale === "en"
    ? longDate(at, timezone)
    : formatDay(locale, at.toZonedDateTimeISO(timezone));

/** The form's problems with a session length, in `locale` (`invalid_duration`'s words). */
export const lengthText = (minutes: number, locale: Locale) =>
  isSessionLength(minutes) ? undefined : fieldText("invalid_duration", locale);

/** "must be a real date (YYYY-MM-DD)" and the other field words, in `locale`. */
export const fieldWords = {
  realDate: (locale: Locale) => t(locale, "trainer.form.real_date"),
  time: (locale: Locale) => t(locale, "trainer.form.time"),
  atMost: (locale: Locale, max: number) =>
    t(locale, "site.field.at_most", { count: max }),
};

/** Reads date, time, length and notes of a session form; the start is a wall time in `timezone`. */
export function parseSessionFields(
  values: Values,
  timezone: string,
  locale: Locale = "en",
) {
  const errors: Errors = {};
  const date = parseIsoDate(values.date?.trim());
  if (!date) errors.date = fieldWords.realDate(locale);
  const time = values.time?.trim() ?? "";
  if (!isHHMM(time)) errors.time = fieldWords.time(locale);
  const durationText = values.duration?.trim() ?? "";
  const duration = /^\d{1,4}$/.test(durationText) ? Number(durationText) : NaN;
  // Shown with the other fields' problems; the booking's decision is what enforces it.
  const lengthProblem = lengthText(duration, locale);
  if (lengthProblem) errors.duration = lengthProblem;
  const notes = parseNotes(values, errors, locale);
  if (Object.keys(errors).length) return { ok: false as const, errors };
  return {
    ok: true as const,
    start: localStartOf(date!, parseHHMM(time), timezone),
    duration,
    notes,
  };
}

export function parseNotes(
  values: Values,
  errors: Errors,
  locale: Locale = "en",
): string {
  const notes = (values.notes ?? "").replaceAll("\r\n", "\n").trim();
  if (notes.length > 2000) errors.notes = fieldWords.atMost(locale, 2000);
  return notes;
}

/** The trainer's own session from `:id`, or a 404 page. */
export async function ownSession(c: Context<AppEnv>, trainer: User) {
  const a = await getAppointment(c.get("deps").sql, idParam(c, "Session"), {
    role: "trainer",
    id: trainer.id,
  });
  if (!a) throw notFound("Session");
  return a;
}

/** Back where the trainer came from, saying what happened to the session or why not. */
export function afterChange(
  c: Context<AppEnv>,
  back: string,
  result: Outcome,
  done: string,
) {
  if (!result.ok) {
    return redirectWithFlash(
      c,
      back,
      messageOf(result.reason, "trainer", viewerLocale(c)),
      "error",
    );
  }
  c.get("deps").onOutbox?.();
  return redirectWithFlash(c, back, done);
}
