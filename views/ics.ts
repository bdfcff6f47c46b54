import type { Appointment } from "../db/appointments.ts";

const stamp = (i: Temporal.Instant) =>
  i.toString({ smallestUnit: "second" }).replace(/[-:]/g, "");

/** RFC 5545 text: backslash, semicolon, comma and newlines escaped. */
const text = (s: string) =>
  s.replace(/[\\;,]/g, (m) => `\\${m}`).replace(/\r?\n/g, "\\n");

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
    `SUMMARY:${text(`Training with ${a.trainerName}`)}`,
    `DESCRIPTION:${
      text(a.notes || `Session with ${a.trainerName}, booked on Spotter.`)
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
  return lines.join("\r\n") + "\r\n";
}
