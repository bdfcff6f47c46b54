import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";

const t = await testApp({ now: "2026-12-01T08:00:00Z" });

const week = (ranges: { start: string; end: string }[]) => ({
  mon: ranges,
  tue: ranges,
  wed: ranges,
  thu: ranges,
  fri: ranges,
  sat: [],
  sun: [],
});

dbTest(
  "a trainer reads and replaces settings; optional fields left out keep their value",
  async () => {
    const trainer = await signUpTrainer(t);
    const before = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    assert.equal(before.status, 200);
    assert.equal(before.body.timezone, "Europe/Berlin");
    assert.equal(before.body.slotMinutes, 60);
    assert.equal(before.body.reminderMinutes, 120);
    assert.equal(before.body.remindersEnabled, true);
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: {
        ...before.body,
        holidays: ["2026-12-26", "2026-12-25"],
        reminderMinutes: 60,
      },
    });
    const body = {
      timezone: "Asia/Kathmandu",
      slotMinutes: 45,
      workingHours: week([{ start: "09:00", end: "12:00" }, {
        start: "13:00",
        end: "24:00",
      }]),
    };
    const res = await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.timezone, "Asia/Kathmandu");
    assert.deepEqual(res.body.holidays, ["2026-12-25", "2026-12-26"]);
    assert.equal(res.body.reminderMinutes, 60);
    assert.deepEqual(
      (await api(t, "GET", "/api/settings", { token: trainer.token })).body,
      res.body,
    );
  },
);

dbTest(
  "every invalid setting is refused with 422 and the fields at fault, and nothing changes",
  async () => {
    const trainer = await signUpTrainer(t);
    const before =
      (await api(t, "GET", "/api/settings", { token: trainer.token })).body;
    const cases: [Record<string, unknown>, string][] = [
      [{ timezone: "Europe/Nowhere" }, "timezone"],
      [{ timezone: "+01:00" }, "timezone"],
      [{ slotMinutes: 10 }, "slotMinutes"],
      [{ slotMinutes: 95 }, "slotMinutes"],
      [{ slotMinutes: 42 }, "slotMinutes"],
      [{ slotMinutes: "60" }, "slotMinutes"],
      [{ reminderMinutes: 10 }, "reminderMinutes"],
      [{ holidays: ["2026-02-30"] }, "holidays"],
      [
        { workingHours: week([{ start: "10:00", end: "09:00" }]) },
        "workingHours.mon.0.end",
      ],
      [
        { workingHours: week([{ start: "9am", end: "12:00" }]) },
        "workingHours.mon.0.start",
      ],
      [{
        workingHours: week([{ start: "09:00", end: "12:00" }, {
          start: "11:00",
          end: "13:00",
        }]),
      }, "workingHours.mon.1.start"],
      [{ workingHours: { ...week([]), funday: [] } }, "workingHours"],
      [{ timezone: undefined }, "timezone"],
    ];
    for (const [change, field] of cases) {
      const res = await api(t, "PUT", "/api/settings", {
        token: trainer.token,
        body: { ...before, ...change },
      });
      assert.equal(res.status, 422, JSON.stringify(change));
      assert.equal(res.body.error.code, "validation_failed");
      assert.ok(
        res.body.error.fields[field],
        `${field} in ${JSON.stringify(res.body.error.fields)}`,
      );
    }
    assert.equal(
      (await api(t, "PUT", "/api/settings", { token: trainer.token, raw: "{" }))
        .status,
      400,
    );
    assert.deepEqual(
      (await api(t, "GET", "/api/settings", { token: trainer.token })).body,
      before,
    );
  },
);

dbTest("settings are for trainers only", async () => {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode);
  assert.equal(
    (await api(t, "GET", "/api/settings", { token: client.token })).status,
    403,
  );
  assert.equal(
    (await api(t, "PUT", "/api/settings", { token: client.token, body: {} }))
      .status,
    403,
  );
  assert.equal((await api(t, "GET", "/api/settings")).status, 401);
});

dbTest(
  "slots come in the trainer's zone with statuses, ordered, past first",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const other = await signUpClient(t, trainer.referralCode);
    await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-01T11:00:00+01:00" },
    });
    await api(t, "POST", "/api/appointments", {
      token: other.token,
      body: { start: "2026-12-01T12:00:00+01:00" },
    });
    t.clock.set("2026-12-01T08:30:00Z"); // 09:30 in Berlin: the 09:00 slot has started
    const res = await api(
      t,
      "GET",
      `/api/trainers/${trainer.id}/slots?from=2026-12-01&to=2026-12-01`,
      {
        token: client.token,
      },
    );
    t.clock.set("2026-12-01T08:00:00Z");
    assert.equal(res.status, 200);
    assert.equal(res.body.timezone, "Europe/Berlin");
    assert.equal(res.body.slotMinutes, 60);
    assert.deepEqual(res.body.slots.slice(0, 4), [
      {
        start: "2026-12-01T09:00:00+01:00",
        end: "2026-12-01T10:00:00+01:00",
        status: "past",
      },
      {
        start: "2026-12-01T10:00:00+01:00",
        end: "2026-12-01T11:00:00+01:00",
        status: "available",
      },
      {
        start: "2026-12-01T11:00:00+01:00",
        end: "2026-12-01T12:00:00+01:00",
        status: "mine",
      },
      {
        start: "2026-12-01T12:00:00+01:00",
        end: "2026-12-01T13:00:00+01:00",
        status: "booked",
      },
    ]);
    assert.equal(res.body.slots.length, 8);
    const asTrainer = await api(
      t,
      "GET",
      `/api/trainers/${trainer.id}/slots?from=2026-12-01&to=2026-12-01`,
      {
        token: trainer.token,
      },
    );
    assert.equal(asTrainer.body.slots[2].status, "booked");
  },
);

dbTest(
  "the slots range is checked: dates real, to after from, at most 62 days",
  async () => {
    const trainer = await signUpTrainer(t);
    const get = (q: string) =>
      api(t, "GET", `/api/trainers/${trainer.id}/slots?${q}`, {
        token: trainer.token,
      });
    assert.equal((await get("from=2026-12-01&to=2027-01-31")).status, 200); // 62 days
    assert.equal((await get("from=2026-12-01&to=2027-02-01")).status, 422); // 63
    assert.equal((await get("from=2026-12-05&to=2026-12-01")).status, 422);
    assert.equal((await get("from=2026-13-01&to=2026-12-01")).status, 422);
    assert.equal((await get("to=2026-12-01")).status, 422);
  },
);

dbTest(
  "another trainer and another trainer's client cannot read the slots",
  async () => {
    const trainer = await signUpTrainer(t);
    const otherTrainer = await signUpTrainer(t);
    const stranger = await signUpClient(t, otherTrainer.referralCode);
    const path =
      `/api/trainers/${trainer.id}/slots?from=2026-12-01&to=2026-12-07`;
    assert.equal(
      (await api(t, "GET", path, { token: stranger.token })).status,
      404,
    );
    assert.equal(
      (await api(t, "GET", path, { token: otherTrainer.token })).status,
      404,
    );
    assert.equal((await api(t, "GET", path)).status, 401);
    assert.equal(
      (await api(
        t,
        "GET",
        "/api/trainers/nope/slots?from=2026-12-01&to=2026-12-01",
        { token: trainer.token },
      )).status,
      404,
    );
  },
);

dbTest(
  "a trainer edits a client's tags and notes; other trainers' clients are 404",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const otherTrainer = await signUpTrainer(t);
    const res = await api(t, "PATCH", `/api/clients/${client.id}`, {
      token: trainer.token,
      body: { tags: ["strength", "strength", "mornings"], notes: "Knee" },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.tags, ["strength", "mornings"]);
    assert.equal(res.body.notes, "Knee");
    assert.deepEqual(res.body.stats, { booked: 0, cancelled: 0, completed: 0 });
    assert.equal(
      (await api(t, "PATCH", `/api/clients/${client.id}`, {
        token: otherTrainer.token,
        body: { notes: "x" },
      })).status,
      404,
    );
    assert.equal(
      (await api(t, "PATCH", `/api/clients/${client.id}`, {
        token: client.token,
        body: { notes: "x" },
      })).status,
      403,
    );
    assert.equal(
      (await api(t, "PATCH", `/api/clients/${client.id}`, {
        token: trainer.token,
        body: { tags: "x" },
      })).status,
      422,
    );
    assert.equal(
      (await api(t, "PATCH", "/api/clients/bad-id", {
        token: trainer.token,
        body: { notes: "x" },
      })).status,
      404,
    );
    const list = await api(t, "GET", "/api/clients", { token: trainer.token });
    assert.deepEqual(list.body.clients.map((c: { id: string }) => c.id), [
      client.id,
    ]);
  },
);
