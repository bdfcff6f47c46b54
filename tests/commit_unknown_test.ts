/**
 * A booking whose connection dies during COMMIT has an unknown outcome for the app: it
 * answers 503 `unavailable` ("check My appointments"), never a failure, and a retry with
 * the same Idempotency-Key answers what really happened. The COMMIT is held by a
 * synchronous standby that does not exist, then its backend is terminated: the
 * transaction has committed locally, as when a primary dies before its standby answers.
 */
import assert from "node:assert/strict";
import { migrate } from "../db/migrate.ts";
import { dbTest } from "./helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { PgCluster } from "./helpers/pg_cluster.ts";
import { seeder } from "./helpers/remote.ts";

/** Waits until a Spotter backend not in `seen` waits for the synchronous standby. */
function waitingInCommit(cluster: PgCluster, seen: Set<string>) {
  return waitingFor(cluster, seen, "SyncRep");
}

/** Waits until a Spotter backend not in `seen` waits for `event` (pg_stat_activity). */
async function waitingFor(
  cluster: PgCluster,
  seen: Set<string>,
  event: "SyncRep" | "advisory",
) {
  for (let tries = 0; tries < 500; tries++) {
    const out = await cluster.psql(
      "postgres",
      `SELECT pid FROM pg_stat_activity
       WHERE application_name = 'spotter' AND wait_event = '${event}'`,
    );
    const pid = out.trim().split("\n").find((p) => p && !seen.has(p));
    if (pid) {
      seen.add(pid);
      return pid;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no booking waiting for ${event}`);
}

const holdCommits = (cluster: PgCluster) =>
  cluster.psql(
    "postgres",
    "ALTER SYSTEM SET synchronous_standby_names = 'absent'",
    "SELECT pg_reload_conf()",
  );
const releaseCommits = (cluster: PgCluster) =>
  cluster.psql(
    "postgres",
    "ALTER SYSTEM RESET synchronous_standby_names",
    "SELECT pg_reload_conf()",
  );
const terminate = (cluster: PgCluster, pid: string) =>
  cluster.psql("postgres", `SELECT pg_terminate_backend(${pid})`);

async function world() {
  const cluster = await PgCluster.primary();
  const seed = seeder(cluster.url());
  await migrate(seed.sql);
  const trainer = await signUpTrainer(seed);
  const client = await signUpClient(seed, trainer.referralCode);
  const from = Temporal.Now.instant().round({
    smallestUnit: "hour",
    roundingMode: "ceil",
  }).add({ hours: 48 });
  const booking = (n: number) => ({
    clientId: client.id,
    start: from.add({ minutes: 30 * n }).toString(),
    duration: 30,
  });
  // Used once before commits are held: its "last used" note is not among the commits cut.
  await api(seed, "GET", "/api/appointments", { token: trainer.token });
  const rows = async () =>
    (await seed.sql<{ id: string }[]>`
      SELECT id FROM appointments WHERE trainer_id = ${trainer.id} ORDER BY starts_at`)
      .map((r) => r.id);
  return { cluster, seed, trainer, booking, rows };
}

dbTest(
  "a booking cut off during COMMIT answers 503 'check My appointments', and its Idempotency-Key retry answers the booking it made",
  async () => {
    const { cluster, seed, trainer, booking, rows } = await world();
    try {
      await holdCommits(cluster);
      const key = crypto.randomUUID();
      const first = api(seed, "POST", "/api/appointments", {
        token: trainer.token,
        body: booking(0),
        headers: { "Idempotency-Key": key },
      });
      await terminate(cluster, await waitingInCommit(cluster, new Set()));
      const cut = await first;
      assert.equal(cut.status, 503, JSON.stringify(cut.body));
      assert.equal(cut.body.error.code, "unavailable");
      assert.match(cut.body.error.message, /Check My appointments/);
      assert.match(cut.body.error.message, /Idempotency-Key/);
      assert.equal(cut.headers.get("Retry-After"), "2");
      await releaseCommits(cluster);

      // It did commit; the retry with the key says so with the first booking.
      const [id] = await rows();
      assert.ok(id, "the cut-off booking committed");
      const retry = await api(seed, "POST", "/api/appointments", {
        token: trainer.token,
        body: booking(0),
        headers: { "Idempotency-Key": key },
      });
      assert.equal(retry.status, 201, JSON.stringify(retry.body));
      assert.equal(retry.body.id, id);
      assert.deepEqual(await rows(), [id]);
      const mine = await api(seed, "GET", "/api/appointments", {
        token: trainer.token,
      });
      assert.deepEqual(
        mine.body.appointments.map((a: { id: string }) => a.id),
        [
          id,
        ],
      );
    } finally {
      await seed.end();
      await cluster.destroy();
    }
  },
);

dbTest(
  "bookings queued on the trainer's lock, each cut off during COMMIT, all answer 503, none slot_taken, though they committed",
  async () => {
    const { cluster, seed, trainer, booking, rows } = await world();
    try {
      await holdCommits(cluster);
      // One transaction each: every next one gets the trainer's lock once the one
      // ahead of it has been cut off in its COMMIT.
      const answers = [0, 1, 2, 3, 4].map((n) =>
        api(seed, "POST", "/api/appointments", {
          token: trainer.token,
          body: booking(n),
        })
      );
      const seen = new Set<string>();
      for (let i = 0; i < 5; i++) {
        await terminate(cluster, await waitingInCommit(cluster, seen));
      }
      await releaseCommits(cluster);
      const results = await Promise.all(answers);
      for (const r of results) {
        assert.equal(r.status, 503, JSON.stringify(r.body));
        assert.equal(r.body.error.code, "unavailable");
      }
      assert.equal((await rows()).length, 5, "all five committed");
    } finally {
      await seed.end();
      await cluster.destroy();
    }
  },
);

dbTest(
  "a booking cut off before COMMIT answers 503 too, and its Idempotency-Key retry books it then",
  async () => {
    const { cluster, seed, trainer, booking, rows } = await world();
    try {
      await holdCommits(cluster);
      // The first booking holds the trainer's lock in COMMIT; the keyed one waits for it.
      const ahead = api(seed, "POST", "/api/appointments", {
        token: trainer.token,
        body: booking(0),
      });
      const seen = new Set<string>();
      await waitingInCommit(cluster, seen);
      const key = crypto.randomUUID();
      const keyed = api(seed, "POST", "/api/appointments", {
        token: trainer.token,
        body: booking(1),
        headers: { "Idempotency-Key": key },
      });
      await terminate(cluster, await waitingFor(cluster, seen, "advisory"));
      const cut = await keyed;
      assert.equal(cut.status, 503, JSON.stringify(cut.body));
      assert.equal(cut.body.error.code, "unavailable");
      await releaseCommits(cluster);
      assert.equal((await ahead).status, 201);
      assert.equal(
        (await rows()).length,
        1,
        "the cut-off booking did not commit",
      );

      const retry = await api(seed, "POST", "/api/appointments", {
        token: trainer.token,
        body: booking(1),
        headers: { "Idempotency-Key": key },
      });
      assert.equal(retry.status, 201, JSON.stringify(retry.body));
      assert.equal((await rows()).length, 2);
      assert.ok((await rows()).includes(retry.body.id));
    } finally {
      await seed.end();
      await cluster.destroy();
    }
  },
);
