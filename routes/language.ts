/**
 * Which language a request is answered in: the signed-in user's own, or, signed out, the
 * browser's `Accept-Language` (read by Hono's language detector) among Spotter's
 * languages, English when none matches. No language in the URL, no cookie.
 */
import type { Context, MiddlewareHandler } from "hono";
import { languageDetector } from "hono/language";
import type { AppEnv } from "./context.ts";
import {
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

/** What the browser asks for (signed-out pages, and a new account's first language). */
export const browserLanguage = (c: Context<AppEnv>): Language =>
  languageOf(c.get("language"));

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
