/**
 * `/healthz` while 120 sign-ups arrive at once (each a 32 MiB scrypt at the production
 * cost), against one real server process. Prints the health check's worst and median
 * answer time beside its idle median measured in the same run.
 *
 *   deno run -A bench/signup_hashing.ts
 */
import { freshDatabaseUrl } from "../tests/helpers/db.ts";
import { AppProcess } from "../tests/helpers/process.ts";
import { remote } from "../tests/helpers/remote.ts";

const SIGN_UPS = 120;
const url = await freshDatabaseUrl();
const server = new AppProcess({ DATABASE_URL: url, TRUST_PROXY: "1" });
await server.ready();

async function probe(until: () => boolean): Promise<number[]> {
  const times: number[] = [];
  do {
    const started = performance.now();
    const res = await fetch(`${server.url}/healthz`);
    await res.body?.cancel();
    times.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 20));
  } while (!until());
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

let n = 0;
const idle = await probe(() => ++n >= 20);
let done = false;
const started = performance.now();
const signUps = Promise.all(
  Array.from(
    { length: SIGN_UPS },
    (_, i) =>
      remote(server.url, "POST", "/api/trainers", {
        body: {
          name: "Bench",
          email: `bench-${i}-${crypto.randomUUID()}@example.test`,
          password: "bench-password-1",
          timezone: "UTC",
        },
        // One address each: the per-address sign-up budget is not what is measured.
        headers: { "X-Forwarded-For": `10.${i >> 8}.${i & 255}.1` },
      }),
  ),
).finally(() => done = true);
const busy = await probe(() => done);
const results = await signUps;
const elapsed = performance.now() - started;
await server.kill();

const created = results.filter((r) => r.status === 201).length;
console.log(
  `${created}/${SIGN_UPS} sign-ups in ${(elapsed / 1000).toFixed(1)} s`,
);
console.log(`healthz idle median ${median(idle).toFixed(1)} ms`);
console.log(
  `healthz under sign-ups: median ${median(busy).toFixed(1)} ms, worst ${
    Math.max(...busy).toFixed(1)
  } ms (${busy.length} probes)`,
);
Deno.exit(0);
