import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { messageOf } from "./outcomes.ts";
import {
  addCalendar,
  type CalendarAnswer,
  checkCalendarUrl,
  syncCalendarNow,
} from "./calendars.ts";
import { deleteCalendar } from "../db/busy_calendars.ts";
import { UUID } from "../db/client.ts";

const BACK = "/settings#calendars";

/** A form's refusal in words, back on the settings page. */
function refused(
  c: Parameters<typeof redirectWithFlash>[0],
  answer: Extract<CalendarAnswer, { ok: false }>,
) {
  const text = answer.reason === "not_found"
    ? "That calendar was not found."
    : answer.reason === "too_many_fetches"
    ? "Too many calendar fetches. Try again in a few minutes."
    : messageOf(answer.reason, "trainer");
  return redirectWithFlash(c, BACK, text, "error");
}

/** The settings page's "Your other calendars" forms: add, "Sync now", remove. */
export const otherCalendarPages = new Hono<AppEnv>()
  .post("/settings/calendars", async (c) => {
    const trainer = assertRole(c, "trainer");
    const form = await c.req.formData().catch(() => new FormData());
    const url = String(form.get("url") ?? "");
    const name = String(form.get("name") ?? "").slice(0, 100);
    const problem = checkCalendarUrl(url);
    if (problem) {
      return redirectWithFlash(
        c,
        BACK,
        `The calendar's address ${problem}.`,
        "error",
      );
    }
    const answer = await addCalendar(c.get("deps"), trainer.id, { url, name });
    if (!answer.ok) return refused(c, answer);
    const k = answer.calendar;
    return k.status === "ok"
      ? redirectWithFlash(
        c,
        BACK,
        `Added ${k.name}: ${k.events} busy ${
          k.events === 1 ? "time" : "times"
        }.`,
      )
      : redirectWithFlash(
        c,
        BACK,
        `Added ${k.name}, but it is not in sync: ${k.error}`,
        "error",
      );
  })
  .post("/settings/calendars/:id/sync", async (c) => {
    const trainer = assertRole(c, "trainer");
    const id = c.req.param("id");
    const answer = UUID.test(id)
      ? await syncCalendarNow(c.get("deps"), trainer.id, id.toLowerCase())
      : { ok: false as const, reason: "not_found" as const };
    if (!answer.ok) return refused(c, answer);
    const k = answer.calendar;
    return k.status === "ok"
      ? redirectWithFlash(c, BACK, `${k.name} is in sync.`)
      : redirectWithFlash(
        c,
        BACK,
        `${k.name} is not in sync: ${k.error}`,
        "error",
      );
  })
  .post("/settings/calendars/:id/delete", async (c) => {
    const trainer = assertRole(c, "trainer");
    const id = c.req.param("id");
    const gone = UUID.test(id) &&
      await deleteCalendar(c.get("deps").sql, trainer.id, id.toLowerCase());
    return gone
      ? redirectWithFlash(c, BACK, "Calendar removed; its busy time is gone.")
      : redirectWithFlash(c, BACK, "That calendar was not found.", "error");
  });
