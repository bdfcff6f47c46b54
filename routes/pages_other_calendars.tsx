import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { messageOf } from "./outcomes.ts";
import { sayFor, viewerLocale } from "./language.ts";
import { calendarError } from "../views/OtherCalendarViews.tsx";
import type { Say } from "../views/locale.ts";

/** `checkCalendarUrl`'s reasons (shared with the API) in the viewer's words. */
const urlProblem = (say: Say, problem: string) =>
  problem === "must be at most 2048 characters"
    ? say("business.calendars.error.url_too_long")
    : problem === "must be an https:, http: or webcal: address"
    ? say("business.calendars.error.url_scheme")
    : problem;
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
  const say = sayFor(c);
  const text = answer.reason === "not_found"
    ? say("business.calendars.not_found")
    : answer.reason === "too_many_fetches"
    ? say("business.calendars.too_many_fetches")
    : messageOf(answer.reason, "trainer", viewerLocale(c));
  return redirectWithFlash(c, BACK, text, "error");
}

/** The settings page's "Your other calendars" forms: add, "Sync now", remove. */
export const otherCalendarPages = new Hono<AppEnv>()
  .post("/settings/calendars", async (c) => {
    const trainer = assertRole(c, "trainer");
    const form = await c.req.formData().catch(() => new FormData());
    const url = String(form.get("url") ?? "");
    const name = String(form.get("name") ?? "").slice(0, 100);
    const say = sayFor(c);
    const problem = checkCalendarUrl(url);
    if (problem) {
      return redirectWithFlash(
        c,
        BACK,
        say("business.calendars.bad_address", {
          problem: urlProblem(say, problem),
        }),
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
        say("business.calendars.added", { name: k.name, count: k.events }),
      )
      : redirectWithFlash(
        c,
        BACK,
        say("business.calendars.added_not_in_sync", {
          name: k.name,
          error: calendarError(say, k.error),
        }),
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
    const say = sayFor(c);
    return k.status === "ok"
      ? redirectWithFlash(
        c,
        BACK,
        say("business.calendars.synced", { name: k.name }),
      )
      : redirectWithFlash(
        c,
        BACK,
        say("business.calendars.sync_failed", {
          name: k.name,
          error: calendarError(say, k.error),
        }),
        "error",
      );
  })
  .post("/settings/calendars/:id/delete", async (c) => {
    const trainer = assertRole(c, "trainer");
    const id = c.req.param("id");
    const gone = UUID.test(id) &&
      await deleteCalendar(c.get("deps").sql, trainer.id, id.toLowerCase());
    const say = sayFor(c);
    return gone
      ? redirectWithFlash(c, BACK, say("business.calendars.removed"))
      : redirectWithFlash(
        c,
        BACK,
        say("business.calendars.not_found"),
        "error",
      );
  });
