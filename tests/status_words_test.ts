/**
 * One set of words for a session's state on every page: Booked · Waiting for
 * confirmation · Expired request · Declined · Cancelled by you / by your trainer / by the client · Completed.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { statusWords } from "../views/status.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

/** The page's text without tags, so a raw status word in markup does not count. */
const words = (html: string) => html.replace(/<[^>]*>/g, " ");

const NOW = Temporal.Instant.from("2026-12-01T08:00:00Z");
const PAST = NOW.subtract({ nanoseconds: 1 });

Deno.test(
  "each state has its own words and look, for the client and the trainer",
  () => {
    const cases = [
      [
        { status: "scheduled", cancelledBy: null },
        "client",
        "Booked",
        "booked",
      ],
      [
        { status: "pending", cancelledBy: null },
        "client",
        "Waiting for confirmation",
        "waiting",
      ],
      [
        { status: "pending", cancelledBy: null, start: PAST },
        "trainer",
        "Expired request",
        "expired",
      ],
      [
        { status: "pending", cancelledBy: null, start: PAST },
        "client",
        "Expired request",
        "expired",
      ],
      [
        { status: "cancelled", cancelledBy: "trainer", declined: true },
        "client",
        "Declined",
        "declined",
      ],
      [
        { status: "cancelled", cancelledBy: "client" },
        "client",
        "Cancelled by you",
        "cancelled",
      ],
      [
        { status: "cancelled", cancelledBy: "trainer" },
        "client",
        "Cancelled by your trainer",
        "cancelled",
      ],
      [
        { status: "cancelled", cancelledBy: "client" },
        "trainer",
        "Cancelled by the client",
        "cancelled",
      ],
      [
        { status: "completed", cancelledBy: null },
        "trainer",
        "Completed",
        "completed",
      ],
    ] as const;
    for (const [a, viewer, text, tone] of cases) {
      assert.deepEqual(statusWords({ start: NOW, ...a }, viewer, NOW), {
        text,
        tone,
      });
    }
  },
);

dbTest(
  "a request waits, is declined and says so on the client's pages and the trainer's",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode, "Wren Client");
    await t
      .sql`UPDATE trainers SET requires_confirmation = true WHERE user_id = ${trainer.id}`;
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-02T11:00:00+01:00" },
    });
    assert.equal(booked.body.status, "pending");
    const id = booked.body.id as string;

    const c = await signedIn(client.email);
    const upcoming = await c.get("/appointments");
    assert.match(words(upcoming.text), /Waiting for confirmation/);
    assert.doesNotMatch(words(upcoming.text), /\bpending\b/);
    const calendar = await c.get("/calendar?week=2026-11-30&day=2026-12-02");
    assert.match(
      calendar.text,
      /class="slot slot-mine slot-waiting"[^]*?11:00–12:00 · Waiting for confirmation/,
    );
    const tr = await signedIn(trainer.email);
    const own = await tr.get("/calendar?week=2026-11-30&day=2026-12-02");
    assert.match(
      own.text,
      /class="slot slot-booked slot-waiting"[^]*?11:00–12:00 · Wren Client · Waiting for confirmation/,
    );
    const agenda = await tr.get("/schedule?date=2026-12-02");
    assert.match(words(agenda.text), /Waiting for confirmation/);
    assert.doesNotMatch(words(agenda.text), /\bpending\b/);

    const declined = await tr.post(`/schedule/${id}/cancel`, {
      reason: "Fully booked that week",
      back: "/schedule?date=2026-12-02",
    });
    assert.equal(declined.status, 303);
    const history = await c.get("/appointments?tab=history");
    assert.match(words(history.text), /Declined/);
    assert.doesNotMatch(words(history.text), /cancelled/i);
    assert.match(words((await c.get(`/appointments/${id}`)).text), /Declined/);
    assert.match(
      words((await tr.get("/schedule?date=2026-12-02")).text),
      /Declined: Fully booked that week/,
    );
  },
);

dbTest(
  "a booked session cancelled by the client reads 'Cancelled by you' to them and 'Cancelled by the client' to the trainer",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode, "Ash Client");
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-03T11:00:00+01:00" },
    });
    assert.equal(booked.body.status, "scheduled");
    const c = await signedIn(client.email);
    assert.match(words((await c.get("/appointments")).text), /Booked/);
    const cancel = await api(
      t,
      "POST",
      `/api/appointments/${booked.body.id}/cancel`,
      { token: client.token, body: {} },
    );
    assert.equal(cancel.status, 200);
    assert.match(
      words((await c.get("/appointments?tab=history")).text),
      /Cancelled by you/,
    );
    const tr = await signedIn(trainer.email);
    assert.match(
      words((await tr.get("/schedule?date=2026-12-03")).text),
      /Cancelled by the client/,
    );
  },
);

dbTest(
  "a request nobody answered before its start reads 'Expired request': no Confirm, no Mark completed, only Decline",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode, "Rue Client");
    await t
      .sql`UPDATE trainers SET requires_confirmation = true WHERE user_id = ${trainer.id}`;
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-02T11:00:00+01:00" },
    });
    assert.equal(booked.body.status, "pending");
    const id = booked.body.id as string;
    const tr = await signedIn(trainer.email);
    const c = await signedIn(client.email);
    const actions = (html: string) => ({
      confirm: html.includes(`action="/schedule/${id}/confirm"`),
      complete: html.includes(`action="/schedule/${id}/complete"`),
      decline: />\s*Decline\s*</.test(html),
    });
    assert.deepEqual(
      actions((await tr.get("/schedule?date=2026-12-02")).text),
      { confirm: true, complete: false, decline: true },
    );
    const saved = t.clock.current;
    try {
      t.clock.set("2026-12-02T10:30:00Z");
      const agenda = (await tr.get("/schedule?date=2026-12-02")).text;
      assert.deepEqual(actions(agenda), {
        confirm: false,
        complete: false,
        decline: true,
      });
      assert.match(words(agenda), /Expired request/);
      assert.doesNotMatch(words(agenda), /Waiting for confirmation/);
      assert.match(
        words((await tr.get("/history")).text),
        /Expired request/,
      );
      assert.match(
        words((await c.get("/appointments?tab=history")).text),
        /Expired request/,
      );
      assert.match(
        words((await c.get(`/appointments/${id}`)).text),
        /Expired request/,
      );
      // The form says so too, and nothing changes.
      const refused = await tr.post(`/schedule/${id}/confirm`, {
        back: "/schedule?date=2026-12-02",
      });
      assert.equal(refused.status, 303);
      const told = await tr.get(refused.headers.get("Location")!);
      assert.match(words(told.text), /This request has expired/);
      const after = await api(t, "GET", `/api/appointments/${id}`, {
        token: trainer.token,
      });
      assert.equal(after.body.status, "pending");
    } finally {
      t.clock.current = saved;
    }
  },
);

dbTest(
  "every page says each state in the table's words: schedule, Today, history, statistics, the client page and the feed, and a decline is never a cancellation",
  async () => {
    const saved = t.clock.current;
    try {
      t.clock.set("2026-12-01T08:00:00Z"); // Tuesday 09:00 in Berlin
      const trainer = await signUpTrainer(t);
      const client = await signUpClient(t, trainer.referralCode, "Mo Client");
      const book = async (token: string, body: Record<string, unknown>) => {
        const res = await api(t, "POST", "/api/appointments", { token, body });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body.id as string;
      };
      const cancel = async (token: string, id: string, reason: string) =>
        assert.equal(
          (await api(t, "POST", `/api/appointments/${id}/cancel`, {
            token,
            body: { reason },
          })).status,
          200,
        );
      await book(client.token, { start: "2026-12-02T10:00:00+01:00" }); // booked
      const done = await book(trainer.token, {
        clientId: client.id,
        start: "2026-12-01T10:00:00+01:00",
      });
      const byClient = await book(client.token, {
        start: "2026-12-03T10:00:00+01:00",
      });
      await cancel(client.token, byClient, "Away");
      const byTrainer = await book(client.token, {
        start: "2026-12-03T12:00:00+01:00",
      });
      await cancel(trainer.token, byTrainer, "Ill");
      await t
        .sql`UPDATE trainers SET requires_confirmation = true WHERE user_id = ${trainer.id}`;
      await book(client.token, { start: "2026-12-04T10:00:00+01:00" }); // waiting
      const no = await book(client.token, {
        start: "2026-12-04T12:00:00+01:00",
      });
      await cancel(trainer.token, no, "Full");
      await book(client.token, { start: "2026-12-01T14:00:00+01:00" }); // expires
      t.clock.set("2026-12-01T14:30:00Z"); // 15:30: the 10:00 took place, the 14:00 request expired
      assert.equal(
        (await api(t, "PATCH", `/api/appointments/${done}`, {
          token: trainer.token,
          body: { status: "completed" },
        })).status,
        200,
      );

      const EVERY = [
        "Booked",
        "Completed",
        "Cancelled by the client",
        "Cancelled by you",
        "Waiting for confirmation",
        "Declined",
        "Expired request",
      ];
      /** The badges' words, in page order. */
      const badges = (html: string) =>
        [...html.matchAll(/<span class="badge badge-[a-z]+">([^<]*)<\/span>/g)]
          .map((m) => m[1]);
      // A session shows its badge in its line and again in its dialogs.
      const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();
      const tr = await signedIn(trainer.email);

      const week = (await tr.get("/schedule?date=2026-11-30&view=week")).text;
      assert.deepEqual(sorted(badges(week)), sorted(EVERY));
      const page = (await tr.get(`/clients/${client.id}`)).text;
      assert.deepEqual(sorted(badges(page)), sorted(EVERY));
      assert.match(
        page,
        /1 booked · 2 waiting for confirmation · 1 completed · 2 cancelled · 1 declined/,
      );

      const today = (await tr.get("/today")).text;
      assert.deepEqual(sorted(badges(today)), [
        "Completed",
        "Expired request",
        "Waiting for confirmation",
      ]);
      const gone = words(
        today.slice(
          today.indexOf('id="today-cancelled"'),
          today.indexOf('id="today-free"'),
        ),
      );
      assert.match(gone, /10:00: Cancelled by the client \(Away\)/);
      assert.match(gone, /12:00: Cancelled by you \(Ill\)/);
      assert.match(gone, /12:00: Declined \(Full\)/);
      assert.doesNotMatch(words(today), /\b(scheduled|pending)\b/);

      const history = (await tr.get("/history")).text;
      assert.deepEqual(sorted(badges(history)), [
        "Completed",
        "Expired request",
      ]);
      const c = await signedIn(client.email);
      assert.deepEqual(
        sorted(badges((await c.get("/appointments?tab=history")).text)),
        [
          "Cancelled by you",
          "Cancelled by your trainer",
          "Completed",
          "Declined",
          "Expired request",
        ],
      );

      const stats = (await tr.get("/stats?weeks=4")).text;
      const thisWeek = stats.slice(
        stats.indexOf("<h2>This week"),
        stats.indexOf("<h2>This month"),
      );
      const card = (label: string) =>
        new RegExp(`<strong>([^<]*)</strong>${label}(?:<small|</div>)`)
          .exec(thisWeek)?.[1];
      assert.deepEqual(
        [
          "Booked",
          "Waiting for confirmation",
          "Completed",
          "Cancelled",
          "Cancellation rate",
        ].map(card),
        ["1", "2", "1", "2", "50%"],
      );
      assert.match(thisWeek, /and 1 request declined/);
      assert.match(thisWeek, /of 4 agreed sessions/);
      assert.match(
        stats,
        /<th scope="col">Completed<\/th><th scope="col">Booked<\/th><th scope="col">Waiting for confirmation<\/th><th scope="col">Cancelled<\/th><th scope="col">Declined<\/th>/,
      );

      const feed = await api(t, "GET", "/api/feeds", { token: trainer.token });
      const ics = (await (await t.app.request(
        new URL(feed.body.url as string).pathname,
      )).text()).replace(/\r\n[ \t]/g, "");
      const described = [...ics.matchAll(/^DESCRIPTION:(.*)$/gm)].map((m) =>
        m[1].split("\\n")[0]
      );
      for (
        const w of [
          "Cancelled by the client",
          "Cancelled by you",
          "Waiting for confirmation",
          "Declined",
        ]
      ) {
        assert.ok(described.includes(w), `${w} in ${described.join(" | ")}`);
      }
    } finally {
      t.clock.current = saved;
    }
  },
);
