import assert from "node:assert/strict";
import {
  checkHolidays,
  checkReminderMinutes,
  checkSlotMinutes,
  checkTimezone,
  checkWorkingHours,
  DEFAULT_WORKING_HOURS,
} from "../../domain/settings.ts";
import type { TimeRange, WorkingHours } from "../../domain/types.ts";

const NONE: WorkingHours = {
  mon: [],
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [],
  sun: [],
};

function tuesday(...ranges: [string, string][]): WorkingHours {
  const tue: TimeRange[] = ranges.map(([start, end]) => ({ start, end }));
  return { ...NONE, tue };
}

Deno.test("working hours accept valid days, touching ranges and a range ending at 24:00", () => {
  const cases: WorkingHours[] = [
    NONE,
    DEFAULT_WORKING_HOURS,
    tuesday(["09:00", "12:00"], ["12:00", "18:00"]),
    tuesday(["13:00", "18:00"], ["09:00", "12:00"]),
    tuesday(["00:00", "24:00"]),
    tuesday(["22:00", "24:00"], ["00:00", "01:00"]),
    tuesday(["23:59", "24:00"]),
  ];
  for (const hours of cases) {
    assert.deepEqual(checkWorkingHours(hours), {}, JSON.stringify(hours.tue));
  }
});

Deno.test("working hours name each broken field with a human message", () => {
  const cases: [WorkingHours, Record<string, string>][] = [
    [tuesday(["9:00", "12:00"]), {
      "workingHours.tue.0.start": "must be HH:MM",
    }],
    [tuesday(["09:00", "12:60"]), {
      "workingHours.tue.0.end": "must be HH:MM",
    }],
    [tuesday(["24:00", "24:00"]), {
      "workingHours.tue.0.start": "must be HH:MM",
    }],
    [tuesday(["09:00", "24:30"]), {
      "workingHours.tue.0.end": "must be HH:MM",
    }],
    [tuesday(["09:00", "25:00"]), {
      "workingHours.tue.0.end": "must be HH:MM",
    }],
    [tuesday(["09:00", " 12:00"]), {
      "workingHours.tue.0.end": "must be HH:MM",
    }],
    [tuesday(["aa:bb", "cc"]), {
      "workingHours.tue.0.start": "must be HH:MM",
      "workingHours.tue.0.end": "must be HH:MM",
    }],
    [tuesday(["09:00", "12:00"], ["13:00", "13:00"]), {
      "workingHours.tue.1.end": "must be after the start",
    }],
    [tuesday(["12:00", "09:00"]), {
      "workingHours.tue.0.end": "must be after the start",
    }],
    [tuesday(["09:00", "12:00"], ["11:00", "14:00"]), {
      "workingHours.tue.1.start": "overlaps 09:00–12:00",
    }],
    [tuesday(["09:00", "18:00"], ["10:00", "11:00"]), {
      "workingHours.tue.1.start": "overlaps 09:00–18:00",
    }],
    [tuesday(["10:00", "11:00"], ["13:00", "14:00"], ["08:00", "24:00"]), {
      "workingHours.tue.2.start": "overlaps 10:00–11:00",
    }],
  ];
  for (const [hours, expected] of cases) {
    assert.deepEqual(
      checkWorkingHours(hours),
      expected,
      JSON.stringify(hours.tue),
    );
  }
});

Deno.test("working hours on different days never overlap each other", () => {
  const hours: WorkingHours = {
    ...NONE,
    mon: [{ start: "09:00", end: "17:00" }],
    tue: [{ start: "09:00", end: "17:00" }],
  };
  assert.deepEqual(checkWorkingHours(hours), {});
});

Deno.test("the default working hours are weekdays nine to five", () => {
  assert.deepEqual(DEFAULT_WORKING_HOURS.mon, [{
    start: "09:00",
    end: "17:00",
  }]);
  assert.deepEqual(DEFAULT_WORKING_HOURS.fri, DEFAULT_WORKING_HOURS.mon);
  assert.deepEqual(DEFAULT_WORKING_HOURS.sat, []);
  assert.deepEqual(DEFAULT_WORKING_HOURS.sun, []);
});

Deno.test("slot minutes must be a whole number from 15 to 90 that divides by 5", () => {
  const cases: [number, boolean][] = [
    [15, true],
    [30, true],
    [45, true],
    [60, true],
    [90, true],
    [10, false],
    [14, false],
    [95, false],
    [42, false],
    [30.5, false],
    [NaN, false],
    [Infinity, false],
    [-30, false],
  ];
  for (const [n, ok] of cases) {
    assert.equal(checkSlotMinutes(n) === undefined, ok, String(n));
  }
});

Deno.test("reminder minutes must be a whole number from 15 to 2880", () => {
  const cases: [number, boolean][] = [
    [15, true],
    [120, true],
    [2880, true],
    [14, false],
    [2881, false],
    [60.5, false],
  ];
  for (const [n, ok] of cases) {
    assert.equal(checkReminderMinutes(n) === undefined, ok, String(n));
  }
});

Deno.test("holidays must be real calendar dates written YYYY-MM-DD", () => {
  const cases: [string[], boolean][] = [
    [[], true],
    [["2026-12-25", "2026-12-26"], true],
    [["2028-02-29"], true],
    [["2026-02-29"], false],
    [["2026-02-30"], false],
    [["2026-13-01"], false],
    [["2026-12-25T00:00"], false],
    [["2026-1-5"], false],
    [["20261225"], false],
    [["+002026-12-25"], false],
    [["2026-12-25", ""], false],
    // Years the database or the zone rules do not handle alike.
    [["0000-01-01"], false],
    [["1899-12-31"], false],
    [["1900-01-01"], true],
    [["9998-12-31"], true],
    [["9999-12-31"], false],
  ];
  for (const [list, ok] of cases) {
    assert.equal(checkHolidays(list) === undefined, ok, JSON.stringify(list));
  }
  assert.equal(
    checkHolidays(["2026-12-25", "2026-02-30"]),
    '"2026-02-30" is not a date YYYY-MM-DD',
  );
});

Deno.test("the time zone must be an IANA name, not an offset or garbage", () => {
  const cases: [string, boolean][] = [
    ["Europe/Berlin", true],
    ["America/New_York", true],
    ["Asia/Kolkata", true],
    ["Asia/Calcutta", true],
    ["Asia/Kathmandu", true],
    ["Australia/Lord_Howe", true],
    ["UTC", true],
    ["+01:00", false],
    ["-05:00", false],
    ["Z", false],
    ["europe/berlin", false],
    ["Europe/Atlantis", false],
    ["", false],
    ["Europe/Berlin ", false],
  ];
  for (const [name, ok] of cases) {
    assert.equal(checkTimezone(name) === undefined, ok, name);
  }
});
