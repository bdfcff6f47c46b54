import type { GroupClass } from "../domain/classes.ts";
import { byStart, ClassItem } from "./ScheduleViews.tsx";
import type { Child } from "hono/jsx";
import { Csrf } from "./Layout.tsx";
import { CancelSessionForm } from "./SessionConfirmViews.tsx";
import { WeeklyBadge } from "./SeriesViews.tsx";
import { isExpiredRequest } from "../domain/appointments.ts";
import type { Appointment, Slot } from "../domain/types.ts";
import { StatusBadge } from "./SessionParts.tsx";
import { cancelledText, statusWords } from "./status.ts";
import { currentLocale, useSay } from "./locale.ts";
import { reasonIn } from "../lib/cancel_reasons.ts";
import {
  longDate,
  longDay,
  minutesBetween,
  time,
  zoneLabel,
} from "./format.ts";

/** Where the forms on Today send the trainer back to. */
export const TODAY_BACK = "/today";

export type ClientNote = Readonly<{ tags: readonly string[]; notes: string }>;

export type TodayData = Readonly<{
  date: Temporal.PlainDate;
  timezone: string;
  now: Temporal.Instant;
  sessions: readonly Appointment[];
  /** Today's group classes, listed among the sessions by start. */
  classes: readonly GroupClass[];
  pending: readonly Appointment[];
  cancelled: readonly Appointment[];
  /** When the previous visit was, or undefined on the first visit. */
  since: Temporal.Instant | undefined;
  freeSlots: readonly Slot[];
  clients: ReadonlyMap<string, ClientNote>;
  /** Sessions before today still scheduled: they wait to be marked in History. */
  awaiting: number;
  csrf: string;
  /** "Ada has 1 session left" (views/CreditViews.tsx). */
  credits?: Child;
}>;

function PostButton(
  { action, csrf, label, secondary }: {
    action: string;
    csrf: string;
    label: string;
    secondary?: boolean;
  },
) {
  return (
    <form method="post" action={action} class="inline">
      <Csrf token={csrf} />
      <input type="hidden" name="back" value={TODAY_BACK} />
      <button type="submit" class={secondary ? "secondary" : undefined}>
        {label}
      </button>
    </form>
  );
}

function ClientLine(
  { a, note }: { a: Appointment; note: ClientNote | undefined },
) {
  return (
    <>
      <p class="session-client">
        <a class="tap" href={`/clients/${a.clientId}`}>{a.clientName}</a>{" "}
        <WeeklyBadge a={a} link />{" "}
        {note?.tags.map((t) => <span class="tag">{t}</span>)}
      </p>
      {note?.notes && <p class="session-notes client-note">{note.notes}</p>}
      {a.notes && <p class="session-notes">{a.notes}</p>}
    </>
  );
}

/** A pending request: confirm in one tap, decline with an optional reason (no JavaScript needed). */
function PendingItem(
  { a, data, withDate }: { a: Appointment; data: TodayData; withDate: boolean },
) {
  const tz = data.timezone;
  const expired = isExpiredRequest(a, data.now);
  const say = useSay();
  return (
    <li
      class={`session session-pending session-${
        statusWords(a, "trainer", data.now).tone
      }`}
    >
      <div class="spread">
        <strong class="session-time">
          {withDate && `${longDate(a.start, tz)}, `}
          {time(a.start, tz)}–{time(a.end, tz)}
        </strong>
        <StatusBadge a={a} now={data.now} />
      </div>
      <ClientLine a={a} note={data.clients.get(a.clientId)} />
      <div class="row session-actions">
        {!expired && (
          <PostButton
            action={`/schedule/${a.id}/confirm`}
            csrf={data.csrf}
            label={say("trainer.session.confirm")}
          />
        )}
        <details class="decline">
          <summary class="button secondary">
            {say("trainer.session.decline")}
          </summary>
          <CancelSessionForm
            a={a}
            timezone={tz}
            now={data.now}
            csrf={data.csrf}
            back={TODAY_BACK}
          />
        </details>
      </div>
    </li>
  );
}

function SessionItem({ a, data }: { a: Appointment; data: TodayData }) {
  if (a.status === "pending") {
    return <PendingItem a={a} data={data} withDate={false} />;
  }
  const tz = data.timezone;
  const started = Temporal.Instant.compare(a.start, data.now) <= 0;
  const say = useSay();
  return (
    <li class={`session session-${statusWords(a, "trainer", data.now).tone}`}>
      <div class="spread">
        <strong class="session-time">
          {time(a.start, tz)}–{time(a.end, tz)}
        </strong>
        <StatusBadge a={a} now={data.now} />
      </div>
      <ClientLine a={a} note={data.clients.get(a.clientId)} />
      <div class="row session-actions">
        {a.status === "scheduled" && started && (
          <PostButton
            action={`/schedule/${a.id}/complete`}
            csrf={data.csrf}
            label={say("trainer.session.complete")}
          />
        )}
        <a class="button secondary" href={`/schedule/${a.id}/edit`}>
          {say("trainer.today.edit")}
        </a>
      </div>
    </li>
  );
}

/** The trainer's home: what needs attention today, first thing on a phone. */
export function TodayPage({ data }: { data: TodayData }) {
  const tz = data.timezone;
  const later = data.pending.filter((a) =>
    !data.sessions.some((s) => s.id === a.id)
  );
  const say = useSay();
  const locale = currentLocale();
  return (
    <>
      <h1>{say("trainer.today.title")}</h1>
      <p class="muted">
        {longDay(data.date)} · {zoneLabel(tz, data.now)}
      </p>
      {data.awaiting > 0 && (
        <p class="flash attention">
          <a href="/history?status=scheduled">
            {say("trainer.today.awaiting", { count: data.awaiting })}
          </a>
        </p>
      )}
      <section class="today-sessions" aria-labelledby="today-sessions">
        <h2 id="today-sessions">
          {say("trainer.today.sessions", { count: data.sessions.length })}
        </h2>
        {data.sessions.length === 0 && data.classes.length === 0
          ? <p class="muted">{say("trainer.today.nothing")}</p>
          : (
            <ul class="sessions">
              {byStart(data).map((item) =>
                "capacity" in item
                  ? <ClassItem k={item} timezone={data.timezone} />
                  : <SessionItem a={item} data={data} />
              )}
            </ul>
          )}
      </section>
      <section class="today-pending" aria-labelledby="today-pending">
        <h2 id="today-pending">{say("trainer.today.requests")}</h2>
        {later.length === 0
          ? <p class="muted">{say("trainer.today.no_requests")}</p>
          : (
            <ul class="sessions">
              {later.map((a) => <PendingItem a={a} data={data} withDate />)}
            </ul>
          )}
      </section>
      {data.credits}
      <section class="today-cancelled" aria-labelledby="today-cancelled">
        <h2 id="today-cancelled">
          {say(
            data.since
              ? "trainer.today.cancelled_since_visit"
              : "trainer.today.cancelled_since_week",
          )}
        </h2>
        {data.cancelled.length === 0
          ? <p class="muted">{say("trainer.today.no_cancellations")}</p>
          : (
            <ul class="plain">
              {data.cancelled.map((a) => (
                <li>
                  <strong>{a.clientName}</strong>, {longDate(a.start, tz)}{" "}
                  {time(a.start, tz)}: {cancelledText(a, "trainer", locale)}
                  {a.cancellationReason
                    ? ` (${reasonIn(currentLocale(), a.cancellationReason)})`
                    : ""}
                </li>
              ))}
            </ul>
          )}
      </section>
      <section class="today-free" aria-labelledby="today-free">
        <h2 id="today-free">{say("trainer.today.free")}</h2>
        {data.freeSlots.length === 0
          ? <p class="muted">{say("trainer.today.no_free")}</p>
          : (
            <ul class="plain">
              {data.freeSlots.map((s) => (
                <li>
                  <a
                    class="tap"
                    href={`/schedule?date=${s.date}&time=${
                      time(s.start, tz)
                    }#new-session`}
                  >
                    {longDate(s.start, tz)}, {time(s.start, tz)}
                  </a>{" "}
                  <span class="muted">
                    · {say("trainer.session.minutes", {
                      minutes: minutesBetween(s.start, s.end),
                    })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        <p>
          <a class="tap" href="/schedule">
            {say("trainer.today.open_schedule")}
          </a>{" "}
          · <a class="tap" href="/history">{say("trainer.today.history")}</a>
        </p>
      </section>
    </>
  );
}
