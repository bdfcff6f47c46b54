/**
 * Recurring weekly sessions through the JSON API: wall time across DST, conflicts
 * (`fail` and `skip`), this-and-following cancels, and who may see what.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";

const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function world(timezone = "Europe/Berlin") {
  const trainer = await signUpTrainer(t, { timezone });
  const client = await signUpClient(t, trainer.referralCode, "Sam Series");
  return { trainer, client };
}

const create = (token: string, body: Record<string, unknown>) =>
  api(t, "POST", "/api/series", { token, body });

const starts = (res: { body: { appointments: { start: string }[] } }) =>
  res.body.appointments.map((a) => a.start);

dbTest(
  "a weekly series across the 2027 spring-forward night in Berlin keeps 18:00 local",
  async () => {
    const { trainer, client } = await world();
    const res = await create(trainer.token, {
      clientId: client.id,
      start: "2027-03-22T18:00:00+01:00",
      weeks: 3,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(starts(res), [
      "2027-03-22T18:00:00+01:00",
      "2027-03-29T18:00:00+02:00",
      "2027-04-05T18:00:00+02:00",
    ]);
    assert.deepEqual(res.body.skipped, []);
    assert.equal(res.body.series.weeks, 3);
    assert.equal(res.body.series.until, "2027-04-05");
    assert.equal(res.body.series.duration, 60);
    for (const a of res.body.appointments) {
      assert.equal(a.seriesId, res.body.series.id);
      assert.equal(a.status, "scheduled");
      assert.equal(a.duration, 60);
    }
  },
);

dbTest(
  "a weekly series across the fall-back nights keeps 18:00 local in Berlin and New York",
  async () => {
    const berlin = await world("Europe/Berlin");
    const autumn = await create(berlin.trainer.token, {
      clientId: berlin.client.id,
      start: "2027-10-25T18:00:00+02:00",
      until: "2027-11-01",
      duration: 45,
    });
    assert.equal(autumn.status, 201, JSON.stringify(autumn.body));
    assert.deepEqual(starts(autumn), [
      "2027-10-25T18:00:00+02:00",
      "2027-11-01T18:00:00+01:00",
    ]);
    assert.equal(autumn.body.appointments[1].end, "2027-11-01T18:45:00+01:00");

    const ny = await world("America/New_York");
    const spring = await create(ny.trainer.token, {
      clientId: ny.client.id,
      start: "2027-03-08T18:00:00-05:00",
      weeks: 2,
    });
    assert.deepEqual(starts(spring), [
      "2027-03-08T18:00:00-05:00",
      "2027-03-15T18:00:00-04:00",
    ]);
    const fall = await create(ny.trainer.token, {
      clientId: ny.client.id,
      start: "2027-11-01T18:00:00-04:00",
      weeks: 2,
    });
    assert.deepEqual(starts(fall), [
      "2027-11-01T18:00:00-04:00",
      "2027-11-08T18:00:00-05:00",
    ]);
  },
);

dbTest(
  "a wall time inside the spring-forward gap means the first instant after it",
  async () => {
    const { trainer, client } = await world();
    const res = await create(trainer.token, {
      clientId: client.id,
      start: "2027-03-21T02:30:00+01:00",
      weeks: 2,
    });
    assert.deepEqual(starts(res), [
      "2027-03-21T02:30:00+01:00",
      "2027-03-28T03:00:00+02:00",
    ]);
  },
);

dbTest(
  "fail refuses a series with a conflict and writes nothing; skip books the rest and lists the conflicts",
  async () => {
    const { trainer, client } = await world();
    const other = await signUpClient(t, trainer.referralCode, "Other");
    const current = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...current.body, holidays: ["2027-01-18"] },
    });
    const blocker = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: other.id, start: "2027-01-11T10:30:00+01:00" },
    });
    assert.equal(blocker.status, 201);
    const body = {
      clientId: client.id,
      start: "2027-01-04T10:00:00+01:00",
      weeks: 4,
    };
    const failed = await create(trainer.token, body);
    assert.equal(failed.status, 409);
    assert.equal(failed.body.error.code, "series_conflict");
    assert.deepEqual(failed.body.error.conflicts, [
      { start: "2027-01-11T10:00:00+01:00", reason: "slot_taken" },
      { start: "2027-01-18T10:00:00+01:00", reason: "holiday" },
    ]);
    const [{ n }] = await t.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM appointments WHERE client_id = ${client.id}`;
    assert.equal(n, 0);
    const [{ s }] = await t.sql<{ s: number }[]>`
      SELECT count(*)::int AS s FROM series WHERE client_id = ${client.id}`;
    assert.equal(s, 0);

    const skipped = await create(trainer.token, {
      ...body,
      onConflict: "skip",
    });
    assert.equal(skipped.status, 201, JSON.stringify(skipped.body));
    assert.deepEqual(starts(skipped), [
      "2027-01-04T10:00:00+01:00",
      "2027-01-25T10:00:00+01:00",
    ]);
    assert.deepEqual(
      skipped.body.skipped.map((x: { reason: string }) => x.reason),
      [
        "slot_taken",
        "holiday",
      ],
    );
    assert.equal(skipped.body.series.weeks, 4);
    assert.equal(skipped.body.series.until, "2027-01-25");
    // The client is told once; each occurrence has its own reminders.
    const ids = skipped.body.appointments.map((a: { id: string }) => a.id);
    const rows = await t.sql<{ kind: string; recipient: string }[]>`
      SELECT kind, recipient FROM notifications WHERE appointment_id = ANY(${ids}::uuid[])
      ORDER BY kind, recipient`;
    assert.equal(rows.filter((r) => r.kind === "booked").length, 1);
    assert.equal(rows.filter((r) => r.kind === "reminder").length, 4);
  },
);

dbTest("every occurrence conflicting is 409 even with skip", async () => {
  const { trainer, client } = await world();
  const current = await api(t, "GET", "/api/settings", {
    token: trainer.token,
  });
  await api(t, "PUT", "/api/settings", {
    token: trainer.token,
    body: { ...current.body, holidays: ["2027-02-01", "2027-02-08"] },
  });
  const res = await create(trainer.token, {
    clientId: client.id,
    start: "2027-02-01T10:00:00+01:00",
    weeks: 2,
    onConflict: "skip",
  });
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, "series_conflict");
});

dbTest(
  "a new series is checked in order: fields, unknown_client, in_past, conflicts",
  async () => {
    const { trainer, client } = await world();
    const other = await world();
    const fields = async (body: Record<string, unknown>) => {
      const res = await create(trainer.token, body);
      assert.equal(res.status, 422, JSON.stringify(res.body));
      return Object.keys(res.body.error.fields ?? {});
    };
    const base = { clientId: client.id, start: "2027-01-04T10:00:00+01:00" };
    assert.deepEqual(await fields(base), ["weeks"]);
    assert.deepEqual(await fields({ ...base, weeks: 2, until: "2027-02-01" }), [
      "weeks",
    ]);
    assert.deepEqual(await fields({ ...base, weeks: 1 }), ["weeks"]);
    assert.deepEqual(await fields({ ...base, weeks: 53 }), ["weeks"]);
    assert.deepEqual(await fields({ ...base, until: "2027-01-10" }), ["until"]);
    assert.deepEqual(await fields({ ...base, weeks: 2, duration: 17 }), [
      "duration",
    ]);
    assert.deepEqual(await fields({ ...base, weeks: 2, onConflict: "maybe" }), [
      "onConflict",
    ]);
    const unknown = await create(trainer.token, {
      ...base,
      clientId: other.client.id,
      weeks: 2,
      start: "2020-01-06T10:00:00+01:00",
    });
    assert.equal(unknown.body.error.code, "unknown_client");
    const past = await create(trainer.token, {
      ...base,
      weeks: 2,
      start: "2026-11-30T10:00:00+01:00",
    });
    assert.equal(past.status, 422);
    assert.equal(past.body.error.code, "in_past");
    // until gives 52 at the most.
    const year = await create(trainer.token, {
      ...base,
      until: "2027-12-27",
    });
    assert.equal(year.status, 201);
    assert.equal(year.body.series.weeks, 52);
  },
);

dbTest(
  "clients get 403 on every series endpoint; another trainer's series is 404",
  async () => {
    const { trainer, client } = await world();
    const other = await world();
    const res = await create(trainer.token, {
      clientId: client.id,
      start: "2027-01-05T10:00:00+01:00",
      weeks: 2,
    });
    const id = res.body.series.id;
    assert.equal((await create(client.token, { weeks: 2 })).status, 403);
    assert.equal(
      (await api(t, "GET", `/api/series/${id}`, { token: client.token }))
        .status,
      403,
    );
    assert.equal(
      (await api(t, "POST", `/api/series/${id}/cancel`, {
        token: client.token,
      }))
        .status,
      403,
    );
    assert.equal(
      (await api(t, "GET", `/api/series/${id}`, { token: other.trainer.token }))
        .status,
      404,
    );
    assert.equal(
      (await api(t, "POST", `/api/series/${id}/cancel`, {
        token: other.trainer.token,
      })).status,
      404,
    );
    assert.equal(
      (await api(t, "GET", `/api/series/not-an-id`, { token: trainer.token }))
        .status,
      404,
    );
  },
);

dbTest(
  "cancel this and following: from an appointment, from a date, or every one not started",
  async () => {
    const { trainer, client } = await world();
    const res = await create(trainer.token, {
      clientId: client.id,
      start: "2026-12-07T10:00:00+01:00",
      weeks: 5,
    });
    const [a1, a2, a3, a4, a5] = res.body.appointments.map((
      a: { id: string },
    ) => a.id);
    const id = res.body.series.id;
    const cancel = (body?: unknown) =>
      api(t, "POST", `/api/series/${id}/cancel`, {
        token: trainer.token,
        body,
      });

    // A moved occurrence stays in its series.
    const moved = await api(t, "PATCH", `/api/appointments/${a2}`, {
      token: trainer.token,
      body: { start: "2026-12-15T12:00:00+01:00" },
    });
    assert.equal(moved.body.seriesId, id);

    const bad = await cancel({ from: "next week" });
    assert.equal(bad.status, 422);
    assert.ok(bad.body.error.fields.from);
    const foreign = await cancel({ from: crypto.randomUUID() });
    assert.equal(foreign.status, 422);

    const fromFour = await cancel({ from: a4, reason: "Gym closed" });
    assert.equal(fromFour.status, 200, JSON.stringify(fromFour.body));
    assert.deepEqual(fromFour.body.cancelled, [a4, a5]);
    const fromDate = await cancel({ from: "2026-12-21" });
    assert.deepEqual(fromDate.body.cancelled, [a3]);
    t.clock.set("2026-12-07T09:30:00Z"); // the first one has started
    const rest = await cancel();
    assert.deepEqual(rest.body.cancelled, [a2]);
    assert.deepEqual((await cancel()).body.cancelled, []);

    const all = await api(t, "GET", `/api/series/${id}`, {
      token: trainer.token,
    });
    assert.deepEqual(
      all.body.appointments.map((a: { id: string; status: string }) => [
        a.id,
        a.status,
      ]),
      [
        [a1, "scheduled"],
        [a2, "cancelled"],
        [a3, "cancelled"],
        [a4, "cancelled"],
        [a5, "cancelled"],
      ],
    );
    assert.equal(all.body.appointments[3].cancellationReason, "Gym closed");
    // Told once per cancel, on its first appointment; no reminder left behind.
    const notices = await t.sql<{ appointment_id: string }[]>`
      SELECT appointment_id FROM notifications
      WHERE kind = 'cancelled' AND appointment_id = ANY(${[
      a2,
      a3,
      a4,
      a5,
    ]}::uuid[])
      ORDER BY created_at`;
    assert.deepEqual(
      notices.map((n) => n.appointment_id).sort(),
      [a2, a3, a4].sort(),
    );
    const reminders = await t.sql`
      SELECT 1 FROM notifications WHERE kind = 'reminder' AND status = 'pending'
        AND appointment_id = ANY(${[a2, a3, a4, a5]}::uuid[])`;
    assert.equal(reminders.length, 0);
    t.clock.set("2026-12-01T08:00:00Z");
  },
);
