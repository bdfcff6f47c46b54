/**
 * The one iCalendar (RFC 5545) writer: a session's download, the calendar feeds and, later,
 * classes all turn their items into {@link IcsEvent}s and hand them to {@link calendarFile}.
 *
 * ```ts
 * calendarFile([{ uid: `${id}@spotter.example`, start, end, stamp, summary: "Cleo",
 *   status: "CONFIRMED" }], { name: "Spotter" });
 * ```
 */

export type IcsStatus = "CONFIRMED" | "TENTATIVE" | "CANCELLED";

/** One `VEVENT`, whatever it stands for (an appointment, a class). */
export type IcsEvent = Readonly<{
  /** Globally unique and stable across fetches and moves: `<id>@<host>`. */
  uid: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
  /** `DTSTAMP`: when this event's information last changed. */
  stamp: Temporal.Instant;
  summary: string;
  status: IcsStatus;
  description?: string;
  url?: string;
  /** `SEQUENCE`: grows each time the event moves, so calendar apps take the new time. */
  sequence?: number;
}>;

/** `20270104T090000Z`: UTC, whole seconds, so every calendar app agrees. */
export const utcStamp = (i: Temporal.Instant) =>
  i.toString({ smallestUnit: "second" }).replace(/[-:]/g, "");

/**
 * RFC 5545 §3.3.11 TEXT: backslash, semicolon and comma escaped; every line break (CRLF,
 * LF or a bare CR) becomes `\n`, so no raw CR or LF can end a content line early.
 */
export const escapeText = (s: string) =>
  s.replace(/[\\;,]/g, (m) => `\\${m}`).replace(/\r\n|\r|\n/g, "\\n")
    // RFC 5545 allows no other control character in TEXT but the tab.
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");

/** UTF-8 length of one code point (a TextEncoder per character costs 100× more). */
const utf8Octets = (codePoint: number) =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

/**
 * RFC 5545 §3.1: a content line longer than 75 octets goes on in lines that start with
 * one space, split between characters (never inside one).
 */
export function fold(line: string): string {
  // At most 3 octets per UTF-16 unit: a line this short always fits.
  if (line.length <= 25) return line;
  const parts: string[] = [];
  let start = 0;
  let octets = 0;
  let i = 0;
  while (i < line.length) {
    const codePoint = line.codePointAt(i)!;
    const units = codePoint > 0xffff ? 2 : 1;
    const size = utf8Octets(codePoint);
    // The first line holds 75 octets; each continuation, 74 after its space.
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(line.slice(start, i));
      start = i;
      octets = 0;
    }
    octets += size;
    i += units;
  }
  parts.push(line.slice(start));
  return parts.join("\r\n ");
}

/** The unfolded content lines of one `VEVENT`. */
export function eventLines(e: IcsEvent): string[] {
  return [
    "BEGIN:VEVENT",
    `UID:${e.uid}`,
    `DTSTAMP:${utcStamp(e.stamp)}`,
    `DTSTART:${utcStamp(e.start)}`,
    `DTEND:${utcStamp(e.end)}`,
    ...(e.sequence !== undefined ? [`SEQUENCE:${e.sequence}`] : []),
    `SUMMARY:${escapeText(e.summary)}`,
    ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
    // A URI value is not TEXT: only line breaks could break it, and URLs carry none.
    ...(e.url ? [`URL:${e.url.replace(/[\r\n]/g, "")}`] : []),
    `STATUS:${e.status}`,
    "END:VEVENT",
  ];
}

/** One `VCALENDAR` with CRLF line ends, every line folded at 75 octets. */
export function calendarFile(
  events: readonly IcsEvent[],
  options: Readonly<{
    method?: "PUBLISH";
    name?: string;
    /** How often a subscribed calendar app should fetch the file again. */
    refresh?: Temporal.Duration;
  }> = {},
): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Spotter//Bookings//EN",
    "CALSCALE:GREGORIAN",
    ...(options.method ? [`METHOD:${options.method}`] : []),
    ...(options.name ? [`X-WR-CALNAME:${escapeText(options.name)}`] : []),
    // RFC 7986's property, and the older one Outlook and Apple Calendar read.
    ...(options.refresh
      ? [
        `REFRESH-INTERVAL;VALUE=DURATION:${options.refresh}`,
        `X-PUBLISHED-TTL:${options.refresh}`,
      ]
      : []),
    ...events.flatMap(eventLines),
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}
