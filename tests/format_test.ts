import assert from "node:assert/strict";
import {
  longDate,
  longDay,
  minutesBetween,
  time,
  weekLabel,
  zoneLabel,
} from "../views/format.ts";

const at = (iso: string) => Temporal.Instant.from(iso);

Deno.test("dates and times read on the zone's wall clock", () => {
  // 23:30 UTC is already the next day in Berlin.
  const late = at("2026-12-01T23:30:00Z");
  assert.equal(longDate(late, "Europe/Berlin"), "Wednesday, 2 December 2026");
  assert.equal(longDate(late, "UTC"), "Tuesday, 1 December 2026");
  assert.equal(time(late, "Europe/Berlin"), "00:30");
  assert.equal(time(at("2026-12-01T09:05:00Z"), "UTC"), "09:05");
  assert.equal(
    longDay(Temporal.PlainDate.from("2026-03-29")),
    "Sunday, 29 March 2026",
  );
  assert.equal(
    weekLabel(Temporal.PlainDate.from("2026-11-30")),
    "30 November 2026 – 6 December 2026",
  );
});

Deno.test("a zone is named with its offset at that instant", () => {
  const winter = at("2026-01-15T12:00:00Z");
  const summer = at("2026-07-15T12:00:00Z");
  assert.equal(zoneLabel("Europe/Berlin", winter), "Europe/Berlin (UTC+01:00)");
  assert.equal(zoneLabel("Europe/Berlin", summer), "Europe/Berlin (UTC+02:00)");
  assert.equal(zoneLabel("Europe/London", winter), "Europe/London (UTC)");
  assert.equal(
    zoneLabel("America/New_York", summer),
    "America/New York (UTC-04:00)",
  );
  assert.equal(zoneLabel("UTC", winter), "UTC");
});

Deno.test("a session's length in minutes spans a DST change", () => {
  // 01:30–03:30 Berlin wall time on the spring-forward night is one hour.
  assert.equal(
    minutesBetween(at("2026-03-29T00:30:00Z"), at("2026-03-29T01:30:00Z")),
    60,
  );
});
