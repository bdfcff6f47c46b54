import { Csrf, describedBy, TypedEcho } from "./Layout.tsx";
import { CancelledLine } from "./SessionParts.tsx";
import { CancelSessionForm } from "./SessionConfirmViews.tsx";
import type { Appointment, HistoryStatus, Role } from "../domain/types.ts";
import { longDate, minutesBetween, time } from "./format.ts";
import { badgeClass, statusWords } from "./status.ts";
import { currentLocale, type Say, useSay } from "./locale.ts";

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
const filterWords = (say: Say, s: HistoryStatus) =>
  s === "scheduled" ? say("business.history.filter_scheduled") : say(
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
  const say = useSay();
  return (
    <form method="get" action="/history" class="card filters">
      {role === "trainer" && (
        <div class="field">
          <label for="h-client">{say("business.history.client")}</label>
          <select id="h-client" name="client">
            <option value="">{say("business.history.all_clients")}</option>
            {clients.map((cl) => (
              <option value={cl.id} selected={cl.id === q.client}>
                {cl.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="field">
        <label for="h-status">{say("business.history.status")}</label>
        <select id="h-status" name="status">
          <option value="">{say("business.history.any_status")}</option>
          {HISTORY_STATUSES.map((s) => (
            <option value={s} selected={s === q.status}>
              {filterWords(say, s)}
            </option>
          ))}
        </select>
      </div>
      <div class="row">
        {(["from", "to"] as const).map((k) => (
          <div class={errors[k] ? "field invalid" : "field"}>
            <label for={`h-${k}`}>
              {say(
                k === "from" ? "business.history.from" : "business.history.to",
              )}
            </label>
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
      <button type="submit">{say("business.history.show")}</button>
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
  const say = useSay();
  const tz = a.timezone;
  const waiting = a.status === "scheduled" && role === "trainer";
  const words = statusWords(a, role, now, currentLocale());
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
        <span class="muted">
          · {say("business.history.minutes", {
            minutes: minutesBetween(a.start, a.end),
          })}
        </span>
      </p>
      {a.notes && <p class="session-notes">{a.notes}</p>}
      <CancelledLine a={a} />
      {waiting && (
        <div class="row session-actions">
          <span class="muted">{say("business.history.took_place")}</span>
          <form
            method="post"
            action={`/schedule/${a.id}/complete`}
            class="inline"
          >
            <Csrf token={csrf} />
            <input type="hidden" name="back" value={back} />
            <button type="submit">
              {say("business.history.mark_completed")}
            </button>
          </form>
          <details class="decline">
            <summary class="button secondary">
              {say("business.history.cancel")}
            </summary>
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
  const say = useSay();
  const back = historyHref(q);
  return (
    <>
      <h1>{say("business.history.title")}</h1>
      <p class="muted">
        {say("business.history.intro", { zone: timezone.replaceAll("_", " ") })}
        {role === "trainer" && waiting > 0 && (
          <>
            {" "}
            <a href={historyHref({ ...q, status: "scheduled" })}>
              {say("business.history.waiting", { count: waiting })}
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
            {say("business.history.download_csv")}
          </a>
        </p>
      )}
      {list.length === 0
        ? <p class="muted">{say("business.history.none")}</p>
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
            {say("business.history.older")}
          </a>
        </p>
      )}
    </>
  );
}

/** The cursor text of a page's last session: `<epoch ms>.<id>`. */
export const cursorOf = (a: Appointment) =>
  `${a.start.epochMilliseconds}.${a.id}`;
