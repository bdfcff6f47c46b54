/**
 * Scale of the data: the same requests against an empty database and against one holding
 * 10,000 trainers, 300,000 clients, 1,000,000 sessions and the outbox rows they leave
 * (bench/scale_seed.ts, generate_series), each served by its own app process on one
 * cluster, measured in turns so the machine's drift moves both sides of each ratio.
 *
 *   deno task scale               (SCALE_TRAINERS=1000 for a tenth of the data)
 *
 * Both databases get the same measured trainers through the API: 16 trainers with one
 * client each (bookings on distinct slots, 16 workers: bookings/s and p99), a Berlin
 * trainer with a booked week (the client's week fragment built afresh, a new URL per
 * request, 16 workers: req/s and p99) and a trainer with five years of history (about
 * 10,000 sessions: `GET /stats` median, one request at a time). Targets: each big figure
 * ≥ 0.9 × the empty one, `/stats` median ≤ 50 ms in the big database. Then it sends one
 * of each hot-path request through an in-process app on the big database, records every
 * query it makes (and the outbox claim's) and prints `EXPLAIN` of each: a sequential
 * scan on a table of more than 10,000 rows is marked FAIL (exit 1). Nothing asserts on
 * time.
 */
import { createApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { connect } from "../db/client.ts";
import { claimDueNotifications } from "../db/delivery.ts";
import { freshDatabaseUrl } from "../tests/helpers/db.ts";
import { api, signUpClient, signUpTrainer } from "../tests/helpers/http.ts";
import { signUpWeekTrainer } from "./week_trainer.ts";
import { AppProcess } from "../tests/helpers/process.ts";
import { mapLimit, remote, seeder } from "../tests/helpers/remote.ts";
import { seedScale, seedTrainerHistory } from "./scale_seed.ts";

const TRAINERS = Number(Deno.env.get("SCALE_TRAINERS") ?? 10_000);
const CLIENTS_PER_TRAINER = 30;
const APPOINTMENTS_PER_TRAINER = 100;
const ROUNDS = 3;
const WORKERS = 16;
const TENANTS = 16;
const BOOKINGS = 400;
const VIEWS = 2_000;
const STATS_REQUESTS = 100;
const TARGET_RATIO = 0.9;
const TARGET_STATS_MS = 50;
/** A table with more rows than this must not be read by a sequential scan. */
const BIG_TABLE_ROWS = 10_000;

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (n: number) => `${n.toFixed(1)} ms`;
const sortedOf = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

type Fixture = Awaited<ReturnType<typeof prepare>>;
type Figure = Readonly<{ rate: number; p50: number; p99: number }>;

/** The measured trainers, the same in both databases, made through the API. */
async function prepare(url: string) {
  const seed = seeder(url);
  const allDay = [{ start: "00:00", end: "24:00" }];
  const everyDay = Object.fromEntries(
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, allDay]),
  );
  const tenants = [];
  for (let i = 0; i < TENANTS; i++) {
    const trainer = await signUpTrainer(seed, { timezone: "UTC" });
    const put = await api(seed, "PUT", "/api/settings", {
      token: trainer.token,
      body: { timezone: "UTC", slotMinutes: 15, workingHours: everyDay },
    });
    if (put.status !== 200) throw new Error(JSON.stringify(put.body));
    tenants.push(
      await signUpClient(seed, trainer.referralCode, `Tenant client ${i}`),
    );
  }

  // As bench/http.ts: Berlin, half-hour slots, every third slot of 4 weeks booked.
  const trainer = await signUpWeekTrainer(seed);
  const viewer = await signUpClient(seed, trainer.referralCode);
  const others = [];
  for (let i = 1; i <= 3; i++) {
    others.push(await signUpClient(seed, trainer.referralCode, `Other ${i}`));
  }
  const today = Temporal.Now.plainDateISO("Europe/Berlin");
  const nextMonday = today.add({ days: 8 - today.dayOfWeek });
  let booked = 0;
  for (let d = 0; d < 28; d++) {
    const date = nextMonday.add({ days: d });
    if (date.dayOfWeek > 5) continue;
    for (let hour = 7; hour < 21; hour += 3) {
      if (hour === 12) continue;
      const who = booked % 4 === 0 ? viewer : others[booked % 3];
      const res = await api(seed, "POST", "/api/appointments", {
        token: who.token,
        body: {
          start: date.toPlainDateTime({ hour }).toZonedDateTime(
            "Europe/Berlin",
          ).toString({ timeZoneName: "never" }),
        },
      });
      if (res.status === 201) booked++;
    }
  }

  const statsTrainer = await signUpTrainer(seed, { timezone: "Europe/Berlin" });
  const statsClients = [];
  for (let i = 0; i < 40; i++) {
    statsClients.push(
      await signUpClient(seed, statsTrainer.referralCode, `Client ${i}`),
    );
  }
  const history = await seedTrainerHistory(
    seed.sql,
    statsTrainer.id,
    statsClients.map((c) => c.id),
  );
  await seed.end();
  return {
    tenants,
    viewer,
    trainer,
    statsTrainer,
    history,
    week: `/calendar?week=${nextMonday}&day=${nextMonday.add({ days: 1 })}`,
    slotsPath: `/api/trainers/${trainer.id}/slots?from=${today}&to=${
      today.add({ days: 61 })
    }`,
    nextSlot: 0,
  };
}

/** Bookings of distinct slots, each tenant client at its own trainer. */
async function book(app: AppProcess, f: Fixture): Promise<Figure> {
  const base = Temporal.Now.plainDateISO("UTC").add({ days: 9 })
    .toZonedDateTime("UTC").toInstant();
  const first = f.nextSlot;
  f.nextSlot += Math.ceil(BOOKINGS / TENANTS);
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  await mapLimit(
    Array.from({ length: BOOKINGS }, (_, i) => i),
    WORKERS,
    async (i) => {
      const start = base.add({
        minutes: 15 * (first + Math.floor(i / TENANTS)),
      });
      const t0 = performance.now();
      const res = await remote(app.url, "POST", "/api/appointments", {
        token: f.tenants[i % TENANTS].token,
        body: { start: start.toString() },
      });
      latencies.push(performance.now() - t0);
      if (res.status !== 201) failed++;
    },
  );
  if (failed) throw new Error(`${failed} bookings were refused`);
  const sorted = sortedOf(latencies);
  return {
    rate: BOOKINGS / ((performance.now() - started) / 1000),
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
  };
}

let fresh = 0;
/** The client's week fragment, a new URL each time: built, never a kept page. */
async function viewWeek(app: AppProcess, f: Fixture): Promise<Figure> {
  const headers = {
    Cookie: `spotter_session=${f.viewer.token}`,
    "HX-Request": "true",
    "Accept-Encoding": "br, gzip",
  };
  const latencies: number[] = [];
  const started = performance.now();
  await mapLimit(
    Array.from({ length: VIEWS }, (_, i) => i),
    WORKERS,
    async () => {
      const t0 = performance.now();
      const res = await fetch(`${app.url}${f.week}&fresh=${fresh++}`, {
        headers,
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`week: ${res.status}`);
    },
  );
  const sorted = sortedOf(latencies);
  return {
    rate: VIEWS / ((performance.now() - started) / 1000),
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
  };
}

/** `GET /stats` of the trainer with five years of history, one request at a time. */
async function statsMedian(app: AppProcess, f: Fixture): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < STATS_REQUESTS + 10; i++) {
    const t0 = performance.now();
    const res = await fetch(`${app.url}/stats`, {
      headers: { Cookie: `spotter_session=${f.statsTrainer.token}` },
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`stats: ${res.status}`);
    if (i >= 10) times.push(performance.now() - t0);
  }
  return quantile(sortedOf(times), 0.5);
}

type Captured = { label: string; text: string; parameters: readonly unknown[] };

/**
 * Every query of one request of each hot path, as an in-process app on `url` sends it,
 * and the outbox claim (rolled back).
 */
async function captureQueries(url: string, f: Fixture): Promise<Captured[]> {
  const captured: Captured[] = [];
  let label = "";
  const sql = connect(url, {
    max: 1,
    onQuery: (text, parameters) => captured.push({ label, text, parameters }),
  });
  const app = createApp({
    sql,
    config: loadConfig({ APP_URL: "http://spotter.test" }),
    now: () => Temporal.Now.instant(),
    passwordCost: 10,
  });
  const get = async (name: string, path: string, headers: HeadersInit) => {
    label = name;
    const res = await app.request(path, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
  };
  const cookie = (token: string) => `spotter_session=${token}`;
  try {
    label = "booking";
    const start = Temporal.Now.plainDateISO("UTC").add({ days: 30 })
      .toZonedDateTime("UTC").toInstant().toString();
    const res = await api({ app }, "POST", "/api/appointments", {
      token: f.tenants[0].token,
      body: { start },
    });
    if (res.status !== 201) throw new Error(`booking: ${res.status}`);
    await get("week fragment", `${f.week}&fresh=explain`, {
      Cookie: cookie(f.viewer.token),
      "HX-Request": "true",
    });
    await get("calendar page", "/calendar?fresh=explain", {
      Cookie: cookie(f.viewer.token),
    });
    await get("slots JSON", `${f.slotsPath}&fresh=explain`, {
      Authorization: `Bearer ${f.viewer.token}`,
    });
    await get("my appointments", "/api/appointments", {
      Authorization: `Bearer ${f.viewer.token}`,
    });
    await get("statistics", "/stats", { Cookie: cookie(f.statsTrainer.token) });
    await get("today", "/today", { Cookie: cookie(f.statsTrainer.token) });
    label = "outbox claim";
    await sql.begin(async (tx) => {
      await claimDueNotifications(tx, Temporal.Now.instant(), 60, 500);
      throw new Rollback();
    }).catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  } finally {
    await sql.end();
  }
  return captured;
}

class Rollback extends Error {}

/** `EXPLAIN` of each distinct captured query with its own parameters. */
async function explainAll(url: string, captured: readonly Captured[]) {
  const sql = connect(url, { max: 1 });
  let failures = 0;
  try {
    const rows = await sql<{ relname: string; n: number }[]>`
      SELECT relname, reltuples::float8 AS n FROM pg_class WHERE relkind = 'r'`;
    const sizes = new Map(rows.map((r) => [r.relname, r.n]));
    // Each distinct text once, with every path that sent it.
    const queries = new Map<string, { labels: Set<string>; q: Captured }>();
    for (const q of captured) {
      const text = q.text.trim();
      if (!/^(select|with|insert|update|delete)\b/i.test(text)) continue;
      if (/\bpg_catalog\./.test(text)) continue; // the driver's own type lookup
      const entry = queries.get(text) ?? { labels: new Set(), q };
      entry.labels.add(q.label);
      queries.set(text, entry);
    }
    for (const [text, { labels, q }] of queries) {
      let plan: string;
      try {
        const lines = await sql.unsafe(
          `EXPLAIN ${text}`,
          q.parameters as never[],
        );
        plan = lines.map((l) => l["QUERY PLAN"]).join("\n");
      } catch (error) {
        plan = `(could not EXPLAIN: ${(error as Error).message})`;
      }
      const scans = [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]);
      const big = scans.filter((t) => (sizes.get(t) ?? 0) > BIG_TABLE_ROWS);
      if (big.length) failures++;
      console.log(
        `\n--- ${[...labels].join(", ")}${
          big.length ? `  FAIL: sequential scan on ${big.join(", ")}` : ""
        }\n${text.replace(/\s+/g, " ").slice(0, 400)}\n${plan}`,
      );
    }
    console.log(
      `\n${queries.size} distinct queries explained; ${failures} with a sequential scan on a table of more than ${BIG_TABLE_ROWS} rows`,
    );
  } finally {
    await sql.end();
  }
  return failures;
}

let exitCode = 0;
const [emptyUrl, bigUrl] = [await freshDatabaseUrl(), await freshDatabaseUrl()];
const bigSql = connect(bigUrl, { max: 2 });
const apps: AppProcess[] = [];
try {
  const seeded = performance.now();
  const counts = await seedScale(bigSql, {
    trainers: TRAINERS,
    clientsPerTrainer: CLIENTS_PER_TRAINER,
    appointmentsPerTrainer: APPOINTMENTS_PER_TRAINER,
    now: Temporal.Now.instant(),
  }, (step) => console.log(`  seeded ${step}`));
  const [{ size }] = await bigSql<{ size: string }[]>`
    SELECT pg_size_pretty(pg_database_size(current_database())) AS size`;
  console.log(
    `big database: ${counts.trainers} trainers, ${counts.clients} clients, ${counts.appointments} sessions, ` +
      `${counts.notifications} outbox rows, ${size}, seeded in ${
        ((performance.now() - seeded) / 1000).toFixed(0)
      } s`,
  );
  const empty = await prepare(emptyUrl);
  const big = await prepare(bigUrl);
  console.log(
    `measured trainers in each: ${TENANTS} booking, 1 week (Berlin), 1 with ${big.history} sessions of history`,
  );
  apps.push(
    new AppProcess({ DATABASE_URL: emptyUrl }),
    new AppProcess({ DATABASE_URL: bigUrl }),
  );
  await Promise.all(apps.map((a) => a.ready()));
  const [emptyApp, bigApp] = apps;
  // Warm-up: each process's first requests compile and connect.
  await book(emptyApp, empty);
  await book(bigApp, big);
  await viewWeek(emptyApp, empty);
  await viewWeek(bigApp, big);

  // Turns: empty, big, empty, big, …, empty; each big run against the empty runs around it.
  const runs = { book: [] as Figure[][], week: [] as Figure[][] };
  const turn = async (i: number) => {
    runs.book[i] = [await book(emptyApp, empty)];
    runs.week[i] = [await viewWeek(emptyApp, empty)];
    if (i < ROUNDS) {
      runs.book[i].push(await book(bigApp, big));
      runs.week[i].push(await viewWeek(bigApp, big));
    }
  };
  for (let i = 0; i <= ROUNDS; i++) await turn(i);
  const report = (name: string, series: Figure[][]) => {
    const ratios: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const around = (series[i][0].rate + series[i + 1][0].rate) / 2;
      ratios.push(series[i][1].rate / around);
    }
    const order = [...ratios.keys()].sort((a, b) => ratios[a] - ratios[b]);
    const m = order[Math.floor(ROUNDS / 2)];
    const e = series[m][0], b = series[m][1];
    console.log(
      `${name}: empty ${e.rate.toFixed(0)}/s (p50 ${ms(e.p50)}, p99 ${
        ms(e.p99)
      }), big ${b.rate.toFixed(0)}/s (p50 ${ms(b.p50)}, p99 ${ms(b.p99)}); ` +
        `big ÷ empty ${ratios[m].toFixed(3)} (median round; rounds ${
          ratios.map((r) => r.toFixed(3)).join(", ")
        }) — target ≥ ${TARGET_RATIO}: ${
          ratios[m] >= TARGET_RATIO ? "MET" : "NOT MET"
        }`,
    );
  };
  console.log(
    `\n${ROUNDS} rounds, ${WORKERS} workers; ${BOOKINGS} bookings and ${VIEWS} built week fragments a run:`,
  );
  report("bookings", runs.book);
  report("week fragment, built", runs.week);
  const statsEmpty = await statsMedian(emptyApp, empty);
  const statsBig = await statsMedian(bigApp, big);
  const statsEmpty2 = await statsMedian(emptyApp, empty);
  const statsRatio = ((statsEmpty + statsEmpty2) / 2) / statsBig;
  console.log(
    `GET /stats, ${big.history} sessions, ${STATS_REQUESTS} sequential: median empty ${
      ms(statsEmpty)
    } / ${ms(statsEmpty2)}, big ${ms(statsBig)} (speed big ÷ empty ${
      statsRatio.toFixed(3)
    }) — target ≤ ${TARGET_STATS_MS} ms in the big database: ${
      statsBig <= TARGET_STATS_MS ? "MET" : "NOT MET"
    }`,
  );

  const captured = await captureQueries(bigUrl, big);
  if (await explainAll(bigUrl, captured)) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await Promise.all(apps.map((a) => a.kill()));
  await bigSql.end();
}
Deno.exit(exitCode);
