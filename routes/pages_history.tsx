import { Hono } from "hono";
import type { Context } from "hono";
import { type AppEnv, settingsOf } from "./context.ts";
import { page } from "./render.tsx";
import { assertRole, assertSignedIn } from "./middleware.ts";
import { UUID } from "../db/client.ts";
import { listClientNames } from "../db/clients.ts";
import {
  countAwaitingMark,
  type HistoryFilter,
  listHistory,
} from "../db/history.ts";
import { dayRange, parseIsoDate } from "../domain/time.ts";
import type { HistoryStatus, User } from "../domain/types.ts";
import {
  cursorOf,
  HISTORY_STATUSES,
  HistoryPage,
  type HistoryQuery,
} from "../views/HistoryViews.tsx";
import { historyCsv } from "../views/csv.ts";
import { sayFor, viewerLocale } from "./language.ts";

const PAGE_SIZE = 20;

/**
 * The filter from the query string. What cannot be used is dropped with a word for the
 * form (never a 500): an unknown client or status shows everything, a bad date says so.
 */
function parseFilter(
  c: Context<AppEnv>,
  user: User,
  timezone: string,
) {
  const raw = (k: string) => (c.req.query(k) ?? "").trim().slice(0, 100);
  const q: HistoryQuery = {
    client: user.role === "trainer" && UUID.test(raw("client"))
      ? raw("client")
      : "",
    status: HISTORY_STATUSES.includes(raw("status") as HistoryStatus)
      ? raw("status")
      : "",
    from: raw("from"),
    to: raw("to"),
  };
  const errors: Record<string, string> = {};
  const from = q.from ? parseIsoDate(q.from) : undefined;
  const to = q.to ? parseIsoDate(q.to) : undefined;
  const say = sayFor(c);
  if (q.from && !from) errors.from = say("business.history.error.date");
  if (q.to && !to) errors.to = say("business.history.error.date");
  if (from && to && Temporal.PlainDate.compare(from, to) > 0) {
    errors.to = say("business.history.error.before_start");
  }
  const ok = Object.keys(errors).length === 0;
  const after = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(raw("after"));
  const filter: HistoryFilter = {
    owner: { role: user.role, id: user.id },
    before: c.get("deps").now(),
    clientId: q.client || undefined,
    status: (q.status || undefined) as HistoryStatus | undefined,
    from: ok && from ? dayRange(from, from, timezone).start : undefined,
    to: ok && to ? dayRange(to, to, timezone).end : undefined,
    after: after && UUID.test(after[2])
      ? {
        start: Temporal.Instant.fromEpochMilliseconds(Number(after[1])),
        id: after[2],
      }
      : undefined,
  };
  return { q, errors, filter };
}

/** `GET /history` (trainer and client) and the trainer's `GET /history.csv`. */
export const historyPages = new Hono<AppEnv>()
  .get("/history", async (c) => {
    const user = assertSignedIn(c);
    // A client's one history is the History tab of My appointments.
    if (user.role === "client") {
      return c.redirect("/appointments?tab=history", 303);
    }
    const { sql } = c.get("deps");
    const { timezone } = await settingsOf(c, user.trainerId);
    const { q, errors, filter } = parseFilter(c, user, timezone);
    const trainer = user.role === "trainer";
    const [rows, clients, waiting] = await Promise.all([
      listHistory(sql, { ...filter, limit: PAGE_SIZE + 1 }),
      trainer ? listClientNames(sql, user.id) : Promise.resolve([]),
      trainer
        ? countAwaitingMark(sql, user.id, filter.before)
        : Promise.resolve(0),
    ]);
    const list = rows.slice(0, PAGE_SIZE);
    const more = rows.length > PAGE_SIZE;
    return page(
      c,
      sayFor(c)("business.history.title"),
      <HistoryPage
        role={user.role}
        q={q}
        clients={clients}
        errors={errors}
        list={list}
        next={more ? cursorOf(list[list.length - 1]) : undefined}
        waiting={waiting}
        now={c.get("deps").now()}
        csrf={c.get("csrfToken")}
        timezone={timezone}
      />,
    );
  })
  .get("/history.csv", async (c) => {
    const trainer = assertRole(c, "trainer");
    const { timezone } = await settingsOf(c, trainer.id);
    const { filter } = parseFilter(c, trainer, timezone);
    const list = await listHistory(c.get("deps").sql, {
      ...filter,
      after: undefined,
    });
    const today = filter.before.toZonedDateTimeISO(timezone).toPlainDate();
    // A byte-order mark first, so spreadsheets read the file as UTF-8 ("ü", not "Ã¼").
    return c.body(`\uFEFF${historyCsv(list, timezone, viewerLocale(c))}`, 200, {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition":
        `attachment; filename="spotter-history-${today}.csv"`,
    });
  });
