import assert from "node:assert/strict";
import { toOffsetString } from "../../domain/time.ts";
import { instantParam, time } from "../../views/format.ts";

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "Asia/Kolkata",
  "Africa/Monrovia", // -00:44:30 until 1972: an offset with seconds
  "America/St_Johns",
  "UTC",
];

/** Instants around each of the zone's transitions from 1900 to 2040, and some at random. */
function instantsOf(zone: string): number[] {
  const list: number[] = [];
  let z = Temporal.Instant.fromEpochMilliseconds(Date.UTC(1900, 0, 2))
    .toZonedDateTimeISO(zone);
  for (;;) {
    const next = z.getTimeZoneTransition("next");
    if (!next || next.year > 2040) break;
    const t = next.epochMilliseconds;
    list.push(t - 3_600_000, t - 1000, t, t + 1000, t + 1_800_000);
    z = next;
  }
  for (let i = 0; i < 500; i++) {
    list.push(Date.UTC(1900, 0, 2) + Math.floor(Math.random() * 4.4e12));
  }
  return list;
}

Deno.test("offsets looked up once per span format every instant as Temporal does, in any order", () => {
  for (const zone of ZONES) {
    const list = instantsOf(zone);
    for (const order of [list, [...list].sort((a, b) => b - a)]) {
      for (const ms of order) {
        const instant = Temporal.Instant.fromEpochMilliseconds(ms);
        assert.equal(
          toOffsetString(instant, zone),
          instant.toZonedDateTimeISO(zone).toString({
            smallestUnit: "second",
            timeZoneName: "never",
          }),
          `${instant} ${zone}`,
        );
      }
    }
  }
});

Deno.test("a slot's wall time reads as Intl would write it, on both sides of each transition", () => {
  for (const zone of ZONES) {
    const intl = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    for (const ms of instantsOf(zone)) {
      assert.equal(
        time(Temporal.Instant.fromEpochMilliseconds(ms), zone),
        intl.format(ms),
        `${new Date(ms).toISOString()} ${zone}`,
      );
    }
  }
});

Deno.test("a slot's start in a link reads as its encoded ISO instant", () => {
  for (
    const text of [
      "2026-12-08T06:00:00Z",
      "1900-01-02T23:59:59Z",
      "2026-12-08T06:00:00.5Z",
      "2026-12-08T06:00:00.000000001Z",
    ]
  ) {
    const instant = Temporal.Instant.from(text);
    assert.equal(
      instantParam(instant),
      encodeURIComponent(instant.toString()),
    );
  }
});
