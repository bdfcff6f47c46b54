/** Display helpers: they format what they are given and never read the clock. */

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, options: Intl.DateTimeFormatOptions) {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, ...options });
    cache.set(key, f);
  }
  return f;
}

const ms = (i: Temporal.Instant) => i.epochMilliseconds;

/** "14:30" in the zone. */
export const time = (i: Temporal.Instant, tz: string) =>
  formatter(tz, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(ms(i));

/** "Wednesday 2 December 2026". */
export const longDate = (i: Temporal.Instant, tz: string) =>
  formatter(tz, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(ms(i));

/** "Wed 2 Dec". */
export const shortDate = (d: Temporal.PlainDate) =>
  formatter("UTC", { weekday: "short", day: "numeric", month: "short" }).format(
    Date.UTC(d.year, d.month - 1, d.day),
  );

/** "Wed" for a day tab. */
export const weekdayShort = (d: Temporal.PlainDate) =>
  formatter("UTC", { weekday: "short" }).format(
    Date.UTC(d.year, d.month - 1, d.day),
  );

/** "1 – 7 December 2026". */
export function weekLabel(start: Temporal.PlainDate) {
  const end = start.add({ days: 6 });
  const f = formatter("UTC", {
    day: "numeric",
    month: "long",
    year: "numeric",
  });
  return `${f.format(Date.UTC(start.year, start.month - 1, start.day))} – ${
    f.format(Date.UTC(end.year, end.month - 1, end.day))
  }`;
}

/** The zone's name and current offset, e.g. "Europe/Berlin (UTC+01:00)". */
export function zoneLabel(tz: string, at: Temporal.Instant) {
  const offset = at.toZonedDateTimeISO(tz).offset;
  return `${tz.replaceAll("_", " ")} (UTC${offset === "+00:00" ? "" : offset})`;
}

export const minutesBetween = (a: Temporal.Instant, b: Temporal.Instant) =>
  Math.round(a.until(b).total("minutes"));
