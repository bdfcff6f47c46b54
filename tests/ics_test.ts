import assert from "node:assert/strict";
import { appointmentIcs, escapeText, fold } from "../views/ics.ts";
import type { Appointment } from "../db/appointments.ts";

const octets = (s: string) => new TextEncoder().encode(s).length;
const unfold = (s: string) => s.replaceAll("\r\n ", "");

Deno.test("long lines fold at 75 octets, between characters, and unfold to the original", () => {
  assert.equal(fold("SUMMARY:short"), "SUMMARY:short");
  const line = `DESCRIPTION:${"Knie schonen – Übungen 💪 ".repeat(20)}`;
  const folded = fold(line);
  const lines = folded.split("\r\n");
  assert.ok(lines.length > 1);
  for (const [i, l] of lines.entries()) {
    assert.ok(octets(l) <= 75, `line ${i} has ${octets(l)} octets`);
    if (i > 0) assert.ok(l.startsWith(" "), `line ${i} goes on with a space`);
  }
  assert.equal(unfold(folded), line);
  // No character is cut: each piece is valid text on its own.
  for (const l of lines) assert.ok(!l.includes("\uFFFD"));
});

Deno.test("a session's calendar file keeps every line within 75 octets", () => {
  const a = {
    id: "6f1c2e9a-0000-4000-8000-000000000001",
    trainerId: "t",
    clientId: "c",
    clientName: "Cleo",
    trainerName: "Tess Trainer",
    timezone: "Europe/Berlin",
    start: Temporal.Instant.from("2026-12-02T09:00:00Z"),
    end: Temporal.Instant.from("2026-12-02T10:00:00Z"),
    status: "scheduled",
    notes: "Bring a towel; knee rehab, no deep squats.\n".repeat(30),
    cancellationReason: null,
    cancelledBy: null,
    cancelledAt: null,
    createdAt: Temporal.Instant.from("2026-12-01T08:00:00Z"),
    version: 1,
    seriesId: null,
  } satisfies Appointment;
  const ics = appointmentIcs(
    a,
    "https://spotter.example",
    Temporal.Instant.from("2026-12-01T08:00:00Z"),
  );
  assert.ok(ics.endsWith("\r\n"));
  for (const line of ics.split("\r\n")) assert.ok(octets(line) <= 75, line);
  const description = unfold(ics).split("\r\n").find((l) =>
    l.startsWith("DESCRIPTION:")
  )!;
  assert.equal(
    description,
    `DESCRIPTION:${
      a.notes.replace(/[\\;,]/g, (m) => `\\${m}`).replaceAll("\n", "\\n")
    }`,
  );
});

Deno.test("a bare carriage return in a name or notes never breaks a calendar line", () => {
  assert.equal(escapeText("a\rb\nc\r\nd"), "a\\nb\\nc\\nd");
  assert.equal(
    escapeText("tab\tkept, bell\u0007 dropped"),
    "tab\tkept\\, bell dropped",
  );
  const a = {
    id: "6f1c2e9a-0000-4000-8000-000000000002",
    trainerId: "t",
    clientId: "c",
    clientName: "Cleo",
    trainerName: "Tess\rBEGIN:VALARM",
    timezone: "Europe/Berlin",
    start: Temporal.Instant.from("2026-12-02T09:00:00Z"),
    end: Temporal.Instant.from("2026-12-02T10:00:00Z"),
    status: "scheduled",
    notes: "Knee\rATTENDEE:mailto:x@evil.example\r\nend",
    cancellationReason: null,
    cancelledBy: null,
    cancelledAt: null,
    createdAt: Temporal.Instant.from("2026-12-01T08:00:00Z"),
    version: 1,
    seriesId: null,
  } satisfies Appointment;
  const ics = appointmentIcs(
    a,
    "https://spotter.example",
    Temporal.Instant.from("2026-12-01T08:00:00Z"),
  );
  // Every CR is part of a CRLF line end, and no injected property starts a line.
  assert.ok(!/\r(?!\n)/.test(ics), JSON.stringify(ics));
  const lines = unfold(ics).split("\r\n");
  assert.ok(!lines.some((l) => /^(BEGIN:VALARM|ATTENDEE)/.test(l)));
  assert.ok(
    lines.includes(
      "DESCRIPTION:Knee\\nATTENDEE:mailto:x@evil.example\\nend",
    ),
  );
  assert.ok(lines.includes("SUMMARY:Training with Tess\\nBEGIN:VALARM"));
});
