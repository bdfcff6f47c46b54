import assert from "node:assert/strict";
import { connect } from "../db/client.ts";
import { listMigrations } from "../db/migrate.ts";
import { DEMO_LOGINS } from "../db/seed.ts";
import { dbTest } from "./helpers/app.ts";
import { emptyDatabaseUrl } from "./helpers/db.ts";
import { AppProcess } from "./helpers/process.ts";

dbTest(
  "two processes starting at once against one empty database both come up and migrate once",
  async () => {
    const url = await emptyDatabaseUrl();
    const a = new AppProcess({ DATABASE_URL: url });
    const b = new AppProcess({ DATABASE_URL: url });
    try {
      await Promise.all([a.ready(), b.ready()]);
      const sql = connect(url, { max: 1 });
      const rows =
        await sql`SELECT version FROM schema_migrations ORDER BY version`;
      await sql.end();
      assert.deepEqual(
        rows.map((r) => r.version),
        (await listMigrations()).map((m) => m.version),
      );
      // With DATABASE_URL set, no demo data is created.
      assert.ok(
        !a.output.includes("Demo data") && !b.output.includes("Demo data"),
      );
    } finally {
      await Promise.all([a.kill(), b.kill()]);
    }
  },
);

dbTest(
  "the embedded database is created and seeded once, reused after a restart, and recovered after a crash",
  async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "spotter-data-" });
    await Deno.chmod(dataDir, 0o755);
    const env = { DATA_DIR: dataDir, DATABASE_URL: "", TEST_DATABASE_URL: "" };
    try {
      const first = new AppProcess(env);
      await first.ready();
      assert.match(first.output, /Demo data is ready/);
      assert.match(first.output, new RegExp(DEMO_LOGINS[0].email));
      const status = await first.kill("SIGTERM");
      assert.equal(status.success, true, first.output);
      await assert.rejects(
        Deno.stat(`${dataDir}/pg/postmaster.pid`),
        "postgres stopped with the app",
      );

      const second = new AppProcess(env);
      await second.ready();
      assert.doesNotMatch(
        second.output,
        /Applied migrations|Demo data is ready/,
      );
      const res = await fetch(`${second.url}/api/sessions`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          email: DEMO_LOGINS[1].email,
          password: DEMO_LOGINS[1].password,
        }),
      });
      assert.equal(res.status, 200);
      const login = await res.json();
      assert.equal(login.role, "client");
      // The demo client has a history and something coming up.
      const list = await fetch(`${second.url}/api/appointments`, {
        headers: { Authorization: `Bearer ${login.token}` },
      }).then((r) => r.json());
      const statuses = new Set(
        list.appointments.map((a: { status: string }) => a.status),
      );
      assert.ok(
        statuses.has("scheduled") && statuses.has("completed"),
        [...statuses].join(),
      );

      // A second app on the same data directory refuses, and the first keeps running.
      const clash = new AppProcess(env);
      const clashed = await clash.exited;
      assert.equal(clashed.code, 1);
      assert.match(clash.output, /Another Spotter \(pid \d+\) is using/);
      assert.equal((await fetch(`${second.url}/healthz`)).status, 200);
      // A taken port is said plainly, before anything starts.
      const busyPort = new AppProcess(env, Number(new URL(second.url).port));
      assert.equal((await busyPort.exited).code, 1);
      assert.match(busyPort.output, /Port \d+ is in use/);

      // A killed app leaves its postgres behind; the next start stops it and goes on.
      await second.kill("SIGKILL");
      const third = new AppProcess(env);
      await third.ready();
      assert.match(third.output, /left running/);
      assert.equal((await third.kill("SIGTERM")).success, true, third.output);
    } finally {
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
);
