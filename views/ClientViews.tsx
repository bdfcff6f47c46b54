import type { Child } from "hono/jsx";
import { Csrf } from "./Layout.tsx";
import type { Appointment } from "../domain/types.ts";
import type { ClientSummary } from "../domain/types.ts";
import { longDate, minutesBetween, shortDate, time } from "./format.ts";
import { CancelledLine, scheduleHref, StatusBadge } from "./SessionParts.tsx";
import { statusWords } from "./status.ts";
import type { MessageKey } from "../lib/i18n.ts";
import { seriesHref, weekdayKey, WeeklyBadge } from "./SeriesViews.tsx";
import { useSay, useSayRich } from "./locale.ts";
import { localDateOf } from "../domain/time.ts";

type Errors = Readonly<Record<string, string | undefined>>;
type Values = Readonly<Record<string, string | undefined>>;

/** "Wed 2 Dec 2026, 10:00" on the trainer's wall clock, or a dash. */
function when(instant: Temporal.Instant | null, timezone: string) {
  if (!instant) return <span class="muted">–</span>;
  const date = instant.toZonedDateTimeISO(timezone).toPlainDate();
  return (
    <time datetime={instant.toString()}>
      {`${shortDate(date)} ${date.year}, ${time(instant, timezone)}`}
    </time>
  );
}

const tagHref = (tag: string) => `/clients?${new URLSearchParams({ tag })}`;

function Tags({ tags }: { tags: readonly string[] }) {
  return (
    <>
      {tags.map((tag) => <a class="tag" href={tagHref(tag)}>{tag}</a>)}
    </>
  );
}

export function ClientList(
  { clients, allTags, tag, timezone }: {
    clients: readonly ClientSummary[];
    allTags: readonly string[];
    tag?: string;
    timezone: string;
  },
) {
  const say = useSay();
  const sayRich = useSayRich();
  const lastNext = say("trainer.clients.last_next", { zone: timezone });
  return (
    <>
      <h1>{say("trainer.clients.title")}</h1>
      <p>
        <a class="button" href="/clients/add">{say("trainer.clients.add")}</a>
      </p>
      <p>
        <a class="target" href="/packages">
          {say("trainer.clients.packages")}
        </a>{" "}
        <span class="muted">
          {say("trainer.clients.packages_hint")}
        </span>
      </p>
      {allTags.length > 0 && (
        <nav
          class="tabs tag-filter"
          aria-label={say("trainer.clients.filter")}
        >
          <a href="/clients" aria-current={tag ? undefined : "page"}>
            {say("trainer.clients.all")}
          </a>
          {allTags.map((t) => (
            <a href={tagHref(t)} aria-current={t === tag ? "page" : undefined}>
              {t}
            </a>
          ))}
        </nav>
      )}
      {tag && (
        <p class="muted">
          {sayRich("trainer.clients.tagged", { tag }, {
            b: (w) => <strong>{w}</strong>,
          })} · <a href="/clients">{say("trainer.clients.show_all")}</a>
        </p>
      )}
      {clients.length === 0
        ? (
          <p class="card muted">
            {say(tag ? "trainer.clients.none_tagged" : "trainer.clients.none")}
          </p>
        )
        : (
          <div class="table-wrap">
            <table class="clients cards">
              <thead>
                <tr>
                  <th scope="col">{say("trainer.clients.client")}</th>
                  <th scope="col">{say("trainer.clients.tags_notes")}</th>
                  <th scope="col">{say("trainer.clients.sessions")}</th>
                  <th scope="col">{lastNext}</th>
                </tr>
              </thead>
              <tbody>
                {clients.map((cl) => (
                  <tr>
                    <td class="card-title">
                      <a class="target" href={`/clients/${cl.id}`}>
                        <strong>{cl.name}</strong>
                      </a>
                      <br />
                      <small class="muted">{cl.email}</small>
                    </td>
                    <td data-label={say("trainer.clients.tags_notes")}>
                      <Tags tags={cl.tags} />
                      {cl.notes && <p class="client-notes">{cl.notes}</p>}
                    </td>
                    <td data-label={say("trainer.clients.sessions")}>
                      <ClientStats client={cl} />
                    </td>
                    <td data-label={lastNext}>
                      {say("trainer.clients.last")}{" "}
                      {when(cl.lastSession, timezone)}
                      <br />
                      {say("trainer.clients.next")}{" "}
                      {when(cl.nextSession, timezone)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </>
  );
}

/**
 * "2 booked · 1 waiting for confirmation · 3 completed · 1 cancelled · 1 declined", in the
 * status words' table; a decline is not a cancellation, and empty parts are left out
 * (booked, completed and cancelled always show).
 */
function ClientStats({ client }: { client: ClientSummary }) {
  const s = client.stats;
  const say = useSay();
  const parts: [number, MessageKey, boolean][] = [
    [s.booked - client.pending, "trainer.clients.stat_booked", true],
    [client.pending, "trainer.clients.stat_waiting", false],
    [s.completed, "trainer.clients.stat_completed", true],
    [
      s.cancelled - client.declined,
      "trainer.clients.stat_cancelled",
      true,
    ],
    [client.declined, "trainer.clients.stat_declined", false],
  ];
  return (
    <span class="client-stats">
      {parts.filter(([n, , always]) => always || n > 0)
        .map(([n, key]) => say(key, { count: n }))
        .join(" · ")}
    </span>
  );
}

/** One session of the client, linked to its day on the schedule. */
function ClientSession(
  { a, timezone, now }: {
    a: Appointment;
    timezone: string;
    now: Temporal.Instant;
  },
) {
  const day = localDateOf(a.start, timezone);
  const say = useSay();
  return (
    <li class={`session session-${statusWords(a, "trainer", now).tone}`}>
      <a class="target" href={scheduleHref(day, "day")}>
        {longDate(a.start, timezone)}, {time(a.start, timezone)}–
        {time(a.end, timezone)}
      </a>{" "}
      <span class="muted">
        · {say("trainer.session.minutes", {
          minutes: minutesBetween(a.start, a.end),
        })}
      </span>{" "}
      <StatusBadge a={a} now={now} /> <WeeklyBadge a={a} link />
      {a.notes && <p class="session-notes">{a.notes}</p>}
      <CancelledLine a={a} />
    </li>
  );
}

/** Upcoming sessions (soonest first), then past ones (latest first). */
function ClientSessions(
  { sessions, timezone, now, clientId }: {
    sessions: readonly Appointment[];
    timezone: string;
    now: Temporal.Instant;
    clientId: string;
  },
) {
  const upcoming = sessions
    .filter((a) => Temporal.Instant.compare(a.end, now) > 0)
    .reverse();
  const past = sessions.filter((a) =>
    Temporal.Instant.compare(a.end, now) <= 0
  );
  const say = useSay();
  const list = (items: readonly Appointment[], empty: string) =>
    items.length === 0
      ? <p class="muted">{empty}</p>
      : (
        <ul class="sessions client-sessions">
          {items.map((a) => (
            <ClientSession a={a} timezone={timezone} now={now} />
          ))}
        </ul>
      );
  return (
    <section aria-labelledby="client-sessions">
      <h2 id="client-sessions">{say("trainer.clients.sessions")}</h2>
      <p>
        <a
          class="button secondary"
          href={`/schedule?${new URLSearchParams({
            client: clientId,
          })}#new-session`}
        >
          {say("trainer.client.new_session")}
        </a>
      </p>
      <h3>{say("trainer.client.upcoming")}</h3>
      {list(upcoming, say("trainer.client.nothing_booked"))}
      <h3>{say("trainer.client.past")}</h3>
      {list(past, say("trainer.client.no_past"))}
    </section>
  );
}

export function ClientForm(
  {
    client,
    csrf,
    values,
    errors = {},
    timezone,
    sessions,
    now,
    series = [],
    credits,
    classes,
    walkIn,
  }: {
    client: ClientSummary;
    csrf: string;
    values: Values;
    errors?: Errors;
    timezone: string;
    sessions: readonly Appointment[];
    now: Temporal.Instant;
    /** The client's weekly series, with how many of their sessions are still ahead. */
    series?: readonly SeriesSummary[];
    /** Their packages and credits (views/CreditViews.tsx). */
    credits?: Child;
    /** Their seats and waitlist places in classes (views/SeatLines.tsx). */
    classes?: Child;
    /** A walk-in's card: how to reach them, the invitation (views/WalkInViews.tsx). */
    walkIn?: Child;
  },
) {
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>{client.name}</h1>
      <p class="muted">{client.email}</p>
      <p>
        <ClientStats client={client} />
      </p>
      {walkIn}
      <h2>{say("trainer.clients.tags_notes")}</h2>
      <form method="post" action={`/clients/${client.id}`}>
        <Csrf token={csrf} />
        {Object.keys(errors).length > 0 && (
          <p class="flash flash-error" role="alert">
            {say("trainer.client.not_saved")}
          </p>
        )}
        <div class={errors.tags ? "field invalid" : "field"}>
          <label for="f-tags">{say("trainer.client.tags")}</label>
          <input
            id="f-tags"
            name="tags"
            value={values.tags ?? ""}
            aria-describedby="f-tags-hint"
            aria-invalid={errors.tags ? "true" : undefined}
          />
          <small class="hint" id="f-tags-hint">
            {say("trainer.client.tags_hint")}
          </small>
          {errors.tags && <small class="error">{errors.tags}</small>}
        </div>
        <div class={errors.notes ? "field invalid" : "field"}>
          <label for="f-notes">{say("trainer.client.notes")}</label>
          <textarea
            id="f-notes"
            name="notes"
            maxlength={5000}
            aria-invalid={errors.notes ? "true" : undefined}
          >
            {values.notes ?? ""}
          </textarea>
          {errors.notes && <small class="error">{errors.notes}</small>}
        </div>
        <button type="submit">{say("trainer.client.save")}</button>
      </form>
      {credits}
      {series.length > 0 && (
        <ClientSeries
          series={series}
          timezone={timezone}
        />
      )}
      <ClientSessions
        sessions={sessions}
        timezone={timezone}
        now={now}
        clientId={client.id}
      />
      {classes}
      <p>
        <a class="target" href="/clients">{say("trainer.client.back")}</a> ·
        {" "}
        <a class="target" href={`/clients/${client.id}/remove`}>
          {say("trainer.client.remove")}
        </a>
      </p>
    </section>
  );
}

export type SeriesSummary = Readonly<{
  id: string;
  start: Temporal.Instant;
  weeks: number;
  until: Temporal.PlainDate;
  upcoming: number;
  /** The next scheduled occurrence, to cancel it (and the later ones) from. */
  next?: string;
}>;

/** "Weekly on Mondays at 18:00: 10 weeks, Mon 4 Jan until Mon 8 Mar · 4 still ahead". */
function ClientSeries(
  { series, timezone }: { series: readonly SeriesSummary[]; timezone: string },
) {
  const say = useSay();
  return (
    <>
      <h2 id="client-series">{say("trainer.client.series")}</h2>
      <ul class="plain">
        {series.map((s) => {
          const first = s.start.toZonedDateTimeISO(timezone);
          return (
            <li class="card">
              {say("trainer.series.line_short", {
                day: weekdayKey(first.dayOfWeek),
                time: time(s.start, timezone),
                weeks: s.weeks,
                first: shortDate(first.toPlainDate()),
                until: shortDate(s.until),
              })}
              {" · "}
              {say("trainer.series.ahead", { count: s.upcoming })}
              {" · "}
              <a href={seriesHref(s.id)}>{say("trainer.client.open_series")}</a>
              {s.next && (
                <>
                  {" · "}
                  <a href={`/schedule/${s.next}/cancel`}>
                    {say("trainer.client.cancel_next")}
                  </a>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
