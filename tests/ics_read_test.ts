import assert from "node:assert/strict";
import { ianaZoneOf, readBusyTime, type ReadInput } from "../lib/ics_read.ts";

const NOW = Temporal.Instant.from("2026-12-01T08:00:00Z");
const WINDOW = {
  start: NOW.subtract({ hours: 24 }),
  end: NOW.add({ hours: 366 * 24 }),
};
const fixture = (name: string) =>
  Deno.readTextFileSync(
    new URL(`./fixtures/calendars/${name}`, import.meta.url),
  );

function read(text: string, more: Partial<ReadInput> = {}) {
  const result = readBusyTime({
    text,
    window: WINDOW,
    timezone: "Europe/Berlin",
    ownHost: "spotter.test",
    ...more,
  });
  assert.ok(result.ok, JSON.stringify(result));
  return result.busy.map((
    b,
  ) => [b.start.toString(), b.end.toString(), b.summary]);
}

const ics = (...lines: string[]) =>
  [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//test//EN",
    ...lines,
    "END:VCALENDAR",
    "",
  ]
    .join("\r\n");

Deno.test("a Google feed: UTC and TZID times, a weekly rule across the DST change with an EXDATE and a moved instance, all-day days, free, cancelled and Spotter's own events skipped", () => {
  assert.deepEqual(read(fixture("google.ics")), [
    ["2026-12-01T09:30:00Z", "2026-12-01T10:30:00Z", "Dentist"],
    ["2026-12-02T14:00:00Z", "2026-12-02T15:00:00Z", "Call with New York"],
    [
      "2026-12-23T23:00:00Z",
      "2026-12-26T23:00:00Z",
      "Christmas at my parents'",
    ],
    // Mondays 10:00 Berlin: 09:00Z before the change on 28 March, 08:00Z after;
    // 22 March is an EXDATE; 5 April moved to 14:00.
    ["2027-03-15T09:00:00Z", "2027-03-15T10:00:00Z", "Swimming with Mia"],
    ["2027-03-29T08:00:00Z", "2027-03-29T09:00:00Z", "Swimming with Mia"],
    [
      "2027-04-05T12:00:00Z",
      "2027-04-05T13:00:00Z",
      "Swimming with Mia (moved)",
    ],
    ["2027-04-12T08:00:00Z", "2027-04-12T09:00:00Z", "Swimming with Mia"],
  ]);
});

Deno.test("an Apple feed with its VTIMEZONE: an endless weekly rule over the window with a cancelled instance, RDATEs after the first DTSTART, a DURATION", () => {
  const busy = read(fixture("apple.ics"));
  const choir = busy.filter(([, , s]) => s === "Choir");
  // Mondays 30 Nov 2026 to 29 Nov 2027: 53, less the cancelled 7 December.
  assert.equal(choir.length, 52);
  assert.deepEqual(choir[0], [
    "2026-11-30T17:00:00Z",
    "2026-11-30T18:00:00Z",
    "Choir",
  ]);
  assert.equal(choir[1][0], "2026-12-14T17:00:00Z");
  assert.ok(
    choir.some(([start]) => start === "2027-03-29T16:00:00Z"),
    "18:00 CEST",
  );
  assert.ok(!choir.some(([start]) => start === "2027-03-29T17:00:00Z"));
  assert.deepEqual(busy.filter(([, , s]) => s !== "Choir"), [
    ["2026-12-10T07:30:00Z", "2026-12-10T08:30:00Z", "School run"],
    ["2026-12-11T11:00:00Z", "2026-12-11T11:45:00Z", "Physio"],
    ["2026-12-17T07:30:00Z", "2026-12-17T08:30:00Z", "School run"],
    ["2026-12-31T07:30:00Z", "2026-12-31T08:30:00Z", "School run"],
  ]);
});

Deno.test("an Outlook feed: Windows zone names, from its VTIMEZONE or mapped to IANA, an unknown TZID in the trainer's zone", () => {
  assert.deepEqual(read(fixture("outlook.ics")), [
    ["2026-12-08T08:00:00Z", "2026-12-08T09:00:00Z", "Supplier call"],
    ["2026-12-09T09:00:00Z", "2026-12-09T10:00:00Z", "Offsite"],
    ["2027-03-11T08:00:00Z", "2027-03-11T09:00:00Z", "Team meeting"],
    ["2027-03-25T08:00:00Z", "2027-03-25T09:00:00Z", "Team meeting"],
    ["2027-04-01T07:00:00Z", "2027-04-01T08:00:00Z", "Team meeting"],
  ]);
  assert.equal(ianaZoneOf("W. Europe Standard Time"), "Europe/Berlin");
  assert.equal(ianaZoneOf("Tokyo Standard Time"), "Asia/Tokyo");
  assert.equal(
    ianaZoneOf("/mozilla.org/20050126_1/Europe/Paris"),
    "Europe/Paris",
  );
  assert.equal(ianaZoneOf("Customized Time Zone"), undefined);
});

Deno.test("an all-day event blocks its local days in a trainer's zone far from UTC", () => {
  const xmas = read(fixture("google.ics"), { timezone: "Pacific/Auckland" })
    .filter(([, , s]) => s.startsWith("Christmas"));
  assert.deepEqual(xmas, [[
    "2026-12-23T11:00:00Z",
    "2026-12-26T11:00:00Z",
    "Christmas at my parents'",
  ]]);
  const one = read(
    ics(
      "BEGIN:VEVENT",
      "UID:a",
      "DTSTART;VALUE=DATE:20261210",
      "SUMMARY:Trip",
      "END:VEVENT",
    ),
    { timezone: "Pacific/Kiritimati" },
  );
  assert.deepEqual(one, [[
    "2026-12-09T10:00:00Z",
    "2026-12-10T10:00:00Z",
    "Trip",
  ]]);
});

Deno.test("floating times are read in the trainer's zone; an event with no length occupies nothing", () => {
  assert.deepEqual(
    read(
      ics(
        "BEGIN:VEVENT",
        "UID:f",
        "DTSTART:20261202T100000",
        "DTEND:20261202T113000",
        "SUMMARY:Floating",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:z",
        "DTSTART:20261203T100000Z",
        "SUMMARY:Point in time",
        "END:VEVENT",
      ),
      { timezone: "America/Los_Angeles" },
    ),
    [["2026-12-02T18:00:00Z", "2026-12-02T19:30:00Z", "Floating"]],
  );
});

Deno.test("the window: an event ending after its start counts, one starting at its end does not", () => {
  const busy = read(ics(
    "BEGIN:VEVENT",
    "UID:daily",
    "DTSTART:20000101T070000Z",
    "DTEND:20000101T090000Z",
    "RRULE:FREQ=DAILY",
    "SUMMARY:Daily since 2000",
    "END:VEVENT",
  ));
  // 30 Nov 07:00–09:00Z ends after the window's start (08:00Z); 2 Dec 2027 07:00Z is inside,
  // the next one starts after the window.
  assert.equal(busy[0][0], "2026-11-30T07:00:00Z");
  assert.equal(busy.at(-1)![0], "2027-12-02T07:00:00Z");
  assert.equal(busy.length, 368);
});

Deno.test("what is not an iCalendar file, and one with too many events, are refused", () => {
  for (
    const text of [
      "",
      "<html><body>Sign in</body></html>",
      "BEGIN:VCARD\r\nEND:VCARD\r\n",
    ]
  ) {
    assert.deepEqual(
      readBusyTime({ text, window: WINDOW, timezone: "Europe/Berlin" }),
      { ok: false, reason: "not_icalendar" },
      text,
    );
  }
  const daily = ics(
    "BEGIN:VEVENT",
    "UID:d",
    "DTSTART:20261201T070000Z",
    "DTEND:20261201T080000Z",
    "RRULE:FREQ=DAILY",
    "END:VEVENT",
  );
  assert.deepEqual(
    readBusyTime({
      text: daily,
      window: WINDOW,
      timezone: "UTC",
      maxIntervals: 100,
    }),
    { ok: false, reason: "too_many_events" },
  );
});

Deno.test("rules that would walk hundreds of thousands of occurrences before the window are refused, not walked for minutes", () => {
  const events = Array.from({ length: 5 }, (_, i) => [
    "BEGIN:VEVENT",
    `UID:hourly-${i}`,
    "DTSTART:20150101T000000Z",
    "DTEND:20150101T000500Z",
    "RRULE:FREQ=HOURLY",
    "END:VEVENT",
  ]).flat();
  const started = performance.now();
  assert.deepEqual(
    readBusyTime({ text: ics(...events), window: WINDOW, timezone: "UTC" }),
    { ok: false, reason: "too_many_events" },
  );
  // Not a timing assertion: just that the walk stopped (a full walk takes minutes).
  console.log(`refused after ${Math.round(performance.now() - started)} ms`);
});
