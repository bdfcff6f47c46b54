import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";
import { type BookInput, createBooker } from "../db/booking.ts";
import { sqlState } from "../db/client.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });
const now = Temporal.Instant.from("2026-12-01T08:00:00Z");
/** Slot starts in UTC (10:00–13:00 in Berlin). */
const HOURS = ["09", "10", "11", "12"];

/** A booker that runs one batch at a time, recording each batch's size. */
function batchingBooker() {
  const batches: number[] = [];
  const retriedAlone: number[] = [];
  const booker = createBooker(t.sql, {
    maxInFlight: 1,
    onBatch: (batch) => {
      batches.push(batch.size);
      if (batch.retriedAlone) retriedAlone.push(batch.size);
    },
  });
  return { book: booker.book, batches, retriedAlone };
}

const clientBooking = (
  trainerId: string,
  clientId: string,
  start: string,
  notes = "",
): BookInput => ({
  trainerId,
  clientId,
  by: "client",
  start: Temporal.Instant.from(start),
  notes,
  now,
});

async function trainerWithClients(count: number) {
  const trainer = await signUpTrainer(t);
  const clients = [];
  for (let i = 0; i < count; i++) {
    clients.push(await signUpClient(t, trainer.referralCode, `Client ${i}`));
  }
  return { trainer, clients };
}

dbTest(
  "concurrent bookings for several trainers share batches and each gets its own session",
  async () => {
    const worlds = await Promise.all(
      [1, 2, 3].map(() => trainerWithClients(4)),
    );
    const { book, batches } = batchingBooker();
    const inputs = worlds.flatMap(({ trainer, clients }) =>
      clients.map((c, i) =>
        clientBooking(trainer.id, c.id, `2026-12-02T${HOURS[i]}:00:00Z`)
      )
    );
    const outcomes = await Promise.all(inputs.map(book));
    assert.ok(outcomes.every((o) => o.ok), JSON.stringify(outcomes));
    assert.equal(batches.reduce((a, b) => a + b, 0), 12);
    assert.ok(batches.length < 12, `batches: ${batches.join(", ")}`);
    const ids = outcomes.map((o) => o.ok ? o.appointment.id : "");
    const [{ sessions, notices, reminders }] = await t.sql<
      { sessions: number; notices: number; reminders: number }[]
    >`
      SELECT
        (SELECT count(*)::int FROM appointments WHERE id = ANY(${ids}::uuid[])) AS sessions,
        (SELECT count(*)::int FROM notifications
          WHERE appointment_id = ANY(${ids}::uuid[]) AND kind = 'booked'
            AND recipient = 'trainer') AS notices,
        (SELECT count(*)::int FROM notifications
          WHERE appointment_id = ANY(${ids}::uuid[]) AND kind = 'reminder') AS reminders`;
    assert.deepEqual({ sessions, notices, reminders }, {
      sessions: 12,
      notices: 12,
      reminders: 24,
    });
    for (const [i, o] of outcomes.entries()) {
      assert.ok(o.ok);
      assert.equal(o.appointment.clientId, inputs[i].clientId);
      assert.equal(o.appointment.start.toString(), inputs[i].start.toString());
    }
  },
);

dbTest(
  "requests for one slot in one batch book it once; the others are told it is taken",
  async () => {
    const { trainer, clients } = await trainerWithClients(8);
    const { book, batches, retriedAlone } = batchingBooker();
    // The first request goes alone; all eight contenders then wait for one batch.
    const [, ...outcomes] = await Promise.all([
      book(clientBooking(trainer.id, clients[0].id, "2026-12-03T12:00:00Z")),
      ...clients.map((c) =>
        book(clientBooking(trainer.id, c.id, "2026-12-03T10:00:00Z"))
      ),
    ]);
    assert.deepEqual(batches, [1, 8]);
    // Decided within the batch, not left to the exclusion constraint.
    assert.deepEqual(retriedAlone, []);
    assert.equal(outcomes.filter((o) => o.ok).length, 1);
    assert.deepEqual(
      outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.reason),
      Array(7).fill("slot_taken"),
    );
    // Arrival order decides: the first request wins.
    assert.ok(outcomes[0].ok);
    const [{ n }] = await t.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM appointments
      WHERE trainer_id = ${trainer.id} AND starts_at = '2026-12-03T10:00:00Z'`;
    assert.equal(n, 1);
  },
);

dbTest(
  "a trainer's session and a client's slot in one batch are checked against each other",
  async () => {
    const { trainer, clients: [client, other] } = await trainerWithClients(2);
    const { book, retriedAlone } = batchingBooker();
    const [, bySession, byClient, free] = await Promise.all([
      book(clientBooking(trainer.id, other.id, "2026-12-04T08:00:00Z")),
      book({
        trainerId: trainer.id,
        clientId: client.id,
        by: "trainer",
        start: Temporal.Instant.from("2026-12-04T09:15:00Z"),
        durationMinutes: 30,
        notes: "",
        now,
      }),
      book(clientBooking(trainer.id, other.id, "2026-12-04T09:00:00Z")),
      book(clientBooking(trainer.id, other.id, "2026-12-04T10:00:00Z")),
    ]);
    assert.ok(bySession.ok);
    assert.equal(bySession.appointment.end.toString(), "2026-12-04T09:45:00Z");
    assert.deepEqual(byClient, { ok: false, reason: "slot_taken" });
    assert.ok(free.ok);
    assert.deepEqual(retriedAlone, []);
  },
);

dbTest(
  "a request whose text the database refuses fails alone; the rest of its batch is booked",
  async () => {
    const { trainer, clients } = await trainerWithClients(4);
    const { book, batches, retriedAlone } = batchingBooker();
    const answers = await Promise.allSettled(
      clients.map((c, i) =>
        book(clientBooking(
          trainer.id,
          c.id,
          `2026-12-07T${HOURS[i]}:00:00Z`,
          i === 2 ? "a NUL \u0000 byte" : `note ${i}`,
        ))
      ),
    );
    assert.ok(batches.some((size) => size > 1), `batches: ${batches}`);
    assert.equal(retriedAlone.length, 1);
    const bad = answers[2];
    assert.equal(bad.status, "rejected");
    assert.equal(sqlState((bad as PromiseRejectedResult).reason), "22021");
    for (const i of [0, 1, 3]) {
      const answer = answers[i];
      assert.ok(answer.status === "fulfilled" && answer.value.ok);
    }
    const rows = await t.sql<{ notes: string }[]>`
      SELECT notes FROM appointments WHERE trainer_id = ${trainer.id} ORDER BY starts_at`;
    assert.deepEqual(rows.map((r) => r.notes), ["note 0", "note 1", "note 3"]);
  },
);
