import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { assertRole, assertSignedIn, redirectWithFlash } from "./middleware.ts";
import { page } from "./render.tsx";
import { notFound } from "./errors.ts";
import { idParam } from "./validation.ts";
import { messageOf } from "./outcomes.ts";
import { getAppointment, listAppointments } from "../db/appointments.ts";
import { cancelAppointment } from "../db/lifecycle.ts";
import { AppointmentDetail } from "../views/BookingViews.tsx";
import {
  CANCEL_REASONS,
  CancelForm,
  MyAppointments,
} from "../views/MyAppointments.tsx";
import { longDate, time } from "../views/format.ts";
import { appointmentIcs } from "../views/ics.ts";

/** "Sick", "Schedule conflict: moved shifts", or just the free text. */
export function reasonFrom(choice: unknown, details: unknown): string | null {
  const label = CANCEL_REASONS.find(([value]) => value === choice)?.[1];
  const text = typeof details === "string" ? details.trim().slice(0, 400) : "";
  const base = label === "Other" ? "" : label ?? "";
  return [base, text].filter(Boolean).join(": ") || (label ?? null);
}

/** The signed-in user's own appointment from `:id`, or the 404 page. */
async function ownAppointment(c: Context<AppEnv>) {
  const user = assertSignedIn(c);
  const a = await getAppointment(c.var.deps.sql, idParam(c), {
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
    const now = c.var.deps.now();
    const all = await listAppointments(c.var.deps.sql, {
      owner: { role: "client", id: client.id },
    });
    const isUpcoming = (a: (typeof all)[number]) =>
      (a.status === "scheduled" || a.status === "pending") &&
      Temporal.Instant.compare(a.end, now) > 0;
    const list = tab === "upcoming"
      ? all.filter(isUpcoming)
      : all.filter((a) => !isUpcoming(a)).reverse();
    return page(
      c,
      "My appointments",
      <MyAppointments tab={tab} list={list} csrf={c.var.csrfToken} now={now} />,
    );
  })
  .get("/appointments/:id", async (c) => {
    const { user, a } = await ownAppointment(c);
    return page(
      c,
      "Session",
      <AppointmentDetail
        a={a}
        justBooked={c.req.query("booked") === "1"}
        viewer={user.role}
        now={c.var.deps.now()}
      />,
    );
  })
  .get("/appointments/:id/calendar.ics", async (c) => {
    const { a } = await ownAppointment(c);
    return c.body(
      appointmentIcs(a, c.var.deps.config.appUrl, c.var.deps.now()),
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
      "Cancel session",
      <section class="card narrow">
        <h1>
          Cancel {longDate(a.start, a.timezone)}, {time(a.start, a.timezone)}?
        </h1>
        <CancelForm csrf={c.var.csrfToken} a={a} />
        <p>
          <a href="/appointments">Keep it</a>
        </p>
      </section>,
    );
  })
  .post("/appointments/:id/cancel", async (c) => {
    const user = assertSignedIn(c);
    const id = idParam(c);
    const form = await c.req.formData().catch(() => new FormData());
    const result = await cancelAppointment(c.var.deps.sql, {
      id,
      owner: { role: user.role, id: user.id },
      reason: reasonFrom(form.get("reason"), form.get("details")),
      now: c.var.deps.now(),
    });
    const back = user.role === "client"
      ? "/appointments?tab=history"
      : "/schedule";
    if (!result.ok) {
      if (result.reason === "not_found") throw notFound("Appointment");
      return redirectWithFlash(
        c,
        back,
        messageOf(result.reason, user.role),
        "error",
      );
    }
    c.var.deps.onOutbox?.();
    const a = result.appointment;
    return redirectWithFlash(
      c,
      back,
      `Cancelled your session on ${longDate(a.start, a.timezone)} at ${
        time(a.start, a.timezone)
      }.`,
    );
  });
