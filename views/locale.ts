/**
 * The language a page is rendered in, for every view below it: `page()` and the htmx
 * fragments (routes/render.tsx) provide it, and views read it with `useSay()` (words from
 * the catalogues, lib/i18n.ts) while the format helpers (views/format.ts) read it for
 * dates. hono/jsx keeps the value across `await`s in async components (AsyncLocalStorage),
 * so concurrent requests never mix; outside a render it is English.
 */
import { type Child, createContext, useContext } from "hono/jsx";
import {
  type Locale,
  type MessageKey,
  type MessageValues,
  t,
  tParts,
} from "../lib/i18n.ts";

export const LocaleContext = createContext<Locale>("en");

/** The locale of the page being rendered ("en" outside a render). */
export const currentLocale = (): Locale => useContext(LocaleContext);

/** A message of the page's locale, its placeholders filled. */
export type Say = (key: MessageKey, values?: MessageValues) => string;

/**
 * The words of the page being rendered: `const say = useSay(); say("nav.book")`.
 */
export function useSay(): Say {
  const locale = currentLocale();
  return (key, values) => t(locale, key, values);
}

/** A message whose markup tags `tags` fill: `sayRich("k", {}, { b: (w) => <b>{w}</b> })`. */
export type SayRich = (
  key: MessageKey,
  values?: MessageValues,
  tags?: Readonly<Record<string, (chunks: string[]) => Child>>,
) => Child;

/** Like `useSay()`, for a sentence with a link or bold words inside it. */
export function useSayRich(): SayRich {
  const locale = currentLocale();
  return (key, values, tags) => tParts<Child>(locale, key, values, tags);
}
