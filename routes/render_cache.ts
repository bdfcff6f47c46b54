import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.ts";
import { hex, showsOneDay } from "./middleware.ts";
import {
  encodeBody,
  type Encoding,
  encodingFor,
  matchesTag,
  weakEtag,
} from "./compression.ts";
import { metrics } from "../lib/metrics.ts";
import { viewerLocale } from "./language.ts";

const keptHit = metrics.keptPages.labels({ result: "hit" });
const keptMiss = metrics.keptPages.labels({ result: "miss" });

/**
 * Kept pages: a page (or JSON answer) that calls {@link cacheUntil} is stored, as sent,
 * under the signed-in session, its URL and the htmx headers, together with the trainer's calendar
 * counter read with the session (migration 007) and the instant until which it reads
 * the same without any change to the data. The next identical request in that window,
 * while the counter has not moved, is answered from memory: the session's one query and
 * no rendering or compressing. Any write a calendar shows moves the counter in the same
 * commit, in whichever process made it, so a kept page is never older than the data.
 *
 * Pages carrying a flash message or setting a cookie are never kept. Memory is bounded
 * by `maxBytes` (least recently used pages go first).
 */
export function renderCache(
  options: Readonly<{ maxBytes?: number }> = {},
): MiddlewareHandler<AppEnv> & { readonly stats: CacheStats } {
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const entries = new Map<string, Entry>();
  const stats = { hits: 0, misses: 0, bytes: 0 };

  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    stats.bytes -= entry.bytes;
  };
  /** Counts `bytes` more for `entry`, if it is still kept, and makes room. */
  const grow = (entry: Entry, bytes: number) => {
    if (entries.get(entry.key) !== entry) return;
    entry.bytes += bytes;
    stats.bytes += bytes;
    for (const key of entries.keys()) {
      if (stats.bytes <= maxBytes) break;
      drop(key);
    }
  };

  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const version = c.get("calendarVersion");
    const key = version === undefined ? undefined : keyOf(c);
    c.set("cacheUntil", undefined);
    if (version === undefined || key === undefined) return await next();
    const now = c.get("deps").now().epochMilliseconds;
    const kept = entries.get(key);
    if (kept && kept.version === version && now < kept.until) {
      stats.hits++;
      keptHit.inc();
      entries.delete(key); // most recently used goes last
      entries.set(key, kept);
      return answer(c, kept, grow, "hit");
    }
    stats.misses++;
    keptMiss.inc();
    await next();
    const until = c.get("cacheUntil")?.epochMilliseconds;
    const res = c.res;
    if (
      until === undefined || until <= now || res.status !== 200 ||
      res.headers.has("Set-Cookie") || res.headers.has("Content-Encoding") ||
      !KEPT_TYPES.test(res.headers.get("Content-Type") ?? "")
    ) return;
    const identity = new Uint8Array(await res.arrayBuffer());
    const entry: Entry = {
      key,
      version,
      until,
      headers: [...res.headers].filter(([name]) => KEPT_HEADERS.has(name)),
      etag: weakEtag(identity),
      bodies: new Map([["identity", identity]]),
      bytes: 0,
    };
    drop(key); // the stale copy, or one a request missing at the same time kept
    entries.set(key, entry);
    grow(entry, identity.byteLength + key.length);
    c.res = undefined;
    c.res = answer(c, entry, grow, "miss");
  };
  return Object.assign(middleware, { stats });
}

export type CacheStats = Readonly<
  { hits: number; misses: number; bytes: number }
>;

/**
 * Lets `renderCache` keep this page until `until` (the earliest of all calls wins):
 * the page must be built only from the session's user, the URL, the htmx headers and
 * data the calendar counter covers, and read the same at every instant before `until`.
 */
export function cacheUntil(c: Context<AppEnv>, until: Temporal.Instant) {
  const earlier = c.get("cacheUntil");
  if (!earlier || Temporal.Instant.compare(until, earlier) < 0) {
    c.set("cacheUntil", until);
  }
}

type Entry = {
  readonly key: string;
  readonly version: string;
  /** Epoch ms: kept pages are not used from this instant on. */
  readonly until: number;
  readonly headers: readonly [string, string][];
  readonly etag: string;
  readonly bodies: Map<Encoding | "identity", Uint8Array>;
  bytes: number;
};

const KEPT_TYPES = /^(text\/html|application\/json)/;

// What a kept page is sent with (the rest is added on the way out, as for any page).
const KEPT_HEADERS = new Set([
  "content-type",
  "vary",
  "hx-push-url",
  "hx-retarget",
  "hx-reswap",
  "hx-trigger",
]);

/**
 * Signed-in GETs only: the key names everything a kept page may depend on: the session
 * (and whether it came as a cookie, with a CSRF token in the page, or as a bearer token),
 * the URL, the htmx headers, whether the screen shows one day at a time and the viewer's
 * language.
 */
function keyOf(c: Context<AppEnv>): string | undefined {
  const session = c.get("sessionHash");
  if (c.req.method !== "GET" || !session || !c.get("user") || c.get("flash")) {
    return undefined;
  }
  const id =
    (c.req.header("Authorization") === undefined ? "cookie " : "bearer ") +
    hex(session);
  const url = new URL(c.req.url);
  return `${id} ${url.pathname}${url.search} ${
    c.req.header("HX-Request") ?? ""
  } ${c.req.header("HX-Boosted") ?? ""} ${showsOneDay(c) ? "day" : "week"} ${
    viewerLocale(c)
  }`;
}

function answer(
  c: Context<AppEnv>,
  entry: Entry,
  grow: (entry: Entry, bytes: number) => void,
  how: "hit" | "miss",
): Response {
  const headers = new Headers(entry.headers);
  headers.set("X-Cache", how); // for whoever operates the app, and the tests
  headers.append("Vary", "Accept-Encoding");
  headers.set("ETag", entry.etag);
  if (matchesTag(c.req.header("If-None-Match"), entry.etag)) {
    headers.delete("Content-Type");
    return new Response(null, { status: 304, headers });
  }
  const identity = entry.bodies.get("identity")!;
  const encoding = encodingFor(
    c.req.header("Accept-Encoding"),
    identity.byteLength,
  );
  let body = entry.bodies.get(encoding ?? "identity");
  if (!body) {
    body = encodeBody(identity, encoding);
    entry.bodies.set(encoding!, body);
    grow(entry, body.byteLength);
  }
  if (encoding) headers.set("Content-Encoding", encoding);
  headers.set("Content-Length", String(body.byteLength));
  return new Response(body as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers,
  });
}
