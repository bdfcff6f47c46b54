import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context.ts";
import { settingsOf } from "./context.ts";
import { invalidFields, notFound } from "./errors.ts";
import { assertRole } from "./middleware.ts";
import {
  DateString,
  fieldErrors,
  idParam,
  InstantString,
  Notes,
  readJson,
  Reason,
} from "./validation.ts";
import {
  apiFailure,
  appointmentJson,
  durationProblem,
  OUTCOMES,
} from "./outcomes.ts";
import { UUID } from "../db/client.ts";
import {
  type CancelFrom,
  cancelSeries,
  createSeries,
  getSeries,
  type Series,
} from "../db/series.ts";
import { occurrenceCount } from "../domain/series.ts";
import { toOffsetString } from "../domain/time.ts";

const NewSeries = z.object({
  clientId: z.string({ error: "is required" }).max(64),
  start: InstantString,
  duration: z.number({ error: "must be a number of minutes" }).optional(),
  weeks: z.number({ error: "must be a whole number" }).optional(),
  until: DateString.optional(),
  notes: Notes.optional(),
  onConflict: z.enum(["fail", "skip"], { error: "must be fail or skip" })
    .optional(),
});

const CancelBody = z.object({
  from: z.string({ error: "must be an appointment id or a date" }).max(64)
    .optional(),
  reason: Reason.nullable().optional(),
});

export function seriesJson(s: Series) {
  return {
    id: s.id,
    trainerId: s.trainerId,
    clientId: s.clientId,
    start: toOffsetString(s.start, s.timezone),
    duration: s.durationMinutes,
    weeks: s.weeks,
    until: s.until.toString(),
    notes: s.notes,
  };
}

/** Recurring weekly sessions (trainer only): `POST /api/series`, `GET /api/series/:id`, cancel. */
export const seriesApi = new Hono<AppEnv>()
  .post("/series", async (c) => {
    const trainer = assertRole(c, "trainer");
    const parsed = NewSeries.safeParse(await readJson(c));
    if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
    const body = parsed.data;
    const { timezone, slotMinutes } = await settingsOf(c, trainer.id);
    const fields: Record<string, string> = {};
    if (body.duration !== undefined) {
      const problem = durationProblem(body.duration);
      if (problem) fields.duration = problem;
    }
    const counted = occurrenceCount(body, timezone);
    if (!counted.ok) fields[counted.field] = counted.message;
    if (Object.keys(fields).length) throw invalidFields(fields);
    if (!UUID.test(body.clientId)) throw apiFailure("unknown_client");
    const result = await createSeries(c.get("deps").sql, {
      trainerId: trainer.id,
      clientId: body.clientId.toLowerCase(),
      start: body.start,
      durationMinutes: body.duration ?? slotMinutes,
      count: counted.ok ? counted.count : 0,
      notes: body.notes?.trim() ?? "",
      onConflict: body.onConflict ?? "fail",
      now: c.get("deps").now(),
    });
    if (!result.ok) {
      if (result.reason !== "series_conflict") throw apiFailure(result.reason);
      return c.json({
        error: {
          code: "series_conflict",
          message: OUTCOMES.series_conflict.message,
          conflicts: result.conflicts.map((x) => ({
            start: toOffsetString(x.start, timezone),
            reason: x.reason,
          })),
        },
      }, 409);
    }
    c.get("deps").onOutbox?.();
    return c.json({
      series: seriesJson(result.series),
      appointments: result.appointments.map(appointmentJson),
      skipped: result.skipped.map((x) => ({
        start: toOffsetString(x.start, timezone),
        reason: x.reason,
      })),
    }, 201);
  })
  .get("/series/:id", async (c) => {
    const trainer = assertRole(c, "trainer");
    const found = await getSeries(
      c.get("deps").sql,
      idParam(c, "Series"),
      trainer.id,
    );
    if (!found) throw notFound("Series");
    return c.json({
      series: seriesJson(found.series),
      appointments: found.appointments.map(appointmentJson),
    });
  })
  .post("/series/:id/cancel", async (c) => {
    const trainer = assertRole(c, "trainer");
    const id = idParam(c, "Series");
    const parsed = CancelBody.safeParse(
      await readJson(c, { optional: true }) ?? {},
    );
    if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
    const { from: raw, reason } = parsed.data;
    let from: CancelFrom;
    if (raw !== undefined) {
      const date = DateString.safeParse(raw);
      if (UUID.test(raw)) from = { appointmentId: raw.toLowerCase() };
      else if (date.success) from = { date: date.data };
      else {
        throw invalidFields({
          from: "must be an appointment id of this series or a date YYYY-MM-DD",
        });
      }
    }
    const result = await cancelSeries(c.get("deps").sql, {
      id,
      trainerId: trainer.id,
      from,
      reason: reason?.trim() || null,
      now: c.get("deps").now(),
    });
    if (!result.ok) {
      if (result.reason === "not_found") throw notFound("Series");
      throw invalidFields({ from: "is not an appointment of this series" });
    }
    if (result.cancelled.length) c.get("deps").onOutbox?.();
    return c.json({
      series: seriesJson(result.series),
      cancelled: result.cancelled,
    });
  });
