/**
 * A primary failover under a booking load: a primary with a synchronous standby
 * (streaming replication, Debian's PostgreSQL on loopback), two app processes on a
 * multi-host DATABASE_URL with target_session_attrs=read-write, the primary killed
 * (`pg_ctl stop -m immediate`) and the standby promoted. Every booking answered 201 is
 * on the new primary, no slot is booked twice, and the apps book again without a restart.
 * `deno task faults` runs more rounds (SPOTTER_FAULT_ROUNDS): each promoted primary
 * gets a fresh standby and is failed over in turn.
 */
import assert from "node:assert/strict";
import { connect } from "../db/client.ts";
import { dbTest } from "./helpers/app.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";
import { PgCluster } from "./helpers/pg_cluster.ts";
import { AppProcess } from "./helpers/process.ts";
import { remote, seeder } from "./helpers/remote.ts";
import {
  type Answer,
  failOnExit,
  fetchFrom,
  type LoadTarget,
  startLoad,
  summary,
  watchAlive,
} from "./helpers/booking_load.ts";

const ROUNDS = Number(Deno.env.get("SPOTTER_FAULT_ROUNDS") ?? "1");

/** `node` (reserved) follows `primary` as its synchronous standby `name`. */
async function syncStandby(node: PgCluster, primary: PgCluster, name: string) {
  await node.follow(primary, name);
  await primary.configure({ synchronous_standby_names: name });
  await primary.reload();
  for (let tries = 0;; tries++) {
    const state = await primary.psql(
      "postgres",
      `SELECT sync_state FROM pg_stat_replication WHERE application_name = '${name}'`,
    );
    if (state.trim() === "sync") return node;
    if (tries > 500) throw new Error(`${name} is not a synchronous standby`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every node, standbys first: the order must not matter, only which one accepts writes. */
const multiHostUrl = (nodes: readonly PgCluster[]) =>
  `postgres://spotter@${
    nodes.toReversed().map((n) => `127.0.0.1:${n.port}`).join(",")
  }/spotter?target_session_attrs=read-write`;

dbTest(
  "a primary killed under a booking load and its synchronous standby promoted: every 201 booking is on the new primary, none twice, and the apps book again",
  async () => {
    // Round r fails node r over to node r + 1; the URL names every node from the start.
    const nodes = [await PgCluster.primary()];
    for (let round = 0; round < ROUNDS; round++) {
      nodes.push(await PgCluster.reserve());
    }
    await syncStandby(nodes[1], nodes[0], "standby1");
    const url = multiHostUrl(nodes);
    const servers = [
      new AppProcess({ DATABASE_URL: url }),
      new AppProcess({ DATABASE_URL: url }),
    ];
    const alive = servers.map(watchAlive);
    try {
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
        perSlot: 2, // two requests per slot, through both processes: one wins
      };
      const load = startLoad(target);
      const booked = (n: number) => Promise.race([load.moreBooked(n), exited]);
      const recoveries: number[] = [];
      try {
        for (let round = 0; round < ROUNDS; round++) {
          await booked(20);
          await nodes[round].stop("immediate");
          // No host accepts writes until the promotion: answers come at once, and say so.
          for (const s of servers) {
            const health = await fetchFrom(s, "/healthz", {
              signal: AbortSignal.timeout(10_000),
            });
            assert.equal(health.status, 503);
            await health.body?.cancel();
          }
          await nodes[round + 1].promote();
          const promoted = performance.now();
          await booked(1);
          recoveries.push(performance.now() - promoted);
          await booked(20);
          if (round + 1 < ROUNDS) {
            await syncStandby(
              nodes[round + 2],
              nodes[round + 1],
              `standby${round + 2}`,
            );
          }
        }
      } finally {
        await load.stop();
      }
      console.log(
        `load: ${summary(load.answers)}; first 201 after promotion (ms): ${
          recoveries.map((ms) => Math.round(ms)).join(", ")
        }`,
      );

      assert.deepEqual(alive.map((a) => a()), [true, true]);
      for (const s of servers) assert.doesNotMatch(s.output, /Uncaught/);
      const answers: Answer[] = load.answers;
      for (const a of answers) {
        const expected = a.status === 201 || a.status === 503 ||
          (a.status === 409 && a.code === "slot_taken");
        assert.ok(expected, JSON.stringify(a));
      }
      // Both processes book after the (last) failover, without a restart: each books a
      // slot of its own far past the load's (under the load, one process may win every
      // slot both ask for, so the load's last answers cannot tell).
      for (const [server, s] of servers.entries()) {
        const start = target.from.add({ minutes: 30 * (100_000 + server) })
          .toString();
        const res = await remote(s.url, "POST", "/api/appointments", {
          token: trainer.token,
          body: { clientId: clients[0].id, start, duration: 30 },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        answers.push({
          status: 201,
          id: res.body.id,
          start,
          server,
          retryAfter: null,
        });
      }

      const sql = connect(url, { max: 1 });
      try {
        const acknowledged = answers.filter((a) => a.status === 201);
        const rows = await sql<{ id: string; start: string }[]>`
          SELECT id, starts_at::text AS start FROM appointments
          WHERE trainer_id = ${trainer.id} AND status IN ('scheduled', 'pending')`;
        const ids = new Set(rows.map((r) => r.id));
        const lost = acknowledged.filter((a) => !ids.has(a.id!));
        assert.deepEqual(lost, [], "201 bookings missing on the new primary");
        const [{ overlaps }] = await sql<{ overlaps: number }[]>`
          SELECT count(*)::int AS overlaps FROM appointments a JOIN appointments b
            ON a.trainer_id = b.trainer_id AND a.id < b.id
           AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
          WHERE a.trainer_id = ${trainer.id}
            AND a.status IN ('scheduled', 'pending') AND b.status IN ('scheduled', 'pending')`;
        assert.equal(overlaps, 0, "a slot is booked twice");
        // A slot answered slot_taken is really taken: no failure for a booking that exists
        // elsewhere only in the answer.
        const taken = new Set(
          rows.map((r) => Temporal.Instant.from(r.start).epochMilliseconds),
        );
        for (const a of answers.filter((a) => a.status === 409)) {
          assert.ok(
            taken.has(Temporal.Instant.from(a.start).epochMilliseconds),
            `slot_taken for a free slot: ${JSON.stringify(a)}`,
          );
        }
      } finally {
        await sql.end();
      }
    } finally {
      await Promise.all(servers.map((s) => s.kill()));
      await Promise.all(nodes.map((n) => n.destroy()));
    }
  },
);
