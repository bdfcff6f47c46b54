import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { getConnInfo } from "hono/deno";
import type { AppEnv, Flash } from "./context.ts";
import {
  readSession,
  readStamp,
  type Role,
  type SessionRead,
  type SessionUser,
  type User,
} from "../db/users.ts";
import type { Queryable } from "../db/client.ts";
import { touchSession } from "../db/sessions.ts";
import { ApiError, forbidden, unauthorized } from "./errors.ts";
import { csrfTokenFor, newToken, safeEqual, sha256 } from "../lib/security.ts";

const SESSION_COOKIE = "spotter_session";
const CSRF_COOKIE = "spotter_csrf";
const FLASH_COOKIE = "spotter_flash";
/** Set by `static/app.js`: "day" where the screen shows one day of a week at a time. */
const VIEW_COOKIE = "spotter_view";

/** HTTPS as the browser sees it: directly, behind a trusted proxy, or by the public URL. */
const isSecure = (c: Context<AppEnv>) =>
  new URL(c.req.url).protocol === "https:" ||
  c.get("deps").config.appUrl.startsWith("https:") ||
  (c.get("deps").config.trustProxy > 0 &&
    c.req.header("X-Forwarded-Proto") === "https");

/**
 * Over HTTPS (by the public URL) the credential cookies are `__Host-` cookies: the browser
 * takes them only from this origin over HTTPS, so no sibling subdomain and no plain-HTTP
 * page can plant or overwrite them.
 */
const hostOnly = (c: Context<AppEnv>) =>
  c.get("deps").config.appUrl.startsWith("https:");

export function readCookie(
  c: Context<AppEnv>,
  name: string,
): string | undefined {
  return hostOnly(c) ? getCookie(c, name, "host") : getCookie(c, name);
}

export function writeCookie(
  c: Context<AppEnv>,
  name: string,
  value: string,
  maxAge?: number,
) {
  setCookie(c, name, value, {
    httpOnly: true,
    sameSite: "Lax",
    secure: hostOnly(c) || isSecure(c),
    path: "/",
    maxAge,
    ...(hostOnly(c) ? { prefix: "host" as const } : {}),
  });
}

/** The Authorization header, if the request carries one at all. */
const authorization = (c: Context) => c.req.header("Authorization");

/** "Last used" is exact to a few minutes: a busy session writes once per five. */
const NOTE_USE_MS = 5 * 60_000;

/**
 * Finds the user. A request is either bearer-authenticated or cookie-authenticated, never
 * both: with an `Authorization` header only a valid `Bearer` token counts and cookies are
 * ignored entirely (so a made-up header cannot skip the CSRF check and ride on a cookie).
 *
 * Each process remembers up to `remember` sessions it has read, with the session stamp of
 * their trainer at that read (migration 008). A remembered session costs the next request
 * one index lookup (the trainer's stamp and calendar counter) instead of reading session,
 * user and client again; once the stamp has moved (a sign-out, a changed profile, in any
 * process) it is read afresh, and past its end it is never used.
 */
export function loadSession(
  options: Readonly<{ remember?: number }> = {},
): MiddlewareHandler<AppEnv> {
  const remember = options.remember ?? 10_000;
  const known = new Map<string, SessionRead>();
  /** When this process last noted each session's use (epoch ms), for "last used". */
  const noted = new Map<string, number>();
  const noteUse = async (
    sql: Queryable,
    hash: Uint8Array,
    now: Temporal.Instant,
  ) => {
    const key = hex(hash);
    const last = noted.get(key);
    if (last !== undefined && now.epochMilliseconds - last < NOTE_USE_MS) {
      return;
    }
    noted.delete(key);
    noted.set(key, now.epochMilliseconds);
    if (noted.size > remember) noted.delete(noted.keys().next().value!);
    // Bookkeeping for the devices list: it never fails or holds back the request.
    await touchSession(sql, hash, now).catch(() => noted.delete(key));
  };
  const read = async (
    sql: Queryable,
    hash: Uint8Array,
    now: Temporal.Instant,
  ): Promise<SessionUser | undefined> => {
    const key = hex(hash);
    const kept = known.get(key);
    if (kept?.stamp !== undefined && now.epochMilliseconds < kept.expiresAt) {
      const current = await readStamp(sql, kept.trainerId);
      if (current?.stamp === kept.stamp) {
        known.delete(key); // most recently used goes last
        known.set(key, kept);
        return { user: kept.user, calendarVersion: current.calendarVersion };
      }
    }
    known.delete(key);
    const found = await readSession(sql, hash, now);
    if (found?.stamp !== undefined) {
      known.set(key, found);
      if (known.size > remember) known.delete(known.keys().next().value!);
    }
    return found;
  };
  return async (c, next) => {
    const header = authorization(c);
    const token = header === undefined
      ? readCookie(c, SESSION_COOKIE)
      : /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    c.set("user", undefined);
    c.set("sessionHash", undefined);
    c.set("calendarVersion", undefined);
    if (token && token.length <= 128) {
      const hash = sha256(token);
      const found = await read(c.get("deps").sql, hash, c.get("deps").now());
      c.set("user", found?.user);
      c.set("sessionHash", found && hash);
      c.set("calendarVersion", found?.calendarVersion);
      if (found) await noteUse(c.get("deps").sql, hash, c.get("deps").now());
    }
    await next();
  };
}

const HEX = Array.from(
  { length: 256 },
  (_, i) => i.toString(16).padStart(2, "0"),
);

/** Bytes as lowercase hex. */
export function hex(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += HEX[byte];
  return text;
}

/**
 * Signs the browser in. The signed-out CSRF token is replaced too (not just dropped, so
 * two pages loading at once after a sign-out never mint two different ones).
 */
export function setSessionCookie(c: Context<AppEnv>, token: string) {
  writeCookie(c, SESSION_COOKIE, token, 30 * 24 * 3600);
  writeCookie(c, CSRF_COOKIE, newToken());
}

export function clearSessionCookie(c: Context<AppEnv>) {
  writeCookie(c, SESSION_COOKIE, "", 0);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Sent by a page of another site (or a sibling subdomain), as the browser tells it. */
function fromAnotherSite(c: Context<AppEnv>): boolean {
  const site = c.req.header("Sec-Fetch-Site");
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return true;
  }
  const origin = c.req.header("Origin");
  if (origin === undefined) return false;
  const own = [
    new URL(c.get("deps").config.appUrl).origin,
    new URL(c.req.url).origin,
  ];
  return !own.includes(origin);
}

/** `reason` names the catalogue's `error.<reason>`, which words it in other languages. */
const csrfFailed = (
  message: string,
  reason: "csrf_other_site" | "csrf_expired",
) => new ApiError(403, "csrf_failed", message, undefined, undefined, reason);

/**
 * CSRF defence for every cookie-authenticated request (runs after `loadSession`). Unsafe
 * requests that a browser says come from another site (`Sec-Fetch-Site`, `Origin`) are
 * refused; the rest must carry the token (form field `_csrf`, or header `X-CSRF-Token`
 * as htmx sends it). Signed in, the token is derived from the session token, so it is
 * bound to that session and new at every sign-in; signed out, it is a random value
 * double-submitted with an HttpOnly cookie. Bearer-token calls carry no ambient
 * credentials (cookies are ignored for them) and are exempt.
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (authorization(c) !== undefined) {
      c.set("csrfToken", "");
      return await next();
    }
    const session = c.get("sessionHash")
      ? readCookie(c, SESSION_COOKIE)
      : undefined;
    let token = session ? csrfTokenFor(session) : readCookie(c, CSRF_COOKIE);
    if (!token || token.length !== 43) {
      token = newToken();
      writeCookie(c, CSRF_COOKIE, token);
    }
    c.set("csrfToken", token);
    const webhook = c.req.path === "/telegram/webhook";
    // Without a session cookie nothing ambient is at stake for the JSON API
    // (sign-up and sign-in answer tokens, not cookies), so only forms need the token.
    const jsonApi = c.req.path.startsWith("/api/") &&
      readCookie(c, SESSION_COOKIE) === undefined;
    if (SAFE_METHODS.has(c.req.method) || webhook || jsonApi) {
      return await next();
    }
    if (fromAnotherSite(c)) {
      throw csrfFailed(
        "This request came from another site. Open Spotter itself and try again.",
        "csrf_other_site",
      );
    }
    // A form's own field counts as well as the header: after a boosted sign-in htmx still
    // sends the header of the page it started on, while each new form carries its token.
    const sent = [c.req.header("X-CSRF-Token")];
    const type = c.req.header("Content-Type") ?? "";
    if (
      /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)
    ) {
      const form = await c.req.formData().catch(() => undefined);
      const field = form?.get("_csrf");
      sent.push(typeof field === "string" ? field : undefined);
    }
    if (!sent.some((value) => value && safeEqual(value, token))) {
      throw csrfFailed(
        "This form has expired or came from another site. Reload the page and try again.",
        "csrf_expired",
      );
    }
    await next();
  };
}

/**
 * `Cache-Control: private, no-store` on every page and API answer: they carry personal
 * data, session tokens and CSRF tokens, which no browser or proxy cache may keep (and a
 * signed-out page shown from cache would carry another browser's token). Static files,
 * served before this, keep their own caching.
 */
export function noStore(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    // On the answer itself: Hono's `c.header` after the answer is set would rebuild it
    // around its body as a stream, which Deno then serves far more slowly than bytes.
    c.res.headers.set("Cache-Control", "private, no-store");
  };
}

/** Reads and clears the one-shot message set before a redirect. */
export function flashMessages(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = getCookie(c, FLASH_COOKIE);
    let flash: Flash | undefined;
    if (raw) {
      try {
        const parsed = JSON.parse(decodeURIComponent(raw));
        if (
          (parsed.kind === "ok" || parsed.kind === "error") &&
          typeof parsed.text === "string"
        ) {
          flash = { kind: parsed.kind, text: parsed.text.slice(0, 300) };
        }
      } catch { /* a mangled cookie is simply dropped */ }
      setCookie(c, FLASH_COOKIE, "", { path: "/", maxAge: 0 });
    }
    c.set("flash", flash);
    await next();
  };
}

/** Redirect (303, so a form POST becomes a GET) with a message for the next page. */
export function redirectWithFlash(
  c: Context,
  to: string,
  text: string,
  kind: Flash["kind"] = "ok",
) {
  setCookie(
    c,
    FLASH_COOKIE,
    encodeURIComponent(JSON.stringify({ kind, text })),
    {
      httpOnly: true,
      sameSite: "Lax",
      path: "/",
      maxAge: 60,
    },
  );
  return c.redirect(to, 303);
}

export function assertSignedIn(c: Context<AppEnv>): User {
  const user = c.get("user");
  if (!user) throw unauthorized();
  return user;
}

export function assertRole(c: Context<AppEnv>, role: Role): User {
  const user = assertSignedIn(c);
  if (user.role !== role) throw forbidden();
  return user;
}

/**
 * The address the outermost of `hops` trusted proxies saw the request come from: each
 * proxy appends what it saw to `X-Forwarded-For`, so the entries left of that are the
 * client's own words and anyone may write them. With fewer entries than hops, the leftmost
 * (a proxy on the way did not append). `undefined` when the header is missing or empty.
 *
 * @example forwardedAddress("6.6.6.6, 203.0.113.5", 1) // "203.0.113.5"
 */
export function forwardedAddress(
  header: string | undefined,
  hops: number,
): string | undefined {
  if (hops < 1 || header === undefined) return undefined;
  const entries = header.split(",").map((e) => e.trim());
  return entries[Math.max(0, entries.length - hops)] || undefined;
}

/** The caller's address, for rate limits. */
export function clientAddress(c: Context<AppEnv>): string {
  const forwarded = forwardedAddress(
    c.req.header("X-Forwarded-For"),
    c.get("deps").config.trustProxy,
  );
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // in-process requests (tests) have no socket
  }
}

/** What a new session records of the device signing in (for the profile's list of devices). */
export const sessionMetaOf = (c: Context, via: "browser" | "api") => ({
  via,
  userAgent: c.req.header("User-Agent"),
});

/**
 * The browser shows one day of a week at a time (a phone with JavaScript, which says so
 * in a cookie): the calendar then sends only that day's slots. A display preference only.
 */
export const showsOneDay = (c: Context) => getCookie(c, VIEW_COOKIE) === "day";

/** True for requests made by htmx (they get fragments, not pages). */
export const isHtmx = (c: Context) => c.req.header("HX-Request") === "true";
