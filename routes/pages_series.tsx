/** A weekly series' own page for its trainer, and cancelling it from a date on (plain forms). */
import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { notFound } from "./errors.ts";
import { formValues, page } from "./render.tsx";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { messageOf } from "./outcomes.ts";
import { sayFor, viewerLocale } from "./language.ts";
import { fieldWords } from "./schedule_forms.ts";
import { dayWithYear } from "../views/format.ts";
import { idParam } from "./validation.ts";
import { cancelSeries, getSeries } from "../db/series.ts";
import type { User } from "../db/users.ts";
import { parseIsoDate } from "../domain/time.ts";
import { reachedFromDate } from "../domain/series.ts";
import {
  CancelFromForm,
  seriesHref,
  SeriesPage,
} from "../views/SeriesViews.tsx";

/** The trainer's own series from `:id`, with all its sessions, or a 404 page. */
async function ownSeries(c: Context<AppEnv>, trainer: User) {
  const found = await getSeries(
    c.get("deps").sql,
    idParam(c, "Series"),
    trainer.id,
  );
  if (!found) throw notFound("Series");
  return found;
}

type Found = Awaited<ReturnType<typeof ownSeries>>;

/** The series page, with the cancel form's date refused. */
const refused = (c: Context<AppEnv>, found: Found, from: string) =>
  page(
    c,
    sayFor(c)("trainer.series.title"),
    <SeriesPage
      s={found.series}
      appointments={found.appointments}
      now={c.get("deps").now()}
      from={from}
      error={fieldWords.realDate(viewerLocale(c))}
    />,
    422,
  );

/** What a cancel from `from` on would reach (the same rule the cancel applies). */
const reachedFrom = (
  found: Found,
  from: Temporal.PlainDate,
  now: Temporal.Instant,
) => reachedFromDate(found.appointments, found.series.timezone, from, now);

export const seriesPages = new Hono<AppEnv>()
  .get("/series/:id", async (c) => {
    const trainer = assertRole(c, "trainer");
    const found = await ownSeries(c, trainer);
    return page(
      c,
      sayFor(c)("trainer.series.title"),
      <SeriesPage
        s={found.series}
        appointments={found.appointments}
        now={c.get("deps").now()}
      />,
    );
  })
  // The step that asks first: which sessions the date reaches, then a POST does it.
  .get("/series/:id/cancel", async (c) => {
    const trainer = assertRole(c, "trainer");
    const found = await ownSeries(c, trainer);
    const text = c.req.query("from")?.trim() ?? "";
    const from = parseIsoDate(text);
    if (!from) return refused(c, found, text);
    return page(
      c,
      sayFor(c)("trainer.series.title_cancel"),
      <CancelFromForm
        s={found.series}
        from={from}
        cancelled={reachedFrom(found, from, c.get("deps").now())}
        csrf={c.get("csrfToken")}
      />,
    );
  })
  .post("/series/:id/cancel", async (c) => {
    const trainer = assertRole(c, "trainer");
    const found = await ownSeries(c, trainer);
    const values = await formValues(c);
    const from = parseIsoDate(values.from?.trim());
    if (!from) return refused(c, found, values.from ?? "");
    const { sql, now } = c.get("deps");
    const reason = (values.reason ?? "").replaceAll("\r\n", "\n").trim();
    const locale = viewerLocale(c);
    const say = sayFor(c);
    if (reason.length > 500) {
      return page(
        c,
        say("trainer.series.title_cancel"),
        <CancelFromForm
          s={found.series}
          from={from}
          cancelled={reachedFrom(found, from, now())}
          csrf={c.get("csrfToken")}
          reason={reason}
          error={fieldWords.atMost(locale, 500)}
        />,
        422,
      );
    }
    const result = await cancelSeries(sql, {
      id: found.series.id,
      trainerId: trainer.id,
      from: { date: from },
      reason: reason || null,
      now: now(),
      refund: values.refund !== "0",
      notStarted: true,
    });
    if (!result.ok) throw notFound("Series");
    const n = result.cancelled.length;
    if (n) c.get("deps").onOutbox?.();
    return redirectWithFlash(
      c,
      seriesHref(found.series.id),
      n
        ? say("trainer.series.cancelled_from", {
          count: n,
          name: found.series.clientName,
          date: dayWithYear(from, locale),
        })
        : messageOf("already_cancelled", "trainer", locale),
      n ? "ok" : "error",
    );
  });
