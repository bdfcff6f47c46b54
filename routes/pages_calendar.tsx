import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import {
  assertRole,
  assertSignedIn,
  isHtmx,
  redirectWithFlash,
} from "./middleware.ts";
import { fragmentOrPage, page } from "./render.tsx";
import { notFound } from "./errors.ts";
import { InstantString, Notes } from "./validation.ts";
import { getSettings, type TrainerSettings } from "../db/settings.ts";
import { getAppointment } from "../db/appointments.ts";
import { getUser, type User } from "../db/users.ts";
import { computeSlots, findSlot } from "../domain/availability.ts";
import { loadCalendar } from "./availability.ts";
import { parseIsoDate, startOfWeek } from "../domain/time.ts";
import type { Slot, Viewer } from "../domain/types.ts";
import {
  type DayView,
  SlotCell,
  WeekGrid,
  type WeekView,
} from "../views/WeekGrid.tsx";
import { ConfirmBooking } from "../views/BookingViews.tsx";
import { bookOnce, requestHashOf } from "./api_appointments.ts";
import type { Outcome } from "../db/booking.ts";
import type { StoredAnswer } from "../db/idempotency.ts";
import { UUID } from "../db/client.ts";

const viewerOf = (user: User): Viewer =>
  user.role === "trainer"
    ? { role: "trainer" }
    : { role: "client", clientId: user.id };

/** Loads settings, busy time and names (one query), and computes the week the viewer sees. */
async function loadWeek(
  c: Context<AppEnv>,
  user: User,
  weekParam?: string,
  dayParam?: string,
  notice?: string,
): Promise<WeekView> {
  const { sql, now } = c.var.deps;
  const at = now();
  const requestedDay = parseIsoDate(dayParam);
  const asked = parseIsoDate(weekParam) ?? requestedDay;
  // Today is in the trainer's zone, known only after the read: read around UTC's
  // today, which is within a day of every zone's.
  const utcToday = at.toZonedDateTimeISO("UTC").toPlainDate();
  const data = (await loadCalendar(sql, {
    trainerId: user.trainerId,
    from: startOfWeek(asked ?? utcToday.subtract({ days: 1 })),
    to: startOfWeek(asked ?? utcToday.add({ days: 1 })).add({ days: 6 }),
    names: user.role === "trainer",
  }))!;
  const { settings } = data;
  const today = at.toZonedDateTimeISO(settings.timezone).toPlainDate();
  const weekStart = startOfWeek(asked ?? today);
  const weekEnd = weekStart.add({ days: 6 });
  const inWeek = (d: Temporal.PlainDate) =>
    Temporal.PlainDate.compare(d, weekStart) >= 0 &&
    Temporal.PlainDate.compare(d, weekEnd) <= 0;
  const slots = computeSlots({
    settings,
    busy: data.busy,
    from: weekStart,
    to: weekEnd,
    now: at,
    viewer: viewerOf(user),
  });
  // A client who asked for no day in particular opens on the first day with a free
  // slot (today's last slot may have passed), or on next week's when none is left.
  const opensOnFree = user.role === "client" && !requestedDay;
  const firstFree = opensOnFree
    ? slots.find((s) => s.status === "available")?.date
    : undefined;
  if (opensOnFree && !weekParam && !firstFree) {
    const next = await loadWeek(
      c,
      user,
      weekStart.add({ days: 7 }).toString(),
      undefined,
      notice,
    );
    if (next.days.some((d) => d.slots.some((s) => s.status === "available"))) {
      return next;
    }
  }
  const selected = requestedDay && inWeek(requestedDay)
    ? requestedDay
    : firstFree
    ? Temporal.PlainDate.from(firstFree)
    : inWeek(today)
    ? today
    : weekStart;
  const trainerName = user.role === "trainer" ? user.name : data.trainerName;
  const holidays = new Set(settings.holidays);
  const byDate = Map.groupBy(slots, (s) => s.date);
  const days: DayView[] = [];
  for (
    let d = weekStart;
    Temporal.PlainDate.compare(d, weekEnd) <= 0;
    d = d.add({ days: 1 })
  ) {
    const date = d.toString();
    days.push({
      date: d,
      holiday: holidays.has(date),
      slots: byDate.get(date) ?? [],
    });
  }
  return {
    role: user.role,
    trainerName,
    timezone: settings.timezone,
    weekStart,
    selected,
    today,
    now: at,
    days,
    clientNames: data.clientNames,
    notice,
  };
}

/** The slot at `start` as the viewer sees it now, with the settings it came from. */
async function loadSlot(
  c: Context<AppEnv>,
  user: User,
  start: Temporal.Instant,
): Promise<{ slot: Slot | undefined; settings: TrainerSettings }> {
  const { sql, now } = c.var.deps;
  // The slot's local date is within a day of its UTC date, whatever the zone.
  const utcDate = start.toZonedDateTimeISO("UTC").toPlainDate();
  const { settings, busy } = (await loadCalendar(sql, {
    trainerId: user.trainerId,
    from: utcDate.subtract({ days: 2 }),
    to: utcDate.add({ days: 1 }),
    names: false,
  }))!;
  const date = start.toZonedDateTimeISO(settings.timezone).toPlainDate();
  const slots = computeSlots({
    settings,
    busy,
    from: date.subtract({ days: 1 }),
    to: date,
    now: now(),
    viewer: viewerOf(user),
  });
  return { slot: findSlot(slots, start), settings };
}

const calendarTitle = "Calendar";

/** One cell as a client sees it (htmx swaps it in place). */
const ClientCell = ({ timezone, slot }: { timezone: string; slot: Slot }) => (
  <SlotCell
    view={{ role: "client", timezone, clientNames: new Map() }}
    slot={slot}
  />
);
const wrapCalendar = (user: User) => (fragment: unknown) => (
  <>
    <h1>{user.role === "client" ? "Book a session" : "Your calendar"}</h1>
    {fragment}
  </>
);

type FormOutcome =
  | { ok: true; id: string }
  | { ok: false; reason: string };

/** A booking (or the first answer to this form, sent again) as the form answers it. */
function outcomeOf(
  answer: StoredAnswer | Outcome | { reused: true },
): FormOutcome {
  if ("reused" in answer) return { ok: false, reason: "form_reused" };
  if ("ok" in answer) {
    return answer.ok
      ? { ok: true, id: answer.appointment.id }
      : { ok: false, reason: answer.reason };
  }
  const body = answer.body as { id?: string; error?: { code?: string } };
  return answer.status === 201 && body.id
    ? { ok: true, id: body.id }
    : { ok: false, reason: body.error?.code ?? "slot_taken" };
}

const REASON_TEXT: Record<string, string> = {
  form_reused: "This form was already sent. Pick a time again.",
  in_past: "That time has already passed. Pick another one.",
  not_a_slot: "That time is no longer offered. Pick another one.",
  slot_taken: "Someone else just booked that time. Pick another one.",
  not_found: "That trainer could not be found.",
};

export const calendarPages = new Hono<AppEnv>()
  .get("/calendar", async (c) => {
    const user = assertSignedIn(c);
    const view = await loadWeek(
      c,
      user,
      c.req.query("week"),
      c.req.query("day"),
    );
    return fragmentOrPage(
      c,
      calendarTitle,
      <WeekGrid view={view} />,
      wrapCalendar(user),
    );
  })
  .get("/calendar/cell", async (c) => {
    const user = assertSignedIn(c);
    const start = InstantString.safeParse(c.req.query("start"));
    if (!start.success) throw notFound("Slot");
    const { slot, settings } = await loadSlot(c, user, start.data);
    if (!slot) throw notFound("Slot");
    c.header("Vary", "HX-Request");
    const clientNames = new Map<string, string>();
    if (user.role === "trainer" && slot.appointmentId) {
      const a = await getAppointment(c.var.deps.sql, slot.appointmentId, {
        role: "trainer",
        id: user.id,
      });
      if (a) clientNames.set(a.id, a.clientName);
    }
    return c.html(
      <SlotCell
        view={{ role: user.role, timezone: settings.timezone, clientNames }}
        slot={slot}
      />,
    );
  })
  .get("/book", async (c) => {
    const user = assertRole(c, "client");
    const start = InstantString.safeParse(c.req.query("start"));
    if (!start.success) throw notFound("Slot");
    const { slot, settings } = await loadSlot(c, user, start.data);
    const inCell = c.req.query("cell") === "1" && isHtmx(c);
    if (!slot || slot.status !== "available") {
      const reason = !slot
        ? "not_a_slot"
        : slot.status === "past"
        ? "in_past"
        : "slot_taken";
      if (inCell && slot) {
        return c.html(
          <ClientCell timezone={settings.timezone} slot={slot} />,
        );
      }
      return redirectWithFlash(c, "/calendar", REASON_TEXT[reason], "error");
    }
    const trainer = (await getUser(c.var.deps.sql, user.trainerId))!;
    const confirm = (
      <ConfirmBooking
        csrf={c.var.csrfToken}
        formKey={crypto.randomUUID()}
        slot={slot}
        trainerName={trainer.name}
        timezone={settings.timezone}
        inCell={inCell}
      />
    );
    c.header("Vary", "HX-Request");
    return inCell ? c.html(confirm) : page(c, "Confirm booking", confirm);
  })
  .post("/book", async (c) => {
    const user = assertRole(c, "client");
    const form = await c.req.formData().catch(() => new FormData());
    const start = InstantString.safeParse(form.get("start"));
    const notes = Notes.safeParse(form.get("notes") ?? "");
    const inCell = c.req.query("cell") === "1" && isHtmx(c);
    if (!start.success) {
      return redirectWithFlash(
        c,
        "/calendar",
        "Pick a time from the calendar.",
        "error",
      );
    }
    if (!notes.success) {
      return redirectWithFlash(
        c,
        `/book?start=${encodeURIComponent(start.data.toString())}`,
        "The note is too long (2000 characters at most).",
        "error",
      );
    }
    const input = {
      trainerId: user.trainerId,
      clientId: user.id,
      by: "client" as const,
      start: start.data,
      notes: notes.data.trim(),
      now: c.var.deps.now(),
    };
    const key = form.get("key"); // a uuid made when the confirm form was shown
    const result = typeof key === "string" && UUID.test(key)
      ? outcomeOf(
        await bookOnce(c.var.deps.sql, {
          userId: user.id,
          key: `form:${key}`,
          requestHash: requestHashOf({
            start: input.start,
            notes: input.notes,
          }),
        }, input),
      )
      : outcomeOf(await c.var.book(input));
    if (result.ok) {
      c.var.deps.onOutbox?.(); // a nudge: harmless after a replay
      const to = `/appointments/${result.id}?booked=1`;
      if (isHtmx(c)) {
        c.header(
          "HX-Location",
          JSON.stringify({ path: to, target: "#main", select: "#main" }),
        );
        return c.body(null, 204);
      }
      return c.redirect(to, 303);
    }
    // Lost a race or the slot vanished: a friendly message and the fresh state, never an error page.
    const message = REASON_TEXT[result.reason] ??
      "That time cannot be booked. Pick another one.";
    if (inCell) {
      const { slot, settings } = await loadSlot(c, user, start.data);
      if (slot) {
        return c.html(
          <>
            <ClientCell timezone={settings.timezone} slot={slot} />
            <li class="slot slot-notice" role="alert">{message}</li>
          </>,
        );
      }
    }
    const settings = (await getSettings(c.var.deps.sql, user.trainerId))!;
    const day = start.data.toZonedDateTimeISO(settings.timezone).toPlainDate();
    if (isHtmx(c)) {
      const view = await loadWeek(
        c,
        user,
        day.toString(),
        day.toString(),
        message,
      );
      return page(
        c,
        calendarTitle,
        wrapCalendar(user)(<WeekGrid view={view} />),
      );
    }
    return redirectWithFlash(
      c,
      `/calendar?week=${day}&day=${day}`,
      message,
      "error",
    );
  });
