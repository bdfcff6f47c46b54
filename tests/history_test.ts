import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { csvField, toCsv } from "../views/csv.ts";

// Tuesday 2026-12-01 09:00 in Berlin.
const NOW = "2026-12-01T08:00:00Z";
const t = await testApp({ now: NOW });

async function world() {
  t.clock.set(NOW);
  const trainer = await signUpTrainer(t);
  const ada = await signUpClient(t, trainer.referralCode, "Ada");
  const ben = await signUpClient(t, trainer.referralCode, "Ben");
  const b = new Browser(t);
  await b.post("/signin", { email: trainer.email, password: "password-1" });
  return { trainer, ada, ben, b };
}

/** A past session written straight into the table (the API refuses the past). */
async function past(
  trainerId: string,
  clientId: string,
  start: string,
  status = "completed",
  extra: { notes?: string; reason?: string } = {},
) {
  const [row] = await t.sql<{ id: string }[]>`
    INSERT INTO appointments (trainer_id, client_id, starts_at, ends_at, status, notes,
      cancellation_reason, cancelled_by, cancelled_at)
    VALUES (${trainerId}, ${clientId}, ${start}, ${start}::timestamptz + interval '1 hour',
      ${status}, ${extra.notes ?? ""}, ${extra.reason ?? null},
      ${status === "cancelled" ? "client" : null},
      ${status === "cancelled" ? start : null})
    RETURNING id`;
  return row.id;
}

const times = (html: string) =>
  [...html.matchAll(/<strong class="session-time">([^<]*)<\/strong>/g)].map(
    (m) => m[1],
  );

dbTest(
  "history pages newest first by keyset, 20 at a time, without gaps or repeats, and leaves out the future",
  async () => {
    const { trainer, ada, b } = await world();
    for (let i = 1; i <= 25; i++) {
      // The 20th and 21st share a start, so the page boundary falls on a tie.
      const back = i === 21 ? 20 : i;
      const day = Temporal.PlainDate.from("2026-11-30").subtract({
        days: back,
      });
      await past(trainer.id, ada.id, `${day}T10:00:00+01:00`);
    }
    // A future session is not history.
    await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: ada.id, start: "2026-12-02T10:00:00+01:00" },
    });
    const first = await b.get("/history");
    assert.equal(first.status, 200);
    const page1 = times(first.text);
    assert.equal(page1.length, 20);
    assert.match(page1[0], /Sunday, 29 November 2026, 10:00–11:00/);
    assert.doesNotMatch(first.text, /2 December 2026/);
    const next = /href="(\/history\?after=[^"]+)" rel="next"/.exec(first.text);
    assert.ok(next, "a link to older sessions");
    const second = await b.get(next[1].replaceAll("&amp;", "&"));
    const page2 = times(second.text);
    assert.equal(page2.length, 5);
    assert.match(page2[4], /Thursday, 5 November 2026/);
    assert.equal(page2[0], page1[19], "the tie's second row opens page 2");
    assert.equal(new Set([...page1, ...page2]).size, 24);
    assert.doesNotMatch(second.text, /rel="next"/);
  },
);

dbTest(
  "history filters by client, status and dates in the trainer's zone",
  async () => {
    const { trainer, ada, ben, b } = await world();
    await past(trainer.id, ada.id, "2026-11-02T10:00:00+01:00");
    await past(trainer.id, ben.id, "2026-11-03T10:00:00+01:00");
    await past(trainer.id, ben.id, "2026-11-04T10:00:00+01:00", "cancelled", {
      reason: "Sick",
    });
    // 00:30 on the 10th in Berlin is still the 9th in UTC: it belongs to the 10th.
    await past(trainer.id, ada.id, "2026-11-09T23:30:00Z");
    const ben1 = await b.get(`/history?client=${ben.id}`);
    assert.equal(times(ben1.text).length, 2);
    assert.match(ben1.text, new RegExp(`<option value="${ben.id}" selected`));
    const cancelled = await b.get("/history?status=cancelled");
    assert.equal(times(cancelled.text).length, 1);
    assert.match(cancelled.text, /Cancelled by the client: Sick/);
    const tenth = await b.get("/history?from=2026-11-10&to=2026-11-10");
    assert.deepEqual(times(tenth.text), [
      "Tuesday, 10 November 2026, 00:30–01:30",
    ]);
    const range = await b.get("/history?from=2026-11-03&to=2026-11-04");
    assert.equal(times(range.text).length, 2);
    // Bad input is a friendly message, not an error.
    const bad = await b.get("/history?from=2026-13-01&status=nope&after=x");
    assert.equal(bad.status, 200);
    assert.match(bad.text, /must be a date/);
    assert.equal(times(bad.text).length, 4);
    const backwards = await b.get("/history?from=2026-11-05&to=2026-11-01");
    assert.match(backwards.text, /must not be before the start/);
  },
);

dbTest(
  "history filters declined requests apart from cancelled sessions, in the table's words",
  async () => {
    const { trainer, ada, ben, b } = await world();
    await past(trainer.id, ben.id, "2026-11-04T10:00:00+01:00", "cancelled", {
      reason: "Sick",
    });
    await t
      .sql`UPDATE trainers SET requires_confirmation = true WHERE user_id = ${trainer.id}`;
    const asked = await api(t, "POST", "/api/appointments", {
      token: ada.token,
      body: { start: "2026-12-02T11:00:00+01:00" },
    });
    assert.equal(asked.body.status, "pending");
    const no = await api(
      t,
      "POST",
      `/api/appointments/${asked.body.id}/cancel`,
      {
        token: trainer.token,
        body: { reason: "Full that day" },
      },
    );
    assert.equal(no.status, 200);
    t.clock.set("2026-12-03T08:00:00Z");
    try {
      const form = (await b.get("/history")).text;
      assert.match(form, /<option value="declined"\s*>Declined<\/option>/);
      assert.match(form, /<option value="cancelled"\s*>Cancelled<\/option>/);
      assert.match(
        form,
        /<option value="pending"\s*>Expired request<\/option>/,
      );
      const declined = await b.get("/history?status=declined");
      assert.deepEqual(times(declined.text), [
        "Wednesday, 2 December 2026, 11:00–12:00",
      ]);
      assert.match(declined.text, /<option value="declined" selected>/);
      assert.match(declined.text, /Declined: Full that day/);
      const cancelled = await b.get("/history?status=cancelled");
      assert.deepEqual(times(cancelled.text), [
        "Wednesday, 4 November 2026, 10:00–11:00",
      ]);
    } finally {
      t.clock.set(NOW);
    }
  },
);

dbTest(
  "a past session still scheduled waits in history until the trainer marks it, and marking returns to the same filter",
  async () => {
    const { trainer, ada, b } = await world();
    const id = await past(
      trainer.id,
      ada.id,
      "2026-11-30T10:00:00+01:00",
      "scheduled",
    );
    const page = await b.get("/history");
    assert.match(page.text, /1 session waits for you to mark it/);
    assert.match(page.text, new RegExp(`action="/schedule/${id}/complete"`));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const back = `/history?client=${ada.id}&status=scheduled`;
    const res = await b.post(`/schedule/${id}/complete`, { _csrf: csrf, back });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("Location"), back);
    const after = await b.get("/history");
    assert.doesNotMatch(after.text, /waits for you/);
    assert.match(after.text, /badge-completed/);
  },
);

dbTest(
  "a client has one history, My appointments' tab, with only their own sessions; the CSV is the trainer's",
  async () => {
    const { trainer, ada, ben } = await world();
    await past(trainer.id, ada.id, "2026-11-02T10:00:00+01:00");
    await past(trainer.id, ben.id, "2026-11-03T10:00:00+01:00", "scheduled");
    const cb = new Browser(t);
    await cb.post("/signin", { email: ada.email, password: "password-1" });
    const old = await cb.get(`/history?client=${ben.id}`);
    assert.equal(old.status, 303);
    assert.equal(old.headers.get("location"), "/appointments?tab=history");
    const mine = await cb.get("/appointments?tab=history");
    assert.equal(mine.status, 200);
    assert.match(mine.text, /2 November 2026/);
    assert.doesNotMatch(mine.text, /3 November 2026/);
    assert.doesNotMatch(mine.text, /Mark completed|Download CSV/);
    // Nothing in the client's nav leads to a second history.
    assert.doesNotMatch(mine.text, /href="\/history/);
    assert.equal((await cb.get("/history.csv")).status, 403);
    assert.equal((await new Browser(t).get("/history")).status, 303);
  },
);

Deno.test("CSV fields are quoted as RFC 4180 says and formulas are defused", () => {
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
  assert.equal(csvField("=SUM(A1)"), "'=SUM(A1)");
  assert.equal(csvField("@x,y"), `"'@x,y"`);
  assert.equal(toCsv([["a", "b"], ["1", ""]]), "a,b\r\n1,\r\n");
});

dbTest(
  "the trainer downloads the filtered history as CSV with a header row, in the trainer's zone",
  async () => {
    const { trainer, ada, ben, b } = await world();
    await past(trainer.id, ada.id, "2026-11-02T10:00:00+01:00", "completed", {
      notes: 'Legs, "heavy"\nday',
    });
    await past(trainer.id, ben.id, "2026-11-03T10:00:00+01:00");
    await past(trainer.id, ada.id, "2026-11-04T09:00:00Z", "cancelled", {
      reason: "=cmd",
    });
    const res = await b.request("GET", `/history.csv?client=${ada.id}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("Content-Type")!, /^text\/csv; charset=utf-8/);
    assert.deepEqual(
      [...res.bytes.slice(0, 3)],
      [0xef, 0xbb, 0xbf],
      "a UTF-8 byte-order mark first",
    );
    assert.match(
      res.headers.get("Content-Disposition")!,
      /attachment; filename="spotter-history-2026-12-01.csv"/,
    );
    assert.equal(
      res.text,
      "date,start,end,duration_minutes,client,status,notes,cancelled_by,cancellation_reason,start_iso,credit\r\n" +
        "2026-11-04,10:00,11:00,60,Ada,cancelled,,client,'=cmd,2026-11-04T10:00:00+01:00,\r\n" +
        '2026-11-02,10:00,11:00,60,Ada,completed,"Legs, ""heavy""\nday",,,2026-11-02T10:00:00+01:00,\r\n',
    );
  },
);
