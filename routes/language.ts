/**
 * Which language a request is answered in: the signed-in user's own, or, signed out, the
 * one picked in the footer's language switch (the `spotter_lang` cookie), else the
 * browser's `Accept-Language` (read by Hono's language detector) among Spotter's
 * languages, English when none matches. No language in the URL.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { languageDetector } from "hono/language";
import type { AppEnv } from "./context.ts";
import {
  isLanguage,
  type Language,
  languageOf,
  LANGUAGES,
  type Locale,
  t,
} from "../lib/i18n.ts";
import type { Say } from "../views/locale.ts";

/** Reads `Accept-Language` once per request into `c.get("language")`. */
export const detectLanguage = (): MiddlewareHandler =>
  languageDetector({
    order: ["header"],
    supportedLanguages: [...LANGUAGES],
    fallbackLanguage: "en",
    caches: false,
  });

/** The signed-out visitor's own pick of a language (the footer's switch). */
export const LANGUAGE_COOKIE = "spotter_lang";

/** The switch's pick is kept a year. */
const LANGUAGE_COOKIE_SECONDS = 365 * 24 * 60 * 60;

/** Keeps a signed-out visitor's pick of a language for a year (not a credential). */
export function rememberLanguage(c: Context<AppEnv>, language: Language) {
  setCookie(c, LANGUAGE_COOKIE, language, {
    path: "/",
    maxAge: LANGUAGE_COOKIE_SECONDS,
    sameSite: "Lax",
    httpOnly: true,
    secure: c.get("deps").config.appUrl.startsWith("https:"),
  });
}

/**
 * What the browser asks for (signed-out pages, and a new account's first language): the
 * language switch's pick when there is one, else `Accept-Language`.
 */
export const browserLanguage = (c: Context<AppEnv>): Language => {
  const picked = getCookie(c, LANGUAGE_COOKIE);
  return picked && isLanguage(picked) ? picked : languageOf(c.get("language"));
};

/** What the viewer reads: their own language when signed in, else the browser's. */
export const viewerLanguage = (c: Context<AppEnv>): Language =>
  c.get("user")?.language ?? browserLanguage(c);

/**
 * The locale a page is rendered in: the viewer's language, or the pseudo-locale `en-XA`
 * when the server allows it (`PSEUDO_LOCALE=1`, for the page sweep) and the browser
 * asks for it first.
 */
export const viewerLocale = (c: Context<AppEnv>): Locale =>
  c.get("deps").config.pseudoLocale &&
    /^\s*en-XA\b/i.test(c.req.header("Accept-Language") ?? "")
    ? "en-XA"
    : viewerLanguage(c);

/**
 * The viewer's words, for what a route writes itself (a page's title, a flash, a form
 * error): `const say = sayFor(c); say("client.book.title")`. Views use `useSay()`.
 */
export const sayFor = (c: Context<AppEnv>): Say => {
  const locale = viewerLocale(c);
  return (key, values) => t(locale, key, values);
};
