/**
 * What every form of the schedule shares: reading a session's fields, the session a form
 * names, where it sends the trainer back to, and the answer after a change.
 */
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { notFound } from "./errors.ts";
import { redirectWithFlash } from "./middleware.ts";
import { idParam } from "./validation.ts";
import { durationProblem, messageOf } from "./outcomes.ts";
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

/** Reads date, time, length and notes of a session form; the start is a wall time in `timezone`. */
export function parseSessionFields(values: Values, timezone: string) {
  const errors: Errors = {};
  const date = parseIsoDate(values.date?.trim());
  if (!date) errors.date = "must be a real date (YYYY-MM-DD)";
  const time = values.time?.trim() ?? "";
  if (!isHHMM(time)) errors.time = "must be a time HH:MM, from 00:00 to 23:59";
  const durationText = values.duration?.trim() ?? "";
  const duration = /^\d{1,4}$/.test(durationText) ? Number(durationText) : NaN;
  // Shown with the other fields' problems; the booking's decision is what enforces it.
  const lengthProblem = durationProblem(duration);
  if (lengthProblem) errors.duration = lengthProblem;
  const notes = parseNotes(values, errors);
  if (Object.keys(errors).length) return { ok: false as const, errors };
  return {
    ok: true as const,
    start: localStartOf(date!, parseHHMM(time), timezone),
    duration,
    notes,
  };
}

export function parseNotes(values: Values, errors: Errors): string {
  const notes = (values.notes ?? "").replaceAll("\r\n", "\n").trim();
  if (notes.length > 2000) errors.notes = "must be at most 2000 characters";
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
      messageOf(result.reason, "trainer"),
      "error",
    );
  }
  c.get("deps").onOutbox?.();
  return redirectWithFlash(c, back, done);
}
