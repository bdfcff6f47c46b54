/**
 * A weekly series as the trainer sees it: the "weekly" badge on each of its sessions,
 * its own page (every occurrence with its state) and the step that asks before
 * cancelling it from a date on.
 */
import { Csrf } from "./Layout.tsx";
import type { Appointment } from "../domain/types.ts";
import {
  dayWithYear,
  longDate,
  minutesBetween,
  shortDate,
  time,
} from "./format.ts";
import {
  CancelledLine,
  live,
  scheduleHref,
  StatusBadge,
} from "./SessionParts.tsx";
import { statusWords } from "./status.ts";
import { localDateOf } from "../domain/time.ts";
import { useSay } from "./locale.ts";

/** The `day` a series' sentence selects its weekday by (`trainer.series.line`). */
export const weekdayKey = (dayOfWeek: number) =>
  ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][dayOfWeek - 1];

export const seriesHref = (id: string) => `/series/${id}`;

/**
 * "weekly" beside a session of a series; for the trainer a link to the series' page
 * (a whole tap target), for the client the word alone.
 */
export function WeeklyBadge(
  { a, link }: { a: Appointment; link: boolean },
) {
  if (!a.seriesId) return null;
  const say = useSay();
  const badge = (
    <span class="badge badge-series">{say("trainer.series.weekly")}</span>
  );
  return link
    ? (
      <a
        class="tap series-link"
        href={seriesHref(a.seriesId)}
        title={say("trainer.series.open")}
      >
        {badge}
      </a>
    )
    : badge;
}

export type SeriesView = Readonly<{
  id: string;
  clientId: string;
  clientName: string;
  start: Temporal.Instant;
  durationMinutes: number;
  weeks: number;
  until: Temporal.PlainDate;
  timezone: string;
}>;

/** "Weekly on Mondays at 18:00, 60 min: 10 weeks, 7 Dec until 8 Feb". */
function SeriesLine({ s }: { s: SeriesView }) {
  const first = s.start.toZonedDateTimeISO(s.timezone);
  const say = useSay();
  return (
    <p>
      {say("trainer.series.line", {
        day: weekdayKey(first.dayOfWeek),
        time: time(s.start, s.timezone),
        minutes: s.durationMinutes,
        weeks: s.weeks,
        first: shortDate(first.toPlainDate()),
        until: shortDate(s.until),
      })}
    </p>
  );
}

function Occurrence(
  { a, now }: { a: Appointment; now: Temporal.Instant },
) {
  const day = localDateOf(a.start, a.timezone);
  const say = useSay();
  return (
    <li class={`session session-${statusWords(a, "trainer", now).tone}`}>
      <a class="target" href={scheduleHref(day, "day")}>
        {longDate(a.start, a.timezone)}, {time(a.start, a.timezone)}–
        {time(a.end, a.timezone)}
      </a>{" "}
      <span class="muted">
        · {say("trainer.session.minutes", {
          minutes: minutesBetween(a.start, a.end),
        })}
      </span>{" "}
      <StatusBadge a={a} now={now} />
      <CancelledLine a={a} />
    </li>
  );
}

/** The sessions of a series that a cancel from now on would still reach. */
export const stillAhead = (
  appointments: readonly Appointment[],
  now: Temporal.Instant,
) =>
  appointments.filter((a) =>
    live(a) && Temporal.Instant.compare(a.start, now) > 0
  );

/** A series' page: what it is, its sessions ahead and past, and "cancel from a date". */
export function SeriesPage(
  { s, appointments, now, from, error }: {
    s: SeriesView;
    appointments: readonly Appointment[];
    now: Temporal.Instant;
    /** The date the cancel form shows (what was typed, after a refusal). */
    from?: string;
    error?: string;
  },
) {
  const upcoming = appointments.filter((a) =>
    Temporal.Instant.compare(a.end, now) > 0
  );
  const past = appointments.filter((a) =>
    Temporal.Instant.compare(a.end, now) <= 0
  );
  const ahead = stillAhead(appointments, now);
  const next = ahead[0] && localDateOf(ahead[0].start, s.timezone);
  const say = useSay();
  return (
    <section class="card narrow series-page">
      <h1>{say("trainer.series.heading", { name: s.clientName })}</h1>
      <SeriesLine s={s} />
      <p>
        {say("trainer.series.ahead", { count: ahead.length })} ·{" "}
        <a class="tap" href={`/clients/${s.clientId}`}>
          {say("trainer.series.client_page", { name: s.clientName })}
        </a>
      </p>
      <h2>{say("trainer.series.upcoming")}</h2>
      {upcoming.length
        ? (
          <ul class="plain">
            {upcoming.map((a) => <Occurrence a={a} now={now} />)}
          </ul>
        )
        : <p class="muted">{say("trainer.series.nothing_ahead")}</p>}
      <h2>{say("trainer.series.past")}</h2>
      {past.length
        ? (
          <ul class="plain">
            {past.map((a) => <Occurrence a={a} now={now} />)}
          </ul>
        )
        : <p class="muted">{say("trainer.series.none_yet")}</p>}
      {ahead.length > 0 && (
        <>
          <h2 id="series-cancel">
            {say("trainer.series.cancel_from_heading")}
          </h2>
          <form method="get" action={`${seriesHref(s.id)}/cancel`}>
            <div class={error ? "field invalid" : "field"}>
              <label for="f-from">
                {say("trainer.series.cancel_from_label")}
              </label>
              <input
                id="f-from"
                name="from"
                type="date"
                value={from ?? next}
                required
                aria-describedby={error ? "f-from-error" : "f-from-hint"}
                aria-invalid={error ? "true" : undefined}
              />
              <small class="hint" id="f-from-hint">
                {say("trainer.series.cancel_from_hint")}
              </small>
              {error && <small class="error" id="f-from-error">{error}</small>}
            </div>
            <button type="submit" class="danger">
              {say("trainer.series.cancel_from_button")}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

/** The step that asks before a cancel from `from` on: which sessions, a reason, credits. */
export function CancelFromForm(
  { s, from, cancelled, csrf, reason = "", error }: {
    s: SeriesView;
    from: Temporal.PlainDate;
    /** The sessions it would cancel, by start. */
    cancelled: readonly Appointment[];
    csrf: string;
    reason?: string;
    /** What is wrong with the reason, after a refusal. */
    error?: string;
  },
) {
  const n = cancelled.length;
  const say = useSay();
  const credits = cancelled.some((a) =>
    a.status === "scheduled" && a.creditGrantId && !a.creditReturned
  );
  return (
    <section class="card narrow">
      <h1>
        {n
          ? say("trainer.series.cancel_title", {
            count: n,
            name: s.clientName,
          })
          : say("trainer.series.nothing_to_cancel")}
      </h1>
      <SeriesLine s={s} />
      {n === 0 && (
        <p>{say("trainer.series.none_after", { date: dayWithYear(from) })}</p>
      )}
      {n > 0 && (
        <form method="post" action={`${seriesHref(s.id)}/cancel`}>
          <p>
            {say("trainer.series.these_cancelled", {
              date: dayWithYear(from),
              name: s.clientName,
            })}
          </p>
          <ul class="plain series-dates">
            {cancelled.map((a) => (
              <li>
                <time datetime={a.start.toString()}>
                  {longDate(a.start, a.timezone)}, {time(a.start, a.timezone)}
                </time>
              </li>
            ))}
          </ul>
          <Csrf token={csrf} />
          <input type="hidden" name="from" value={from.toString()} />
          <div class={error ? "field invalid" : "field"}>
            <label for="f-reason">
              {say("trainer.session_confirm.reason")}
            </label>
            <textarea
              id="f-reason"
              name="reason"
              maxlength={500}
              aria-invalid={error ? "true" : undefined}
            >
              {reason}
            </textarea>
            {error && <small class="error">{error}</small>}
          </div>
          {credits && (
            <label class="check">
              {/* Unticked sends only the hidden 0: the last value of a name wins. */}
              <input type="hidden" name="refund" value="0" />
              <input type="checkbox" name="refund" value="1" checked />{" "}
              {say("trainer.series.refund")}
            </label>
          )}
          <button type="submit" class="danger">
            {say("trainer.series.cancel_button", { count: n })}
          </button>
        </form>
      )}
      <p>
        <a class="target" href={seriesHref(s.id)}>
          {say("trainer.series.back")}
        </a>
      </p>
    </section>
  );
}
