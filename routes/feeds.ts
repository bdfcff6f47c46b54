import { Hono } from "hono";
import { Buffer } from "node:buffer";
import type { AppDeps, AppEnv } from "./context.ts";
import {
  findFeedReader,
  getOrCreateFeedToken,
  listFeedAppointments,
  readFeedVersion,
  resetFeedToken,
} from "../db/feeds.ts";
import { listFeedClasses } from "../db/classes.ts";
import { feedIcs } from "../views/ics.ts";
import { newToken, sha256 } from "../lib/security.ts";
import { matchesTag } from "./compression.ts";

/** How far back a feed reaches: sessions that started at most this long ago stay in it. */
export const FEED_DAYS_BACK = 90;

const urlOf = (deps: AppDeps, token: string) =>
  `${deps.config.appUrl}/feeds/${token}.ics`;

/** The user's secret feed URL: the same on every call until a reset. */
export async function feedUrl(deps: AppDeps, userId: string): Promise<string> {
  return urlOf(deps, await getOrCreateFeedToken(deps.sql, userId, newToken()));
}

/** A new secret feed URL for the user; the old one answers 404 from now on. */
export async function resetFeedUrl(
  deps: AppDeps,
  userId: string,
): Promise<string> {
  return urlOf(deps, await resetFeedToken(deps.sql, userId, newToken()));
}

// Feeds are public by token: no cookie, no CSRF token, no session lookup. Calendar apps
// revalidate every few minutes and, thanks to the ETag, mostly get an empty 304.
const CACHE_CONTROL = "private, max-age=0, must-revalidate";

const TOKEN_FILE = /^([A-Za-z0-9_-]{22,128})\.ics$/;

/** Part of every feed's tag: change it when the feed's rendering changes, so apps fetch it anew. */
const FEED_FORMAT = 3;

let renders = 0;
/** How many feed bodies this process has rendered: an answer of 304 renders none. */
export const feedRenderCount = () => renders;

/** `GET /feeds/{token}.ics`: mounted before the session and CSRF middleware. */
export const feedFiles = new Hono<AppEnv>()
  .get("/feeds/:file", async (c) => {
    const deps = c.get("deps");
    const token = TOKEN_FILE.exec(c.req.param("file"))?.[1];
    const reader = token && await findFeedReader(deps.sql, token);
    if (!reader) {
      return c.text("There is no calendar feed at this address.", 404);
    }
    const from = deps.now().subtract({ hours: 24 * FEED_DAYS_BACK });
    // The tag comes from what the body depends on (the calendar counter and the first
    // start in the window), read before the body's rows: a revalidation that still
    // matches answers 304 without reading or rendering the feed.
    const version = await readFeedVersion(deps.sql, reader, from);
    const etag = `"${
      Buffer.from(
        sha256(
          `${FEED_FORMAT}\n${deps.config.appUrl}\n${reader.id}\n${version}\n${reader.language}`,
        ),
      ).toString("base64url")
    }"`;
    c.header("ETag", etag);
    c.header("Cache-Control", CACHE_CONTROL);
    if (matchesTag(c.req.header("If-None-Match"), etag)) {
      return c.body(null, 304);
    }
    const [items, classes] = await Promise.all([
      listFeedAppointments(deps.sql, reader, from),
      listFeedClasses(deps.sql, reader, from),
    ]);
    const body = feedIcs(items, reader, deps.config.appUrl, classes);
    renders++;
    return c.body(body, 200, {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="spotter.ics"',
    });
  });
