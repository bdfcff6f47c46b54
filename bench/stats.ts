/**
 * Statistics benchmark: one real app process on a fresh embedded cluster, one trainer
 * with five years of history (about 10,000 appointments, 40 clients, Europe/Berlin).
 *
 *   deno run -A bench/stats.ts
 *
 * Measures, one request at a time after a warm-up, the statistics page (`GET /stats`,
 * 12 weeks by default; also 52 weeks), `GET /api/stats?weeks=52`, Today and a page of
 * history, beside `GET /healthz` (one query) through the same HTTP stack in the same run.
 * Target: `GET /stats` median ≤ 50 ms. Machines are noisy: compare with /healthz from the
 * same run; nothing here asserts on time. Exits 1 only when a page does not answer 200.
 */
import { freshDatabaseUrl } from "../tests/helpers/db.ts";
import { api, signUpClient, signUpTrainer } from "../tests/helpers/http.ts";
import { AppProcess } from "../tests/helpers/process.ts";
import { seeder } from "../tests/helpers/remote.ts";

const TARGET_MEDIAN_MS = 50;
const CLIENTS = 40;
const YEARS = 5;
const WARMUP = 20;
const REQUESTS = 200;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (n: number) => `${n.toFixed(1)} ms`;

let exitCode = 0;
const url = await freshDatabaseUrl();
const proc = new AppProcess({ DATABASE_URL: url });
const seed = seeder(url);

/** Median and p95 of `REQUESTS` sequential GETs of `path`, after a warm-up. */
async function measure(path: string, cookie?: string) {
  const get = async () => {
    const started = performance.now();
    const res = await fetch(`${proc.url}${path}`, {
      headers: cookie ? { Cookie: cookie } : {},
      redirect: "manual",
    });
    await res.arrayBuffer();
    if (res.status !== 200) {
      exitCode = 1;
      throw new Error(`${path} answered ${res.status}`);
    }
    return performance.now() - started;
  };
  for (let i = 0; i < WARMUP; i++) await get();
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) times.push(await get());
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

/** Each query of the page alone, in process (set PARTS=1): where the time goes. */
async function parts(trainerId: string) {
  const { getSettings } = await import("../db/settings.ts");
  const st = await import("../db/stats.ts");
  const { dayRange } = await import("../domain/time.ts");
  const settings = (await getSettings(seed.sql, trainerId))!;
  const now = Temporal.Now.instant();
  const today = Temporal.Now.plainDateISO("Europe/Berlin");
  const range = dayRange(today.subtract({ weeks: 12 }), today, "Europe/Berlin");
  const tz = "Europe/Berlin";
  const jobs: [string, () => Promise<unknown>][] = [
    [
      "countSessionsByStatus all",
      () => st.countSessionsByStatus(seed.sql, trainerId),
    ],
    ["getBusiestTimes", () => st.getBusiestTimes(seed.sql, trainerId, tz)],
    [
      "listWeekStatusRows",
      () => st.listWeekStatusRows(seed.sql, trainerId, tz, range),
    ],
    [
      "listCancellationReasons",
      () => st.listCancellationReasons(seed.sql, trainerId, range),
    ],
    ["listHeatCells", () => st.listHeatCells(seed.sql, trainerId, tz, range)],
    [
      "listNewClientsPerMonth",
      () => st.listNewClientsPerMonth(seed.sql, trainerId, tz, range),
    ],
    [
      "listClientFigures",
      () => st.listClientFigures(seed.sql, trainerId, range, now, 24 * 60),
    ],
    [
      "getStatsReport 12",
      () =>
        st.getStatsReport(seed.sql, { trainerId, settings, weeks: 12, now }),
    ],
  ];
  for (const [name, job] of jobs) {
    for (let i = 0; i < 5; i++) await job();
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await job();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`${name.padEnd(28)} median ${ms(quantile(times, 0.5))}`);
  }
}

try {
  console.log(`app process ready in ${ms(await proc.ready())}`);
  const trainer = await signUpTrainer(seed, { timezone: "Europe/Berlin" });
  const clients = [];
  for (let i = 0; i < CLIENTS; i++) {
    clients.push(await signUpClient(seed, trainer.referralCode, `Client ${i}`));
  }
  const settings = await api(seed, "GET", "/api/settings", {
    token: trainer.token,
  });
  await api(seed, "PUT", "/api/settings", {
    token: trainer.token,
    body: { ...settings.body, holidays: ["2026-12-24", "2026-12-25"] },
  });

  // Five years up to four weeks ahead: weekday hours 09–16 in Berlin, ~96% of them
  // booked, one client each in turn; the past mostly completed, some cancelled (by
  // either side, with reasons), a few still waiting to be marked; the future scheduled.
  const seeded = performance.now();
  const ids = clients.map((c) => c.id);
  await seed.sql`
    WITH slots AS (
      SELECT ((d::date + make_interval(hours => h)) AT TIME ZONE 'Europe/Berlin') AS starts_at,
        row_number() OVER () AS n
      FROM generate_series(now() - make_interval(years => ${YEARS}), now() + interval '28 days',
        interval '1 day') AS d,
        generate_series(9, 16) AS h
      WHERE extract(isodow FROM d) < 6
    )
    INSERT INTO appointments (trainer_id, client_id, starts_at, ends_at, status,
      cancellation_reason, cancelled_by, cancelled_at, completed_at)
    SELECT ${trainer.id}, (${ids}::uuid[])[1 + (n % ${CLIENTS})], starts_at,
      starts_at + interval '1 hour', status,
      CASE WHEN status = 'cancelled' THEN (ARRAY['Sick', 'Travel: work', 'Schedule conflict', NULL])[1 + (n % 4)] END,
      CASE WHEN status = 'cancelled' THEN (ARRAY['client', 'trainer'])[1 + (n % 2)] END,
      CASE WHEN status = 'cancelled' THEN starts_at - make_interval(hours => (n % 72)::int) END,
      CASE WHEN status = 'completed' THEN starts_at + interval '1 hour' END
    FROM (
      SELECT starts_at, n,
        CASE
          WHEN starts_at > now() THEN 'scheduled'
          WHEN n % 10 = 3 THEN 'cancelled'
          WHEN n % 97 = 5 THEN 'scheduled'
          ELSE 'completed'
        END AS status
      FROM slots WHERE n % 25 <> 7
    ) s`;
  await seed.sql`ANALYZE appointments`;
  const [{ n }] = await seed.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM appointments WHERE trainer_id = ${trainer.id}`;
  console.log(
    `seeded ${n} appointments over ${YEARS} years for ${CLIENTS} clients in ${
      ms(performance.now() - seeded)
    }`,
  );

  if (Deno.env.get("PARTS")) await parts(trainer.id);
  const cookie = `spotter_session=${trainer.token}`;
  const rows: [string, { median: number; p95: number }][] = [
    ["GET /healthz (one query)", await measure("/healthz")],
    ["GET /stats (12 weeks)", await measure("/stats", cookie)],
    ["GET /stats?weeks=52", await measure("/stats?weeks=52", cookie)],
    ["GET /api/stats?weeks=52", await measure("/api/stats?weeks=52", cookie)],
    ["GET /today", await measure("/today", cookie)],
    ["GET /history (first page)", await measure("/history", cookie)],
  ];
  const health = rows[0][1].median;
  console.log(
    `\n${REQUESTS} sequential requests each after ${WARMUP} warm-up:`,
  );
  for (const [name, r] of rows) {
    console.log(
      `${name.padEnd(28)} median ${ms(r.median).padStart(9)}  p95 ${
        ms(r.p95).padStart(9)
      }  (${(r.median / health).toFixed(1)} × /healthz)`,
    );
  }
  const stats = rows[1][1].median;
  console.log(
    `\ntarget: GET /stats median ≤ ${TARGET_MEDIAN_MS} ms: ${ms(stats)} — ${
      stats <= TARGET_MEDIAN_MS ? "met" : "NOT met"
    }`,
  );
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await seed.end();
  await proc.kill();
}
Deno.exit(exitCode);
