/**
 * PostgreSQL restarts under a booking load, against two real app processes on their own
 * cluster: the apps stay up, answer 503 `unavailable` while the database is away, book
 * again soon after it is back, and every booking answered 201 is in the database.
 * `deno task faults` runs more rounds (SPOTTER_FAULT_ROUNDS).
 */
import assert from "node:assert/strict";
import { connect } from "../db/client.ts";
import { dbTest } from "./helpers/app.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";
import { PgCluster, type StopMode } from "./helpers/pg_cluster.ts";
import { AppProcess } from "./helpers/process.ts";
import { seeder } from "./helpers/remote.ts";
import {
  type Answer,
  bookNth,
  failOnExit,
  fetchFrom,
  type LoadTarget,
  startLoad,
  summary,
  watchAlive,
} from "./helpers/booking_load.ts";

const ROUNDS = Number(Deno.env.get("SPOTTER_FAULT_ROUNDS") ?? "1");

/** Milliseconds from now until a booking through `server` is answered 201. */
async function untilBooked(target: LoadTarget, server: number, from: number) {
  const started = performance.now();
  for (let n = from;; n += target.servers.length) {
    const answer = await bookNth(target, n);
    if (answer.status === 201) {
      return { ms: performance.now() - started, answer };
    }
    assert.equal(answer.status, 503, JSON.stringify(answer));
    assert.equal(answer.server, server);
    if (performance.now() - started > 10_000) {
      throw new Error(`server ${server} did not book again within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

dbTest(
  "two app processes survive PostgreSQL restarts (fast and immediate) under a booking load and lose no booking",
  async () => {
    const cluster = await PgCluster.primary();
    const servers = [
      new AppProcess({ DATABASE_URL: cluster.url() }),
      new AppProcess({ DATABASE_URL: cluster.url() }),
    ];
    const alive = servers.map(watchAlive);
    try {
      await Promise.all(servers.map((s) => s.ready()));
      const seed = seeder(cluster.url());
      const trainer = await signUpTrainer(seed);
      const clients = [];
      for (let i = 0; i < 3; i++) {
        clients.push(await signUpClient(seed, trainer.referralCode, `C${i}`));
      }
      await seed.end();
      const target: LoadTarget = {
        servers,
        token: trainer.token,
        clientIds: clients.map((c) => c.id),
        from: Temporal.Now.instant().round({
          smallestUnit: "hour",
          roundingMode: "ceil",
        }).add({ hours: 48 }),
      };
      const load = startLoad(target);
      // A process that exits fails the test at once, with what it printed.
      const exited = failOnExit(servers);
      const booked = (n: number) => Promise.race([load.moreBooked(n), exited]);
      const probes: Answer[] = [];
      const recoveries: number[] = [];
      let probeN = 1_000_000; // far from the load's sessions
      try {
        for (let round = 0; round < ROUNDS; round++) {
          for (const mode of ["fast", "immediate"] as StopMode[]) {
            // The restart that used to end both processes half a second later.
            await booked(10);
            await cluster.restart(mode);
            await booked(10);

            // An outage long enough to look at what the apps answer meanwhile.
            await cluster.stop(mode);
            for (const [i, s] of servers.entries()) {
              const health = await fetchFrom(s, "/healthz");
              assert.equal(health.status, 503, `healthz of server ${i}`);
              assert.deepEqual(await health.json(), { ok: false });
              const probe = await bookNth(target, probeN + i);
              probes.push(probe);
              assert.equal(probe.status, 503, JSON.stringify(probe));
              assert.equal(probe.code, "unavailable");
              assert.equal(probe.retryAfter, "2");
              const page = await fetchFrom(s, "/appointments", {
                headers: { Authorization: `Bearer ${trainer.token}` },
              });
              const html = await page.text();
              assert.equal(page.status, 503);
              assert.match(html, /Briefly unavailable/);
              assert.match(html, /try again in a few seconds/);
            }
            probeN += 2;
            await cluster.start();
            // PostgreSQL accepts connections again (pg_ctl -w returned): each app books
            // within 2 s, without a restart.
            for (const i of servers.keys()) {
              const { ms, answer } = await untilBooked(target, i, probeN + i);
              probes.push(answer);
              recoveries.push(ms);
            }
            probeN += 2 * 1000;
            const health = await fetchFrom(servers[0], "/healthz");
            assert.equal(health.status, 200);
            await health.body?.cancel();
          }
        }
        await booked(10);
      } finally {
        await load.stop();
      }
      console.log(
        `load: ${summary(load.answers)}; recovery after start (ms): ${
          recoveries.map((ms) => Math.round(ms)).join(", ")
        }`,
      );

      assert.deepEqual(alive.map((a) => a()), [true, true], servers[0].output);
      for (const s of servers) assert.doesNotMatch(s.output, /Uncaught/);
      for (const ms of recoveries) {
        assert.ok(ms < 2_000, `recovered in ${ms} ms`);
      }
      // Only 201 (booked) and 503 (database away, outcome unknown) were answered.
      const answers = [...load.answers, ...probes];
      for (const a of answers) {
        assert.ok([201, 503].includes(a.status), JSON.stringify(a));
      }
      assert.ok(
        load.count(503) > 0,
        `no 503 under load: ${summary(load.answers)}`,
      );

      const acknowledged = answers.filter((a) => a.status === 201);
      const sql = connect(cluster.url(), { max: 1 });
      try {
        const rows = await sql<{ id: string }[]>`
          SELECT id FROM appointments WHERE id = ANY(${
          acknowledged.map((a) => a.id!)
        }::uuid[])`;
        assert.equal(
          rows.length,
          acknowledged.length,
          "a 201 booking is missing",
        );
      } finally {
        await sql.end();
      }
    } finally {
      await Promise.all(servers.map((s) => s.kill()));
      await cluster.destroy();
    }
  },
);
