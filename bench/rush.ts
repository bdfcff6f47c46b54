/**
 * Booking rush (issue #30): 200 clients of one trainer, each with a session of its own,
 * open next week's calendar, then all try to book one of a few popular slots of that
 * week within a 10 s window (most lose: 409 `slot_taken`), and each reloads the week
 * right after its attempt. Two real app processes on one fresh embedded cluster; client
 * i talks to process i % 2 only, with `fetch` from this process, all in flight at once
 * like phones (each starts at a random offset in its window). Before it, each process
 * is warmed by 20 bookings and views of another client, two weeks further on.
 *
 *   deno task rush
 *   RUSH_CLIENTS=400 RUSH_SECONDS=5 RUSH_SLOTS=3 deno task rush
 *   RUSH_FRONT=1 deno task rush     (most clients at the start of the window)
 *
 * The view is the page `/calendar?week=<monday>` with the client's session cookie (the
 * same URL for the open and the reload, so a reload can be answered from the page its
 * process kept); a booking is `POST /api/appointments` with `{start}` and the bearer
 * token. Offsets in the rush window are uniform, or with RUSH_FRONT=1 front-loaded
 * (window × u², half of them in its first quarter), as when a new week is announced.
 *
 * Prints the views' p50/p99 during the rush, the bookings' p50/p99 and their answers
 * (201, 409, other), the share of views answered from kept pages (the difference of
 * `spotter_kept_pages_total{result}` on both processes' `/metrics` around the rush and
 * around the opening), CPU by part, and whether any slot was booked twice (read from the
 * database). Targets: view p99 ≤ 100 ms and booking p99 ≤ 100 ms while the rush lasts.
 * Nothing fails on time; exits 1 when a slot is booked twice, the number of winners is
 * not the number of slots tried, or a request fails.
 */
import { connect } from "../db/client.ts";
import { cpuSpent, type CpuTimes, cpuTimes } from "./cpu.ts";
import { freshDatabaseUrl } from "../tests/helpers/db.ts";
import { signUpClient } from "../tests/helpers/http.ts";
import { AppProcess } from "../tests/helpers/process.ts";
import { mapLimit, seeder } from "../tests/helpers/remote.ts";
import { signUpWeekTrainer } from "./week_trainer.ts";

const CLIENTS = Number(Deno.env.get("RUSH_CLIENTS") ?? 200);
const RUSH_MS = Number(Deno.env.get("RUSH_SECONDS") ?? 10) * 1000;
const SLOTS = Number(Deno.env.get("RUSH_SLOTS") ?? 5);
/** Offsets window × u² instead of window × u: half the clients in the first quarter. */
const FRONT = Deno.env.get("RUSH_FRONT") === "1";
/** The opening of the week is spread over this long before the rush. */
const OPEN_MS = 3_000;
const WARM_BOOKINGS = 20;
const TARGET_VIEW_P99_MS = 100;
const TARGET_BOOKING_P99_MS = 100;
const METRICS_TOKEN = "rush-metrics-token-0123456789";
const ZONE = "Europe/Berlin";

const quantile = (xs: readonly number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ??
    NaN;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;
const spread = (xs: readonly number[]) =>
  `p50 ${ms(quantile(xs, 0.5))}, p99 ${ms(quantile(xs, 0.99))}`;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const met = (ok: boolean) => ok ? "met" : "NOT met";

/** `spotter_kept_pages_total` by result, read from one process's /metrics. */
async function keptPages(app: AppProcess) {
  const res = await fetch(`${app.url}/metrics`, {
    headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/metrics: ${res.status} ${text}`);
  const line = (r: string) => `spotter_kept_pages_total{result="${r}"} `;
  const read = (r: string) =>
    Number(
      text.split("\n").find((l) => l.startsWith(line(r)))?.slice(
        line(r).length,
      ) ?? 0,
    );
  return { hit: read("hit"), miss: read("miss") };
}

/** Hits and misses of kept pages on all `apps` since `before` was read. */
async function keptSince(
  apps: readonly AppProcess[],
  before: { hit: number; miss: number }[],
) {
  const after = await Promise.all(apps.map(keptPages));
  const hit = after.reduce((n, a, i) => n + a.hit - before[i].hit, 0);
  const miss = after.reduce((n, a, i) => n + a.miss - before[i].miss, 0);
  return { hit, miss, share: hit / Math.max(1, hit + miss), after };
}

const cpuOf = (apps: readonly AppProcess[]) => apps.map((a) => cpuTimes(a.pid));
/** CPU spent (ms) by the apps together, PostgreSQL and this process since `before`. */
function cpuSince(
  apps: readonly AppProcess[],
  before: (CpuTimes | undefined)[],
) {
  const spent = apps.map((a, i) => cpuSpent(before[i], cpuTimes(a.pid)));
  if (spent.some((s) => !s)) return undefined;
  // Each reading counts all of PostgreSQL and this process: take them from the first.
  return {
    app: spent.reduce((n, s) => n + s!.app, 0),
    postgres: spent[0]!.postgres,
    client: spent[0]!.client,
  };
}

let exitCode = 0;
const url = await freshDatabaseUrl();
const seed = seeder(url);
const sql = connect(url, { max: 1 });
const env = {
  DATABASE_URL: url,
  METRICS_TOKEN,
  APP_URL: "http://spotter.test",
};
const apps = [new AppProcess(env), new AppProcess(env)];
try {
  const ready = await Promise.all(apps.map((a) => a.ready()));
  console.log(
    `two app processes ready in ${ready.map((n) => ms(n)).join(", ")}`,
  );

  // One trainer in Berlin with a working week of half-hour slots; its clients each
  // sign up and sign in (a session of their own), through the cheap in-process seeder.
  const trainer = await signUpWeekTrainer(seed);
  const clients = await mapLimit(
    Array.from({ length: CLIENTS }, (_, i) => i),
    8,
    (i) => signUpClient(seed, trainer.referralCode, `Rush client ${i}`),
  );
  const today = Temporal.Now.plainDateISO(ZONE);
  const monday = today.add({ days: 8 - today.dayOfWeek });
  // The popular slots: Tuesday's first ones and the evening after work.
  const hours = [7, 7.5, 18, 18.5, 19, 19.5, 8, 8.5, 17, 17.5];
  const slots = hours.slice(0, SLOTS).map((h) =>
    monday.add({ days: 1 }).toPlainDateTime({
      hour: Math.floor(h),
      minute: (h % 1) * 60,
    }).toZonedDateTime(ZONE).toInstant().toString()
  );
  console.log(
    `seeded: 1 trainer, ${CLIENTS} clients over 2 processes; ${SLOTS} popular slots on ${
      monday.add({ days: 1 })
    }`,
  );

  const csrf = "r".repeat(43);
  const week = `/calendar?week=${monday}`;
  const failures: string[] = [];
  /** One view of the week by client i (on its own process); its latency in ms. */
  const view = async (i: number) => {
    const t0 = performance.now();
    const res = await fetch(`${apps[i % 2].url}${week}`, {
      headers: {
        Cookie: `spotter_session=${clients[i].token}; spotter_csrf=${csrf}`,
        "Accept-Encoding": "br, gzip",
      },
    });
    await res.arrayBuffer();
    const took = performance.now() - t0;
    if (res.status !== 200) failures.push(`view ${res.status}`);
    return { at: t0, took };
  };
  /** One booking attempt of `token` on `app`: its status, error code and latency. */
  const book = async (app: AppProcess, token: string, start: string) => {
    const t0 = performance.now();
    const res = await fetch(`${app.url}/api/appointments`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ start }),
    });
    const body = await res.json().catch(() => null);
    const code = res.status === 201
      ? "201"
      : `${res.status} ${body?.error?.code ?? ""}`.trim();
    return { code, at: t0, took: performance.now() - t0 };
  };

  // Warm-up, as a running app would be: on each process a client of its own books
  // WARM_BOOKINGS slots two weeks on and views that week (new URLs: nothing is kept).
  const warmers = await Promise.all(
    apps.map((_, i) => signUpClient(seed, trainer.referralCode, `Warm ${i}`)),
  );
  const later = monday.add({ days: 14 });
  await Promise.all(apps.map(async (app, p) => {
    for (let n = 0; n < WARM_BOOKINGS; n++) {
      const start = later.add({ days: n % 5 }).toPlainDateTime({
        hour: 8 + p * 5 + Math.floor(n / 5),
      }).toZonedDateTime(ZONE).toInstant().toString();
      const { code } = await book(app, warmers[p].token, start);
      if (code !== "201") throw new Error(`warm-up booking: ${code}`);
      const page = await fetch(`${app.url}/calendar?week=${later}&warm=${n}`, {
        headers: { Cookie: `spotter_session=${warmers[p].token}` },
      });
      await page.body?.cancel();
    }
  }));

  // The opening: every client loads the week once, at a random moment in OPEN_MS.
  let kept0 = await Promise.all(apps.map(keptPages));
  const opens = await Promise.all(
    clients.map(async (_, i) => {
      await sleep(Math.random() * OPEN_MS);
      return (await view(i)).took;
    }),
  );
  const opening = await keptSince(apps, kept0);
  console.log(
    `\nopening (${CLIENTS} views over ${OPEN_MS / 1000} s): ${
      spread(opens)
    }; kept pages ${opening.hit} hits, ${opening.miss} misses`,
  );
  await sleep(500);

  // The rush: each client books one popular slot at its offset, then reloads the week.
  kept0 = opening.after;
  const cpu0 = cpuOf(apps);
  const started = performance.now();
  const outcomes: Record<string, number> = {};
  const attempts: { code: string; at: number; took: number }[] = [];
  const tried = new Set<string>();
  const reloads: { at: number; took: number }[] = [];
  await Promise.all(clients.map(async (client, i) => {
    await sleep(RUSH_MS * Math.random() ** (FRONT ? 2 : 1));
    const slot = slots[Math.floor(Math.random() * slots.length)];
    tried.add(slot);
    const attempt = await book(apps[i % 2], client.token, slot);
    attempts.push({ ...attempt, at: attempt.at - started });
    outcomes[attempt.code] = (outcomes[attempt.code] ?? 0) + 1;
    if (!["201", "409 slot_taken"].includes(attempt.code)) {
      failures.push(attempt.code);
    }
    reloads.push(await view(i));
  }));
  const elapsed = performance.now() - started;
  const cpu = cpuSince(apps, cpu0);
  const rush = await keptSince(apps, kept0);
  // Views while the rush lasts: those that started within its window.
  const during = reloads.filter((r) => r.at - started <= RUSH_MS)
    .map((r) => r.took);
  const viewP99 = quantile(during, 0.99);
  const bookings = attempts.map((b) => b.took);
  const bookingP99 = quantile(bookings, 0.99);

  console.log(
    `\nrush: ${CLIENTS} bookings within ${RUSH_MS / 1000} s (${
      FRONT ? "front-loaded" : "uniform"
    }), ` +
      `each followed by a reload; all done after ${ms(elapsed)}`,
  );
  console.log(
    `  views during the rush (${during.length}): ${
      spread(during)
    } (target ≤ ${TARGET_VIEW_P99_MS} ms: ${
      met(viewP99 <= TARGET_VIEW_P99_MS)
    })`,
  );
  console.log(
    `  bookings (${bookings.length}): ${
      spread(bookings)
    } (target ≤ ${TARGET_BOOKING_P99_MS} ms: ${
      met(bookingP99 <= TARGET_BOOKING_P99_MS)
    }); answers: ${
      Object.entries(outcomes).sort().map(([k, n]) => `${n} × ${k}`).join(
        ", ",
      )
    }`,
  );
  const sentIn = (from: number, to: number) =>
    attempts.filter((b) => b.at >= from && b.at < to).map((b) => b.took);
  const first = sentIn(0, 1000), rest = sentIn(1000, Infinity);
  console.log(
    `  bookings sent in the first second (${first.length}): p99 ${
      ms(quantile(first, 0.99))
    }; later (${rest.length}): p99 ${ms(quantile(rest, 0.99))}`,
  );
  console.log(
    `  views answered from kept pages: ${rush.hit} of ${
      rush.hit + rush.miss
    } (${
      (rush.share * 100).toFixed(1)
    } %; every winning booking moves the trainer's calendar counter)`,
  );
  if (cpu) {
    const requests = 2 * CLIENTS;
    console.log(
      `  CPU: apps ${(cpu.app / 1000).toFixed(2)} s, PostgreSQL ${
        (cpu.postgres / 1000).toFixed(2)
      } s, this process ${(cpu.client / 1000).toFixed(2)} s; per request ` +
        `app ${ms(cpu.app / requests)}, pg ${ms(cpu.postgres / requests)}`,
    );
  }

  // No slot booked twice: live sessions of the trainer that overlap one another.
  const [{ overlaps }] = await sql<{ overlaps: number }[]>`
    SELECT count(*)::int AS overlaps FROM appointments a JOIN appointments b
      ON a.trainer_id = b.trainer_id AND a.id < b.id
     AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
     WHERE a.trainer_id = ${trainer.id}
       AND a.status IN ('scheduled', 'pending')
       AND b.status IN ('scheduled', 'pending')`;
  const [{ live }] = await sql<{ live: number }[]>`
    SELECT count(*)::int AS live FROM appointments
     WHERE trainer_id = ${trainer.id} AND status IN ('scheduled', 'pending')
       AND starts_at = ANY(${slots}::timestamptz[])`;
  const won = outcomes["201"] ?? 0;
  const sound = overlaps === 0 && live === won && won === tried.size;
  console.log(
    `  double bookings: ${overlaps}; ${live} live sessions in the database, ` +
      `${won} answered 201, ${tried.size} slots tried: ${
        sound ? "sound" : "WRONG"
      }`,
  );
  if (!sound) exitCode = 1;
  if (failures.length) {
    console.log(`  failed requests: ${failures.slice(0, 10).join(", ")}`);
    exitCode = 1;
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await Promise.all(apps.map((a) => a.kill("SIGINT")));
  await sql.end({ timeout: 5 });
  await seed.end();
}
Deno.exit(exitCode);
