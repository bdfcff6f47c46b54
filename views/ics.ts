import type { Appointment } from "../domain/types.ts";

const stamp = (i: Temporal.Instant) =>
  i.toString({ smallestUnit: "second" }).replace(/[-:]/g, "");

/**
 * RFC 5545 §3.3.11 TEXT: backslash, semicolon and comma escaped; every line break (CRLF, a
 * bare CR or a bare LF) becomes `\n`, so none can end the content line early; other control
 * characters, which TEXT does not allow, are dropped.
 */
export const icsText = (s: string) =>
  s.replace(/[\\;,]/g, (m) => `\\${m}`)
    .replace(/\r\n|\r|\n/g, "\\n")
    // deno-lint-ignore no-control-regex
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");

const utf8 = new TextEncoder();

/**
 * RFC 5545 §3.1: a content line longer than 75 octets goes on in lines that start with
 * one space, split between characters (never inside one).
 */
export function fold(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = utf8.encode(char).length;
    // The first line holds 75 octets; each continuation, 74 after its space.
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** An iCalendar file for one session (times in UTC, so every calendar app agrees). */
export function appointmentIcs(
  a: Appointment,
  appUrl: string,
  now: Temporal.Instant,
): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Spotter//Bookings//EN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${a.id}@spotter`,
    `DTSTAMP:${stamp(now)}`,
    `DTSTART:${stamp(a.start)}`,
    `DTEND:${stamp(a.end)}`,
    `SUMMARY:${icsText(`Training with ${a.trainerName}`)}`,
    `DESCRIPTION:${
      icsText(a.notes || `Session with ${a.trainerName}, booked on Spotter.`)
    }`,
    `URL:${appUrl}/appointments/${a.id}`,
    `STATUS:${
      a.status === "cancelled"
        ? "CANCELLED"
        : a.status === "pending"
        ? "TENTATIVE"
        : "CONFIRMED"
    }`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}
