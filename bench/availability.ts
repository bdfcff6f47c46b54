/**
 * Availability benchmark: one trainer, 62 days across a DST change, 2,000
 * appointments. Target: median ≤ 1 ms per `computeSlots`.
 *
 *   deno run -A bench/availability.ts
 *
 * Also times a naive O(slots × busy) status pass over the same slots, measured
 * in the same run, so the figure means something on whatever machine runs it.
 */

import { computeSlots } from "../domain/availability.ts";
import type {
  BusinessSettings,
  BusyInterval,
  Slot,
  SlotStatus,
  Viewer,
} from "../domain/types.ts";

const TARGET_MS = 1;
const WARMUP = 50;
const RUNS = 300;
const APPOINTMENTS = 2_000;

const split = [{ start: "08:00", end: "12:00" }, {
  start: "13:00",
  end: "20:00",
}];
const settings: BusinessSettings = {
  timezone: "Europe/Berlin",
  slotMinutes: 30,
  workingHours: {
    mon: split,
    tue: split,
    wed: split,
    thu: split,
    fri: split,
    sat: [{ start: "09:00", end: "14:00" }],
    sun: [],
  },
  holidays: ["2026-04-03", "2026-04-06"],
};
// 62 days across the spring-forward night of 2026-03-29.
const from = Temporal.PlainDate.from("2026-03-01");
const to = from.add({ days: 61 });
const now = Temporal.Instant.from("2026-03-10T12:00:00Z");
const viewer: Viewer = { role: "client", clientId: "client-7" };

/** A small deterministic PRNG (mulberry32), so every run books the same week. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeBusy(): BusyInterval[] {
  const next = random(42);
  let cursor = from.toZonedDateTime("Europe/Berlin").epochMilliseconds;
  const busy: BusyInterval[] = [];
  for (let i = 0; i < APPOINTMENTS; i++) {
    // Quarter-hour gaps and 15–45 minute sessions spread 2,000 appointments
    // over the 62 days: some on the grid, many straddling two slots.
    cursor += Math.floor(next() * 3) * 900_000;
    const minutes = 15 * (1 + Math.floor(next() * 3));
    busy.push({
      start: Temporal.Instant.fromEpochMilliseconds(cursor),
      end: Temporal.Instant.fromEpochMilliseconds(cursor + minutes * 60_000),
      appointmentId: `appt-${i}`,
      clientId: `client-${Math.floor(next() * 40)}`,
    });
    cursor += minutes * 60_000;
  }
  // Shuffled, so the engine cannot lean on the caller's order.
  for (let i = busy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [busy[i], busy[j]] = [busy[j], busy[i]];
  }
  return busy;
}

/** The obvious approach: for every slot, scan every busy interval. */
function naiveStatuses(
  slots: readonly Slot[],
  busy: readonly BusyInterval[],
): SlotStatus[] {
  const nowMs = now.epochMilliseconds;
  const me = viewer.role === "client" ? viewer.clientId : undefined;
  return slots.map((slot) => {
    const s = slot.start.epochMilliseconds;
    const e = slot.end.epochMilliseconds;
    if (s < nowMs) return "past";
    let booked = false;
    for (const b of busy) {
      if (b.start.epochMilliseconds < e && b.end.epochMilliseconds > s) {
        if (b.clientId === me) return "mine";
        booked = true;
      }
    }
    return booked ? "booked" : "available";
  });
}

function time(run: () => unknown, times: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    run();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

const busy = makeBusy();
const input = { settings, busy, from, to, now, viewer };
const slots = computeSlots(input);
const statuses = naiveStatuses(slots, busy);
if (statuses.some((status, i) => status !== slots[i].status)) {
  throw new Error("naive and engine statuses differ");
}

time(() => computeSlots(input), WARMUP);
const engine = time(() => computeSlots(input), RUNS);
// The naive pass reuses the engine's slot layout, so it measures only the
// status scan: the ratio flatters the naive side if anything.
time(() => naiveStatuses(slots, busy), 5);
const naive = time(() => naiveStatuses(slots, busy), 30);

const median = quantile(engine, 0.5);
const count = (status: SlotStatus) =>
  slots.filter((s) => s.status === status).length;
console.log(
  `computeSlots: ${from}..${to} ${settings.timezone}, ${busy.length} appointments, ${RUNS} runs`,
);
console.log(
  `  slots per computation: ${slots.length} (available ${
    count("available")
  }, booked ${count("booked")}, mine ${count("mine")}, past ${count("past")})`,
);
console.log(
  `  median ${median.toFixed(3)} ms, p95 ${
    quantile(engine, 0.95).toFixed(3)
  } ms`,
);
console.log(
  `  naive O(slots × busy) status pass: median ${
    quantile(naive, 0.5).toFixed(3)
  } ms (${(quantile(naive, 0.5) / median).toFixed(1)}× the engine)`,
);
console.log(
  median <= TARGET_MS
    ? `  target ≤ ${TARGET_MS} ms median: met`
    : `  target ≤ ${TARGET_MS} ms median: NOT met`,
);
