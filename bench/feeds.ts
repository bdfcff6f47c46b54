/**
 * Calendar feed benchmark, in process (no HTTP socket), on a fresh embedded cluster.
 *
 *   deno run -A bench/feeds.ts
 *
 * A trainer with SESSIONS sessions (one client each of CLIENTS, notes on each) inside the
 * feed's window. Measures, REQUESTS times each in alternation: the full feed (200), the
 * same fetch with its ETag (304, what a calendar app polling every few minutes gets while
 * nothing changed), and GET /healthz (one query) as the same-run baseline. Prints bytes
 * and latencies; nothing asserts on time.
 */
import { testApp } from "../tests/helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "../tests/helpers/http.ts";

const SESSIONS = 500;
const CLIENTS = 20;
const REQUESTS = Number(Deno.env.get("REQUESTS") ?? 300);

const t = await testApp({ now: "2026-12-01T08:00:00Z" });
const trainer = await signUpTrainer(t);
const clients = [];
for (let i = 0; i < CLIENTS; i++) {
  clients.push(await signUpClient(t, trainer.referralCode, `Client ${i}`));
}
const first = Temporal.Instant.from("2026-12-02T06:00:00Z");
for (let i = 0; i < SESSIONS; i++) {
  const res = await api(t, "POST", "/api/appointments", {
    token: trainer.token,
    body: {
      clientId: clients[i % CLIENTS].id,
      start: first.add({ hours: 3 * i }).toString(),
      duration: 60,
      notes: `Session ${i}: knee rehab, no deep squats; bring a towel.`,
    },
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
}
console.log(`${SESSIONS} sessions booked`);
const feed = new URL(
  (await api(t, "GET", "/api/feeds", { token: trainer.token })).body.url,
).pathname;
const full = await t.app.request(feed);
const body = await full.text();
const etag = full.headers.get("ETag")!;

const timings: Record<string, number[]> = { full: [], etag: [], healthz: [] };
const runs: Record<string, () => Response | Promise<Response>> = {
  full: () => t.app.request(feed),
  etag: () => t.app.request(feed, { headers: { "If-None-Match": etag } }),
  healthz: () => t.app.request("/healthz"),
};
for (let i = 0; i < REQUESTS; i++) {
  for (const [name, run] of Object.entries(runs)) {
    const started = performance.now();
    const res = await run();
    await res.arrayBuffer();
    timings[name].push(performance.now() - started);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
console.log(
  `feed of ${SESSIONS} sessions: ${body.length} bytes (200), 0 bytes (304)`,
);
for (const [name, xs] of Object.entries(timings)) {
  console.log(
    `${name.padEnd(8)} median ${median(xs).toFixed(2)} ms, p95 ${
      p95(xs).toFixed(2)
    } ms`,
  );
}
console.log(
  `304 / 200 time: ${(median(timings.etag) / median(timings.full)).toFixed(2)}`,
);
await t.sql.end();
