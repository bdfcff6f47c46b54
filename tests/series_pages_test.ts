/**
 * A weekly series' own page and its cancel from a date, without JavaScript (plain forms
 * through the in-process app). Tuesday 2026-12-01 09:00 in Berlin.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";

const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

dbTest(
  "a series' page lists its sessions; a cancel from a date asks first, then cancels exactly what it listed",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode, "Sam Series");
    const made = await api(t, "POST", "/api/series", {
      token: trainer.token,
      body: {
        clientId: client.id,
        start: "2026-12-07T18:00:00+01:00",
        weeks: 4,
      },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = made.body.series.id as string;
    const tb = await signedIn(trainer.email);

    const seriesPage = await tb.request("GET", `/series/${id}`);
    assert.equal(seriesPage.status, 200);
    const html = seriesPage.text;
    assert.match(html, /Sam Series/);
    for (const day of ["7 Dec", "14 Dec", "21 Dec", "28 Dec"]) {
      assert.ok(html.includes(day), `the page lists ${day}`);
    }

    const ask = await tb.request("GET", `/series/${id}/cancel?from=2026-12-14`);
    assert.equal(ask.status, 200);
    const asked = ask.text;
    for (const day of ["14", "21", "28"]) {
      const line = `${day} December 2026, 18:00`;
      assert.ok(asked.includes(line), `the step lists ${line}`);
    }
    assert.match(asked, /Cancel 3 sessions with Sam Series\?/);
    assert.ok(
      !asked.includes("7 December 2026, 18:00"),
      "the step leaves 7 Dec out",
    );

    const done = await tb.post(`/series/${id}/cancel`, {
      from: "2026-12-14",
      reason: "Away",
    });
    assert.equal(done.status, 303);
    const [first, ...rest] = made.body.appointments as { id: string }[];
    const statusOf = async (appointmentId: string) =>
      (await api(t, "GET", `/api/appointments/${appointmentId}`, {
        token: trainer.token,
      })).body.status;
    assert.equal(await statusOf(first.id), "scheduled");
    for (const a of rest) assert.equal(await statusOf(a.id), "cancelled");

    const bad = await tb.post(`/series/${id}/cancel`, { from: "2026-02-30" });
    assert.equal(bad.status, 422);
  },
);

dbTest("another trainer's series is 404, its cancel too", async () => {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode);
  const made = await api(t, "POST", "/api/series", {
    token: trainer.token,
    body: { clientId: client.id, start: "2026-12-08T10:00:00+01:00", weeks: 2 },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.series.id as string;
  const stranger = await signUpTrainer(t);
  const sb = await signedIn(stranger.email);
  assert.equal((await sb.request("GET", `/series/${id}`)).status, 404);
  assert.equal(
    (await sb.post(`/series/${id}/cancel`, { from: "2026-12-01" })).status,
    404,
  );
  for (const a of made.body.appointments as { id: string }[]) {
    const res = await api(t, "GET", `/api/appointments/${a.id}`, {
      token: trainer.token,
    });
    assert.equal(res.body.status, "scheduled");
  }
});

/** How many "weekly" badges a page shows. */
const weeklyBadges = (html: string) =>
  html.match(/<span class="badge badge-series">weekly<\/span>/g)?.length ?? 0;

dbTest(
  "each session of a series wears a weekly badge on the schedule, the client's page and My appointments; a single session does not",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode, "Wendy Weekly");
    const made = await api(t, "POST", "/api/series", {
      token: trainer.token,
      body: {
        clientId: client.id,
        start: "2026-12-07T10:00:00+01:00",
        weeks: 3,
      },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = made.body.series.id as string;
    const single = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: client.id, start: "2026-12-08T10:00:00+01:00" },
    });
    assert.equal(single.status, 201);
    const tb = await signedIn(trainer.email);
    const week = (await tb.get("/schedule?date=2026-12-07&view=week")).text;
    assert.equal(
      weeklyBadges(week),
      1,
      "Monday's occurrence, not Tuesday's single",
    );
    assert.match(week, new RegExp(`href="/series/${id}"`));
    const clientPage = (await tb.get(`/clients/${client.id}`)).text;
    assert.equal(weeklyBadges(clientPage), 3);
    const cb = await signedIn(client.email);
    const mine = (await cb.get("/appointments")).text;
    assert.equal(weeklyBadges(mine), 3);
    // The client reads the badge but has no series page to open.
    assert.doesNotMatch(mine, /href="\/series\//);
    assert.equal((await cb.request("GET", `/series/${id}`)).status, 403);
  },
);

dbTest(
  "a series over a class names the class it clashes with before anything is booked",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const made = await api(t, "POST", "/api/classes", {
      token: trainer.token,
      body: {
        title: "Morning HIIT",
        start: "2026-12-14T10:30:00+01:00",
        capacity: 6,
      },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const tb = await signedIn(trainer.email);
    const preview = await tb.post("/schedule", {
      clientId: client.id,
      date: "2026-12-07",
      time: "10:00",
      duration: "60",
      notes: "",
      weeks: "2",
    });
    assert.equal(preview.status, 409);
    assert.match(
      preview.text,
      /14 December 2026, 10:00<\/time> <strong class="error">— overlaps the class Morning HIIT, 10:30–11:30/,
    );
    const [{ n }] = await t.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM appointments WHERE client_id = ${client.id}`;
    assert.equal(n, 0);
  },
);
