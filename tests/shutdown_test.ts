/**
 * Graceful shutdown: SIGTERM during a booking load lets the requests in flight finish
 * (every booking the server took on is answered, and every 201 is in the database), and
 * a delivery pass that is stopped hands its claimed, untried outbox rows back.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";
import { AppProcess } from "./helpers/process.ts";
import { seeder } from "./helpers/remote.ts";
import { FakeSmtp } from "./helpers/fake_smtp.ts";
import { insertSession } from "./helpers/notify.ts";
import { createMailer } from "../jobs/mailer.ts";
import { deliverDue } from "../jobs/deliver.ts";
import { connect } from "../db/client.ts";

type Sent = {
  start: string;
  sentAt: number;
  answeredAt?: number;
  status?: number;
  id?: string;
  /** Why no HTTP answer came (fetch's error), if none did. */
  error?: string;
};

dbTest(
  "SIGTERM during a booking load: requests in flight are answered, every 201 is in the database, none the server took on is lost, and it exits 0",
  async () => {
    const url = await freshDatabaseUrl();
    const server = new AppProcess({ DATABASE_URL: url, LOG_LEVEL: "info" });
    try {
      await server.ready();
      const seed = seeder(url);
      const trainer = await signUpTrainer(seed);
      const client = await signUpClient(seed, trainer.referralCode);
      await seed.end();
      const from = Temporal.Now.instant().round({
        smallestUnit: "hour",
        roundingMode: "ceil",
      }).add({ hours: 48 });

      const sent: Sent[] = [];
      let next = 0;
      let running = true;
      const book = async () => {
        while (running) {
          const start = from.add({ minutes: 30 * next++ }).toString();
          const entry: Sent = { start, sentAt: performance.now() };
          sent.push(entry);
          try {
            const res = await fetch(`${server.url}/api/appointments`, {
              method: "POST",
              headers: {
                Authorization: `Bearer ${trainer.token}`,
                "Content-Type": "application/json",
              },
              body: JSON.stringify({
                clientId: client.id,
                start,
                duration: 30,
              }),
              signal: AbortSignal.timeout(15_000),
            });
            const body = await res.json();
            entry.status = res.status;
            entry.id = body.id;
          } catch (error) {
            entry.error = String(error);
            await new Promise((r) => setTimeout(r, 5));
          }
          entry.answeredAt = performance.now();
        }
      };
      const workers = Array.from({ length: 8 }, book);
      while (sent.filter((s) => s.status === 201).length < 40) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const signalledAt = performance.now();
      server.kill("SIGTERM");
      const status = await server.exited;
      const exitedAt = performance.now();
      running = false;
      await Promise.all(workers);

      assert.equal(status.code, 0, server.output.slice(-3000));
      assert.doesNotMatch(server.output, /Uncaught|error/i);
      // Requests sent before the signal and answered after it were in flight: drained.
      const inFlight = sent.filter((s) =>
        s.sentAt < signalledAt && s.answeredAt! > signalledAt &&
        s.status !== undefined
      );
      assert.ok(inFlight.length >= 1, "no request was in flight at SIGTERM");
      for (const s of sent) {
        if (s.status !== undefined) {
          assert.equal(s.status, 201, JSON.stringify(s));
        } else {
          // Only a connection the server no longer takes: refused or closed unanswered.
          assert.doesNotMatch(s.error!, /TimeoutError|timed out/i, s.error);
        }
      }
      const sql = connect(url, { max: 1 });
      try {
        const rows = await sql<{ id: string; start: Date }[]>`
          SELECT id, starts_at AS start FROM appointments
          WHERE trainer_id = ${trainer.id}`;
        const stored = new Set(rows.map((r) => r.id));
        const acknowledged = sent.filter((s) => s.status === 201);
        const lost = acknowledged.filter((s) => !stored.has(s.id!));
        assert.deepEqual(lost, [], "201 bookings missing from the database");
        // A booking the server wrote was answered: no request was cut off mid-way.
        assert.equal(rows.length, acknowledged.length);
        // The pool was closed, not dropped: no connection of the app is left.
        const [{ left }] = await sql<{ left: number }[]>`
          SELECT count(*)::int AS left FROM pg_stat_activity
          WHERE application_name = 'spotter' AND pid <> pg_backend_pid()
            AND datname = current_database()`;
        assert.equal(left, 0);
      } finally {
        await sql.end();
      }
      const lines = server.output.split("\n").filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l));
      assert.ok(
        lines.some((l) => l.msg === "shutdown" && l.phase === "stopped"),
      );
      console.log(
        `${sent.length} requests, ${inFlight.length} in flight at SIGTERM, ` +
          `exit ${Math.round(exitedAt - signalledAt)} ms after it`,
      );
    } finally {
      await server.kill("SIGKILL");
    }
  },
);

dbTest(
  "a delivery pass stopped mid-way sends nothing more and hands its claimed, untried rows back without counting an attempt",
  async () => {
    const t = await testApp({ now: "2026-12-01T08:00:00Z" });
    const smtp = await FakeSmtp.start();
    const mailer = createMailer({
      smtpUrl: smtp.url,
      from: "Spotter <no-reply@spotter.test>",
    });
    try {
      const trainer = await signUpTrainer(t);
      const client = await signUpClient(t, trainer.referralCode);
      for (let day = 2; day <= 6; day++) {
        await insertSession(t.sql, {
          trainerId: trainer.id,
          clientId: client.id,
          start: `2026-12-0${day}T09:00:00Z`,
          now: t.clock.now(),
        });
      }
      const due = await t.sql`
        SELECT id FROM notifications WHERE next_attempt_at <= ${new Date(
        t.clock.now().epochMilliseconds,
      )}`;
      assert.equal(due.length, 5);
      // Confirmed addresses: unconfirmed ones get no e-mail.
      await t.sql`UPDATE users SET email_verified_at = created_at
        WHERE email_verified_at IS NULL`;
      // The process is told to stop while its first message is being sent.
      const stop = new AbortController();
      const received = smtp.received as unknown as {
        push: (m: unknown) => void;
      };
      const push = received.push.bind(received);
      received.push = (m) => {
        stop.abort();
        push(m);
      };
      const report = await deliverDue({
        sql: t.sql,
        now: t.clock.now(),
        appUrl: t.deps.config.appUrl,
        mailer,
        concurrency: 1,
        signal: stop.signal,
      });
      assert.equal(smtp.received.length, 1);
      assert.deepEqual(
        { sent: report.sent, released: report.released },
        { sent: 1, released: 4 },
      );
      const rows = await t.sql<
        { status: string; attempts: number; claimed_until: Date | null }[]
      >`
        SELECT status, attempts, claimed_until FROM notifications
        WHERE id = ANY(${due.map((r) => r.id)}::uuid[]) AND status <> 'sent'`;
      assert.deepEqual(
        rows.map((r) => [r.status, r.attempts, r.claimed_until]),
        Array(4).fill(["pending", 0, null]),
      );
      // The next pass (here or in another process) sends them at once.
      const again = await deliverDue({
        sql: t.sql,
        now: t.clock.now(),
        appUrl: t.deps.config.appUrl,
        mailer,
      });
      assert.equal(again.sent, 4);
      assert.equal(smtp.received.length, 5);
    } finally {
      mailer.close();
      await smtp.close();
    }
  },
);
