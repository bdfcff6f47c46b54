/**
 * Backups restore: a seeded database backed up (pg_dump, custom format) and restored
 * into a fresh cluster is the same row for row and serves the app; a backup taken under
 * a booking load holds whole bookings only; a restore refuses a database that is not
 * empty; the daily backup keeps the last BACKUP_KEEP files and a failed one shows on
 * `/healthz?detail`, in the log and in the metrics. Debian's PostgreSQL (pg_cluster.ts)
 * is the server, with its own pg_dump and pg_restore.
 */
import assert from "node:assert/strict";
import { connect, type Sql } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";
import { DEMO_LOGINS, seedDemo } from "../db/seed.ts";
import { backupDatabase, findPgTools, restoreDatabase } from "../db/backup.ts";
import { createBackups } from "../jobs/backup.ts";
import { createLogger, memorySink } from "../lib/log.ts";
import { freePort } from "../db/embedded.ts";
import { scrape } from "../lib/metrics.ts";
import { dbTest, testApp } from "./helpers/app.ts";
import { PgCluster } from "./helpers/pg_cluster.ts";
import { AppProcess } from "./helpers/process.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { remote, seeder } from "./helpers/remote.ts";

/** `deno task backup|restore FILE` with `DATABASE_URL`: exit code and what it printed. */
async function task(url: string, command: string, file: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", command, file],
    cwd: new URL("../", import.meta.url).pathname,
    env: { DATABASE_URL: url, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, output: text(out.stdout) + text(out.stderr) };
}

/** Every row of every table in the public schema, as sorted JSON text per table. */
async function everyRow(sql: Sql): Promise<Record<string, string[]>> {
  const tables = await sql<{ name: string }[]>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'
    ORDER BY tablename`;
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await sql.unsafe<{ row: string }[]>(
      `SELECT to_jsonb(t)::text AS row FROM "${name}" t`,
    );
    out[name] = rows.map((r) => r.row).sort();
  }
  return out;
}

dbTest(
  "a backup restores into a fresh cluster row for row and the app serves it; one taken under a booking load holds whole bookings only; a non-empty database is refused",
  async () => {
    const source = await PgCluster.primary();
    const target = await PgCluster.primary();
    const dir = await Deno.makeTempDir({ prefix: "spotter-backup-" });
    let server: AppProcess | undefined;
    const sql = connect(source.url(), { max: 4 });
    try {
      await migrate(sql);
      assert.ok(await seedDemo(sql, Temporal.Now.instant(), 10));
      const seed = seeder(source.url());
      const trainer = await signUpTrainer(seed);
      const client = await signUpClient(seed, trainer.referralCode);
      const tools = await findPgTools(source.url());

      // A booking load through the app while one backup is taken.
      const from = Temporal.Now.instant().round({
        smallestUnit: "hour",
        roundingMode: "ceil",
      }).add({ hours: 48 });
      const booked: { id: string; answeredAt: number }[] = [];
      let next = 0;
      let running = true;
      const book = async () => {
        while (running) {
          const start = from.add({ minutes: 30 * next++ }).toString();
          const res = await api(seed, "POST", "/api/appointments", {
            token: trainer.token,
            body: { clientId: client.id, start, duration: 30 },
          });
          assert.equal(res.status, 201, JSON.stringify(res.body));
          booked.push({ id: res.body.id, answeredAt: performance.now() });
        }
      };
      const workers = Array.from({ length: 4 }, book);
      while (booked.length < 20) await new Promise((r) => setTimeout(r, 5));
      const backupStarted = performance.now();
      const underLoad = await backupDatabase({
        url: source.url(),
        file: `${dir}/load.dump`,
        tools,
      });
      const bookedDuring = booked.length;
      running = false;
      await Promise.all(workers);
      await seed.end();
      assert.ok(booked.length > bookedDuring - 4 && bookedDuring >= 20);

      // At rest, through the tasks an operator runs.
      const backedUp = await task(source.url(), "backup", `${dir}/quiet.dump`);
      assert.equal(backedUp.code, 0, backedUp.output);
      assert.match(backedUp.output, /Backed up to .*quiet\.dump \(\d+ bytes\)/);
      const quiet = { file: `${dir}/quiet.dump` };
      assert.ok((await Deno.stat(quiet.file)).size > 1000);
      await Deno.stat(`${dir}/quiet.dump.partial`).then(
        () => assert.fail("a partial file was left"),
        () => {},
      );

      // Row for row.
      const restoredBy = await task(target.url(), "restore", quiet.file);
      assert.equal(restoredBy.code, 0, restoredBy.output);
      const restored = connect(target.url(), { max: 2 });
      try {
        const [want, got] = await Promise.all([
          everyRow(sql),
          everyRow(restored),
        ]);
        assert.ok(want.appointments.length >= booked.length);
        assert.deepEqual(Object.keys(got), Object.keys(want));
        for (const table of Object.keys(want)) {
          assert.deepEqual(got[table], want[table], `table ${table} differs`);
        }
      } finally {
        await restored.end();
      }

      // A database that is not empty is refused, and left as it was.
      await assert.rejects(
        restoreDatabase({ url: target.url(), file: underLoad.file, tools }),
        /not empty.*--force/,
      );
      const refused = await task(target.url(), "restore", underLoad.file);
      assert.equal(refused.code, 1);
      assert.match(refused.output, /not empty/);

      // The backup under load: every booking answered before it began is there, and
      // every booking there has all its outbox rows (one transaction, one snapshot).
      await target.psql("postgres", "CREATE DATABASE loaded");
      await restoreDatabase({
        url: target.url("loaded"),
        file: underLoad.file,
        tools,
      });
      const loaded = connect(target.url("loaded"), { max: 1 });
      try {
        const ids = new Set(
          (await loaded<{ id: string }[]>`
            SELECT id FROM appointments WHERE trainer_id = ${trainer.id}`)
            .map((r) => r.id),
        );
        const before = booked.filter((b) => b.answeredAt < backupStarted);
        assert.ok(before.every((b) => ids.has(b.id)), "a booking is missing");
        assert.ok(ids.size <= booked.length);
        const perAppointment = async (db: Sql) =>
          new Map(
            (await db<{ id: string; n: number }[]>`
              SELECT a.id, count(n.id)::int AS n FROM appointments a
              LEFT JOIN notifications n ON n.appointment_id = a.id
              WHERE a.trainer_id = ${trainer.id} GROUP BY a.id`)
              .map((r) => [r.id, r.n]),
          );
        const [full, snap] = await Promise.all([
          perAppointment(sql),
          perAppointment(loaded),
        ]);
        for (const [id, n] of snap) {
          assert.ok(n > 0 && n === full.get(id), `booking ${id} is half there`);
        }
      } finally {
        await loaded.end();
      }

      // The app runs on the restored database and its people sign in.
      server = new AppProcess({ DATABASE_URL: target.url() });
      await server.ready();
      const login = await remote(server.url, "POST", "/api/sessions", {
        body: {
          email: DEMO_LOGINS[0].email,
          password: DEMO_LOGINS[0].password,
        },
      });
      assert.equal(login.status, 200, JSON.stringify(login.body));
      const mine = await remote(server.url, "POST", "/api/sessions", {
        body: { email: trainer.email, password: "password-1" },
      });
      const list = await remote(
        server.url,
        "GET",
        `/api/appointments?from=${from.toString().slice(0, 10)}&to=${
          from.add({ hours: 24 * 60 }).toString().slice(0, 10)
        }`,
        { token: mine.body.token },
      );
      assert.equal(list.status, 200, JSON.stringify(list.body));
    } finally {
      await server?.kill();
      await sql.end();
      await Promise.all([source.destroy(), target.destroy()]);
      await Deno.remove(dir, { recursive: true });
    }
  },
);

dbTest(
  "the daily backup keeps the last BACKUP_KEEP files; a failed one is logged, counted and shown on /healthz?detail",
  async () => {
    const cluster = await PgCluster.primary();
    const dir = await Deno.makeTempDir({ prefix: "spotter-backups-" });
    try {
      const sink = memorySink();
      const log = createLogger({ level: "info", sink });
      let now = Temporal.Instant.from("2026-12-07T03:23:00Z");
      const backups = createBackups({
        url: cluster.url(),
        dir,
        keep: 2,
        log,
        now: () => now,
      });
      assert.equal(await backups.due(), true);
      for (let day = 0; day < 3; day++) {
        await backups.run();
        now = now.add({ hours: 24 });
      }
      const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.deepEqual(files, [
        "spotter-20261208T032300Z.dump",
        "spotter-20261209T032300Z.dump",
      ]);
      const ok = backups.status();
      assert.equal(ok.status, "ok");

      // The database goes away: the next backup fails, and says so everywhere.
      const errorsBefore = (await scrape()).match(
        /^spotter_backups_total\{result="error"\} (\d+)/m,
      )?.[1] ?? "0";
      const failing = createBackups({
        url: `postgres://spotter@127.0.0.1:${freePort()}/spotter`,
        dir,
        keep: 2,
        log,
        now: () => now,
      });
      await failing.run();
      const status = failing.status();
      assert.equal(status.status, "failed");
      assert.match(
        (status as { error: string }).error,
        /unreachable/,
      );
      const line = sink.lines.map((l) => JSON.parse(l)).at(-1);
      assert.deepEqual([line.level, line.job, line.result], [
        "error",
        "backup",
        "error",
      ]);
      const errorsAfter = (await scrape()).match(
        /^spotter_backups_total\{result="error"\} (\d+)/m,
      )?.[1];
      assert.equal(Number(errorsAfter), Number(errorsBefore) + 1);
      const t = await testApp({ deps: { backupStatus: failing.status } });
      const plain = await t.app.request("/healthz");
      assert.deepEqual(await plain.json(), { ok: true });
      const detail = await t.app.request("/healthz?detail");
      assert.equal(detail.status, 200);
      const body = await detail.json();
      assert.equal(body.database, "ok");
      assert.equal(body.backup.status, "failed");
      assert.match(body.backup.error, /unreachable/);
      // Three files were made, two kept, and the failure removed none.
      assert.equal([...Deno.readDirSync(dir)].length, 2);
    } finally {
      await cluster.destroy();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
