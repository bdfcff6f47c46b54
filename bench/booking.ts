/**
 * Booking benchmark: one real app process on a fresh embedded cluster.
 *
 *   deno run -A bench/booking.ts
 *
 * (a) HTTP bookings on distinct slots over 16 trainers (one client each, UTC, all-day
 *     hours, 15-minute slots), 16 workers, 3 rounds; each through the JSON API.
 * (e) the same booking transactions sent straight through the driver, no HTTP: the
 *     app's own `bookAppointment` (lock → rules → decide → session and outbox rows in
 *     one transaction) from a 16-connection pool, run just before and after each (a)
 *     round. Target: (a) ≥ 0.5 × (e), read from the median round.
 * (b) a 40-way race for one slot, 20 rounds. Target: exactly one winner in every round,
 *     losers answered with p99 ≤ 100 ms.
 * (c) CPU time per booking by part (load client, app, PostgreSQL), read from /proc.
 * (d) for context: GET /healthz (one query) through the same HTTP stack.
 * Machines are noisy: only ratios measured within one run mean something; nothing here
 * asserts on time. Exits 1 only when a race round does not have exactly one winner or
 * the row count is off.
 */
import { connect } from "../db/client.ts";
import { bookAppointment } from "../db/lifecycle.ts";
import { cpuSpent, type CpuTimes, cpuTimes, cpuTotal } from "./cpu.ts";
import { freshDatabaseUrl } from "../tests/helpers/db.ts";
import { api, signUpClient, signUpTrainer } from "../tests/helpers/http.ts";
import { AppProcess } from "../tests/helpers/process.ts";
import { mapLimit, remote, seeder } from "../tests/helpers/remote.ts";

const TARGET_RATIO = 0.5;
const TARGET_LOSER_P99_MS = 100;
const CLIENTS = 40;
const WORKERS = 16;
const TRAINERS = 16;
const HEALTH_REQUESTS = 2_000;
const WARMUP_BOOKINGS = 100;
const BOOKINGS = 1_000;
const ROUNDS = 3;
const RACE_ROUNDS = 20;
const RACERS = 40;
const SLOT_MINUTES = 15;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (n: number) => `${n.toFixed(1)} ms`;
const perSecond = (count: number, elapsedMs: number) =>
  count / (elapsedMs / 1000);
function spread(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return `median ${ms(quantile(sorted, 0.5))}, p95 ${
    ms(quantile(sorted, 0.95))
  }, p99 ${ms(quantile(sorted, 0.99))}, max ${ms(sorted[sorted.length - 1])}`;
}

let exitCode = 0;
const url = await freshDatabaseUrl();
const proc = new AppProcess({ DATABASE_URL: url });
const seed = seeder(url);
const pool = connect(url, { max: WORKERS });

try {
  console.log(`app process ready in ${ms(await proc.ready())}`);

  // --- set-up (in process, cheap password hashing; tokens work on the real server)
  const trainer = await signUpTrainer(seed, { timezone: "UTC" });
  const allDay = [{ start: "00:00", end: "24:00" }];
  const settings = await api(seed, "PUT", "/api/settings", {
    token: trainer.token,
    body: {
      timezone: "UTC",
      slotMinutes: SLOT_MINUTES,
      workingHours: {
        mon: allDay,
        tue: allDay,
        wed: allDay,
        thu: allDay,
        fri: allDay,
        sat: allDay,
        sun: allDay,
      },
    },
  });
  if (settings.status !== 200) {
    throw new Error(`settings: ${JSON.stringify(settings.body)}`);
  }
  const clients: Awaited<ReturnType<typeof signUpClient>>[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    clients.push(await signUpClient(seed, trainer.referralCode, `Client ${i}`));
  }
  // Many trainers, one client each: the usual load, where bookings of different
  // trainers do not wait on each other's lock.
  const tenants: Awaited<ReturnType<typeof signUpClient>>[] = [];
  for (let i = 0; i < TRAINERS; i++) {
    const other = await signUpTrainer(seed, { timezone: "UTC" });
    const put = await api(seed, "PUT", "/api/settings", {
      token: other.token,
      body: settings.body,
    });
    if (put.status !== 200) {
      throw new Error(`settings: ${JSON.stringify(put.body)}`);
    }
    tenants.push(
      await signUpClient(seed, other.referralCode, `Tenant client ${i}`),
    );
  }
  // Slots from 00:00 UTC a week and a day ahead (the server runs on the real clock).
  const base = Temporal.Now.plainDateISO("UTC").add({ days: 8 })
    .toZonedDateTime("UTC").toInstant();
  const slot = (i: number) =>
    base.add({ minutes: SLOT_MINUTES * i }).toString();
  let nextSlot = 0;

  const bookDistinct = async (
    count: number,
    workers = WORKERS,
    tokenFor = (i: number) => clients[i % CLIENTS].token,
    slotFor = (s: number) => s,
  ) => {
    const first = nextSlot;
    nextSlot += count;
    const latencies: number[] = [];
    const failures: Record<string, number> = {};
    const started = performance.now();
    await mapLimit(
      Array.from({ length: count }, (_, i) => first + i),
      workers,
      async (s, i) => {
        const t0 = performance.now();
        const res = await remote(proc.url, "POST", "/api/appointments", {
          token: tokenFor(i),
          body: { start: slot(slotFor(s)) },
        });
        latencies.push(performance.now() - t0);
        if (res.status !== 201) {
          const code = `${res.status} ${res.body?.error?.code ?? ""}`;
          failures[code] = (failures[code] ?? 0) + 1;
        }
      },
    );
    return { elapsed: performance.now() - started, latencies, failures };
  };

  // CPU used by a run, summed over runs into `into`.
  const withCpu = async <T>(
    into: { spent: CpuTimes[]; count: number },
    count: number,
    work: () => Promise<T>,
  ) => {
    const before = cpuTimes(proc.pid);
    const result = await work();
    const spent = cpuSpent(before, cpuTimes(proc.pid));
    if (spent) {
      into.spent.push(spent);
      into.count += count;
    }
    return result;
  };

  // Each tenant client books its own trainer's slots: request i goes to trainer
  // i % TRAINERS, slot i / TRAINERS of that trainer's day.
  const bookTenants = (count: number, workers: number) => {
    const first = nextSlot;
    const booked = bookDistinct(
      count,
      workers,
      (i) => tenants[i % TRAINERS].token,
      (s) => first + Math.floor((s - first) / TRAINERS),
    );
    nextSlot = first + Math.ceil(count / TRAINERS);
    return booked;
  };
  // The same bookings, as the app's own transactions straight through the driver.
  const bookDirect = async (count: number) => {
    const first = nextSlot;
    nextSlot += Math.ceil(count / TRAINERS);
    let failed = 0;
    const started = performance.now();
    await mapLimit(
      Array.from({ length: count }, (_, i) => i),
      WORKERS,
      async (i) => {
        const tenant = tenants[i % TRAINERS];
        const outcome = await bookAppointment(pool, {
          trainerId: tenant.trainerId,
          clientId: tenant.id,
          by: "client",
          start: Temporal.Instant.from(
            slot(first + Math.floor(i / TRAINERS)),
          ),
          notes: "",
          now: Temporal.Now.instant(),
        });
        if (!outcome.ok) failed++;
      },
    );
    return { elapsed: performance.now() - started, failed };
  };

  const warm = await bookTenants(WARMUP_BOOKINGS, WORKERS);
  if (Object.keys(warm.failures).length) {
    throw new Error(
      `warm-up bookings failed: ${JSON.stringify(warm.failures)}`,
    );
  }
  await bookDirect(WARMUP_BOOKINGS);

  // --- (a) against (e): each HTTP round is set against the direct runs just before and
  // after it, which cancels slow drift on a shared machine.
  const directCpu = { spent: [] as CpuTimes[], count: 0 };
  const httpCpu = { spent: [] as CpuTimes[], count: 0 };
  let directFailed = 0;
  const direct = async () => {
    const r = await withCpu(directCpu, BOOKINGS, () => bookDirect(BOOKINGS));
    directFailed += r.failed;
    return perSecond(BOOKINGS - r.failed, r.elapsed);
  };
  const directRates = [await direct()];
  const httpRuns: Awaited<ReturnType<typeof bookDistinct>>[] = [];
  const httpRates: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const run = await withCpu(
      httpCpu,
      BOOKINGS,
      () => bookTenants(BOOKINGS, WORKERS),
    );
    httpRuns.push(run);
    httpRates.push(perSecond(BOOKINGS - sum(run.failures), run.elapsed));
    directRates.push(await direct());
    const around = (directRates[round] + directRates[round + 1]) / 2;
    ratios.push(httpRates[round] / around);
  }
  const median = [...ratios.keys()].sort((a, b) => ratios[a] - ratios[b])[
    Math.floor(ROUNDS / 2)
  ];
  const httpFailures = httpRuns.reduce((n, r) => n + sum(r.failures), 0);

  // --- (d) context: the same HTTP stack answering its cheapest database-backed request.
  const healthStarted = performance.now();
  await mapLimit(
    Array.from({ length: HEALTH_REQUESTS }, (_, i) => i),
    WORKERS,
    async () => {
      const res = await fetch(`${proc.url}/healthz`);
      await res.body?.cancel();
    },
  );
  const healthPerSecond = perSecond(
    HEALTH_REQUESTS,
    performance.now() - healthStarted,
  );

  // --- (b) races: 40 clients at once for one slot of one trainer, 20 rounds
  const roundTimes: number[] = [];
  const loserLatencies: number[] = [];
  const winnerLatencies: number[] = [];
  let badRounds = 0;
  for (let round = 0; round < RACE_ROUNDS; round++) {
    const start = slot(nextSlot++);
    const t0 = performance.now();
    const answers = await Promise.all(
      clients.slice(0, RACERS).map(async (c) => {
        const res = await remote(proc.url, "POST", "/api/appointments", {
          token: c.token,
          body: { start },
        });
        const latency = performance.now() - t0;
        (res.status === 201 ? winnerLatencies : loserLatencies).push(latency);
        return res;
      }),
    );
    roundTimes.push(performance.now() - t0);
    const won = answers.filter((a) => a.status === 201).length;
    const lost = answers.filter((a) =>
      a.status === 409 && a.body?.error?.code === "slot_taken"
    ).length;
    if (won !== 1 || lost !== RACERS - 1) {
      badRounds++;
      console.log(`round ${round}: ${won} winners, ${lost} slot_taken`);
    }
  }
  const [{ rows }] = await pool<{ rows: number }[]>`
    SELECT count(*)::int AS rows FROM appointments WHERE status = 'scheduled'`;

  // --- report
  const ratio = ratios[median];
  const directMean = directRates.reduce((a, b) => a + b, 0) /
    directRates.length;
  console.log(
    `(a) HTTP bookings, ${TRAINERS} trainers, distinct slots, ${WORKERS} workers, ${BOOKINGS} requests, ` +
      `median of ${ROUNDS} rounds: ${
        httpRates[median].toFixed(0)
      } bookings/s ` +
      `(request latency ${spread(httpRuns[median].latencies)}); rounds: ${
        httpRates.map((r) => r.toFixed(0)).join(", ")
      } bookings/s` +
      (httpFailures
        ? `; NOT BOOKED: ${JSON.stringify(httpRuns.map((r) => r.failures))}`
        : ""),
  );
  console.log(
    `(e) the same booking transactions straight through the driver, ${WORKERS} connections: ` +
      `${
        directMean.toFixed(0)
      } bookings/s, mean of ${directRates.length} runs (${
        directRates.map((r) => r.toFixed(0)).join(", ")
      })` + (directFailed ? `; NOT BOOKED: ${directFailed}` : ""),
  );
  console.log(
    `ratio HTTP ÷ direct = ${ratio.toFixed(3)} (median round; rounds: ${
      ratios.map((r) => r.toFixed(3)).join(", ")
    }, each against the direct runs just before and after it) — target ≥ ${TARGET_RATIO}: ${
      ratio >= TARGET_RATIO ? "MET" : "NOT MET"
    }`,
  );
  const loserP99 = quantile([...loserLatencies].sort((a, b) => a - b), 0.99);
  console.log(
    `(b) ${RACERS}-way race for one slot, ${RACE_ROUNDS} rounds: round ${
      spread(roundTimes)
    }; winner answered after ${spread(winnerLatencies)}; losers ${
      spread(loserLatencies)
    }; ${
      RACE_ROUNDS - badRounds
    }/${RACE_ROUNDS} rounds with exactly one winner — ` +
      `target: every round one winner, losers p99 ≤ ${TARGET_LOSER_P99_MS} ms: ${
        badRounds === 0 && loserP99 <= TARGET_LOSER_P99_MS ? "MET" : "NOT MET"
      }`,
  );
  const perOp = (c: { spent: CpuTimes[]; count: number }) => {
    if (!c.count) return undefined;
    const total = (part: keyof CpuTimes) =>
      c.spent.reduce((n, t) => n + t[part], 0) * 1000 / c.count;
    const parts = {
      client: total("client"),
      app: total("app"),
      postgres: total("postgres"),
    };
    return { ...parts, total: cpuTotal(parts) };
  };
  const micros = (n: number) => `${n.toFixed(0)} µs`;
  const describe = (p: NonNullable<ReturnType<typeof perOp>>) =>
    `${micros(p.total)} (load client ${micros(p.client)}, app ${
      micros(p.app)
    }, PostgreSQL ${micros(p.postgres)})`;
  const httpPerOp = perOp(httpCpu);
  const directPerOp = perOp(directCpu);
  if (httpPerOp && directPerOp) {
    console.log(
      `(c) CPU per booking on this ${navigator.hardwareConcurrency}-core machine, from /proc: through HTTP ${
        describe(httpPerOp)
      }; straight through the driver ${
        describe(directPerOp)
      } (here the load client is the process running the transactions)`,
    );
  }
  console.log(
    `(d) context: GET /healthz (one query) through the same HTTP stack, ${WORKERS} workers: ` +
      `${healthPerSecond.toFixed(0)} requests/s; HTTP bookings reach ${
        (httpRates[median] / healthPerSecond * 100).toFixed(0)
      }% of that`,
  );
  const expected = 2 * WARMUP_BOOKINGS + ROUNDS * BOOKINGS - httpFailures +
    (ROUNDS + 1) * BOOKINGS - directFailed + RACE_ROUNDS;
  console.log(
    `scheduled rows: ${rows} (expected ${expected})${
      rows === expected ? "" : " — MISMATCH"
    }`,
  );
  if (badRounds || rows !== expected) exitCode = 1;
} finally {
  await proc.kill();
  await Promise.all([pool.end({ timeout: 5 }), seed.end()]);
}
// The embedded cluster is a child of this process and keeps it alive; the
// watchdog from tests/helpers/db.ts stops it (and removes its files) once we exit.
Deno.exit(exitCode);

function sum(counts: Record<string, number>) {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
