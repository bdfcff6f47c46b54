/**
 * HTTP benchmark of what a client's phone asks for: one real app process on a fresh
 * embedded cluster, loaded by `wrk` (2 threads, 64 connections, `Accept-Encoding:
 * br, gzip`, the demo-like client signed in by cookie).
 *
 *   deno run -A bench/http.ts            (needs wrk: apt-get install -y wrk)
 *   BENCH_SECONDS=10 BENCH_ROUNDS=3 deno run -A bench/http.ts
 *   BENCH_PROFILE=/tmp/prof deno run -A bench/http.ts   (the app writes a --cpu-prof there)
 *   BENCH_ONLY='fragment.*\)$' deno run -A bench/http.ts  (/healthz and the targets whose names match)
 *
 * Each round measures the client week fragment (`HX-Request`), the same fragment as a
 * phone asks for it (one day), the calendar page and the 62-day slots JSON, then the
 * same four "built": a new URL for every request, so none is answered from the app's
 * kept pages (what building one costs). Each is measured between two runs of `/healthz`
 * (one query through the same stack: the baseline) and set against their mean, so the
 * machine's changes of speed within a round move both sides of each ratio. Then it
 * prints the app's RSS. Targets: fragment and page ≥ 0.5 × `/healthz` req/s with p99
 * ≤ 50 ms; slots ≥ 0.25 ×; RSS not growing from round to round. Machines are noisy:
 * only ratios measured in one run mean something, and nothing here fails on time. Also
 * printed: CPU per request of the app and of PostgreSQL, read from /proc, which says
 * where a missed target goes.
 */
import { cpuSpent, cpuTimes } from "./cpu.ts";
import { freshDatabaseUrl } from "../tests/helpers/db.ts";
import { api, signUpClient } from "../tests/helpers/http.ts";
import { signUpWeekTrainer } from "./week_trainer.ts";
import { AppProcess } from "../tests/helpers/process.ts";
import { seeder } from "../tests/helpers/remote.ts";

const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 8);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 3);
const PROFILE = Deno.env.get("BENCH_PROFILE");
const CONNECTIONS = 64;
const THREADS = 2;

try {
  await new Deno.Command("wrk", { args: ["--version"], stdout: "null" })
    .output();
} catch {
  console.error("bench/http.ts needs wrk: apt-get install -y wrk");
  Deno.exit(1);
}

// wrk's Lua hook: a parameter the app ignores, new on every request of every thread.
const FRESH_SCRIPT = await Deno.makeTempFile({ suffix: ".lua" });
await Deno.writeTextFile(
  FRESH_SCRIPT,
  `local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
local n = 0
function request()
  n = n + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "fresh=" .. id .. "-" .. n)
end
`,
);

type Target = Readonly<{
  name: string;
  path: string;
  headers: Record<string, string>;
  /** Least req/s as a share of /healthz's, and the largest p99 (ms), if any. */
  ratio?: number;
  p99?: number;
  /** Every request with a URL of its own, so no answer is ever kept (the build's cost). */
  fresh?: boolean;
}>;

type Result = Readonly<{
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  cpuMsPerRequest?: Readonly<{ client: number; app: number; postgres: number }>;
}>;

/** wrk's latency figures ("12.34ms", "1.02s", "850.00us") in milliseconds. */
function millis(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === "us"
    ? n / 1000
    : m[2] === "ms"
    ? n
    : m[2] === "s"
    ? n * 1000
    : n * 60_000;
}

async function run(app: AppProcess, target: Target, seconds: number) {
  const args = [
    `-t${THREADS}`,
    `-c${CONNECTIONS}`,
    `-d${seconds}s`,
    "--latency",
    ...Object.entries(target.headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]),
    ...(target.fresh ? ["-s", FRESH_SCRIPT] : []),
    `${app.url}${target.path}`,
  ];
  const before = cpuTimes(app.pid);
  // bash's `times` after wrk: the CPU wrk itself used (it shares the 2 cores).
  const out = await new Deno.Command("bash", {
    args: ["-c", 'wrk "$@" && times', "wrk", ...args],
    stdout: "piped",
  }).output();
  const spent = cpuSpent(before, cpuTimes(app.pid));
  const text = new TextDecoder().decode(out.stdout);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
  const total = Number(/(\d+) requests in/.exec(text)?.[1]);
  const p50 = millis(/\s50%\s+(\S+)/.exec(text)?.[1] ?? "");
  const p99 = millis(/\s99%\s+(\S+)/.exec(text)?.[1] ?? "");
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: (.*)/.exec(text)?.[1];
  const secondsOf = (t: string) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  const [user, system] = text.trim().split("\n").at(-1)!.split(/\s+/);
  const wrkMs = (secondsOf(user) + secondsOf(system)) * 1000;
  const result: Result = {
    rps,
    p50,
    p99,
    errors: non2xx + (socket ? 1 : 0),
    cpuMsPerRequest: spent && total
      ? {
        client: wrkMs / total,
        app: spent.app / total,
        postgres: spent.postgres / total,
      }
      : undefined,
  };
  if (result.errors) console.log(`  ${target.name}: ${text}`);
  return result;
}

function rssMiB(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
  } catch {
    return NaN;
  }
}

const url = await freshDatabaseUrl();
const seed = seeder(url);
const app = new AppProcess(
  { DATABASE_URL: url },
  undefined,
  [],
  PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE}`] : [],
);
let exitCode = 0;
try {
  console.log(`app process ready in ${(await app.ready()).toFixed(0)} ms`);

  // A trainer in Berlin with a working week of half-hour slots and a booked diary.
  const trainer = await signUpWeekTrainer(seed);
  const client = await signUpClient(seed, trainer.referralCode);
  const others = await Promise.all(
    [1, 2, 3].map((i) =>
      signUpClient(seed, trainer.referralCode, `Other client ${i}`)
    ),
  );
  const today = Temporal.Now.plainDateISO("Europe/Berlin");
  const nextMonday = today.add({ days: 8 - today.dayOfWeek });
  // Every third slot of the next 4 weeks' weekdays booked, some by our client.
  let booked = 0;
  for (let d = 0; d < 28; d++) {
    const date = nextMonday.add({ days: d });
    if (date.dayOfWeek > 5) continue;
    for (let hour = 7; hour < 21; hour += 3) {
      if (hour === 12) continue;
      const who = booked % 4 === 0 ? client : others[booked % 3];
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
  console.log(`seeded: 1 trainer, 4 clients, ${booked} sessions`);

  // A phone that has visited before: session and CSRF cookies, brotli accepted.
  const csrf = "b".repeat(43);
  const phone = {
    Cookie: `spotter_session=${client.token}; spotter_csrf=${csrf}`,
    "Accept-Encoding": "br, gzip",
  };
  const week = `/calendar?week=${nextMonday}&day=${
    nextMonday.add({ days: 1 })
  }`;
  const targets: Target[] = [
    { name: "/healthz", path: "/healthz", headers: phone },
    {
      name: "week fragment (HX-Request)",
      path: week,
      headers: { ...phone, "HX-Request": "true" },
      ratio: 0.5,
      p99: 50,
    },
    {
      // What a phone with JavaScript asks for: one day of the week (see static/app.js).
      name: "day fragment (phone)",
      path: week,
      headers: {
        ...phone,
        Cookie: `${phone.Cookie}; spotter_view=day`,
        "HX-Request": "true",
      },
    },
    {
      name: "calendar page",
      path: "/calendar",
      headers: phone,
      ratio: 0.5,
      p99: 50,
    },
    {
      name: "slots JSON, 62 days",
      path: `/api/trainers/${trainer.id}/slots?from=${today}&to=${
        today.add({ days: 61 })
      }`,
      headers: phone,
      ratio: 0.25,
    },
  ];
  // The same requests with nothing kept: what building each answer costs.
  for (const t of targets.slice(1)) {
    targets.push({
      name: `${t.name}, built`,
      path: t.path,
      headers: t.headers,
      fresh: true,
    });
  }
  const only = Deno.env.get("BENCH_ONLY");
  if (only) {
    targets.splice(
      0,
      targets.length,
      ...targets.filter((t) =>
        t.path === "/healthz" || new RegExp(only).test(t.name)
      ),
    );
  }
  for (const t of targets) {
    const res = await fetch(`${app.url}${t.path}`, { headers: t.headers });
    await res.body?.cancel();
    if (res.status !== 200) throw new Error(`${t.name}: ${res.status}`);
  }
  console.log(
    `wrk -t${THREADS} -c${CONNECTIONS}, ${SECONDS} s per figure, ${ROUNDS} rounds; app RSS idle ${
      rssMiB(app.pid).toFixed(0)
    } MiB`,
  );
  // Warm-up: the JIT, the pool, the caches.
  for (const t of targets) await run(app, t, 2);
  console.log(`after warm-up: app RSS ${rssMiB(app.pid).toFixed(0)} MiB`);

  // Each target is measured between two runs of /healthz and set against their mean, so
  // a change in the machine's speed during a round (common here) moves both sides.
  const health = targets.find((t) => t.path === "/healthz")!;
  const measured = targets.filter((t) => t !== health);
  const byTarget = new Map<string, Result[]>(targets.map((t) => [t.name, []]));
  const ratios = new Map<string, number[]>(measured.map((t) => [t.name, []]));
  const rss: number[] = [];
  const report = (t: Target, r: Result, ratio?: number) => {
    const cpu = r.cpuMsPerRequest;
    console.log(
      `  ${t.name.padEnd(28)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${
        r.p50.toFixed(1)
      } ms  p99 ${r.p99.toFixed(1).padStart(5)} ms  ${
        ratio === undefined ? "baseline" : `× ${ratio.toFixed(3)}`
      }${
        cpu
          ? `  CPU/req: app ${(cpu.app * 1000).toFixed(0)} µs, pg ${
            (cpu.postgres * 1000).toFixed(0)
          } µs, wrk ${(cpu.client * 1000).toFixed(0)} µs`
          : ""
      }${r.errors ? `  ${r.errors} errors` : ""}`,
    );
    if (r.errors) exitCode = 1;
  };
  const measure = async (t: Target) => {
    const r = await run(app, t, SECONDS);
    byTarget.get(t.name)!.push(r);
    return r;
  };
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`\nround ${round}`);
    let before = await measure(health);
    report(health, before);
    for (const t of measured) {
      const r = await measure(t);
      const after = await measure(health);
      const ratio = r.rps / ((before.rps + after.rps) / 2);
      ratios.get(t.name)!.push(ratio);
      report(t, r, ratio);
      report(health, after);
      before = after;
    }
    rss.push(rssMiB(app.pid));
    console.log(`  app RSS after the round: ${rss.at(-1)!.toFixed(0)} MiB`);
  }

  console.log(
    "\nmedian of the rounds (each ratio against the mean of the /healthz runs just before and after it):",
  );
  const median = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const t of measured) {
    if (t.ratio === undefined) continue;
    const ratio = median(ratios.get(t.name)!);
    const p99 = median(byTarget.get(t.name)!.map((r) => r.p99));
    const met = ratio >= t.ratio && (t.p99 === undefined || p99 <= t.p99);
    console.log(
      `  ${t.name.padEnd(28)} × ${ratio.toFixed(3)} (target ≥ ${t.ratio})${
        t.p99 ? `, p99 ${p99.toFixed(1)} ms (target ≤ ${t.p99})` : ""
      }: ${met ? "met" : "NOT met"}`,
    );
  }
  const growth = rss.at(-1)! - rss[0];
  console.log(
    `  app RSS per round: ${rss.map((r) => r.toFixed(0)).join(", ")} MiB (${
      growth >= 0 ? "+" : ""
    }${growth.toFixed(0)} MiB first to last)`,
  );
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await app.kill("SIGINT");
  await seed.end();
}
Deno.exit(exitCode);
