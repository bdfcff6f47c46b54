/** Display helpers: they format what they are given and never read the clock. */

import { clockText, formatEpochDay, wallTimeOf } from "../domain/time.ts";
import { formatDay, intlLocale, type Locale, pseudo, t } from "../lib/i18n.ts";
import { currentLocale } from "./locale.ts";

/** A date format of the page's locale (views/locale.ts); the pseudo-locale accents it. */
type Formatter = Readonly<{ format: (ms: number) => string }>;

const cache = new Map<string, Formatter>();
function formatter(
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
  locale: Locale = currentLocale(),
): Formatter {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    const intl = new Intl.DateTimeFormat(intlLocale(locale), {
      timeZone,
      ...options,
    });
    f = locale === "en-XA"
      ? { format: (ms) => pseudo(intl.format(ms)) }
      : { format: (ms) => intl.format(ms) };
    cache.set(key, f);
  }
  return f;
}

const ms = (i: Temporal.Instant) => i.epochMilliseconds;

/**
 * "14:30" in the zone. Plain arithmetic on the offset, looked up once per span
 * between the zone's transitions: a week grid formats every slot's start and end.
 */
export const time = (i: Temporal.Instant, tz: string) =>
  clockText(wallTimeOf(ms(i), tz).secondOfDay);

/**
 * `encodeURIComponent(instant.toString())`, by arithmetic for whole seconds (every
 * slot start): a week grid writes one per slot.
 */
export function instantParam(i: Temporal.Instant): string {
  const ms = i.epochMilliseconds;
  if (ms % 1000 !== 0 || i.epochNanoseconds !== BigInt(ms) * 1_000_000n) {
    return encodeURIComponent(i.toString());
  }
  const { epochDay, secondOfDay } = wallTimeOf(ms, "UTC");
  return `${formatEpochDay(epochDay)}T${
    clockText(secondOfDay, true).replaceAll(":", "%3A")
  }Z`;
}

/** A calendar date as the instant its day starts in UTC, for formatting in "UTC". */
const utc = (d: Temporal.PlainDate) => Date.UTC(d.year, d.month - 1, d.day);

const LONG_DATE = {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
} as const;

/**
 * "Wednesday, 2 December 2026": the date of an instant in the zone, in the page's locale
 * (a route wording a flash before any render names the viewer's).
 */
export const longDate = (
  i: Temporal.Instant,
  tz: string,
  locale: Locale = currentLocale(),
) => formatter(tz, LONG_DATE, locale).format(ms(i));

/** "Wednesday, 2 December 2026": a calendar date (a locale as for `longDate`). */
export const longDay = (
  d: Temporal.PlainDate,
  locale: Locale = currentLocale(),
) => formatter("UTC", LONG_DATE, locale).format(utc(d));

/** "Wed 2 Dec". */
export const shortDate = (d: Temporal.PlainDate) =>
  formatter("UTC", { weekday: "short", day: "numeric", month: "short" }).format(
    utc(d),
  );

/**
 * "Mon 7 Dec 2026": a date with its year, as the locale writes it ("Mo., 7. Dez. 2026").
 */
export const dayWithYear = (
  d: Temporal.PlainDate,
  locale: Locale = currentLocale(),
) => formatDay(locale, d);

/** "Thu 24 Dec – Sat 2 Jan 2027 (10 days)", or one day's long date: a run of holidays. */
export function dayRange(first: Temporal.PlainDate, last: Temporal.PlainDate) {
  const days = first.until(last).days + 1;
  if (days === 1) return longDay(first);
  const start = first.year === last.year
    ? shortDate(first)
    : `${shortDate(first)} ${first.year}`;
  return `${start} – ${shortDate(last)} ${last.year} (${
    t(currentLocale(), "format.days", { days })
  })`;
}

/**
 * "Monday" for a weekday (1 = Monday … 7 = Sunday), from `Intl` in the page's locale, with
 * a capital as a heading wants it ("Lunes", "Понедельник").
 */
export function weekdayName(isoDay: number, locale: Locale = currentLocale()) {
  // 1 January 2024 was a Monday.
  const name = formatter("UTC", { weekday: "long" }, locale).format(
    Date.UTC(2024, 0, isoDay),
  );
  return name.charAt(0).toLocaleUpperCase(intlLocale(locale)) + name.slice(1);
}

const numbers = new Map<string, Intl.NumberFormat>();

/**
 * A number with at most `digits` decimals (at least `minDigits`) as the page's locale
 * writes it, without grouping: "1.5" / "1,5", "450.00" / "450,00".
 */
export function decimal(
  value: number,
  digits = 1,
  minDigits = 0,
  locale: Locale = currentLocale(),
): string {
  const key = `${locale}|${digits}|${minDigits}`;
  let f = numbers.get(key);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(locale), {
      maximumFractionDigits: digits,
      minimumFractionDigits: minDigits,
      useGrouping: false,
    });
    numbers.set(key, f);
  }
  return f.format(value);
}

/** "Wed" for a day tab. */
export const weekdayShort = (d: Temporal.PlainDate) =>
  formatter("UTC", { weekday: "short" }).format(utc(d));

/** "1 – 7 December 2026". */
export function weekLabel(start: Temporal.PlainDate) {
  const end = start.add({ days: 6 });
  const f = formatter("UTC", {
    day: "numeric",
    month: "long",
    year: "numeric",
  });
  return `${f.format(utc(start))} – ${f.format(utc(end))}`;
}

/** The zone's name and current offset, e.g. "Europe/Berlin (UTC+01:00)"; "UTC" alone. */
export function zoneLabel(tz: string, at: Temporal.Instant) {
  if (tz === "UTC" || tz === "Etc/UTC") return "UTC";
  const offset = at.toZonedDateTimeISO(tz).offset;
  return `${tz.replaceAll("_", " ")} (UTC${offset === "+00:00" ? "" : offset})`;
}

export const minutesBetween = (a: Temporal.Instant, b: Temporal.Instant) =>
  Math.round(a.until(b).total("minutes"));

/** `90 minutes`, `12 hours`, `2 days`: a policy's length in plain words. */
export function lengthInWords(minutes: number): string {
  const locale = currentLocale();
  if (minutes > 0 && minutes % 1440 === 0) {
    return t(locale, "format.days", { days: minutes / 1440 });
  }
  if (minutes > 0 && minutes % 60 === 0) {
    return t(locale, "format.hours", { hours: minutes / 60 });
  }
  return t(locale, "format.minutes", { minutes });
}

/** "Mon 14 Dec, 08:00": an instant's short date and time in the zone. */
export const shortDateTime = (i: Temporal.Instant, tz: string) =>
  `${shortDate(i.toZonedDateTimeISO(tz).toPlainDate())}, ${time(i, tz)}`;

/** "8 Jan". */
export const dayMonth = (d: Temporal.PlainDate) =>
  formatter("UTC", { day: "numeric", month: "short" }).format(utc(d));
