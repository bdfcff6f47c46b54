import type { Child } from "hono/jsx";
import { Csrf } from "./Layout.tsx";
import type { Appointment } from "../domain/types.ts";
import type { ClientSummary } from "../domain/types.ts";
import { longDate, minutesBetween, shortDate, time } from "./format.ts";
import { CancelledLine, scheduleHref, StatusBadge } from "./SessionParts.tsx";
import { statusWords } from "./status.ts";
import { type MessageKey, t } from "../lib/i18n.ts";
import { seriesHref, WEEKDAYS_PLURAL, WeeklyBadge } from "./SeriesViews.tsx";
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
  return (
    <>
      <h1>Clients</h1>
      <p>
        <a class="button" href="/clients/add">Add client</a>
      </p>
      <p>
        <a class="target" href="/packages">Packages</a>{" "}
        <span class="muted">
          · sell one from a client's page
        </span>
      </p>
      {allTags.length > 0 && (
        <nav class="tabs tag-filter" aria-label="Filter by tag">
          <a href="/clients" aria-current={tag ? undefined : "page"}>All</a>
          {allTags.map((t) => (
            <a href={tagHref(t)} aria-current={t === tag ? "page" : undefined}>
              {t}
            </a>
          ))}
        </nav>
      )}
      {tag && (
        <p class="muted">
          Clients tagged <strong>{tag}</strong> ·{" "}
          <a href="/clients">show all</a>
        </p>
      )}
      {clients.length === 0
        ? (
          <p class="card muted">
            {tag
              ? "No client has this tag."
              : "No clients yet. Share your referral code from your profile."}
          </p>
        )
        : (
          <div class="table-wrap">
            <table class="clients cards">
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col">Tags and notes</th>
                  <th scope="col">Sessions</th>
                  <th scope="col">Last / next ({timezone})</th>
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
                    <td data-label="Tags and notes">
                      <Tags tags={cl.tags} />
                      {cl.notes && <p class="client-notes">{cl.notes}</p>}
                    </td>
                    <td data-label="Sessions">
                      <ClientStats client={cl} />
                    </td>
                    <td data-label={`Last / next (${timezone})`}>
                      Last: {when(cl.lastSession, timezone)}
                      <br />
                      Next: {when(cl.nextSession, timezone)}
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
  const parts: [number, MessageKey, boolean][] = [
    [s.booked - client.pending, "status.booked", true],
    [client.pending, "status.waiting", false],
    [s.completed, "status.completed", true],
    [s.cancelled - client.declined, "status.cancelled", true],
    [client.declined, "status.declined", false],
  ];
  return (
    <span class="client-stats">
      {parts.filter(([n, , always]) => always || n > 0)
        .map(([n, key]) => `${n} ${t("en", key).toLowerCase()}`)
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
  return (
    <li class={`session session-${statusWords(a, "trainer", now).tone}`}>
      <a class="target" href={scheduleHref(day, "day")}>
        {longDate(a.start, timezone)}, {time(a.start, timezone)}–
        {time(a.end, timezone)}
      </a>{" "}
      <span class="muted">· {minutesBetween(a.start, a.end)} min</span>{" "}
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
      <h2 id="client-sessions">Sessions</h2>
      <p>
        <a
          class="button secondary"
          href={`/schedule?${new URLSearchParams({
            client: clientId,
          })}#new-session`}
        >
          New session for this client
        </a>
      </p>
      <h3>Upcoming</h3>
      {list(upcoming, "Nothing booked.")}
      <h3>Past</h3>
      {list(past, "No past sessions yet.")}
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
  return (
    <section class="card narrow">
      <h1>{client.name}</h1>
      <p class="muted">{client.email}</p>
      <p>
        <ClientStats client={client} />
      </p>
      {walkIn}
      <h2>Tags and notes</h2>
      <form method="post" action={`/clients/${client.id}`}>
        <Csrf token={csrf} />
        {Object.keys(errors).length > 0 && (
          <p class="flash flash-error" role="alert">
            Nothing was saved: see the messages below.
          </p>
        )}
        <div class={errors.tags ? "field invalid" : "field"}>
          <label for="f-tags">Tags</label>
          <input
            id="f-tags"
            name="tags"
            value={values.tags ?? ""}
            aria-describedby="f-tags-hint"
            aria-invalid={errors.tags ? "true" : undefined}
          />
          <small class="hint" id="f-tags-hint">
            Separate tags with commas, e.g. "beginner, mornings". Up to 20 tags
            of at most 40 characters.
          </small>
          {errors.tags && <small class="error">{errors.tags}</small>}
        </div>
        <div class={errors.notes ? "field invalid" : "field"}>
          <label for="f-notes">Notes (only you see them)</label>
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
        <button type="submit">Save</button>
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
        <a class="target" href="/clients">Back to clients</a> ·{" "}
        <a class="target" href={`/clients/${client.id}/remove`}>
          Remove this client
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
  return (
    <>
      <h2 id="client-series">Weekly series</h2>
      <ul class="plain">
        {series.map((s) => {
          const first = s.start.toZonedDateTimeISO(timezone);
          return (
            <li class="card">
              Weekly on {WEEKDAYS_PLURAL[first.dayOfWeek - 1]} at{" "}
              {time(s.start, timezone)}: {s.weeks} weeks,{" "}
              {shortDate(first.toPlainDate())} until {shortDate(s.until)}
              {" · "}
              {s.upcoming} still ahead
              {" · "}
              <a href={seriesHref(s.id)}>Open the series</a>
              {s.next && (
                <>
                  {" · "}
                  <a href={`/schedule/${s.next}/cancel`}>
                    Cancel the next one or all later ones
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
