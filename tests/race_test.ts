/**
 * Double booking across real processes: two `deno run main.ts` servers on one
 * database, bursts of concurrent requests for one slot spread over both.
 * The processes are started once for the file and stopped after its last test
 * (or, when tests are filtered out, on unload).
 */
import assert from "node:assert/strict";
import { connect, sqlState } from "../db/client.ts";
import { dbTest } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";
import { AppProcess } from "./helpers/process.ts";
import { remote, seeder } from "./helpers/remote.ts";

const ZONE = "Europe/Berlin";
const CLIENTS = 50;

const url = await freshDatabaseUrl();
const sql = connect(url, { max: 4 });
const seed = seeder(url);
const servers = [
  new AppProcess({ DATABASE_URL: url }),
  new AppProcess({ DATABASE_URL: url }),
];
globalThis.addEventListener("unload", () => {
  for (const s of servers) s.kill();
});

/** One trainer with 50 clients, created once (cheaply, in process) for every test. */
const world = (async () => {
  await Promise.all(servers.map((s) => s.ready()));
  const trainer = await signUpTrainer(seed);
  const clients = [];
  for (let i = 0; i < CLIENTS; i++) {
    clients.push(
      await signUpClient(seed, trainer.referralCode, `Racer ${i + 1}`),
    );
  }
  return { trainer, clients };
})();
world.catch(() => {}); // reported by every test that awaits it

/** The processes are stopped once every test of this file has finished. */
let pending = 0;
const raceTest = (name: string, fn: () => Promise<void>) => {
  pending++;
  dbTest(name, async () => {
    try {
      await fn();
    } finally {
      if (--pending === 0) {
        await Promise.all(servers.map((s) => s.kill()));
        await Promise.all([sql.end(), seed.end()]);
      }
    }
  });
};

// The server runs on the real clock: use Monday–Friday of a week at least 8 days ahead.
const today = Temporal.Now.plainDateISO(ZONE);
const soon = today.add({ days: 8 });
const monday = soon.add({ days: (8 - soon.dayOfWeek) % 7 });

/** `day` (0 = Monday) at `time` in the trainer's zone, as an offset string. */
function at(day: number, time: string): string {
  return monday.add({ days: day })
    .toPlainDateTime(Temporal.PlainTime.from(time))
    .toZonedDateTime(ZONE)
    .toString({ timeZoneName: "never" });
}

const server = (i: number) => servers[i % servers.length].url;

const book = (
  i: number,
  token: string,
  body: unknown,
  headers?: Record<string, string>,
) => remote(server(i), "POST", "/api/appointments", { token, body, headers });

function tally(results: { status: number }[]) {
  const byStatus: Record<number, number> = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return byStatus;
}

/** Exactly one 201; every other answer a 409 slot_taken. Returns the winner's body. */
function assertOneWinner(
  results: {
    status: number;
    body: { id?: string; error?: { code: string } };
  }[],
) {
  const summary = JSON.stringify(tally(results));
  const winners = results.filter((r) => r.status === 201);
  assert.equal(winners.length, 1, `answers by status: ${summary}`);
  for (const r of results) {
    if (r.status === 201) continue;
    assert.equal(r.status, 409, `answers by status: ${summary}`);
    assert.equal(r.body.error?.code, "slot_taken", JSON.stringify(r.body));
  }
  return winners[0].body as { id: string; start: string; clientId: string };
}

/** Live (scheduled or pending) rows of the trainer overlapping [start, end). */
async function liveRows(trainerId: string, start: string, end: string) {
  return await sql<{ id: string; client_id: string }[]>`
    SELECT id, client_id FROM appointments
    WHERE trainer_id = ${trainerId} AND status IN ('scheduled', 'pending')
      AND tstzrange(starts_at, ends_at) && tstzrange(${start}::timestamptz, ${end}::timestamptz)`;
}

raceTest(
  "fifty clients racing for one slot through two processes get exactly one booking",
  async () => {
    const { trainer, clients } = await world;
    const start = at(0, "10:00");
    const results = await Promise.all(
      clients.map((c, i) => book(i, c.token, { start })),
    );
    const winner = assertOneWinner(results);
    assert.equal(results.length, 50);

    const rows = await sql<{ id: string; client_id: string; status: string }[]>`
      SELECT id, client_id, status FROM appointments
      WHERE trainer_id = ${trainer.id} AND starts_at = ${start}::timestamptz`;
    assert.equal(rows.length, 1);
    assert.equal(rows[0].id, winner.id);
    assert.equal(rows[0].client_id, winner.clientId);
    assert.equal(rows[0].status, "scheduled");
  },
);

raceTest(
  "twenty overlapping trainer bookings at different starts through two processes leave exactly one session",
  async () => {
    const { trainer, clients } = await world;
    // 10:00, 10:05 … 11:35, each 120 minutes long: every pair overlaps.
    const starts = Array.from({ length: 20 }, (_, i) =>
      at(
        1,
        Temporal.PlainTime.from("10:00").add({ minutes: 5 * i }).toString(),
      ));
    const results = await Promise.all(
      starts.map((start, i) =>
        book(i, trainer.token, {
          clientId: clients[i].id,
          start,
          duration: 120,
        })
      ),
    );
    const winner = assertOneWinner(results);
    const rows = await liveRows(trainer.id, at(1, "00:00"), at(2, "00:00"));
    assert.deepEqual(rows.map((r) => r.id), [winner.id]);
  },
);

raceTest(
  "a cancelled slot can be rebooked at once, and a burst for it still yields one booking",
  async () => {
    const { trainer, clients } = await world;
    const start = at(2, "11:00");
    const first = await book(0, clients[0].token, { start });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const cancelled = await remote(
      server(1),
      "POST",
      `/api/appointments/${first.body.id}/cancel`,
      { token: clients[0].token, body: { reason: "Cannot make it" } },
    );
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, "cancelled");

    const racers = clients.slice(1, 21);
    const results = await Promise.all(
      racers.map((c, i) => book(i, c.token, { start })),
    );
    const winner = assertOneWinner(results);
    const rows = await sql<{ id: string; status: string }[]>`
      SELECT id, status FROM appointments
      WHERE trainer_id = ${trainer.id} AND starts_at = ${start}::timestamptz
      ORDER BY created_at`;
    assert.deepEqual([...rows], [
      { id: first.body.id, status: "cancelled" },
      { id: winner.id, status: "scheduled" },
    ]);
  },
);

raceTest(
  "ten concurrent replays of one idempotent booking through two processes get the same answer and book once",
  async () => {
    const { trainer, clients } = await world;
    const client = clients[CLIENTS - 1];
    const start = at(3, "12:00");
    const key = crypto.randomUUID();
    const results = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) =>
          book(i, client.token, { start, notes: "Same request" }, {
            "Idempotency-Key": key,
          }),
      ),
    );
    assert.deepEqual(
      tally(results),
      { 201: 10 },
      JSON.stringify(results.map((r) => r.body)),
    );
    for (const r of results) assert.deepEqual(r.body, results[0].body);
    assert.equal(results[0].body.clientId, client.id);

    const rows = await sql<{ id: string }[]>`
      SELECT id FROM appointments
      WHERE trainer_id = ${trainer.id} AND starts_at = ${start}::timestamptz`;
    assert.deepEqual(rows.map((r) => r.id), [results[0].body.id]);
    const [keys] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM idempotency_keys WHERE key = ${key}`;
    assert.equal(keys.n, 1);
  },
);

raceTest(
  "the exclusion constraint alone refuses an overlapping live session with SQLSTATE 23P01",
  async () => {
    const { trainer, clients } = await world;
    const insert = (start: string, end: string, status: string) =>
      sql`
        INSERT INTO appointments (trainer_id, client_id, starts_at, ends_at, status)
        VALUES (${trainer.id}, ${clients[0].id}, ${start}, ${end}, ${status})`;
    await insert(at(4, "09:00"), at(4, "10:00"), "scheduled");
    await assert.rejects(
      insert(at(4, "09:30"), at(4, "10:30"), "pending"),
      (error) => {
        assert.equal(sqlState(error), "23P01");
        assert.equal(
          (error as { constraint_name?: string }).constraint_name,
          "appointments_no_overlap",
        );
        return true;
      },
    );
    // Touching is not overlapping, and cancelled rows free their time.
    await insert(at(4, "10:00"), at(4, "11:00"), "scheduled");
    await insert(at(4, "09:30"), at(4, "10:30"), "cancelled");
    const rows = await liveRows(trainer.id, at(4, "00:00"), at(5, "00:00"));
    assert.equal(rows.length, 2);
  },
);

raceTest(
  "moves and bookings racing for one slot through two processes: one wins, the others keep what they had",
  async () => {
    const { trainer, clients } = await world;
    // The next Monday: eight clients hold 09:00 … 16:00, and they and eight others
    // race for Tuesday 15:00, by moving and by booking.
    const target = at(8, "15:00");
    const movers = clients.slice(30, 38);
    const bookers = clients.slice(38, 46);
    const own = await Promise.all(
      movers.map(async (c, i) => {
        const res = await book(i, c.token, {
          start: at(7, `${String(9 + i).padStart(2, "0")}:00`),
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body as { id: string; start: string };
      }),
    );
    const results = await Promise.all([
      ...movers.map((c, i) =>
        remote(server(i), "POST", `/api/appointments/${own[i].id}/move`, {
          token: c.token,
          body: { start: target },
        })
      ),
      ...bookers.map((c, i) => book(i + 1, c.token, { start: target })),
    ]);
    const winners = results.filter((r) => r.status === 200 || r.status === 201);
    assert.equal(winners.length, 1, JSON.stringify(tally(results)));
    for (const r of results) {
      if (r.status === 200 || r.status === 201) continue;
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.equal(r.body.error?.code, "slot_taken");
    }
    const end = Temporal.Instant.from(target).add({ minutes: 60 }).toString();
    assert.equal((await liveRows(trainer.id, target, end)).length, 1);
    // Every session of a mover is where it was, but the winner's, which is at the target.
    for (const [i, mine] of own.entries()) {
      const [row] = await sql<{ starts_at: Date; status: string }[]>`
        SELECT starts_at, status FROM appointments WHERE id = ${mine.id}`;
      assert.equal(row.status, "scheduled");
      const start = Temporal.Instant.fromEpochMilliseconds(
        row.starts_at.getTime(),
      );
      const expected = winners[0].body.id === mine.id ? target : mine.start;
      assert.ok(start.equals(Temporal.Instant.from(expected)), `mover ${i}`);
    }
  },
);
