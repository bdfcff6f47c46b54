/**
 * Automatic failover with Patroni: a three-member etcd, two PostgreSQL nodes under
 * Patroni in synchronous mode, two app processes on a multi-host DATABASE_URL. Each
 * round SIGKILLs the leader's postmaster under a booking load, with no human step after:
 * Patroni promotes the synchronous standby, the apps find it, and the old leader rejoins
 * as the new standby. Measured per round: time from the kill until bookings succeed
 * again; checked: no acknowledged booking lost, no slot booked twice.
 * Runs in `deno task faults` (SPOTTER_PATRONI=1; SPOTTER_FAULT_ROUNDS rounds).
 */
import assert from "node:assert/strict";
import { connect } from "../db/client.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";
import { PatroniCluster } from "./helpers/patroni.ts";
import { AppProcess } from "./helpers/process.ts";
import { seeder } from "./helpers/remote.ts";
import {
  failOnExit,
  type LoadTarget,
  startLoad,
  summary,
  watchAlive,
} from "./helpers/booking_load.ts";

const ROUNDS = Number(Deno.env.get("SPOTTER_FAULT_ROUNDS") ?? "1");
const ON = Deno.env.get("SPOTTER_PATRONI") === "1";

Deno.test({
  name:
    "Patroni fails the primary over on its own when its postmaster is killed under a booking load: bookings succeed again within 15 s, no 201 is lost, no slot is booked twice",
  ignore: !ON,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const cluster = await PatroniCluster.start();
    const url = cluster.url();
    const servers: AppProcess[] = [];
    try {
      servers.push(
        new AppProcess({ DATABASE_URL: url }),
        new AppProcess({ DATABASE_URL: url }),
      );
      const alive = servers.map(watchAlive);
      await Promise.all(servers.map((s) => s.ready()));
      const exited = failOnExit(servers);
      const seed = seeder(url);
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
        perSlot: 2,
      };
      const load = startLoad(target);
      const booked = (n: number, ms?: number) =>
        Promise.race([load.moreBooked(n, ms), exited]);
      const recoveries: number[] = [];
      /**
       * When bookings succeed again: the first 201 after the first 503 (or no answer). (Transactions already running on the killed postmaster's backends may still
       * commit for a moment after the kill: a 201 then does not mean the failover is over.)
       */
      const recovered = async (from: number) => {
        const started = performance.now();
        let failed = false;
        for (let seen = from;;) {
          for (; seen < load.answers.length; seen++) {
            const { status } = load.answers[seen];
            if (status === 503 || status === 0) failed = true;
            else if (status === 201 && failed) return performance.now();
          }
          if (performance.now() - started > 60_000) {
            throw new Error(`no booking within 60 s: ${summary(load.answers)}`);
          }
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      const leaders: string[] = [];
      try {
        for (let round = 0; round < ROUNDS; round++) {
          await booked(20);
          const from = load.answers.length;
          const killed = performance.now();
          leaders.push(await cluster.killLeaderPostmaster());
          recoveries.push(
            await Promise.race([recovered(from), exited]) - killed,
          );
          await booked(10);
          // The old leader is back as the synchronous standby before the next round.
          await cluster.waitSynchronous(120_000);
        }
      } finally {
        await load.stop();
      }
      const seconds = recoveries.map((ms) => (ms / 1000).toFixed(1));
      console.log(
        `Patroni failover, ${ROUNDS} rounds: bookings again after (s) ${
          seconds.join(", ")
        }; leaders killed ${leaders.join(", ")}; load ${summary(load.answers)}`,
      );
      assert.deepEqual(alive.map((a) => a()), [true, true]);
      for (const a of load.answers) {
        const expected = a.status === 201 || a.status === 503 ||
          (a.status === 409 && a.code === "slot_taken");
        assert.ok(expected, JSON.stringify(a));
      }
      for (const ms of recoveries) {
        assert.ok(ms <= 15_000, `bookings resumed after ${ms} ms`);
      }

      const sql = connect(url, { max: 1 });
      try {
        const rows = await sql<{ id: string }[]>`
          SELECT id FROM appointments
          WHERE trainer_id = ${trainer.id} AND status IN ('scheduled', 'pending')`;
        const ids = new Set(rows.map((r) => r.id));
        const lost = load.answers.filter((a) =>
          a.status === 201 && !ids.has(a.id!)
        );
        console.log(
          `acknowledged ${
            load.answers.filter((a) => a.status === 201).length
          }, lost ${lost.length}`,
        );
        assert.deepEqual(lost, [], "201 bookings missing after failover");
        const [{ overlaps }] = await sql<{ overlaps: number }[]>`
          SELECT count(*)::int AS overlaps FROM appointments a JOIN appointments b
            ON a.trainer_id = b.trainer_id AND a.id < b.id
           AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
          WHERE a.trainer_id = ${trainer.id}
            AND a.status IN ('scheduled', 'pending') AND b.status IN ('scheduled', 'pending')`;
        assert.equal(overlaps, 0, "a slot is booked twice");
      } finally {
        await sql.end();
      }
    } catch (error) {
      console.error(await cluster.logs());
      throw error;
    } finally {
      await Promise.all(servers.map((s) => s.kill()));
      await cluster.destroy();
    }
  },
});
