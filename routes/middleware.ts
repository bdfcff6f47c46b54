import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { getConnInfo } from "hono/deno";
import type { AppEnv, Flash } from "./context.ts";
import { getUserBySession, type Role, type User } from "../db/users.ts";
import { ApiError, forbidden, unauthorized } from "./errors.ts";
import { newToken, safeEqual, sha256 } from "../lib/security.ts";

export const SESSION_COOKIE = "spotter_session";
const CSRF_COOKIE = "spotter_csrf";
const FLASH_COOKIE = "spotter_flash";

/** HTTPS as the browser sees it: directly, behind a trusted proxy, or by the public URL. */
const isSecure = (c: Context<AppEnv>) =>
  new URL(c.req.url).protocol === "https:" ||
  c.var.deps.config.appUrl.startsWith("https:") ||
  (c.var.deps.config.trustProxy &&
    c.req.header("X-Forwarded-Proto") === "https");

/** Finds the user from `Authorization: Bearer` or the session cookie. */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("Authorization") ?? "")
      ?.[1];
    const token = bearer ?? getCookie(c, SESSION_COOKIE);
    c.set("user", undefined);
    c.set("sessionHash", undefined);
    if (token && token.length <= 128) {
      const hash = sha256(token);
      const user = await getUserBySession(
        c.var.deps.sql,
        hash,
        c.var.deps.now(),
      );
      c.set("user", user);
      c.set("sessionHash", user && hash);
    }
    await next();
  };
}

export function setSessionCookie(c: Context<AppEnv>, token: string) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isSecure(c),
    path: "/",
    maxAge: 30 * 24 * 3600,
  });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Double-submit CSRF check for everything a browser can post: the form field `_csrf`
 * (or header `X-CSRF-Token`, sent by htmx) must equal the HttpOnly cookie.
 * Bearer-token API calls carry no ambient credentials and are exempt.
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Bearer-token API calls carry no ambient credentials: nothing to check or hand out.
    if (/^Bearer\s/i.test(c.req.header("Authorization") ?? "")) {
      c.set("csrfToken", "");
      return await next();
    }
    let token = getCookie(c, CSRF_COOKIE);
    if (!token || token.length !== 43) {
      token = newToken();
      setCookie(c, CSRF_COOKIE, token, {
        httpOnly: true,
        sameSite: "Lax",
        secure: isSecure(c),
        path: "/",
      });
    }
    c.set("csrfToken", token);
    const webhook = c.req.path === "/telegram/webhook";
    if (!SAFE_METHODS.has(c.req.method) && !webhook) {
      let sent = c.req.header("X-CSRF-Token");
      const type = c.req.header("Content-Type") ?? "";
      if (
        !sent &&
        /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)
      ) {
        const form = await c.req.formData().catch(() => undefined);
        const field = form?.get("_csrf");
        sent = typeof field === "string" ? field : undefined;
      }
      const cookieToken = getCookie(c, CSRF_COOKIE);
      // Without a session cookie nothing ambient is at stake for the JSON API
      // (sign-up and sign-in answer tokens, not cookies), so only forms need the pair.
      const jsonApi = c.req.path.startsWith("/api/") &&
        !getCookie(c, SESSION_COOKIE);
      if (
        !jsonApi && (!sent || !cookieToken || !safeEqual(sent, cookieToken))
      ) {
        throw new ApiError(
          403,
          "csrf_failed",
          "This form has expired or came from another site. Reload the page and try again.",
        );
      }
    }
    await next();
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
  const user = c.var.user;
  if (!user) throw unauthorized();
  return user;
}

export function assertRole(c: Context<AppEnv>, role: Role): User {
  const user = assertSignedIn(c);
  if (user.role !== role) throw forbidden();
  return user;
}

/** The caller's address, for rate limits. */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.var.deps.config.trustProxy) {
    const forwarded = c.req.header("X-Forwarded-For")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // in-process requests (tests) have no socket
  }
}

/** True for requests made by htmx (they get fragments, not pages). */
export const isHtmx = (c: Context) => c.req.header("HX-Request") === "true";
