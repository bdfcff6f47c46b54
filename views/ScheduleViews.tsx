/** The trainer's schedule page: the day or week agenda and the actions on each session. */
import type { Child } from "hono/jsx";
import { statusWords } from "./status.ts";
import { useSay, useSayRich } from "./locale.ts";
import { WeeklyBadge } from "./SeriesViews.tsx";
import { Csrf } from "./Layout.tsx";
import { isExpiredRequest } from "../domain/appointments.ts";
import type { Appointment } from "../domain/types.ts";
import type { GroupClass } from "../domain/classes.ts";
import { longDay, minutesBetween, time, zoneLabel } from "./format.ts";
import {
  type AgendaView,
  CancelledLine,
  live,
  scheduleHref,
  StatusBadge,
} from "./SessionParts.tsx";
import {
  CancelSessionForm,
  DeleteSessionForm,
} from "./SessionConfirmViews.tsx";

export type AgendaDay = Readonly<{
  date: Temporal.PlainDate;
  today: boolean;
  sessions: readonly Appointment[];
  /** The day's group classes (they live on /classes; the agenda shows and links them). */
  classes: readonly GroupClass[];
}>;

/** Plain links that htmx turns into swaps of just the agenda. */
function AgendaLink(
  { href, children, current }: {
    href: string;
    children: Child;
    current?: boolean;
  },
) {
  return (
    <a
      href={href}
      data-hx-get={href}
      data-hx-target="#agenda"
      data-hx-swap="outerHTML"
      data-hx-push-url="true"
      aria-current={current ? "page" : undefined}
    >
      {children}
    </a>
  );
}

/** The agenda: one swap target, also the middle of the full schedule page. */
export function Agenda(
  { view, date, today, days, timezone, now, csrf, deletable }: {
    view: AgendaView;
    date: Temporal.PlainDate;
    today: Temporal.PlainDate;
    days: readonly AgendaDay[];
    timezone: string;
    now: Temporal.Instant;
    csrf: string;
    /** The sessions Delete is offered for (`mayDelete`): the others are cancelled instead. */
    deletable: ReadonlySet<string>;
  },
) {
  const step = view === "week" ? { days: 7 } : { days: 1 };
  const prev = date.subtract(step).toString();
  const next = date.add(step).toString();
  const say = useSay();
  const heading = view === "week"
    ? say("trainer.schedule.week_of", { day: longDay(days[0].date) })
    : longDay(date);
  const back = scheduleHref(date.toString(), view);
  const count = days.reduce((n, d) => n + d.sessions.length, 0);
  const classCount = days.reduce(
    (n, d) => n + d.classes.filter((k) => k.status !== "cancelled").length,
    0,
  );
  return (
    <section id="agenda" class="agenda" aria-live="polite">
      <nav class="tabs" aria-label={say("trainer.schedule.view_tabs")}>
        <AgendaLink
          href={scheduleHref(date.toString(), "day")}
          current={view === "day"}
        >
          {say("trainer.schedule.day")}
        </AgendaLink>
        <AgendaLink
          href={scheduleHref(date.toString(), "week")}
          current={view === "week"}
        >
          {say("trainer.schedule.week")}
        </AgendaLink>
      </nav>
      <nav class="week-nav" aria-label={say("trainer.schedule.dates")}>
        <AgendaLink href={scheduleHref(prev, view)}>
          ← {say(
            view === "week"
              ? "trainer.schedule.previous_week"
              : "trainer.schedule.previous_day",
          )}
        </AgendaLink>
        <AgendaLink href={scheduleHref(today.toString(), view)}>
          {say("trainer.schedule.today")}
        </AgendaLink>
        <AgendaLink href={scheduleHref(next, view)}>
          {say(
            view === "week"
              ? "trainer.schedule.next_week"
              : "trainer.schedule.next_day",
          )} →
        </AgendaLink>
      </nav>
      <h2>{heading}</h2>
      <p class="muted">
        {say("trainer.schedule.zone", { zone: zoneLabel(timezone, now) })}{" "}
        {say("trainer.schedule.count_sessions", { count })}
        {say("trainer.schedule.count_classes", { count: classCount })}
      </p>
      {days.map((day) => (
        <section class={day.today ? "agenda-day today" : "agenda-day"}>
          {view === "week" && <h3>{longDay(day.date)}</h3>}
          {day.sessions.length === 0 && day.classes.length === 0
            ? <p class="muted">{say("trainer.schedule.no_sessions")}</p>
            : (
              <ul class="sessions">
                {byStart(day).map((item) =>
                  "capacity" in item
                    ? <ClassItem k={item} timezone={timezone} />
                    : (
                      <SessionItem
                        a={item}
                        timezone={timezone}
                        now={now}
                        csrf={csrf}
                        back={back}
                        deletable={deletable.has(item.id)}
                      />
                    )
                )}
              </ul>
            )}
        </section>
      ))}
    </section>
  );
}

/**
 * A day's sessions and classes in one list, by start (a session first at the same time):
 * the schedule's agenda and Today both list them so.
 */
export const byStart = (
  day: Pick<AgendaDay, "sessions" | "classes">,
): (Appointment | GroupClass)[] =>
  [...day.sessions, ...day.classes].sort((x, y) =>
    Temporal.Instant.compare(x.start, y.start) ||
    Number("capacity" in x) - Number("capacity" in y)
  );

/** A group class in the agenda: its time, title and seats, linked to its page. */
export function ClassItem(
  { k, timezone }: { k: GroupClass; timezone: string },
) {
  const cancelled = k.status === "cancelled";
  const say = useSay();
  return (
    <li class={`session session-class${cancelled ? " session-cancelled" : ""}`}>
      <div class="spread">
        <strong class="session-time">
          {time(k.start, timezone)}–{time(k.end, timezone)}
        </strong>
        <span class={cancelled ? "badge badge-cancelled" : "badge badge-class"}>
          {say(
            cancelled
              ? "trainer.schedule.class_cancelled"
              : "trainer.schedule.group_class",
          )}
        </span>
      </div>
      <p class="session-client">
        <a class="tap" href={`/classes/${k.id}`}>{k.title}</a>{" "}
        <span class="muted">
          · {say("trainer.schedule.seats", {
            booked: k.booked,
            capacity: k.capacity,
            waitlisted: k.waitlisted,
          })}
        </span>
      </p>
    </li>
  );
}

function SessionItem(
  { a, timezone, now, csrf, back, deletable }: {
    a: Appointment;
    timezone: string;
    now: Temporal.Instant;
    csrf: string;
    back: string;
    deletable: boolean;
  },
) {
  const started = Temporal.Instant.compare(a.start, now) <= 0;
  const expired = isExpiredRequest(a, now);
  const say = useSay();
  return (
    <li class={`session session-${statusWords(a, "trainer", now).tone}`}>
      <div class="spread">
        <strong class="session-time">
          {time(a.start, timezone)}–{time(a.end, timezone)}
        </strong>
        <StatusBadge a={a} now={now} />
      </div>
      <p class="session-client">
        {a.clientName}{" "}
        <span class="muted">
          · {say("trainer.session.minutes", {
            minutes: minutesBetween(a.start, a.end),
          })}
        </span>{" "}
        <WeeklyBadge a={a} link />
      </p>
      {a.notes && <p class="session-notes">{a.notes}</p>}
      <CancelledLine a={a} />
      <div class="row session-actions">
        {a.status === "pending" && !expired && (
          <ActionButton
            action={`/schedule/${a.id}/confirm`}
            csrf={csrf}
            back={back}
            label={say("trainer.session.confirm")}
          />
        )}
        {a.status === "scheduled" && started && (
          <ActionButton
            action={`/schedule/${a.id}/complete`}
            csrf={csrf}
            back={back}
            label={say("trainer.session.complete")}
          />
        )}
        <a class="button secondary" href={`/schedule/${a.id}/edit`}>
          {say(
            live(a)
              ? "trainer.schedule.edit_move"
              : "trainer.schedule.edit_notes",
          )}
        </a>
        {live(a) && (
          <DialogAction
            label={say(
              a.status === "pending"
                ? "trainer.session.decline"
                : "trainer.session.cancel",
            )}
            href={`/schedule/${a.id}/cancel?${backQuery(back)}`}
            danger
          >
            <CancelSessionForm
              a={a}
              timezone={timezone}
              now={now}
              csrf={csrf}
              back={back}
            />
          </DialogAction>
        )}
        {deletable && (
          <DialogAction
            label={say("trainer.session.delete")}
            href={`/schedule/${a.id}/delete?${backQuery(back)}`}
            danger
          >
            <DeleteSessionForm
              a={a}
              timezone={timezone}
              now={now}
              csrf={csrf}
              back={back}
            />
          </DialogAction>
        )}
      </div>
    </li>
  );
}

const backQuery = (back: string) => new URLSearchParams({ back }).toString();

function ActionButton(
  { action, csrf, back, label }: {
    action: string;
    csrf: string;
    back: string;
    label: string;
  },
) {
  return (
    <form method="post" action={action} class="inline">
      <Csrf token={csrf} />
      <input type="hidden" name="back" value={back} />
      <button type="submit">{label}</button>
    </form>
  );
}

/**
 * A link to a confirm page without JavaScript; with Alpine, a button that opens
 * the same form in a `<dialog>`.
 */
function DialogAction(
  { label, href, danger, children }: {
    label: string;
    href: string;
    danger?: boolean;
    children: Child;
  },
) {
  const cls = danger ? "button danger" : "button secondary";
  const say = useSay();
  return (
    <div class="dialog-action" x-data="dialogAction">
      <a class={cls} href={href} x-show="false">{label}</a>
      <button
        type="button"
        class={danger ? "danger" : "secondary"}
        x-cloak
        x-on:click="open"
      >
        {label}
      </button>
      <dialog x-ref="dialog">
        {children}
        <p>
          <button
            type="button"
            class="link target"
            x-on:click="close"
          >
            {say("trainer.session.keep")}
          </button>
        </p>
      </dialog>
    </div>
  );
}

export function SchedulePage(
  { agenda, form }: { agenda: Child; form: Child },
) {
  const say = useSay();
  const sayRich = useSayRich();
  return (
    <>
      <h1>{say("trainer.schedule.title")}</h1>
      <p class="muted">
        {sayRich("trainer.schedule.lead", {}, {
          link: (w) => <a href="/calendar">{w}</a>,
        })}
      </p>
      {agenda}
      {form}
    </>
  );
}
