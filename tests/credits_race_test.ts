/**
 * Credits across real processes: two `deno run main.ts` servers on one database, bursts
 * of bookings, cancels, seats and promotions racing for a client's last credits, spread
 * over both. The processes are started once for the file and stopped after its last
 * test; after each, `dbTest` checks that every grant's ledger adds up.
 */
import assert from "node:assert/strict";
import { connect } from "../db/client.ts";
import { dbTest } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";
import { requireCredit, sell } from "./helpers/credits.ts";
import { AppProcess } from "./helpers/process.ts";
import { remote, seeder } from "./helpers/remote.ts";

const ZONE = "Europe/Berlin";

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

/** One trainer who requires a credit to book, created once for every test. */
const world = (async () => {
  await Promise.all(servers.map((s) => s.ready()));
  const trainer = await signUpTrainer(seed);
  await requireCredit(seed, trainer.token, true);
  return { trainer };
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

// The servers run on the real clock: Monday to Friday of a week at least 8 days ahead.
const soon = Temporal.Now.plainDateISO(ZONE).add({ days: 8 });
const monday = soon.add({ days: (8 - soon.dayOfWeek) % 7 });
/** `day` (0 = Monday of that week) at `time` in the trainer's zone. */
const at = (day: number, time: string) =>
  monday.add({ days: day }).toPlainDateTime(Temporal.PlainTime.from(time))
    .toZonedDateTime(ZONE).toString({ timeZoneName: "never" });
const hour = (h: number) => `${String(h).padStart(2, "0")}:00`;

const server = (i: number) => servers[i % servers.length].url;

async function remaining(clientId: string) {
  const rows = await sql<{ remaining: number }[]>`
    SELECT remaining FROM credit_grants WHERE client_id = ${clientId}`;
  return rows.reduce((n, r) => n + r.remaining, 0);
}

async function usedBy(clientId: string) {
  const [row] = await sql<{ used: number }[]>`
    SELECT coalesce(-sum(delta), 0)::int AS used FROM credit_ledger
    WHERE client_id = ${clientId} AND kind <> 'granted'`;
  return row.used;
}

const tally = (results: { status: number }[]) =>
  JSON.stringify(
    results.reduce<Record<number, number>>(
      (n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }),
      {},
    ),
  );

raceTest(
  "ten bookings through two processes for one client's last three credits: three win, seven get no_credit",
  async () => {
    const { trainer } = await world;
    const client = await signUpClient(seed, trainer.referralCode, "Ada");
    // Five sessions, two of them spent already: three left.
    await sell(seed, trainer.token, client.id, { sessions: 5 });
    for (const h of [9, 10]) {
      const res = await remote(server(h), "POST", "/api/appointments", {
        token: client.token,
        body: { start: at(0, hour(h)) },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const starts = [
      ...[11, 12, 13, 14, 15, 16].map((h) => at(0, hour(h))),
      ...[9, 10, 11, 12].map((h) => at(1, hour(h))),
    ];
    const results = await Promise.all(
      starts.map((start, i) =>
        remote(server(i), "POST", "/api/appointments", {
          token: client.token,
          body: { start },
        })
      ),
    );
    const won = results.filter((r) => r.status === 201);
    assert.equal(won.length, 3, tally(results));
    for (const r of results) {
      if (r.status === 201) assert.ok(r.body.creditGrantId);
      else {
        assert.equal(r.status, 422, JSON.stringify(r.body));
        assert.equal(r.body.error.code, "no_credit");
      }
    }
    assert.equal(await remaining(client.id), 0);
    assert.equal(await usedBy(client.id), 5);
    const [live] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM appointments WHERE client_id = ${client.id}`;
    assert.equal(live.n, 5, "nothing was booked without its credit");
  },
);

raceTest(
  "a cancel racing a booking for the same credit through two processes: the booking wins it only once it is back",
  async () => {
    const { trainer } = await world;
    const outcomes = new Set<number>();
    for (let round = 0; round < 6; round++) {
      const client = await signUpClient(seed, trainer.referralCode, "Bo");
      await sell(seed, trainer.token, client.id, { sessions: 1 });
      const day = 2 + (round % 3);
      const first = await remote(server(round), "POST", "/api/appointments", {
        token: client.token,
        body: { start: at(day, hour(9 + 2 * Math.floor(round / 3))) },
      });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const [cancelled, booked] = await Promise.all([
        remote(
          server(round),
          "POST",
          `/api/appointments/${first.body.id}/cancel`,
          { token: client.token, body: { reason: "Swap" } },
        ),
        remote(server(round + 1), "POST", "/api/appointments", {
          token: client.token,
          body: { start: at(day, hour(10 + 2 * Math.floor(round / 3))) },
        }),
      ]);
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      outcomes.add(booked.status);
      if (booked.status === 201) {
        // It came after the cancel: the returned credit paid for it.
        assert.equal(booked.body.creditGrantId, first.body.creditGrantId);
        assert.equal(await remaining(client.id), 0);
        assert.equal(await usedBy(client.id), 1);
      } else {
        assert.equal(booked.status, 422, JSON.stringify(booked.body));
        assert.equal(booked.body.error.code, "no_credit");
        assert.equal(await remaining(client.id), 1);
        assert.equal(await usedBy(client.id), 0);
      }
    }
    // Either order is correct; which ones happened is only reported.
    console.log(`booking answers over the rounds: ${[...outcomes].join(", ")}`);
  },
);

raceTest(
  "a promotion racing the waiting client's seat elsewhere and a newcomer's seat: the last credit pays once, capacity and places hold",
  async () => {
    const { trainer } = await world;
    for (let round = 0; round < 4; round++) {
      const newClass = async (title: string, start: string) => {
        const res = await remote(server(round), "POST", "/api/classes", {
          token: trainer.token,
          body: { title, start, capacity: 2 },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body.id as string;
      };
      const full = await newClass("Full circuit", at(5 + round, "18:00"));
      const open = await newClass("Open circuit", at(5 + round, "20:00"));
      const [a, b, c, d] = await Promise.all(
        ["Ann", "Ben", "Cy", "Dee"].map((n) =>
          signUpClient(seed, trainer.referralCode, n)
        ),
      );
      for (const who of [a, b, c, d]) {
        await sell(seed, trainer.token, who.id, { sessions: 1 });
      }
      const join = (i: number, token: string, id: string) =>
        remote(server(i), "POST", `/api/classes/${id}/seats`, {
          token,
          body: {},
        });
      for (const who of [a, b, c]) {
        const res = await join(round, who.token, full);
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      // Ann gives up her seat (Cy, first waiting, is next), while Cy takes a seat in
      // another class with her one credit and Dee joins the full class.
      const [left, elsewhere, newcomer] = await Promise.all([
        remote(server(round), "DELETE", `/api/classes/${full}/seats/me`, {
          token: a.token,
        }),
        join(round + 1, c.token, open),
        join(round, d.token, full),
      ]);
      assert.equal(left.status, 204, JSON.stringify(left.body));
      assert.equal(newcomer.status, 201, JSON.stringify(newcomer.body));
      const seats = await sql<
        { client_id: string; status: string; position: number | null }[]
      >`
        SELECT client_id, status, position FROM class_seats WHERE class_id = ${full}
        ORDER BY position NULLS FIRST, client_id`;
      const booked = seats.filter((s) => s.status === "booked");
      assert.ok(booked.length <= 2, JSON.stringify(seats));
      assert.deepEqual(
        seats.filter((s) => s.status === "waitlisted").map((s) => s.position),
        Array.from(
          { length: seats.length - booked.length },
          (_, i) => i + 1,
        ),
      );
      const cyInFull = seats.find((s) => s.client_id === c.id);
      if (elsewhere.status === 201) {
        // Her credit went to the other class first: passed over here, and told.
        assert.equal(elsewhere.body.status, "booked");
        assert.equal(cyInFull, undefined, JSON.stringify(seats));
        const [told] = await sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM notifications
          WHERE class_id = ${full} AND recipient_id = ${c.id} AND kind = 'passed_over'`;
        assert.equal(told.n, 1);
      } else {
        // The promotion took it: booked here, and refused there for lack of one.
        assert.equal(elsewhere.status, 422, JSON.stringify(elsewhere.body));
        assert.equal(elsewhere.body.error.code, "no_credit");
        assert.equal(cyInFull?.status, "booked", JSON.stringify(seats));
      }
      assert.equal(await usedBy(c.id), 1, "Cy's one credit paid exactly once");
      assert.equal(await remaining(c.id), 0);
      // Everyone booked in the full class paid with a credit of their own.
      const paid = await sql<{ client_id: string }[]>`
        SELECT client_id FROM class_seats
        WHERE class_id = ${full} AND status = 'booked' AND credit_grant_id IS NULL`;
      assert.deepEqual([...paid], []);
    }
  },
);
