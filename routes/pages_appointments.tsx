import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { assertRole, assertSignedIn, redirectWithFlash } from "./middleware.ts";
import { page } from "./render.tsx";
import { notFound } from "./errors.ts";
import { idParam, InstantString } from "./validation.ts";
import { messageOf } from "./outcomes.ts";
import { settingsOf } from "./context.ts";
import {
  getAppointment,
  listAppointments,
  listBusyNear,
} from "../db/appointments.ts";
import { cancelAppointment, moveAppointment } from "../db/lifecycle.ts";
import type { Appointment } from "../domain/types.ts";
import { listBusyElsewhereNear } from "../db/busy_times.ts";
import {
  clientChoices,
  decideMove,
  isExpiredRequest,
  isLive,
} from "../domain/appointments.ts";
import { localDateOf } from "../domain/time.ts";
import { AppointmentDetail, ConfirmMove } from "../views/BookingViews.tsx";
import { CancelForm, MyAppointments } from "../views/MyAppointments.tsx";
import { CANCEL_REASONS } from "../lib/cancel_reasons.ts";
import { longDate, time } from "../views/format.ts";
import { appointmentIcs } from "../views/ics.ts";
import { getClientCredits } from "../db/credits.ts";
import { listPackages } from "../db/packages.ts";
import { getUser } from "../db/users.ts";
import { getTrainerContact } from "../db/contact.ts";
import { listClientSeats } from "../db/classes.ts";
import { SeatLines } from "../views/SeatLines.tsx";
import { balanceOf, creditDay } from "../domain/credits.ts";
import { MyCredits } from "../views/ClientCreditViews.tsx";
import { sayFor, viewerLocale } from "./language.ts";
import { useSay } from "../views/locale.ts";

/**
 * The cancel page: a component of its own, so its words are said while the page renders
 * in the viewer's locale (markup written in a route renders at once, in English).
 */
function CancelPage({ a, csrf }: { a: Appointment; csrf: string }) {
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>
        {say("client.cancel.heading", {
          day: longDate(a.start, a.timezone),
          time: time(a.start, a.timezone),
        })}
      </h1>
      <CancelForm csrf={csrf} a={a} />
      <p>
        <a class="button secondary" href="/appointments">
          {say("client.cancel.keep")}
        </a>
      </p>
    </section>
  );
}

/**
 * "Sick", "Schedule conflict: moved shifts", or just the free text. A picked reason is
 * stored by its English label in every language (pages say it in the reader's words).
 */
export function reasonFrom(choice: unknown, details: unknown): string | null {
  const label = CANCEL_REASONS.find(([value]) => value === choice)?.[1];
  const text = typeof details === "string" ? details.trim().slice(0, 400) : "";
  const base = choice === "other" ? "" : label ?? "";
  return [base, text].filter(Boolean).join(": ") || (label ?? null);
}

/** The signed-in user's own appointment from `:id`, or the 404 page. */
async function ownAppointment(c: Context<AppEnv>) {
  const user = assertSignedIn(c);
  const a = await getAppointment(c.get("deps").sql, idParam(c), {
    role: user.role,
    id: user.id,
  });
  if (!a) throw notFound("Appointment");
  return { user, a };
}

export const appointmentPages = new Hono<AppEnv>()
  .get("/appointments", async (c) => {
    const client = assertRole(c, "client");
    const tab = c.req.query("tab") === "history" ? "history" : "upcoming";
    const now = c.get("deps").now();
    const { sql } = c.get("deps");
    const [all, settings, credits, packages, trainer, contact, seats] =
      await Promise.all([
        listAppointments(sql, {
          owner: { role: "client", id: client.id },
        }),
        settingsOf(c, client.trainerId),
        getClientCredits(sql, client.id),
        listPackages(sql, client.trainerId),
        getUser(sql, client.trainerId),
        getTrainerContact(sql, client.trainerId),
        listClientSeats(sql, client.trainerId, client.id),
      ]);
    const seatAhead = (s: (typeof seats)[number]) =>
      s.classStatus === "scheduled" && Temporal.Instant.compare(s.end, now) > 0;
    const seatList = tab === "upcoming"
      ? seats.filter(seatAhead)
      : seats.filter((s) => !seatAhead(s)).reverse();
    const today = creditDay(now, settings.timezone);
    // A request nobody answered before its start has expired: it is history.
    const isUpcoming = (a: (typeof all)[number]) =>
      isLive(a.status) && !isExpiredRequest(a, now) &&
      Temporal.Instant.compare(a.end, now) > 0;
    const list = tab === "upcoming"
      ? all.filter(isUpcoming)
      : all.filter((a) => !isUpcoming(a)).reverse();
    const say = sayFor(c);
    return page(
      c,
      say("client.my.heading"),
      <MyAppointments
        tab={tab}
        list={list}
        now={now}
        csrf={c.get("csrfToken")}
        choices={(a) => clientChoices(a, settings, now)}
        cancelNoticeMinutes={settings.cancelNoticeMinutes}
        contact={contact}
        classes={
          <SeatLines
            seats={seatList}
            viewer="client"
            heading={tab === "upcoming"
              ? say("client.my.classes_ahead")
              : say("client.my.past_classes")}
          />
        }
        credits={
          <MyCredits
            balance={balanceOf(credits.grants, today)}
            grants={credits.grants}
            packages={packages}
            today={today}
            trainerName={trainer!.name}
            requireCredit={settings.requireCredit}
          />
        }
      />,
    );
  })
  .get("/appointments/:id", async (c) => {
    const { user, a } = await ownAppointment(c);
    const settings = await settingsOf(c, a.trainerId);
    const now = c.get("deps").now();
    const upcoming = isLive(a.status) &&
      Temporal.Instant.compare(a.start, now) > 0;
    return page(
      c,
      sayFor(c)("client.detail.title"),
      <AppointmentDetail
        a={a}
        now={now}
        justBooked={c.req.query("booked") === "1"}
        viewer={user.role}
        choices={user.role === "client"
          ? clientChoices(a, settings, now)
          : { cancel: upcoming, move: false, tooLate: false }}
        cancelNoticeMinutes={settings.cancelNoticeMinutes}
        contact={user.role === "client"
          ? await getTrainerContact(c.get("deps").sql, a.trainerId)
          : undefined}
      />,
    );
  })
  .get("/appointments/:id/calendar.ics", async (c) => {
    const { a } = await ownAppointment(c);
    return c.body(
      appointmentIcs(
        a,
        c.get("deps").config.appUrl,
        c.get("deps").now(),
        viewerLocale(c),
      ),
      200,
      {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": `attachment; filename="spotter-${
          a.start.toString().slice(0, 10)
        }.ics"`,
      },
    );
  })
  .get("/appointments/:id/cancel", async (c) => {
    const { a } = await ownAppointment(c);
    return page(
      c,
      sayFor(c)("client.cancel.title"),
      <CancelPage a={a} csrf={c.get("csrfToken")} />,
    );
  })
  .post("/appointments/:id/cancel", async (c) => {
    const user = assertSignedIn(c);
    const id = idParam(c);
    const form = await c.req.formData().catch(() => new FormData());
    const result = await cancelAppointment(c.get("deps").sql, {
      id,
      owner: { role: user.role, id: user.id },
      reason: reasonFrom(form.get("reason"), form.get("details")),
      now: c.get("deps").now(),
    });
    const back = user.role === "client"
      ? "/appointments?tab=history"
      : "/schedule";
    if (!result.ok) {
      if (result.reason === "not_found") throw notFound("Appointment");
      return redirectWithFlash(
        c,
        back,
        messageOf(result.reason, user.role, viewerLocale(c)),
        "error",
      );
    }
    c.get("deps").onOutbox?.();
    const a = result.appointment;
    return redirectWithFlash(
      c,
      back,
      sayFor(c)("client.cancel.done", {
        day: longDate(a.start, a.timezone, viewerLocale(c)),
        time: time(a.start, a.timezone),
      }),
    );
  })
  .get("/appointments/:id/move", async (c) => {
    const client = assertRole(c, "client");
    const { a } = await ownAppointment(c);
    const start = InstantString.safeParse(c.req.query("start"));
    const day = localDateOf(start.success ? start.data : a.start, a.timezone);
    const pickAgain = `/calendar?move=${a.id}&week=${day}&day=${day}`;
    if (!start.success) return c.redirect(pickAgain, 303);
    // The move's own rules decide, before the client confirms.
    const { sql } = c.get("deps");
    const [settings, busy, elsewhere] = await Promise.all([
      settingsOf(c, client.trainerId),
      listBusyNear(sql, a.trainerId, start.data),
      listBusyElsewhereNear(sql, a.trainerId, start.data),
    ]);
    const check = decideMove(
      a,
      { by: "client", start: start.data, now: c.get("deps").now() },
      settings,
      busy,
      elsewhere,
    );
    if (!check.ok) {
      return redirectWithFlash(
        c,
        check.reason === "too_late_to_move" ||
          check.reason === "length_mismatch"
          ? `/appointments/${a.id}`
          : pickAgain,
        messageOf(check.reason, "client", viewerLocale(c)),
        "error",
      );
    }
    return page(
      c,
      sayFor(c)("client.move.title"),
      <ConfirmMove
        a={a}
        to={check.value}
        csrf={c.get("csrfToken")}
        back={pickAgain}
      />,
    );
  })
  .post("/appointments/:id/move", async (c) => {
    const client = assertRole(c, "client");
    const id = idParam(c);
    const form = await c.req.formData().catch(() => new FormData());
    const start = InstantString.safeParse(form.get("start"));
    if (!start.success) {
      return c.redirect(`/appointments/${id}/move`, 303);
    }
    const result = await moveAppointment(c.get("deps").sql, {
      id,
      owner: { role: "client", id: client.id },
      start: start.data,
      now: c.get("deps").now(),
    });
    if (!result.ok) {
      if (result.reason === "not_found") throw notFound("Appointment");
      const { timezone } = await settingsOf(c, client.trainerId);
      const day = localDateOf(start.data, timezone);
      return redirectWithFlash(
        c,
        result.reason === "in_past" || result.reason === "not_a_slot" ||
          result.reason === "slot_taken" || result.reason === "too_soon" ||
          result.reason === "too_far"
          ? `/calendar?move=${id}&week=${day}&day=${day}`
          : `/appointments/${id}`,
        messageOf(result.reason, "client", viewerLocale(c)),
        "error",
      );
    }
    c.get("deps").onOutbox?.();
    const a = result.appointment;
    return redirectWithFlash(
      c,
      `/appointments/${a.id}`,
      sayFor(c)("client.move.done", {
        day: longDate(a.start, a.timezone, viewerLocale(c)),
        time: time(a.start, a.timezone),
        trainer: a.trainerName,
      }),
    );
  });
