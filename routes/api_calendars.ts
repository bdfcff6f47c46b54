import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context.ts";
import { settingsOf } from "./context.ts";
import { ApiError, invalidFields, notFound } from "./errors.ts";
import { assertRole } from "./middleware.ts";
import { fieldErrors, idParam, readJson } from "./validation.ts";
import { apiFailure, formFailure } from "./outcomes.ts";
import {
  addCalendar,
  type CalendarAnswer,
  calendarJson,
  checkCalendarUrl,
  syncCalendarNow,
} from "./calendars.ts";
import { deleteCalendar, listCalendars } from "../db/busy_calendars.ts";

const NewCalendarBody = z.object({
  url: z.string({ error: "is required" }).max(
    2048,
    "must be at most 2048 characters",
  ),
  name: z.string({ error: "must be text" }).max(
    100,
    "must be at most 100 characters",
  )
    .optional(),
});

/** A refused answer as the contract's error. */
function refusal(answer: Extract<CalendarAnswer, { ok: false }>): ApiError {
  if (answer.reason === "not_found") return notFound("Calendar");
  if (answer.reason === "too_many_fetches") {
    return new ApiError(
      429,
      "too_many_attempts",
      "Too many calendar fetches. Try again in a few minutes.",
      undefined,
      { "Retry-After": String(answer.retryAfter) },
    );
  }
  const error = apiFailure(answer.reason);
  const { errors } = formFailure(answer.reason, "trainer");
  return answer.reason === "url_not_allowed"
    ? new ApiError(error.status, error.code, error.message, errors)
    : error;
}

/** The trainer's other calendars (see api.md, "Busy time from the trainer's other calendars"). */
export const calendarsApi = new Hono<AppEnv>()
  .post("/calendars", async (c) => {
    const trainer = assertRole(c, "trainer");
    const parsed = NewCalendarBody.safeParse(await readJson(c));
    if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
    const problem = checkCalendarUrl(parsed.data.url);
    if (problem) throw invalidFields({ url: problem });
    const answer = await addCalendar(c.get("deps"), trainer.id, parsed.data);
    if (!answer.ok) throw refusal(answer);
    const { timezone } = await settingsOf(c, trainer.id);
    return c.json(calendarJson(answer.calendar, timezone), 201);
  })
  .get("/calendars", async (c) => {
    const trainer = assertRole(c, "trainer");
    const [calendars, { timezone }] = await Promise.all([
      listCalendars(c.get("deps").sql, trainer.id),
      settingsOf(c, trainer.id),
    ]);
    return c.json({
      calendars: calendars.map((k) => calendarJson(k, timezone)),
    });
  })
  .post("/calendars/:id/sync", async (c) => {
    const trainer = assertRole(c, "trainer");
    const id = idParam(c, "Calendar");
    const answer = await syncCalendarNow(c.get("deps"), trainer.id, id);
    if (!answer.ok) throw refusal(answer);
    const { timezone } = await settingsOf(c, trainer.id);
    return c.json(calendarJson(answer.calendar, timezone));
  })
  .delete("/calendars/:id", async (c) => {
    const trainer = assertRole(c, "trainer");
    const id = idParam(c, "Calendar");
    if (!await deleteCalendar(c.get("deps").sql, trainer.id, id)) {
      throw notFound("Calendar");
    }
    return c.body(null, 204);
  });
