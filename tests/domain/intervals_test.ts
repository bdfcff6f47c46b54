import assert from "node:assert/strict";
import {
  intersect,
  merge,
  overlaps,
  subtract,
} from "../../domain/intervals.ts";
import type { Interval } from "../../domain/types.ts";

/** `"09:00-10:30"` on 2026-12-01 UTC, to keep the tables readable. */
function iv(text: string): Interval {
  const [start, end] = text.split("-");
  return {
    start: Temporal.Instant.from(`2026-12-01T${start}:00Z`),
    end: Temporal.Instant.from(`2026-12-01T${end}:00Z`),
  };
}

function show(list: readonly Interval[]): string[] {
  return list.map((a) =>
    `${a.start.toString().slice(11, 16)}-${a.end.toString().slice(11, 16)}`
  );
}

Deno.test("overlaps is true only when two intervals share an instant", () => {
  const cases: [string, string, boolean][] = [
    ["09:00-10:00", "09:30-10:30", true],
    ["09:00-10:00", "10:00-11:00", false],
    ["10:00-11:00", "09:00-10:00", false],
    ["09:00-12:00", "10:00-11:00", true],
    ["10:00-11:00", "09:00-12:00", true],
    ["09:00-10:00", "11:00-12:00", false],
    ["09:00-10:00", "09:00-10:00", true],
    ["10:00-10:00", "09:00-11:00", false],
    ["10:00-09:00", "09:00-11:00", false],
  ];
  for (const [a, b, expected] of cases) {
    assert.equal(overlaps(iv(a), iv(b)), expected, `${a} vs ${b}`);
  }
});

Deno.test("merge sorts, coalesces overlapping and touching intervals, and drops empty ones", () => {
  const cases: [string[], string[]][] = [
    [[], []],
    [["11:00-12:00", "09:00-10:00"], ["09:00-10:00", "11:00-12:00"]],
    [["09:00-10:00", "10:00-11:00"], ["09:00-11:00"]],
    [["09:00-11:00", "10:00-10:30", "10:45-12:00"], ["09:00-12:00"]],
    [["10:00-10:00", "09:00-09:30"], ["09:00-09:30"]],
    [["09:00-12:00", "08:00-09:30", "13:00-14:00"], [
      "08:00-12:00",
      "13:00-14:00",
    ]],
  ];
  for (const [input, expected] of cases) {
    assert.deepEqual(show(merge(input.map(iv))), expected, input.join(", "));
  }
});

Deno.test("merge leaves its input array in its original order", () => {
  const input = Object.freeze(["11:00-12:00", "09:00-10:00"].map(iv));
  merge(input);
  assert.deepEqual(show(input), ["11:00-12:00", "09:00-10:00"]);
});

Deno.test("subtract returns the uncovered parts of an interval, in order", () => {
  const cases: [string, string[], string[]][] = [
    ["09:00-12:00", [], ["09:00-12:00"]],
    ["09:00-12:00", ["10:00-11:00"], ["09:00-10:00", "11:00-12:00"]],
    ["09:00-12:00", ["08:00-09:30", "11:30-13:00"], ["09:30-11:30"]],
    ["09:00-12:00", ["08:00-13:00"], []],
    ["09:00-12:00", ["09:00-12:00"], []],
    ["09:00-12:00", ["12:00-13:00", "07:00-09:00"], ["09:00-12:00"]],
    ["09:00-12:00", ["11:00-11:30", "09:30-10:00", "09:45-10:15"], [
      "09:00-09:30",
      "10:15-11:00",
      "11:30-12:00",
    ]],
    ["10:00-10:00", ["09:00-09:30"], []],
  ];
  for (const [from, cuts, expected] of cases) {
    assert.deepEqual(
      show(subtract(iv(from), cuts.map(iv))),
      expected,
      `${from} minus ${cuts.join(", ")}`,
    );
  }
});

Deno.test("intersect gives the common part or undefined", () => {
  const cases: [string, string, string | undefined][] = [
    ["09:00-11:00", "10:00-12:00", "10:00-11:00"],
    ["10:00-12:00", "09:00-11:00", "10:00-11:00"],
    ["09:00-12:00", "10:00-11:00", "10:00-11:00"],
    ["09:00-10:00", "10:00-11:00", undefined],
    ["09:00-10:00", "11:00-12:00", undefined],
  ];
  for (const [a, b, expected] of cases) {
    const result = intersect(iv(a), iv(b));
    assert.deepEqual(
      result && show([result])[0],
      expected,
      `${a} ∩ ${b}`,
    );
  }
});
