import type { Slot } from "../domain/types.ts";
import {
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
  /** A message shown above the grid, e.g. after a lost race. */
  notice?: string;
}>;

const calendarUrl = (week: Temporal.PlainDate, day: Temporal.PlainDate) =>
  `/calendar?week=${week}&day=${day}`;

/** hx-get + push-url so the week/day swaps in place and the URL stays shareable. */
const swap = (href: string) => ({
  href,
  "hx-get": href,
  "hx-target": "#week",
  "hx-swap": "outerHTML",
  "hx-push-url": "true",
});

/** The week: the full page and the htmx swap render this same component. */
export function WeekGrid({ view }: { view: WeekView }) {
  const prev = view.weekStart.subtract({ days: 7 });
  const next = view.weekStart.add({ days: 7 });
  const dayBefore = view.selected.subtract({ days: 1 });
  const dayAfter = view.selected.add({ days: 1 });
  return (
    <section id="week" aria-live="polite">
      <p class="muted">
        Times are in {zoneLabel(view.timezone, view.now)}
        {view.role === "client" ? `, ${view.trainerName}'s time zone.` : "."}
      </p>
      {view.notice && (
        <p class="flash flash-error" role="alert">{view.notice}</p>
      )}
      <div class="week-nav">
        <a {...swap(calendarUrl(prev, prev))} rel="prev">← Previous week</a>
        <strong>{weekLabel(view.weekStart)}</strong>
        <a {...swap(calendarUrl(next, next))} rel="next">Next week →</a>
      </div>
      <nav class="day-tabs" aria-label="Days">
        <a
          {...swap(calendarUrl(startOf(dayBefore), dayBefore))}
          aria-label="Previous day"
        >
          ‹
        </a>
        {view.days.map((d) => (
          <a
            {...swap(calendarUrl(view.weekStart, d.date))}
            aria-current={d.date.equals(view.selected) ? "date" : undefined}
          >
            {weekdayShort(d.date)} {d.date.day}
          </a>
        ))}
        <a
          {...swap(calendarUrl(startOf(dayAfter), dayAfter))}
          aria-label="Next day"
        >
          ›
        </a>
        {!view.days.some((d) => d.date.equals(view.today)) && (
          <a {...swap("/calendar")}>Today</a>
        )}
      </nav>
      <div class="week single">
        {view.days.map((d) => <DayColumn view={view} day={d} />)}
      </div>
    </section>
  );
}

const startOf = (d: Temporal.PlainDate) =>
  d.subtract({ days: d.dayOfWeek - 1 });

function DayColumn({ view, day }: { view: WeekView; day: DayView }) {
  const classes = ["day"];
  if (day.date.equals(view.selected)) classes.push("selected");
  if (day.date.equals(view.today)) classes.push("today");
  if (day.holiday) classes.push("holiday");
  return (
    <div class={classes.join(" ")}>
      <h3>
        {shortDate(day.date)}
        {day.date.equals(view.today) && " · today"}
      </h3>
      {day.holiday
        ? <p class="muted">Holiday: no sessions</p>
        : day.slots.length === 0
        ? <p class="muted">No working hours</p>
        : (
          <ul class="slots">
            {day.slots.map((s) => <SlotCell view={view} slot={s} />)}
          </ul>
        )}
    </div>
  );
}

export const slotCellId = (s: Slot) =>
  `slot-${s.start.epochMilliseconds / 1000}`;

/** One slot: its own swap target (`/calendar/cell?start=…` answers just this cell). */
export function SlotCell(
  { view, slot }: {
    view: Pick<WeekView, "role" | "timezone" | "clientNames">;
    slot: Slot;
  },
) {
  const label = `${time(slot.start, view.timezone)}–${
    time(slot.end, view.timezone)
  }`;
  const id = slotCellId(slot);
  const start = instantParam(slot.start);
  if (view.role === "client") {
    switch (slot.status) {
      case "available":
        return (
          <li id={id} class="slot slot-available">
            <a
              href={`/book?start=${start}`}
              hx-get={`/book?start=${start}&cell=1`}
              hx-target={`#${id}`}
              hx-swap="outerHTML"
            >
              {label} · Free
            </a>
          </li>
        );
      case "mine":
        return (
          <li id={id} class="slot slot-mine">
            <a href={`/appointments/${slot.appointmentId}`}>
              {label} · Your session
            </a>
          </li>
        );
      case "booked":
        return (
          <li id={id} class="slot slot-booked" aria-disabled="true">
            {label} · Booked
          </li>
        );
      case "past":
        return (
          <li id={id} class="slot slot-past" aria-disabled="true">
            {label} · Past
          </li>
        );
    }
  }
  if (slot.appointmentId) {
    const who = view.clientNames.get(slot.appointmentId) ?? "Booked";
    return (
      <li
        id={id}
        class={`slot slot-${slot.status === "past" ? "past" : "booked"}`}
      >
        <a href={`/schedule/${slot.appointmentId}/edit`}>{label} · {who}</a>
      </li>
    );
  }
  if (slot.status === "past") {
    return (
      <li id={id} class="slot slot-past" aria-disabled="true">
        {label} · Past
      </li>
    );
  }
  const prefill = `/schedule?date=${slot.date}&time=${
    time(slot.start, view.timezone)
  }#new-session`;
  return (
    <li id={id} class="slot slot-available">
      <a href={prefill} title="Book a session for a client at this time">
        {label} · Free
      </a>
    </li>
  );
}
