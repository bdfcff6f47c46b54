/**
 * Class seats across real processes: two `deno run main.ts` servers on one database,
 * bursts of concurrent seat changes spread over both. The processes are started once
 * for the file and stopped after its last test.
 */
import assert from "node:assert/strict";
import { connect } from "../db/client.ts";
import { dbTest } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";
import { AppProcess } from "./helpers/process.ts";
import { remote, seeder } from "./helpers/remote.ts";

const ZONE = "Europe/Berlin";
const CLIENTS = 30;

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

// The servers run on the real clock: classes a week or more ahead.
const base = Temporal.Now.plainDateISO(ZONE).add({ days: 8 });
const at = (day: number, time: string) =>
  base.add({ days: day }).toPlainDateTime(Temporal.PlainTime.from(time))
    .toZonedDateTime(ZONE).toString({ timeZoneName: "never" });

const server = (i: number) => servers[i % servers.length].url;

async function newClass(token: string, start: string, capacity: number) {
  const res = await remote(server(0), "POST", "/api/classes", {
    token,
    body: { title: "Race circuit", start, capacity },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

const join = (i: number, token: string, id: string) =>
  remote(server(i), "POST", `/api/classes/${id}/seats`, { token, body: {} });

async function seats(classId: string) {
  return await sql<
    { client_id: string; status: string; position: number | null }[]
  >`
    SELECT client_id, status, position FROM class_seats WHERE class_id = ${classId}
    ORDER BY position NULLS FIRST`;
}

raceTest(
  "thirty clients racing for ten seats through two processes leave ten booked and twenty waiting in places 1 to 20",
  async () => {
    const { trainer, clients } = await world;
    const id = await newClass(trainer.token, at(0, "18:00"), 10);
    const answers = await Promise.all(
      clients.map((c, i) => join(i, c.token, id)),
    );
    for (const a of answers) {
      assert.equal(a.status, 201, JSON.stringify(a.body));
    }
    const booked = answers.filter((a) => a.body.status === "booked");
    const waiting = answers.filter((a) => a.body.status === "waitlisted");
    assert.equal(booked.length, 10);
    assert.equal(waiting.length, 20);
    assert.deepEqual(
      waiting.map((a) => a.body.position).sort((x, y) => x - y),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const rows = await seats(id);
    assert.equal(rows.filter((r) => r.status === "booked").length, 10);
    assert.deepEqual(
      rows.filter((r) => r.status === "waitlisted").map((r) => r.position),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const [counts] = await sql<{ booked: number; waitlisted: number }[]>`
      SELECT booked, waitlisted FROM classes WHERE id = ${id}`;
    assert.deepEqual({ ...counts }, { booked: 10, waitlisted: 20 });
  },
);

raceTest(
  "three seats given up at once in two processes promote exactly the first three waiting, each once and told once",
  async () => {
    const { trainer, clients } = await world;
    const id = await newClass(trainer.token, at(1, "18:00"), 10);
    // Joined one by one: racers 1–10 booked, 11–15 waiting in places 1–5.
    for (const [i, c] of clients.slice(0, 15).entries()) {
      const res = await join(i, c.token, id);
      assert.equal(res.status, 201);
    }
    const leavers = clients.slice(0, 3);
    const answers = await Promise.all(
      leavers.map((c, i) =>
        remote(server(i), "DELETE", `/api/classes/${id}/seats/me`, {
          token: c.token,
        })
      ),
    );
    for (const a of answers) {
      assert.equal(a.status, 204, JSON.stringify(a.body));
    }
    const rows = await seats(id);
    const booked = new Set(
      rows.filter((r) => r.status === "booked").map((r) => r.client_id),
    );
    assert.equal(booked.size, 10);
    for (const c of clients.slice(10, 13)) assert.ok(booked.has(c.id));
    assert.deepEqual(
      rows.filter((r) => r.status === "waitlisted").map((r) => [
        r.client_id,
        r.position,
      ]),
      [[clients[13].id, 1], [clients[14].id, 2]],
    );
    const promoted = await sql<{ recipient_id: string }[]>`
      SELECT recipient_id FROM notifications
      WHERE class_id = ${id} AND kind = 'promoted'`;
    assert.deepEqual(
      promoted.map((p) => p.recipient_id).sort(),
      clients.slice(10, 13).map((c) => c.id).sort(),
    );
    const toTrainer = await sql`
      SELECT 1 FROM notifications
      WHERE class_id = ${id} AND kind = 'cancelled' AND recipient = 'trainer'`;
    assert.equal(toTrainer.length, 3);
  },
);

raceTest(
  "seats taken while the class is cancelled are either refused or in the class and told of the cancellation",
  async () => {
    const { trainer, clients } = await world;
    const id = await newClass(trainer.token, at(2, "18:00"), 5);
    const racers = clients.slice(0, 20);
    const cancel = remote(server(1), "POST", `/api/classes/${id}/cancel`, {
      token: trainer.token,
      body: { reason: "Storm" },
    });
    const answers = await Promise.all(
      racers.map((c, i) => join(i, c.token, id)),
    );
    assert.equal((await cancel).status, 200);
    const joined = new Set<string>();
    for (const [i, a] of answers.entries()) {
      if (a.status === 201) joined.add(racers[i].id);
      else {
        assert.equal(a.status, 409, JSON.stringify(a.body));
        assert.equal(a.body.error.code, "class_cancelled");
      }
    }
    const rows = await seats(id);
    assert.deepEqual(new Set(rows.map((r) => r.client_id)), joined);
    const told = await sql<{ recipient_id: string }[]>`
      SELECT recipient_id FROM notifications
      WHERE class_id = ${id} AND kind = 'cancelled'`;
    assert.equal(told.length, joined.size);
    assert.deepEqual(new Set(told.map((r) => r.recipient_id)), joined);
    const late = await join(0, racers[0].token, id);
    assert.equal(late.status, 409);
  },
);

raceTest(
  "a class created while clients book its time through two processes: either the class or one session lands, never both",
  async () => {
    const { trainer, clients } = await world;
    // A weekday, so that 10:00 is one of the clients' slots.
    let day = 3;
    while (base.add({ days: day }).dayOfWeek > 5) day++;
    const start = at(day, "10:00");
    const [klass, ...bookings] = await Promise.all([
      remote(server(1), "POST", "/api/classes", {
        token: trainer.token,
        body: { title: "Clash", start, capacity: 5 },
      }),
      ...clients.slice(0, 20).map((c, i) =>
        remote(server(i), "POST", "/api/appointments", {
          token: c.token,
          body: { start },
        })
      ),
    ]);
    for (const b of bookings) {
      if (b.status !== 201) {
        assert.equal(b.body.error?.code, "slot_taken", JSON.stringify(b.body));
      }
    }
    const won = bookings.filter((b) => b.status === 201).length;
    if (klass.status === 201) assert.equal(won, 0);
    else {
      assert.equal(klass.body.error.code, "slot_taken");
      assert.equal(won, 1);
    }
    const [live] = await sql<{ sessions: number; classes: number }[]>`
      SELECT
        (SELECT count(*)::int FROM appointments WHERE trainer_id = ${trainer.id}
           AND status IN ('scheduled', 'pending') AND starts_at = ${start}::timestamptz) AS sessions,
        (SELECT count(*)::int FROM classes WHERE trainer_id = ${trainer.id}
           AND status = 'scheduled' AND starts_at = ${start}::timestamptz) AS classes`;
    assert.equal(live.sessions + live.classes, 1);
  },
);
