/**
 * Interval algebra over half-open `[start, end)` instant intervals.
 * Every function returns new values and leaves its arguments untouched.
 */

import type { Interval } from "./types.ts";

const compare = Temporal.Instant.compare;

function isEmpty(a: Interval): boolean {
  return compare(a.start, a.end) >= 0;
}

/**
 * Whether two intervals share at least one instant. Touching intervals
 * (`a.end` equal to `b.start`) and empty intervals overlap nothing.
 *
 * @example overlaps({ start: t9, end: t10 }, { start: t930, end: t1030 }) // true
 */
export function overlaps(a: Interval, b: Interval): boolean {
  return !isEmpty(a) && !isEmpty(b) && compare(a.start, b.end) < 0 &&
    compare(b.start, a.end) < 0;
}

/**
 * The union of `list` as sorted, disjoint intervals; overlapping and touching
 * intervals are coalesced and empty ones dropped.
 *
 * @example merge([{ start: t10, end: t11 }, { start: t9, end: t10 }]) // [{ start: t9, end: t11 }]
 */
export function merge(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((a) => !isEmpty(a))
    .sort((a, b) => compare(a.start, b.start));
  const out: { start: Temporal.Instant; end: Temporal.Instant }[] = [];
  for (const { start, end } of sorted) {
    const last = out.at(-1);
    if (last && compare(start, last.end) <= 0) {
      if (compare(end, last.end) > 0) last.end = end;
    } else {
      out.push({ start, end });
    }
  }
  return out;
}

/**
 * The parts of `from` not covered by any interval of `list`, sorted.
 *
 * @example subtract({ start: t9, end: t12 }, [{ start: t10, end: t11 }]) // [9–10, 11–12]
 */
export function subtract(
  from: Interval,
  list: readonly Interval[],
): Interval[] {
  if (isEmpty(from)) return [];
  const out: Interval[] = [];
  let cursor = from.start;
  for (const cut of merge(list)) {
    if (compare(cut.end, cursor) <= 0) continue;
    if (compare(cut.start, from.end) >= 0) break;
    if (compare(cut.start, cursor) > 0) {
      out.push({ start: cursor, end: cut.start });
    }
    cursor = cut.end;
    if (compare(cursor, from.end) >= 0) return out;
  }
  out.push({ start: cursor, end: from.end });
  return out;
}

/**
 * The common part of two intervals, or `undefined` when they do not overlap.
 *
 * @example intersect({ start: t9, end: t11 }, { start: t10, end: t12 }) // { start: t10, end: t11 }
 */
export function intersect(a: Interval, b: Interval): Interval | undefined {
  if (!overlaps(a, b)) return undefined;
  return {
    start: compare(a.start, b.start) >= 0 ? a.start : b.start,
    end: compare(a.end, b.end) <= 0 ? a.end : b.end,
  };
}
