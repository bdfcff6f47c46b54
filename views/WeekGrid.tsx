import type { Slot } from "../domain/types.ts";
import { type Say, useSay } from "./locale.ts";
import { opensOn } from "../domain/policies.ts";
import { type ClassLine, DayClasses } from "./ClassViews.tsx";
import {
  dayMonth,
  instantParam,
  shortDate,
  time,
  weekdayShort,
  weekLabel,
  zoneLabel,
} from "./format.ts";

export type DayView = Readonly<{
  date: Temporal.PlainDate;
  holiday: boolean;
  slots: readonly Slot[];
  /** The group classes starting that day, listed beside the slots. */
  classes?: readonly ClassLine[];
}>;

export type WeekView = Readonly<{
  role: "trainer" | "client";
  trainerName: string;
  timezone: string;
  weekStart: Temporal.PlainDate;
  selected: Temporal.PlainDate;
  today: Temporal.PlainDate;
  now: Temporal.Instant;
  days: readonly DayView[];
  /** Trainer view: client names of the appointments on the grid. */
  clientNames: ReadonlyMap<string, string>;
  /** Appointments on the grid still waiting for the trainer's confirmation. */
  pendingIds?: ReadonlySet<string>;
  /** A message shown above the grid, e.g. after a lost race. */
  notice?: string;
  /** Move mode: the client's session being moved; a free slot moves it there. */
  moving?: string;
  /** Move mode: where that session is now (its own time is not a place to move it to). */
  movingFrom?: Temporal.Instant;
  /** Only the selected day's slots (a phone that shows one day at a time); tabs for all. */
  oneDay?: boolean;
  /** A client's booking horizon in days: a day past it says when it opens. */
  horizonDays?: number;
}>;

/** A week and day of the calendar, staying in move mode while in it. */
const calendarUrl = (
  view: Pick<WeekView, "moving">,
  week: Temporal.PlainDate,
  day: Temporal.PlainDate,
) =>
  `/calendar?week=${week}&day=${day}${
    view.moving ? `&move=${view.moving}` : ""
  }`;

/** hx-get + push-url so the week/day swaps in place and the URL stays shareable. */
const swap = (href: string) => ({
  href,
  "data-hx-get": href,
  "data-hx-target": "#week",
  "data-hx-swap": "outerHTML",
  "data-hx-push-url": "true",
});

/** The week: the full page and the htmx swap render this same component. */
export function WeekGrid({ view }: { view: WeekView }) {
  const prev = view.weekStart.subtract({ days: 7 });
  const next = view.weekStart.add({ days: 7 });
  const dayBefore = view.selected.subtract({ days: 1 });
  const dayAfter = view.selected.add({ days: 1 });
  const say = useSay();
  const zone = zoneLabel(view.timezone, view.now);
  return (
    <section id="week" aria-live="polite">
      <p class="muted">
        {view.role === "client"
          ? say("client.week.zone_client", {
            zone,
            trainer: view.trainerName,
          })
          : say("client.week.zone_trainer", { zone })}
      </p>
      {view.notice && (
        <p class="flash flash-error" role="alert">{view.notice}</p>
      )}
      {view.role === "trainer" && (
        <p>
          <a class="tap" href="/classes">{say("client.week.classes")}</a>
        </p>
      )}
      <div class="week-nav">
        <a {...swap(calendarUrl(view, prev, prev))} rel="prev">
          {say("client.week.previous_week")}
        </a>
        {/* The week is the heading its days (h3) sit under. */}
        <h2 class="week-label">{weekLabel(view.weekStart)}</h2>
        <a {...swap(calendarUrl(view, next, next))} rel="next">
          {say("client.week.next_week")}
        </a>
      </div>
      <nav class="day-tabs" aria-label={say("client.week.days")}>
        <a
          {...swap(calendarUrl(view, startOf(dayBefore), dayBefore))}
          aria-label={say("client.week.previous_day")}
        >
          ‹
        </a>
        {view.days.map((d) => (
          <a
            {...swap(calendarUrl(view, view.weekStart, d.date))}
            aria-current={d.date.equals(view.selected) ? "date" : undefined}
          >
            {weekdayShort(d.date)} {d.date.day}
            <small>{daySummary(say, d, view.horizonDays)}</small>
          </a>
        ))}
        <a
          {...swap(calendarUrl(view, startOf(dayAfter), dayAfter))}
          aria-label={say("client.week.next_day")}
        >
          ›
        </a>
        {!view.days.some((d) => d.date.equals(view.today)) && (
          <a
            {...swap(
              view.moving ? `/calendar?move=${view.moving}` : "/calendar",
            )}
          >
            {say("client.week.today")}
          </a>
        )}
      </nav>
      <div class="week single" data-days={view.oneDay ? "1" : "7"}>
        {view.days
          .filter((d) => !view.oneDay || d.date.equals(view.selected))
          .map((d) => <DayColumn view={view} day={d} />)}
      </div>
    </section>
  );
}

/**
 * What a day tab says under its date: holiday, closed, how many times are free, when a
 * day past the booking horizon opens, or full.
 */
export function daySummary(
  say: Say,
  day: DayView,
  horizonDays?: number,
): string {
  if (day.holiday) return say("client.week.tab_holiday");
  if (day.slots.length === 0) return say("client.week.tab_closed");
  const free = day.slots.filter((s) => s.status === "available").length;
  if (free > 0) return say("client.week.tab_free", { count: free });
  if (
    horizonDays !== undefined && day.slots.some((s) => s.status === "too_far")
  ) {
    return say("client.week.tab_opens", {
      day: dayMonth(opensOn(day.date, horizonDays)),
    });
  }
  return day.slots.every((s) => s.status === "past")
    ? say("client.week.tab_past")
    : say("client.week.tab_full");
}

const startOf = (d: Temporal.PlainDate) =>
  d.subtract({ days: d.dayOfWeek - 1 });

function DayColumn({ view, day }: { view: WeekView; day: DayView }) {
  const say = useSay();
  const classes = ["day"];
  if (day.date.equals(view.selected)) classes.push("selected");
  if (day.date.equals(view.today)) classes.push("today");
  if (day.holiday) classes.push("holiday");
  return (
    <div class={classes.join(" ")}>
      <h3>
        {day.date.equals(view.today)
          ? say("client.week.day_today", { day: shortDate(day.date) })
          : shortDate(day.date)}
      </h3>
      {day.holiday
        ? <p class="muted">{say("client.week.holiday")}</p>
        : day.slots.length === 0
        ? <p class="muted">{say("client.week.no_hours")}</p>
        : (
          <ul class="slots">
            {day.slots.map((s) => <SlotCell view={view} slot={s} />)}
          </ul>
        )}
      <DayClasses classes={day.classes ?? []} />
    </div>
  );
}

export const slotCellId = (s: Slot) =>
  `slot-${s.start.epochMilliseconds / 1000}`;

/** One slot: its own swap target (`/calendar/cell?start=…` answers just this cell). */
export function SlotCell(
  { view, slot }: {
    view: Pick<
      WeekView,
      | "role"
      | "timezone"
      | "clientNames"
      | "pendingIds"
      | "moving"
      | "movingFrom"
    >;
    slot: Slot;
  },
) {
  const label = `${time(slot.start, view.timezone)}–${
    time(slot.end, view.timezone)
  }`;
  const id = slotCellId(slot);
  const start = instantParam(slot.start);
  const say = useSay();
  const cell = (key: Parameters<Say>[0], values = {}) =>
    say(key, { time: label, ...values });
  const waitingWord = say("status.waiting");
  const bookedWord = say("status.booked");
  if (view.role === "client") {
    switch (slot.status) {
      case "available":
        if (view.moving && view.movingFrom?.equals(slot.start)) {
          return (
            <li id={id} class="slot slot-mine" aria-current="true">
              <a href={`/appointments/${view.moving}`}>
                {cell("client.slot.yours_now")}
              </a>
            </li>
          );
        }
        if (view.moving) {
          return (
            <li id={id} class="slot slot-available">
              <a href={`/appointments/${view.moving}/move?start=${start}`}>
                {cell("client.slot.move_here")}
              </a>
            </li>
          );
        }
        return (
          <li id={id} class="slot slot-available">
            <a
              href={`/book?start=${start}`}
              data-hx-get={`/book?start=${start}&cell=1`}
              data-hx-target={`#${id}`}
              data-hx-swap="outerHTML"
            >
              {cell("client.slot.free")}
            </a>
          </li>
        );
      case "mine":
        return view.pendingIds?.has(slot.appointmentId!)
          ? (
            <li id={id} class="slot slot-mine slot-waiting">
              <a href={`/appointments/${slot.appointmentId}`}>
                {cell("client.slot.status", { status: waitingWord })}
              </a>
            </li>
          )
          : (
            <li id={id} class="slot slot-mine">
              <a href={`/appointments/${slot.appointmentId}`}>
                {cell("client.slot.yours")}
              </a>
            </li>
          );
      case "booked":
        return (
          <li id={id} class="slot slot-booked" aria-disabled="true">
            {cell("client.slot.status", { status: bookedWord })}
          </li>
        );
      case "past":
        return (
          <li id={id} class="slot slot-past" aria-disabled="true">
            {cell("client.slot.past")}
          </li>
        );
      case "too_soon":
        return (
          <li id={id} class="slot slot-past" aria-disabled="true">
            {cell("client.slot.too_soon")}
          </li>
        );
      case "too_far":
        return (
          <li id={id} class="slot slot-past" aria-disabled="true">
            {cell("client.slot.too_far")}
          </li>
        );
    }
  }
  if (slot.appointmentId?.startsWith("class:")) {
    return (
      <li id={id} class="slot slot-booked">
        <a href={`/classes/${slot.appointmentId.slice(6)}`}>
          {cell("client.slot.class")}
        </a>
      </li>
    );
  }
  if (slot.appointmentId) {
    const who = view.clientNames.get(slot.appointmentId) ?? bookedWord;
    const waiting = view.pendingIds?.has(slot.appointmentId);
    return (
      <li
        id={id}
        class={`slot slot-${slot.status === "past" ? "past" : "booked"}${
          waiting ? " slot-waiting" : ""
        }`}
      >
        <a href={`/schedule/${slot.appointmentId}/edit`}>
          {waiting
            ? cell("client.slot.who_waiting", {
              who,
              status: waitingWord,
            })
            : cell("client.slot.status", { status: who })}
        </a>
      </li>
    );
  }
  if (slot.status === "past") {
    return (
      <li id={id} class="slot slot-past" aria-disabled="true">
        {cell("client.slot.past")}
      </li>
    );
  }
  const prefill = `/schedule?date=${slot.date}&time=${
    time(slot.start, view.timezone)
  }#new-session`;
  if (slot.elsewhere !== undefined) {
    // Busy in the trainer's other calendars: taken for clients, bookable by the trainer.
    return (
      <li id={id} class="slot slot-busy">
        <a
          href={prefill}
          title={say("client.slot.busy_title")}
        >
          {cell("client.slot.busy", {
            what: slot.elsewhere || say("client.slot.other_calendar"),
          })}
        </a>
      </li>
    );
  }
  return (
    <li id={id} class="slot slot-available">
      <a href={prefill} title={say("client.slot.book_title")}>
        {cell("client.slot.free")}
      </a>
    </li>
  );
}
