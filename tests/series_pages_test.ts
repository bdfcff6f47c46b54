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
