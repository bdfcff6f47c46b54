/**
 * The catalogues of Spotter's words, one ICU MessageFormat file per language in
 * `lib/catalogues/`, formatted by FormatJS's `intl-messageformat` (plurals by each
 * language's own rules). Dates, times and numbers come from the built-in `Intl` for the
 * reader's locale, always in the zone the caller names (the trainer's).
 *
 * `en-XA` is a pseudo-locale made from English (accented, about 30 % longer, in brackets)
 * to show which words do not go through a catalogue yet.
 */
import { IntlMessageFormat } from "intl-messageformat";
import {
  type MessageFormatElement,
  parse,
  TYPE,
} from "@formatjs/icu-messageformat-parser";
import { isLanguage, type Language, LANGUAGES } from "../domain/types.ts";
import en from "./catalogues/en.json" with { type: "json" };
import de from "./catalogues/de.json" with { type: "json" };
import es from "./catalogues/es.json" with { type: "json" };
import ru from "./catalogues/ru.json" with { type: "json" };
// The pages' words, by whose pages they are: the site's shell and account pages, the
// client's, the trainer's day-to-day (schedule, sessions, clients, classes) and the trainer's
// business (settings, statistics, history, packages, other calendars); each key starts with
// its file's area: `client.…`.
import clientEn from "./catalogues/client/en.json" with { type: "json" };
import clientDe from "./catalogues/client/de.json" with { type: "json" };
import clientEs from "./catalogues/client/es.json" with { type: "json" };
import clientRu from "./catalogues/client/ru.json" with { type: "json" };
import siteEn from "./catalogues/site/en.json" with { type: "json" };
import siteDe from "./catalogues/site/de.json" with { type: "json" };
import siteEs from "./catalogues/site/es.json" with { type: "json" };
import siteRu from "./catalogues/site/ru.json" with { type: "json" };
import trainerEn from "./catalogues/trainer/en.json" with { type: "json" };
import trainerDe from "./catalogues/trainer/de.json" with { type: "json" };
import trainerEs from "./catalogues/trainer/es.json" with { type: "json" };
import trainerRu from "./catalogues/trainer/ru.json" with { type: "json" };
import businessEn from "./catalogues/business/en.json" with { type: "json" };
import businessDe from "./catalogues/business/de.json" with { type: "json" };
import businessEs from "./catalogues/business/es.json" with { type: "json" };
import businessRu from "./catalogues/business/ru.json" with { type: "json" };

export { isLanguage, type Language, LANGUAGES };

/** A locale a message can be formatted in: a language, or the pseudo-locale. */
export type Locale = Language | "en-XA";

const EN = {
  ...en,
  ...siteEn,
  ...clientEn,
  ...trainerEn,
  ...businessEn,
};

/** Every message's key, as the English catalogue names them. */
export type MessageKey = keyof typeof EN;

/** A value a message's placeholder takes. */
export type MessageValues = Readonly<Record<string, string | number>>;

/** The source text of every catalogue, by language. */
export const CATALOGUES: Readonly<
  Record<Language, Readonly<Record<string, string>>>
> = {
  en: EN,
  de: { ...de, ...siteDe, ...clientDe, ...trainerDe, ...businessDe },
  es: { ...es, ...siteEs, ...clientEs, ...trainerEs, ...businessEs },
  ru: { ...ru, ...siteRu, ...clientRu, ...trainerRu, ...businessRu },
};

/** What each language is called in itself (for the language select). */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: "English",
  de: "Deutsch",
  es: "Español",
  ru: "Русский",
};

const compiled = new Map<string, IntlMessageFormat>();

function compile(locale: Locale, key: string): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    const source = locale === "en-XA"
      ? pseudoAst(parse(EN[key as MessageKey]))
      : CATALOGUES[locale][key] ?? EN[key as MessageKey];
    if (source === undefined) throw new Error(`no message "${key}"`);
    format = new IntlMessageFormat(source, intlLocale(locale));
    compiled.set(id, format);
  }
  return format;
}

/**
 * One message in `locale`, its placeholders filled.
 *
 * @example t("ru", "notice.credits_left", { balance: 5 }) // "у вас осталось 5 занятий"
 */
export function t(
  locale: Locale,
  key: MessageKey,
  values: MessageValues = {},
): string {
  return String(compile(locale, key).format(values));
}

/**
 * A message with markup inside it, as parts: its tags (`<link>…</link>`) are filled by
 * the functions `tags` names, so a sentence stays whole in every language while a link or
 * a name in bold sits where that language puts it.
 *
 * @example tParts("de", "client.join.lead", {}, { b: (words) => <b>{words}</b> })
 */
export function tParts<T>(
  locale: Locale,
  key: MessageKey,
  values: MessageValues = {},
  tags: Readonly<Record<string, (chunks: string[]) => T>> = {},
): (string | T)[] {
  const wrapped = Object.fromEntries(
    Object.entries(tags).map((
      [name, fill],
    ) => [name, (chunks: (string | T)[]) => fill(chunks.map(String))]),
  );
  const out = compile(locale, key).format<T>({ ...values, ...wrapped });
  return Array.isArray(out) ? out : [out as string | T];
}

/** The tag `Intl` formats a locale's dates and numbers with. */
export const intlLocale = (locale: Locale) =>
  locale === "en" || locale === "en-XA" ? "en-GB" : locale;

/**
 * The language to speak for a stored or asked-for tag: an exact language, its primary
 * subtag (`de-AT` → `de`), or English.
 */
export function languageOf(tag: string | null | undefined): Language {
  const primary = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : "en";
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(
  locale: Locale,
  name: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const id = `${locale}\u0000${name}\u0000${options.timeZone ?? ""}`;
  let f = dayFormats.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(locale), options);
    dayFormats.set(id, f);
  }
  return f;
}

const DAY = { weekday: "short", day: "numeric", month: "short" } as const;

// Spotter's English has no comma after the weekday ("Tue 8 Dec 2026"), as it always had;
// the pseudo-locale accents Intl's English names too, so none reads as a word left out.
const houseStyle = (locale: Locale, text: string) =>
  locale === "en"
    ? text.replace(/^(\S+),/, "$1")
    : locale === "en-XA"
    ? pseudo(text.replace(/^(\S+),/, "$1"))
    : text;

/**
 * A day as `locale` writes it, weekday first: "Tue 8 Dec 2026", "Di., 8. Dez. 2026",
 * "вт, 8 дек. 2026 г."; without the year when `year` is false.
 */
export function formatDay(
  locale: Locale,
  at: Temporal.ZonedDateTime | Temporal.PlainDate,
  year = true,
): string {
  const date = at instanceof Temporal.ZonedDateTime ? at.toPlainDate() : at;
  const options = year ? { ...DAY, year: "numeric" } as const : DAY;
  // A plain date has no zone: format its noon in UTC so no offset can move its day.
  const noon = Date.UTC(date.year, date.month - 1, date.day, 12);
  return houseStyle(
    locale,
    dateFormat(locale, year ? "day" : "day-short", {
      ...options,
      timeZone: "UTC",
    }).format(noon),
  );
}

const DATE_STYLES = {
  date: { day: "numeric", month: "short", year: "numeric" },
  dayMonth: { day: "numeric", month: "short" },
  monthYear: { month: "short", year: "numeric" },
} as const;

/**
 * A calendar date as `locale` writes it, without the weekday: "16 Mar 2026",
 * "16. März 2026" (`date`); "16 Mar" (`dayMonth`); "Mar 2026" (`monthYear`).
 */
export function formatDate(
  locale: Locale,
  date: Temporal.PlainDate | string,
  style: keyof typeof DATE_STYLES = "date",
): string {
  const d = typeof date === "string" ? Temporal.PlainDate.from(date) : date;
  const noon = Date.UTC(d.year, d.month - 1, d.day, 12);
  const text = dateFormat(locale, style, {
    ...DATE_STYLES[style],
    timeZone: "UTC",
  }).format(noon);
  return locale === "en-XA" ? pseudo(text) : text;
}

/** A wall-clock time in the instant's zone, 24-hour: "18:00". */
export function formatTime(
  locale: Locale,
  at: Temporal.ZonedDateTime,
): string {
  return dateFormat(locale, "time", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: at.timeZoneId,
  }).format(at.epochMilliseconds);
}

/** A number as `locale` writes it ("1.234,5" in German). */
export function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(n);
}

const ACCENTS: Readonly<Record<string, string>> = Object.fromEntries(
  [..."abcdeghiklmnoprstuwyzABCDEGHIKLMNOPRSTUWYZ"].map((c, i) => [
    c,
    [..."àƀçđéğĥíķĺɱñöþŕšţüŵýžÀƁÇĐÉĞĤÍĶĹṀÑÖÞŔŠŢÜŴÝŽ"][i],
  ]),
);

/** English text accented and padded by ~30 % (`~` after every third letter), in brackets. */
export function pseudo(text: string): string {
  let letters = 0;
  let out = "";
  for (const ch of text) {
    out += ACCENTS[ch] ?? ch;
    if (/\p{L}/u.test(ch) && ++letters % 3 === 0) out += "~";
  }
  return out;
}

/** The pseudo-locale's message: every literal of the English one made pseudo. */
function pseudoAst(
  elements: MessageFormatElement[],
  outer = true,
): MessageFormatElement[] {
  const inner = elements.map((e): MessageFormatElement => {
    if (e.type === TYPE.literal) return { ...e, value: pseudo(e.value) };
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      return {
        ...e,
        options: Object.fromEntries(
          Object.entries(e.options).map(([k, o]) => [
            k,
            { ...o, value: pseudoAst(o.value, false) },
          ]),
        ),
      } as MessageFormatElement;
    }
    if (e.type === TYPE.tag) {
      return { ...e, children: pseudoAst(e.children, false) };
    }
    return e;
  });
  return outer
    ? [
      { type: TYPE.literal, value: "[" },
      ...inner,
      { type: TYPE.literal, value: "]" },
    ]
    : inner;
}
