import { Hono } from "hono";
import type { Context } from "hono";
import { type AppEnv, settingsOf } from "./context.ts";
import {
  assertRole,
  assertSignedIn,
  isHtmx,
  redirectWithFlash,
  showsOneDay,
} from "./middleware.ts";
import { fragmentOrPage, htmlIn, page } from "./render.tsx";
import { notFound } from "./errors.ts";
import { InstantString, Notes, requestHashOf } from "./validation.ts";
import { answerOutcome, bookingAnswer, messageOf } from "./outcomes.ts";
import type { TrainerSettings } from "../db/settings.ts";
import { type Appointment, getAppointment } from "../db/appointments.ts";
import { longDate, time as wallTime } from "../views/format.ts";
import { getUser, type User } from "../db/users.ts";
import { findSlot } from "../domain/availability.ts";
import { cacheUntil } from "./render_cache.ts";
import { decideBooking } from "../domain/appointments.ts";
import { isInsideLateWindow } from "../domain/policies.ts";
import { getTrainerContact } from "../db/contact.ts";
import { loadSlotsAndBusy } from "./availability.ts";
import { dayRange, parseIsoDate, startOfWeek } from "../domain/time.ts";
import type {
  BusyElsewhere,
  BusyInterval,
  Slot,
  Viewer,
} from "../domain/types.ts";
import {
  type DayView,
  SlotCell,
  WeekGrid,
  type WeekView,
} from "../views/WeekGrid.tsx";
import { ConfirmBooking } from "../views/BookingViews.tsx";
import { bookAppointment, bookAppointmentOnce } from "../db/lifecycle.ts";
import { UUID } from "../db/client.ts";
import { listClassesInRange, listClientClassesInRange } from "../db/classes.ts";
import { listOpenGrants } from "../db/credits.ts";
import { balanceOf, creditDay, decideCreditUse } from "../domain/credits.ts";
import { CreditNote, NoCredit } from "../views/ClientCreditViews.tsx";
import { sayFor, viewerLocale } from "./language.ts";
import { useSay, useSayRich } from "../views/locale.ts";
import type { Child } from "hono/jsx";

const viewerOf = (user: User): Viewer =>
  user.role === "trainer"
    ? { role: "trainer" }
    : { role: "client", clientId: user.id };

/** Loads settings, busy time and names, and computes the week the viewer sees. */
async function loadWeek(
  c: Context<AppEnv>,
  user: User,
  weekParam?: string,
  dayParam?: string,
  notice?: string,
  /** Move mode: the client's own live session being moved. */
  moving?: Appointment,
): Promise<WeekView> {
  const { sql, now } = c.get("deps");
  const settings = await settingsOf(c, user.trainerId);
  const at = now();
  const today = at.toZonedDateTimeISO(settings.timezone).toPlainDate();
  const requestedDay = parseIsoDate(dayParam);
  const weekStart = startOfWeek(
    parseIsoDate(weekParam) ?? requestedDay ?? today,
  );
  const weekEnd = weekStart.add({ days: 6 });
  const inWeek = (d: Temporal.PlainDate) =>
    Temporal.PlainDate.compare(d, weekStart) >= 0 &&
    Temporal.PlainDate.compare(d, weekEnd) <= 0;
  const range = dayRange(weekStart, weekEnd, settings.timezone);
  // One batch after the settings: busy time (with names and who waits for confirmation),
  // the trainer's name and the classes, sent together.
  const [{ slots, busy, changesAt }, trainerName, classes] = await Promise.all([
    loadSlotsAndBusy(sql, {
      trainerId: user.trainerId,
      settings,
      from: weekStart,
      to: weekEnd,
      now: at,
      viewer: viewerOf(user),
      exceptId: moving?.id,
    }),
    user.role === "trainer"
      ? user.name
      : getUser(sql, user.trainerId).then((t) => t!.name),
    user.role === "trainer"
      ? listClassesInRange(sql, user.id, range.start, range.end)
      : listClientClassesInRange(
        sql,
        user.trainerId,
        user.id,
        range.start,
        range.end,
      ),
  ]);
  // Everything else the week shows is data the calendar counter covers.
  cacheUntil(c, changesAt);
  // A client who asked for no day in particular opens on the first day with a free
  // slot (today's last slot may have passed), or on next week's when none is left.
  const opensOnFree = user.role === "client" && !requestedDay;
  const firstFree = opensOnFree
    ? slots.find((s) => s.status === "available")?.date
    : undefined;
  // Nor does anyone land on a week that is all past (a Sunday evening): a trainer asking
  // for no week opens on the next one when nothing in this one is still ahead.
  const allPast = user.role === "trainer" && !requestedDay &&
    slots.every((s) => s.status === "past");
  if (!weekParam && ((opensOnFree && !firstFree) || allPast)) {
    const next = await loadWeek(
      c,
      user,
      weekStart.add({ days: 7 }).toString(),
      undefined,
      notice,
      moving,
    );
    const open = user.role === "client"
      ? (s: Slot) => s.status === "available"
      : (s: Slot) => s.status !== "past";
    if (next.days.some((d) => d.slots.some(open))) {
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
  // Names for the trainer; for a client only their own sessions' confirmation state.
  const clientNames = new Map<string, string>();
  const pendingIds = new Set<string>();
  for (const b of busy) {
    if (user.role === "trainer" && b.clientName) {
      clientNames.set(b.appointmentId, b.clientName);
    }
    if (b.pending && (user.role === "trainer" || b.clientId === user.id)) {
      pendingIds.add(b.appointmentId);
    }
  }
  const holidays = new Set(settings.holidays);
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
      slots: slots.filter((s) => s.date === date),
      classes: classes.filter((k) =>
        k.start.toZonedDateTimeISO(settings.timezone).toPlainDate().equals(d)
      ),
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
    clientNames,
    pendingIds,
    notice,
    moving: moving?.id,
    movingFrom: moving?.start,
    oneDay: showsOneDay(c),
    horizonDays: user.role === "client"
      ? settings.horizonDays ?? undefined
      : undefined,
  };
}

/** The client's own session named by `?move=`, if it can still be moved; else none. */
async function movingSession(c: Context<AppEnv>, user: User) {
  const id = c.req.query("move");
  if (user.role !== "client" || !id || !UUID.test(id)) return undefined;
  const a = await getAppointment(c.get("deps").sql, id.toLowerCase(), {
    role: "client",
    id: user.id,
  });
  return a && (a.status === "scheduled" || a.status === "pending")
    ? a
    : undefined;
}

/** The slot at `start` as the viewer sees it now, with the settings it came from. */
async function loadSlot(
  c: Context<AppEnv>,
  user: User,
  start: Temporal.Instant,
): Promise<
  {
    slot: Slot | undefined;
    settings: TrainerSettings;
    busy: readonly BusyInterval[];
    elsewhere: readonly BusyElsewhere[];
  }
> {
  const { sql, now } = c.get("deps");
  const settings = await settingsOf(c, user.trainerId);
  const date = start.toZonedDateTimeISO(settings.timezone).toPlainDate();
  const from = date.subtract({ days: 1 });
  const { slots, busy, elsewhere } = await loadSlotsAndBusy(sql, {
    trainerId: user.trainerId,
    settings,
    from,
    to: date,
    now: now(),
    viewer: viewerOf(user),
  });
  return { slot: findSlot(slots, start), settings, busy, elsewhere };
}

/** One cell as a client sees it (htmx swaps it in place). */
const ClientCell = ({ timezone, slot }: { timezone: string; slot: Slot }) => (
  <SlotCell
    view={{ role: "client", timezone, clientNames: new Map() }}
    slot={slot}
  />
);
/** The calendar page around the week: its heading, and in move mode what is moved. */
function CalendarWrap(
  { user, moving, children }: {
    user: User;
    moving?: Appointment;
    children?: Child;
  },
) {
  const say = useSay();
  const sayRich = useSayRich();
  return moving
    ? (
      <>
        <h1>{say("client.calendar.move_heading")}</h1>
        <p>
          {say("client.calendar.move_lead", {
            day: longDate(moving.start, moving.timezone),
            time: wallTime(moving.start, moving.timezone),
          })}{" "}
          <a href={`/appointments/${moving.id}`}>
            {say("client.move.keep")}
          </a>
        </p>
        {children}
      </>
    )
    : (
      <>
        <h1>
          {user.role === "client"
            ? say("client.calendar.book_heading")
            : say("client.calendar.trainer_heading")}
        </h1>
        {user.role === "trainer" && (
          <p class="muted">
            {sayRich("client.calendar.trainer_lead", {}, {
              link: (w) => <a href="/schedule">{w}</a>,
            })}
          </p>
        )}
        {children}
      </>
    );
}

/**
 * A cell whose booking was refused, with why below it: a component, so the cell renders
 * in the viewer's locale (markup written in a route renders at once, in English).
 */
const LostCell = (
  { timezone, slot, message }: {
    timezone: string;
    slot: Slot;
    message: string;
  },
) => (
  <>
    <ClientCell timezone={timezone} slot={slot} />
    <li class="slot slot-notice" role="alert">{message}</li>
  </>
);

const wrapCalendar =
  (user: User, moving?: Appointment) => (fragment: Child) => (
    <CalendarWrap user={user} moving={moving}>{fragment}</CalendarWrap>
  );

export const calendarPages = new Hono<AppEnv>()
  .get("/calendar", async (c) => {
    const user = assertSignedIn(c);
    const moving = await movingSession(c, user);
    const view = await loadWeek(
      c,
      user,
      c.req.query("week"),
      c.req.query("day"),
      undefined,
      moving,
    );
    const say = sayFor(c);
    return fragmentOrPage(
      c,
      moving
        ? say("client.calendar.move_heading")
        : say("client.calendar.title"),
      <WeekGrid view={view} />,
      wrapCalendar(user, moving),
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
      const a = await getAppointment(c.get("deps").sql, slot.appointmentId, {
        role: "trainer",
        id: user.id,
      });
      if (a) clientNames.set(a.id, a.clientName);
    }
    return htmlIn(
      c,
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
    const [{ slot, settings, busy, elsewhere }, grants] = await Promise.all([
      loadSlot(c, user, start.data),
      listOpenGrants(c.get("deps").sql, user.id),
    ]);
    const inCell = c.req.query("cell") === "1" && isHtmx(c);
    const now = c.get("deps").now();
    const day = creditDay(now, settings.timezone);
    const credit = decideCreditUse({
      by: "client",
      requireCredit: settings.requireCredit,
      grants,
      day,
    });
    // The booking's own rules say whether this can be booked, before the client tries.
    const check = decideBooking(
      { by: "client", clientId: user.id, start: start.data, now, credit },
      settings,
      busy,
      elsewhere,
    );
    const noCredit = !check.ok && check.reason === "no_credit";
    // Back to a confirm already used (JavaScript off): the time is theirs, not "someone else's".
    if (slot?.status === "mine" && slot.appointmentId && !inCell) {
      return redirectWithFlash(
        c,
        `/appointments/${slot.appointmentId}`,
        sayFor(c)("client.book.already_yours"),
      );
    }
    if (!slot || (!check.ok && !noCredit)) {
      if (inCell && slot) {
        return htmlIn(
          c,
          <ClientCell timezone={settings.timezone} slot={slot} />,
        );
      }
      const reason = check.ok ? "not_a_slot" : check.reason;
      return redirectWithFlash(
        c,
        "/calendar",
        messageOf(reason, "client", viewerLocale(c)),
        "error",
      );
    }
    const trainer = (await getUser(c.get("deps").sql, user.trainerId))!;
    const confirm = (
      <ConfirmBooking
        csrf={c.get("csrfToken")}
        formKey={crypto.randomUUID()}
        slot={slot}
        trainerName={trainer.name}
        timezone={settings.timezone}
        inCell={inCell}
        rules={{
          cancelNoticeMinutes: settings.cancelNoticeMinutes,
          insideWindow: isInsideLateWindow(slot.start, now, settings),
          requiresConfirmation: settings.requiresConfirmation,
          contact: await getTrainerContact(c.get("deps").sql, user.trainerId),
        }}
        credit={<CreditNote balance={balanceOf(grants, day)} />}
        blocked={noCredit
          ? (
            <NoCredit
              message={messageOf("no_credit", "client", viewerLocale(c))}
              trainerName={trainer.name}
            />
          )
          : undefined}
      />
    );
    c.header("Vary", "HX-Request");
    return inCell
      ? htmlIn(c, confirm)
      : page(c, sayFor(c)("client.book.title"), confirm);
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
        sayFor(c)("client.book.pick_a_time"),
        "error",
      );
    }
    if (!notes.success) {
      return redirectWithFlash(
        c,
        `/book?start=${encodeURIComponent(start.data.toString())}`,
        sayFor(c)("client.book.note_too_long"),
        "error",
      );
    }
    const input = {
      trainerId: user.trainerId,
      clientId: user.id,
      by: "client" as const,
      start: start.data,
      notes: notes.data.trim(),
      now: c.get("deps").now(),
    };
    const key = form.get("key"); // a uuid made when the confirm form was shown
    const { sql } = c.get("deps");
    const result = answerOutcome(
      typeof key === "string" && UUID.test(key)
        ? await bookAppointmentOnce(
          sql,
          {
            userId: user.id,
            key: `form:${key}`,
            requestHash: requestHashOf({
              start: input.start,
              notes: input.notes,
            }),
          },
          input,
          bookingAnswer,
        )
        : bookingAnswer(await bookAppointment(sql, input)),
    );
    if (result.ok) {
      c.get("deps").onOutbox?.(); // a nudge: harmless after a replay
      const to = `/appointments/${result.id}?booked=1`;
      if (isHtmx(c)) {
        c.header(
          "HX-Location",
          JSON.stringify({
            path: to,
            target: "#main",
            select: "#main",
            swap: "outerHTML", // the page's main replaces this one, not nested in it
          }),
        );
        return c.body(null, 204);
      }
      return c.redirect(to, 303);
    }
    // Lost a race or the slot vanished: a friendly message and the fresh state, never an error page.
    const message = messageOf(result.reason, "client", viewerLocale(c));
    if (inCell) {
      const { slot, settings } = await loadSlot(c, user, start.data);
      if (slot) {
        return htmlIn(
          c,
          <LostCell
            timezone={settings.timezone}
            slot={slot}
            message={message}
          />,
        );
      }
    }
    const settings = await settingsOf(c, user.trainerId);
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
        sayFor(c)("client.calendar.title"),
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
