/**
 * Booking benchmark: one real app process on a fresh embedded cluster.
 *
 *   deno run -A bench/booking.ts
 *
 * (a) bookings per second on distinct slots through the HTTP API, 16 workers:
 *     - one busy trainer (UTC, 00:00–24:00, 15-minute slots, 40 clients): every booking
 *       needs that trainer's advisory lock, so one booking transaction holds it at a
 *       time (the app's booker puts the requests that wait into one transaction);
 *     - 16 trainers with one client each (the usual load: different trainers' bookings
 *       do not wait on each other); the target ratio is read from these runs (see (c));
 *     - one worker, for the time a single booking takes.
 * (b) latency of a 40-way race for one slot (exactly one winner per round);
 * (c) baseline: one-row INSERTs per second into a plain table on the same
 *     database, 16 pooled connections, measured between the (a) runs of the same run;
 *     the 16-trainer load runs 3 rounds, each set against the baselines just before
 *     and after it, and the target is read from the median round.
 * (d) for context: GET /healthz (one query) through the same HTTP stack.
 * (e) for context: the rows a booking must write (the session and its 3 outbox rows,
 *     built by the app's own code), one booking per transaction under its trainer's
 *     lock, straight from a 16-connection pool: no HTTP, no rules, no batching. What
 *     the target asks of the whole HTTP path, set against what its writes alone cost.
 * (f) for context: CPU time per operation by part (load client, app, PostgreSQL), read
 *     from /proc, for the baseline inserts and the 16-trainer bookings; and the same
 *     load with 128 workers (larger batches, the cheapest booking measured), with the
 *     bookings/s the machine's cores could reach at that cost.
 * Target: bookings/s ≥ 0.3 × baseline inserts/s. Machines are noisy: only ratios
 * measured within one run mean something; nothing here asserts on time.
 * Exits 1 only when a race round does not have exactly one winner or the row
 * count is off.
 */
import { connect } from "../db/client.ts";
import { cpuSpent, type CpuTimes, cpuTimes, cpuTotal } from "./cpu.ts";
import {
  bookingNotifications,
  notificationsInsert,
} from "../db/notifications.ts";
import { freshDatabaseUrl } from "../tests/helpers/db.ts";
import { api, signUpClient, signUpTrainer } from "../tests/helpers/http.ts";
import { AppProcess } from "../tests/helpers/process.ts";
import { mapLimit, remote, seeder } from "../tests/helpers/remote.ts";

const TARGET_RATIO = 0.3;
const CLIENTS = 40;
const WORKERS = 16;
const MANY_WORKERS = 128;
const TRAINERS = 16;
const HEALTH_REQUESTS = 2_000;
const WARMUP_BOOKINGS = 100;
const BOOKINGS = 1_000;
const MANY_ROUNDS = 3;
const SEQUENTIAL_BOOKINGS = 200;
const RACE_ROUNDS = 20;
const RACERS = 40;
const WARMUP_INSERTS = 500;
const INSERTS = 5_000;
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
  }, max ${ms(sorted[sorted.length - 1])}`;
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

  // CPU used by the baseline inserts and by the 16-trainer bookings, summed over runs.
  const insertCpu = { spent: [] as CpuTimes[], count: 0 };
  const bookingCpu = { spent: [] as CpuTimes[], count: 0 };
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

  const insertRows = (count: number) =>
    withCpu(insertCpu, count, () => insertRowsOnly(count));
  const insertRowsOnly = async (count: number) => {
    const started = performance.now();
    await mapLimit(
      Array.from({ length: count }, (_, i) => i),
      WORKERS,
      async (n) => {
        await pool`INSERT INTO bench_inserts (n) VALUES (${n})`;
      },
    );
    return performance.now() - started;
  };

  // --- (c) baselines around every (a) run: each 16-trainer round is set against the
  // mean of the baseline runs just before and after it, which cancels slow drift on a
  // shared machine; the target is read from the median round.
  await pool`
    CREATE TABLE bench_inserts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      n integer NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`;
  await insertRowsOnly(WARMUP_INSERTS);
  const baselines = [perSecond(INSERTS, await insertRows(INSERTS))];

  const warm = await bookDistinct(WARMUP_BOOKINGS);
  if (Object.keys(warm.failures).length) {
    throw new Error(
      `warm-up bookings failed: ${JSON.stringify(warm.failures)}`,
    );
  }
  const run = await bookDistinct(BOOKINGS);
  const bookingsPerSecond = perSecond(
    BOOKINGS - sum(run.failures),
    run.elapsed,
  );
  const sequential = await bookDistinct(SEQUENTIAL_BOOKINGS, 1);
  baselines.push(perSecond(INSERTS, await insertRows(INSERTS)));
  // Each tenant client books its own trainer's slots: request i goes to trainer
  // i % TRAINERS, slot i / TRAINERS of that trainer's day.
  const manyRuns: Awaited<ReturnType<typeof bookDistinct>>[] = [];
  const manyRates: number[] = [];
  const manyRatios: number[] = [];
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
  for (let round = 0; round < MANY_ROUNDS; round++) {
    const many = await withCpu(
      bookingCpu,
      BOOKINGS,
      () => bookTenants(BOOKINGS, WORKERS),
    );
    manyRuns.push(many);
    manyRates.push(perSecond(BOOKINGS - sum(many.failures), many.elapsed));
    const before = baselines[baselines.length - 1];
    baselines.push(perSecond(INSERTS, await insertRows(INSERTS)));
    const after = baselines[baselines.length - 1];
    manyRatios.push(manyRates[round] / ((before + after) / 2));
  }
  const medianRound = [...manyRatios.keys()].sort((a, b) =>
    manyRatios[a] - manyRatios[b]
  )[Math.floor(MANY_ROUNDS / 2)];
  const many = manyRuns[medianRound];
  const manyPerSecond = manyRates[medianRound];
  const manyFailures = manyRuns.reduce((n, r) =>
    n + sum(r.failures), 0);

  // --- (f) context: the same load with 128 workers, where batches are larger and a
  // booking costs the least CPU: what the whole machine could do at that cost.
  const wideCpu = { spent: [] as CpuTimes[], count: 0 };
  const wide = await withCpu(
    wideCpu,
    2 * BOOKINGS,
    () => bookTenants(2 * BOOKINGS, MANY_WORKERS),
  );
  const widePerSecond = perSecond(
    2 * BOOKINGS - sum(wide.failures),
    wide.elapsed,
  );

  // --- (e) context: only what a booking writes, one booking per transaction.
  const writeFirst = nextSlot;
  nextSlot += Math.ceil(BOOKINGS / TRAINERS);
  const writeStarted = performance.now();
  await mapLimit(
    Array.from({ length: BOOKINGS }, (_, i) => i),
    WORKERS,
    async (i) => {
      const tenant = tenants[i % TRAINERS];
      const start = base.add({
        minutes: SLOT_MINUTES * (writeFirst + Math.floor(i / TRAINERS)),
      });
      const now = new Date();
      const appointment = {
        id: crypto.randomUUID(),
        trainer_id: tenant.trainerId,
        client_id: tenant.id,
        starts_at: new Date(start.epochMilliseconds),
        ends_at: new Date(
          start.add({ minutes: SLOT_MINUTES }).epochMilliseconds,
        ),
        status: "scheduled" as const,
        version: 1,
        cancellation_reason: null,
        timezone: "UTC",
        reminders_enabled: true,
        reminder_minutes: 120,
        trainer_name: "Trainer",
        client_name: `Tenant client ${i % TRAINERS}`,
      };
      await pool.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`trainer:${tenant.trainerId}`}, 0))`;
        await tx`
          WITH booked AS (
            INSERT INTO appointments (id, trainer_id, client_id, starts_at, ends_at, status,
              created_at, updated_at)
            VALUES (${appointment.id}, ${appointment.trainer_id}, ${appointment.client_id},
              ${appointment.starts_at}, ${appointment.ends_at}, 'scheduled', ${now}, ${now})
          )
          ${
          notificationsInsert(
            tx,
            bookingNotifications(appointment, "client", now),
          )
        }`;
      });
    },
  );
  const writesPerSecond = perSecond(
    BOOKINGS,
    performance.now() - writeStarted,
  );

  const baseline = baselines.reduce((a, b) => a + b, 0) / baselines.length;

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

  // --- (b) races: 40 clients at once for one slot, 20 rounds
  const roundTimes: number[] = [];
  const raceLatencies: number[] = [];
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
        raceLatencies.push(latency);
        if (res.status === 201) winnerLatencies.push(latency);
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
  const ratio = manyRatios[medianRound];
  const oneTrainerRatio = bookingsPerSecond /
    ((baselines[0] + baselines[1]) / 2);
  console.log(
    `(a) one trainer, distinct slots, ${WORKERS} workers, ${BOOKINGS} requests: ` +
      `${bookingsPerSecond.toFixed(0)} bookings/s in ${
        ms(run.elapsed)
      } (request latency ${spread(run.latencies)})` +
      (sum(run.failures)
        ? `; NOT BOOKED: ${JSON.stringify(run.failures)}`
        : ""),
  );
  console.log(
    `(a) one worker, ${SEQUENTIAL_BOOKINGS} requests: ${
      perSecond(
        SEQUENTIAL_BOOKINGS - sum(sequential.failures),
        sequential.elapsed,
      ).toFixed(0)
    } bookings/s (request latency ${spread(sequential.latencies)})`,
  );
  console.log(
    `(a) ${TRAINERS} trainers, distinct slots, ${WORKERS} workers, ${BOOKINGS} requests, ` +
      `median of ${MANY_ROUNDS} rounds: ${
        manyPerSecond.toFixed(0)
      } bookings/s in ${ms(many.elapsed)} (request latency ${
        spread(many.latencies)
      }); rounds: ${manyRates.map((r) => r.toFixed(0)).join(", ")} bookings/s` +
      (manyFailures
        ? `; NOT BOOKED: ${JSON.stringify(manyRuns.map((r) => r.failures))}`
        : ""),
  );
  console.log(
    `(b) ${RACERS}-way race for one slot, ${RACE_ROUNDS} rounds: ` +
      `round ${spread(roundTimes)}; winner answered after ${
        spread(winnerLatencies)
      }; all answers ${spread(raceLatencies)}; ` +
      `${
        RACE_ROUNDS - badRounds
      }/${RACE_ROUNDS} rounds with exactly one winner`,
  );
  console.log(
    `(c) baseline one-row INSERTs, ${WORKERS} connections, ${INSERTS} rows: ` +
      `${baseline.toFixed(0)} inserts/s, mean of ${baselines.length} runs (${
        baselines.map((b) => b.toFixed(0)).join(", ")
      })`,
  );
  console.log(
    `(d) context: GET /healthz (one query) through the same HTTP stack, ${WORKERS} workers: ` +
      `${
        healthPerSecond.toFixed(0)
      } requests/s; ${TRAINERS}-trainer bookings reach ${
        (manyPerSecond / healthPerSecond * 100).toFixed(0)
      }% of that`,
  );
  console.log(
    `(e) context: a booking's rows alone (session + 3 outbox rows), one transaction each, ${WORKERS} connections: ` +
      `${writesPerSecond.toFixed(0)} bookings/s = ${
        (writesPerSecond / baseline).toFixed(3)
      } of the baseline; ${TRAINERS}-trainer bookings through HTTP reach ${
        (manyPerSecond / writesPerSecond * 100).toFixed(0)
      }% of that`,
  );
  console.log(
    `ratio bookings/s ÷ inserts/s, ${TRAINERS} trainers = ${
      ratio.toFixed(3)
    } (median round; rounds: ${
      manyRatios.map((r) => r.toFixed(3)).join(", ")
    }, each against the baselines just before and after it) — target ≥ ${TARGET_RATIO}: ${
      ratio >= TARGET_RATIO ? "MET" : "NOT MET"
    }`,
  );
  console.log(
    `ratio, all bookings on one trainer = ${oneTrainerRatio.toFixed(3)} ` +
      `(serialised by that trainer's lock: one booking transaction at a time, each carrying the requests that waited)`,
  );
  const cores = navigator.hardwareConcurrency;
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
  const inserts = perOp(insertCpu);
  const bookings = perOp(bookingCpu);
  const wideBookings = perOp(wideCpu);
  if (inserts && bookings && wideBookings) {
    const ceiling = (p: typeof bookings) => cores * 1e6 / p.total;
    console.log(
      `(f) CPU per operation on this ${cores}-core machine, from /proc: a baseline insert ${
        describe(inserts)
      }, using ${
        (inserts.total * baseline / 1e6).toFixed(1)
      } cores at its rate; a 16-trainer booking (${WORKERS} workers) ${
        describe(bookings)
      }, using ${(bookings.total * manyPerSecond / 1e6).toFixed(1)} cores`,
    );
    console.log(
      `(f) ${TRAINERS} trainers, ${MANY_WORKERS} workers, ${
        2 * BOOKINGS
      } requests: ${widePerSecond.toFixed(0)} bookings/s (${
        (widePerSecond / baseline).toFixed(3)
      } of the baseline), CPU per booking ${
        describe(wideBookings)
      }; every core busy at that cost: at most ${
        ceiling(wideBookings).toFixed(0)
      } bookings/s = ${
        (ceiling(wideBookings) / baseline).toFixed(3)
      } of the baseline; the target needs at most ${
        micros(cores * 1e6 / (TARGET_RATIO * baseline))
      } per booking`,
    );
  }
  const expected = WARMUP_BOOKINGS + BOOKINGS - sum(run.failures) +
    SEQUENTIAL_BOOKINGS - sum(sequential.failures) + RACE_ROUNDS +
    MANY_ROUNDS * BOOKINGS - manyFailures + 2 * BOOKINGS - sum(wide.failures) +
    BOOKINGS;
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
