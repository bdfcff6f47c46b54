import { Csrf, describedBy, TypedEcho } from "./Layout.tsx";
import { CancelledLine } from "./SessionParts.tsx";
import { CancelSessionForm } from "./SessionConfirmViews.tsx";
import type { Appointment, HistoryStatus, Role } from "../domain/types.ts";
import { longDate, minutesBetween, time } from "./format.ts";
import { badgeClass, statusWords } from "./status.ts";
import { t } from "../lib/i18n.ts";

export const HISTORY_STATUSES: readonly HistoryStatus[] = [
  "scheduled",
  "pending",
  "completed",
  "cancelled",
  "declined",
];

/**
 * The filter's words, from the one table of status words: history is the past, so a
 * request still pending there has expired, and a booked one waits to be marked.
 */
const filterWords = (s: HistoryStatus) =>
  s === "scheduled" ? `${t("en", "status.booked")} (waiting to be marked)` : t(
    "en",
    s === "pending"
      ? "status.expired"
      : s === "completed"
      ? "status.completed"
      : s === "cancelled"
      ? "status.cancelled"
      : "status.declined",
  );

/** The filter as typed, kept for the form and for the next page's and CSV's links. */
export type HistoryQuery = Readonly<{
  client: string;
  status: string;
  from: string;
  to: string;
}>;

/** `/history?...` (or `/history.csv?...`) with the filter and, for a next page, the cursor. */
export function historyHref(
  q: HistoryQuery,
  options: { after?: string; csv?: boolean } = {},
) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
  if (options.after) params.set("after", options.after);
  const s = params.toString();
  return `${options.csv ? "/history.csv" : "/history"}${s ? `?${s}` : ""}`;
}

function Filters(
  { role, q, clients, errors }: {
    role: Role;
    q: HistoryQuery;
    clients: readonly { id: string; name: string }[];
    errors: Readonly<Record<string, string>>;
  },
) {
  return (
    <form method="get" action="/history" class="card filters">
      {role === "trainer" && (
        <div class="field">
          <label for="h-client">Client</label>
          <select id="h-client" name="client">
            <option value="">All clients</option>
            {clients.map((cl) => (
              <option value={cl.id} selected={cl.id === q.client}>
                {cl.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="field">
        <label for="h-status">Status</label>
        <select id="h-status" name="status">
          <option value="">Any status</option>
          {HISTORY_STATUSES.map((s) => (
            <option value={s} selected={s === q.status}>
              {filterWords(s)}
            </option>
          ))}
        </select>
      </div>
      <div class="row">
        {(["from", "to"] as const).map((k) => (
          <div class={errors[k] ? "field invalid" : "field"}>
            <label for={`h-${k}`}>{k === "from" ? "From" : "To"}</label>
            <input
              id={`h-${k}`}
              type="date"
              name={k}
              value={q[k]}
              aria-describedby={describedBy(`h-${k}`, {
                type: "date",
                value: q[k],
                error: errors[k],
              })}
            />
            <TypedEcho id={`h-${k}`} type="date" value={q[k]} />
            {errors[k] && (
              <small class="error" id={`h-${k}-error`}>{errors[k]}</small>
            )}
          </div>
        ))}
      </div>
      <button type="submit">Show</button>
    </form>
  );
}

function Item(
  { a, role, now, csrf, back }: {
    a: Appointment;
    role: Role;
    now: Temporal.Instant;
    csrf: string;
    back: string;
  },
) {
  const tz = a.timezone;
  const waiting = a.status === "scheduled" && role === "trainer";
  const words = statusWords(a, role, now);
  return (
    <li class={`session session-${words.tone}`}>
      <div class="spread">
        <strong class="session-time">
          {longDate(a.start, tz)}, {time(a.start, tz)}–{time(a.end, tz)}
        </strong>
        <span class={badgeClass(words)}>{words.text}</span>
      </div>
      <p class="session-client">
        {role === "trainer" ? a.clientName : a.trainerName}{" "}
        <span class="muted">· {minutesBetween(a.start, a.end)} min</span>
      </p>
      {a.notes && <p class="session-notes">{a.notes}</p>}
      <CancelledLine a={a} />
      {waiting && (
        <div class="row session-actions">
          <span class="muted">Took place? Mark it:</span>
          <form
            method="post"
            action={`/schedule/${a.id}/complete`}
            class="inline"
          >
            <Csrf token={csrf} />
            <input type="hidden" name="back" value={back} />
            <button type="submit">Mark completed</button>
          </form>
          <details class="decline">
            <summary class="button secondary">Cancel</summary>
            <CancelSessionForm
              a={a}
              timezone={tz}
              now={now}
              csrf={csrf}
              back={back}
            />
          </details>
        </div>
      )}
    </li>
  );
}

export function HistoryPage(
  { role, q, clients, errors, list, next, waiting, csrf, timezone, now }: {
    role: Role;
    now: Temporal.Instant;
    q: HistoryQuery;
    clients: readonly { id: string; name: string }[];
    errors: Readonly<Record<string, string>>;
    list: readonly Appointment[];
    /** The cursor of the next (older) page, if there is one. */
    next: string | undefined;
    /** How many past sessions still wait to be marked (trainer). */
    waiting: number;
    csrf: string;
    timezone: string;
  },
) {
  const back = historyHref(q);
  return (
    <>
      <h1>History</h1>
      <p class="muted">
        Past sessions, newest first; dates in {timezone.replaceAll("_", " ")}.
        {role === "trainer" && waiting > 0 && (
          <>
            {" "}
            <a href={historyHref({ ...q, status: "scheduled" })}>
              {waiting === 1 ? "1 session waits" : `${waiting} sessions wait`}
              {" "}
              for you to mark it completed or cancelled.
            </a>
          </>
        )}
      </p>
      <Filters role={role} q={q} clients={clients} errors={errors} />
      {role === "trainer" && (
        <p>
          <a
            class="button secondary"
            href={historyHref(q, { csv: true })}
            download
            data-hx-boost="false"
          >
            Download CSV
          </a>
        </p>
      )}
      {list.length === 0
        ? <p class="muted">No sessions match.</p>
        : (
          <ul class="sessions history">
            {list.map((a) => (
              <Item
                a={a}
                role={role}
                now={now}
                csrf={csrf}
                back={back}
              />
            ))}
          </ul>
        )}
      {next && (
        <p>
          <a href={historyHref(q, { after: next })} rel="next">
            Older sessions →
          </a>
        </p>
      )}
    </>
  );
}

/** The cursor text of a page's last session: `<epoch ms>.<id>`. */
export const cursorOf = (a: Appointment) =>
  `${a.start.epochMilliseconds}.${a.id}`;
