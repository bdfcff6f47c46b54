/**
 * Statistics against a hand-computed fixture: four weeks in Berlin around the spring DST
 * change, a holiday, a session moved across weeks, a late client cancel, a declined request.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import {
  groupReasons,
  offeredMinutes,
  parseWeeks,
  perMonth,
  weekStarts,
} from "../domain/stats.ts";
import type { BusinessSettings } from "../domain/types.ts";
import {
  AXIS_TEXT,
  contrastRatio,
  HEAT_LEVELS,
  SERIES_COLOURS,
} from "../views/charts.tsx";

const t = await testApp({ now: "2026-03-01T09:00:00Z" });

const NINE_TO_FIVE = [{ start: "09:00", end: "17:00" }];
const HOURS = {
  mon: NINE_TO_FIVE,
  tue: NINE_TO_FIVE,
  wed: NINE_TO_FIVE,
  thu: NINE_TO_FIVE,
  fri: NINE_TO_FIVE,
  sat: [],
  // Across 02:00, the hour Berlin skips on 2026-03-29.
  sun: [{ start: "01:00", end: "05:00" }],
};
const BERLIN: BusinessSettings = {
  timezone: "Europe/Berlin",
  slotMinutes: 60,
  workingHours: HOURS,
  holidays: ["2026-04-01"],
};
const day = (s: string) => Temporal.PlainDate.from(s);

Deno.test("offered time counts real hours: the DST Sunday has 3 of its 4, a holiday none", () => {
  const week = (monday: string) =>
    offeredMinutes(BERLIN, day(monday), day(monday).add({ days: 6 }));
  assert.equal(week("2026-03-16"), 44 * 60);
  assert.equal(week("2026-03-23"), 43 * 60);
  assert.equal(week("2026-03-30"), 36 * 60);
  assert.equal(
    offeredMinutes(
      { ...BERLIN, workingHours: { ...HOURS, sun: [] }, holidays: [] },
      day("2026-10-19"),
      day("2026-10-25"),
    ),
    40 * 60,
  );
  // The autumn change gives a range across 02:00 an hour more.
  assert.equal(
    offeredMinutes(
      { ...BERLIN, holidays: [] },
      day("2026-10-25"),
      day("2026-10-25"),
    ),
    5 * 60,
  );
});

Deno.test("weeks are the Mondays up to this week's, oldest first; only 4, 12, 52 are ranges", () => {
  assert.deepEqual(
    weekStarts(day("2026-04-08"), 4).map(String),
    ["2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06"],
  );
  assert.equal(weekStarts(day("2026-04-12"), 52).length, 52);
  assert.equal(weekStarts(day("2026-04-12"), 52)[51].toString(), "2026-04-06");
  assert.equal(parseWeeks("12"), 12);
  assert.equal(parseWeeks("52"), 52);
  for (const bad of ["5", "", "12.0", "-4", "4x", undefined]) {
    assert.equal(parseWeeks(bad), undefined, String(bad));
  }
});

Deno.test("reasons group by their first part, case-blind, the most frequent first", () => {
  assert.deepEqual(
    groupReasons([
      { reason: "Travel: away for work", count: 1 },
      { reason: null, count: 2 },
      { reason: "Sick", count: 1 },
      { reason: "sick: flu", count: 2 },
      { reason: "Travel", count: 1 },
    ]),
    [
      { reason: "Sick", count: 3 },
      { reason: "No reason given", count: 2 },
      { reason: "Travel", count: 2 },
    ],
  );
});

Deno.test("new clients per month list every month of the range, zeros included", () => {
  assert.deepEqual(
    perMonth(day("2026-01-26"), day("2026-04-19"), [{
      month: "2026-03",
      count: 2,
    }]),
    [
      { month: "2026-01", count: 0 },
      { month: "2026-02", count: 0 },
      { month: "2026-03", count: 2 },
      { month: "2026-04", count: 0 },
    ],
  );
});

async function book(token: string, body: Record<string, unknown>) {
  const res = await api(t, "POST", "/api/appointments", { token, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

/** The fixture; each session's letter is the one in the comments of the expectations. */
async function fixture() {
  t.clock.set("2026-03-01T09:00:00Z");
  const trainer = await signUpTrainer(t);
  const settings = await api(t, "GET", "/api/settings", {
    token: trainer.token,
  });
  const put = await api(t, "PUT", "/api/settings", {
    token: trainer.token,
    body: { ...settings.body, workingHours: HOURS, holidays: ["2026-04-01"] },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const ada = await signUpClient(t, trainer.referralCode, "Ada");
  const ben = await signUpClient(t, trainer.referralCode, "Ben");
  const cleo = await signUpClient(t, trainer.referralCode, "Cleo");
  const dana = await signUpClient(t, trainer.referralCode, "Dana");
  for (
    const [who, at] of [
      [ada, "2026-02-01T10:00:00Z"],
      [ben, "2026-03-20T10:00:00Z"],
      [cleo, "2026-04-07T10:00:00Z"],
      [dana, "2026-02-15T10:00:00Z"],
    ] as const
  ) {
    await t.sql`UPDATE users SET created_at = ${at} WHERE id = ${who.id}`;
  }
  const tok = trainer.token;
  const a = await book(tok, {
    clientId: ada.id,
    start: "2026-03-17T10:00:00+01:00",
  });
  await book(tok, {
    clientId: ada.id,
    start: "2026-03-24T10:00:00+01:00",
    duration: 90,
  }); // B
  await book(tok, { clientId: ben.id, start: "2026-03-29T01:30:00+01:00" }); // C, DST night
  const d = await book(tok, {
    clientId: ben.id,
    start: "2026-03-25T10:00:00+01:00",
  });
  const moved = await api(t, "PATCH", `/api/appointments/${d}`, {
    token: tok,
    body: { start: "2026-04-02T10:00:00+02:00" },
  });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  const e = await book(tok, {
    clientId: ada.id,
    start: "2026-03-26T14:00:00+01:00",
  });
  const f = await book(tok, {
    clientId: ben.id,
    start: "2026-04-07T09:00:00+02:00",
  });
  await api(t, "POST", `/api/appointments/${f}/cancel`, {
    token: tok,
    body: { reason: "Sick" },
  });
  await api(t, "PUT", "/api/settings", {
    token: tok,
    body: {
      ...settings.body,
      workingHours: HOURS,
      holidays: ["2026-04-01"],
      requiresConfirmation: true,
    },
  });
  const g = await book(ben.token, { start: "2026-04-09T10:00:00+02:00" });
  await book(ada.token, { start: "2026-04-10T11:00:00+02:00" }); // H, stays pending
  const declined = await api(t, "POST", `/api/appointments/${g}/cancel`, {
    token: tok,
    body: { reason: "Full" },
  });
  assert.equal(declined.status, 200);
  t.clock.set("2026-03-26T07:00:00Z"); // 6 hours before E: a late cancel
  const late = await api(t, "POST", `/api/appointments/${e}/cancel`, {
    token: ada.token,
    body: { reason: "Sick: flu" },
  });
  assert.equal(late.status, 200, JSON.stringify(late.body));
  t.clock.set("2026-04-08T10:00:00Z"); // Wednesday 12:00 in Berlin
  // Sessions last 30 days on the test clock: everyone signs in again five weeks on.
  const fresh = async <U extends { email: string; token: string }>(u: U) => {
    const again = await api(t, "POST", "/api/sessions", {
      body: { email: u.email, password: "password-1" },
    });
    assert.equal(again.status, 200);
    return { ...u, token: again.body.token as string };
  };
  const signedIn = await fresh(trainer);
  const done = await api(t, "PATCH", `/api/appointments/${a}`, {
    token: signedIn.token,
    body: { status: "completed" },
  });
  assert.equal(done.status, 200);
  return {
    trainer: signedIn,
    ada: await fresh(ada),
    ben: await fresh(ben),
    cleo: await fresh(cleo),
    dana: await fresh(dana),
  };
}

dbTest(
  "GET /api/stats?weeks=4 gives the hand-computed figures of the fixture",
  async () => {
    const { trainer, ada, ben, dana } = await fixture();
    const res = await api(t, "GET", "/api/stats?weeks=4", {
      token: trainer.token,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const s = res.body;
    assert.equal(s.weeks, 4);
    assert.equal(s.timezone, "Europe/Berlin");
    assert.equal(s.from, "2026-03-16");
    assert.equal(s.to, "2026-04-12");
    const pick = (w: Record<string, unknown>) => [
      w.week,
      w.scheduled,
      w.pending,
      w.completed,
      w.cancelled,
      w.declined,
      w.cancelledByClient,
      w.cancelledByTrainer,
      w.bookedMinutes,
      w.offeredMinutes,
    ];
    assert.deepEqual(s.weekly.map(pick), [
      // A completed (60 min)
      ["2026-03-16", 0, 0, 1, 0, 0, 0, 0, 60, 2640],
      // B (90) and C (60, the DST night) scheduled, E cancelled late by Ada; Sunday has 3 h
      ["2026-03-23", 2, 0, 0, 1, 0, 1, 0, 150, 2580],
      // D, moved here from the week before; Wednesday is a holiday
      ["2026-03-30", 1, 0, 0, 0, 0, 0, 0, 60, 2160],
      // F cancelled by the trainer, G declined, H pending (60)
      ["2026-04-06", 0, 1, 0, 1, 1, 0, 1, 60, 2640],
    ]);
    assert.deepEqual(
      s.weekly.map((w: { cancellationRate: number | null }) =>
        w.cancellationRate
      ),
      [
        0,
        0.3333,
        0,
        1,
      ],
    );
    assert.deepEqual(
      s.weekly.map((w: { utilisation: number }) => w.utilisation),
      [
        0.0227,
        0.0581,
        0.0278,
        0.0227,
      ],
    );
    assert.deepEqual(s.totals, {
      cancelled: 2,
      declined: 1,
      cancelledByClient: 1,
      cancelledByTrainer: 1,
      cancellationRate: 0.3333,
      bookedMinutes: 330,
      offeredMinutes: 10020,
      utilisation: 0.0329,
    });
    // The declined request's "Full" is not a cancellation reason.
    assert.deepEqual(s.reasons, [{ reason: "Sick", count: 2 }]);
    assert.deepEqual(s.heatmap, [
      { weekday: 2, hour: 10, sessions: 2 },
      { weekday: 4, hour: 10, sessions: 1 },
      { weekday: 5, hour: 11, sessions: 1 },
      { weekday: 7, hour: 1, sessions: 1 },
    ]);
    assert.deepEqual(s.newClients, [
      { month: "2026-03", count: 1 },
      { month: "2026-04", count: 1 },
    ]);
    assert.deepEqual(s.slipping, [{
      id: dana.id,
      name: "Dana",
      lastSession: null,
    }]);
    assert.deepEqual(s.clients[0], {
      id: ada.id,
      name: "Ada",
      sessions: 4,
      completed: 1,
      cancelledLate: 1,
      cancelledOther: 0,
      lastSession: "2026-03-24T10:00:00+01:00",
      nextSession: "2026-04-10T11:00:00+02:00",
    });
    assert.deepEqual(s.clients[1], {
      id: ben.id,
      name: "Ben",
      sessions: 3,
      completed: 0,
      cancelledLate: 0,
      cancelledOther: 1,
      lastSession: "2026-04-02T10:00:00+02:00",
      nextSession: null,
    });
    assert.deepEqual(s.clients.map((c: { name: string }) => c.name), [
      "Ada",
      "Ben",
      "Cleo",
      "Dana",
    ]);
  },
);

dbTest(
  "GET /api/stats is the trainer's: 12 weeks by default, 422 for another range, 403 for a client, 401 signed out",
  async () => {
    const { trainer, ada } = await fixture();
    const dflt = await api(t, "GET", "/api/stats", { token: trainer.token });
    assert.equal(dflt.status, 200);
    assert.equal(dflt.body.weeks, 12);
    assert.equal(dflt.body.weekly.length, 12);
    assert.equal(dflt.body.from, "2026-01-19");
    const bad = await api(t, "GET", "/api/stats?weeks=5", {
      token: trainer.token,
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, "validation_failed");
    assert.equal(bad.body.error.fields.weeks, "must be 4, 12 or 52");
    const client = await api(t, "GET", "/api/stats", { token: ada.token });
    assert.equal(client.status, 403);
    assert.equal(client.body.error.code, "forbidden");
    assert.equal((await api(t, "GET", "/api/stats")).status, 401);
  },
);

Deno.test("chart colours pass contrast: bars 3:1 on white, numbers in heat cells 4.5:1", () => {
  for (const [name, colour] of Object.entries(SERIES_COLOURS)) {
    assert.ok(contrastRatio(colour, "#ffffff") >= 3, `${name} ${colour}`);
  }
  assert.ok(contrastRatio(AXIS_TEXT, "#ffffff") >= 4.5);
  for (const level of HEAT_LEVELS) {
    assert.ok(
      contrastRatio(level.text, level.fill) >= 4.5,
      `${level.text} on ${level.fill}`,
    );
  }
  assert.equal(contrastRatio("#000000", "#ffffff").toFixed(0), "21");
});

/** The cells of the table with `caption`, row by row. */
function table(html: string, caption: string): string[][] {
  const start = html.indexOf(`<caption>${caption}`);
  assert.ok(start >= 0, `no table ${caption}`);
  const body = html.slice(start, html.indexOf("</table>", start));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) =>
    [...m[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((c) => c[1])
  );
}

dbTest(
  "the statistics page draws each chart with a title and description and the same numbers in a table",
  async () => {
    const { trainer } = await fixture();
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    const page = await b.get("/stats?weeks=4");
    assert.equal(page.status, 200);
    const html = page.text;
    for (
      const id of [
        "chart-sessions",
        "chart-cancel",
        "chart-util",
        "chart-heat",
        "chart-clients",
      ]
    ) {
      const svg = new RegExp(
        `<svg[^>]*id="${id}"[^>]*>\\s*<title id="${id}-title">[^<]+</title>\\s*<desc id="${id}-desc">[^<]+</desc>`,
      );
      assert.match(html, svg, id);
    }
    assert.match(html, /aria-current="page">4 weeks/);
    assert.deepEqual(table(html, "Sessions per week by status").slice(1), [
      ["16 Mar 2026", "1", "0", "0", "0", "0"],
      ["23 Mar 2026", "0", "2", "0", "1", "0"],
      ["30 Mar 2026", "0", "1", "0", "0", "0"],
      ["6 Apr 2026", "0", "0", "1", "1", "1"],
    ]);
    assert.deepEqual(table(html, "Utilisation per week")[2], [
      "23 Mar 2026",
      "2.5",
      "43",
      "6%",
    ]);
    assert.deepEqual(table(html, "Reasons, most frequent first").slice(1), [[
      "Sick",
      "2",
    ]]);
    assert.deepEqual(table(html, "Cancellations per week")[2], [
      "23 Mar 2026",
      "1",
      "1",
      "0",
      "33%",
    ]);
    assert.match(html, /week of 23 Mar: 0 completed, 2 booked/);
    assert.match(html, /Dana<\/a>/);
    const perClient = table(html, "Sessions from 16 Mar 2026");
    assert.deepEqual(perClient[1], [
      "Ada",
      "4",
      "1",
      "1",
      "0",
      "24 Mar 2026 10:00",
      "10 Apr 2026 11:00",
    ]);
    // Another range, and a bad one falls back to the default.
    assert.match((await b.get("/stats")).text, /Last 12 weeks/);
    assert.match((await b.get("/stats?weeks=7")).text, /Last 12 weeks/);
    assert.match((await b.get("/stats?weeks=52")).text, /Last 52 weeks/);
  },
);

dbTest(
  "a late cancel is one inside the trainer's late window when they set one, and 24 hours only when it is 0; the caption says which",
  async () => {
    const saved = t.clock.current;
    try {
      t.clock.set("2026-03-02T07:00:00Z"); // Monday 08:00 in Berlin
      const trainer = await signUpTrainer(t);
      const ivy = await signUpClient(t, trainer.referralCode, "Ivy");
      const settings = await api(t, "GET", "/api/settings", {
        token: trainer.token,
      });
      const window = async (cancelNoticeMinutes: number) =>
        assert.equal(
          (await api(t, "PUT", "/api/settings", {
            token: trainer.token,
            body: { ...settings.body, cancelNoticeMinutes },
          })).status,
          200,
        );
      await window(180);
      const book = async (start: string) =>
        (await api(t, "POST", "/api/appointments", {
          token: ivy.token,
          body: { start },
        })).body.id as string;
      const x = await book("2026-03-04T10:00:00+01:00");
      const y = await book("2026-03-04T11:00:00+01:00");
      t.clock.set("2026-03-04T03:00:00Z"); // 6 hours before X: outside the 3-hour window
      const early = await api(t, "POST", `/api/appointments/${x}/cancel`, {
        token: ivy.token,
        body: {},
      });
      assert.equal(early.status, 200);
      t.clock.set("2026-03-04T09:30:00Z"); // 30 minutes before Y
      const late = await api(t, "POST", `/api/appointments/${y}/cancel`, {
        token: trainer.token,
        body: {},
      });
      assert.equal(late.status, 200);
      const b = new Browser(t);
      await b.post("/signin", { email: trainer.email, password: "password-1" });
      const figures = async () => {
        const s = await api(t, "GET", "/api/stats?weeks=4", {
          token: trainer.token,
        });
        const ivyRow = s.body.clients.find((c: { id: string }) =>
          c.id === ivy.id
        );
        const caption = (await b.get("/stats?weeks=4")).text.match(
          /A late cancel is less than ([^<]*?) before the start \(([^)]*)\)/,
        );
        return {
          late: ivyRow.cancelledLate,
          other: ivyRow.cancelledOther,
          minutes: s.body.lateCancelMinutes,
          caption: caption?.slice(1),
        };
      };
      assert.deepEqual(await figures(), {
        late: 1,
        other: 1,
        minutes: 180,
        caption: ["3 hours", "your late window"],
      });
      await window(0);
      assert.deepEqual(await figures(), {
        late: 2,
        other: 0,
        minutes: 1440,
        caption: ["24 hours", "you have set no late window"],
      });
    } finally {
      t.clock.current = saved;
    }
  },
);

/** The figure of the stat card labelled `label`, in page order. */
const stats = (html: string, label: string) =>
  [...html.matchAll(
    new RegExp(
      `<strong>([^<]*)</strong>${label}<small class="hint">([^<]*)<`,
      "g",
    ),
  )].map((m) => [m[1], m[2]]);

dbTest(
  "the statistics page has one cancellation rate, said once: a decline or a request still waiting is not in it",
  async () => {
    const { trainer } = await fixture();
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    const html = (await b.get("/stats?weeks=12")).text;
    assert.match(
      html,
      /Cancellation rate: cancelled sessions ÷ agreed sessions \(booked, completed or cancelled after booking\)/,
    );
    // This week: F cancelled, G declined, H waiting; only F was agreed. April adds D
    // (booked). All time: E and F cancelled of A (completed), B, C, D (booked), E and F.
    assert.deepEqual(stats(html, "Cancellation rate"), [
      ["100%", "of 1 agreed session"],
      ["50%", "of 2 agreed sessions"],
    ]);
    assert.deepEqual(stats(html, "Cancellation rate, all time"), [
      ["33%", "of 6 agreed sessions"],
    ]);
    assert.deepEqual(stats(html, "Cancelled").slice(0, 1), [
      ["1", "and 1 request declined"],
    ]);
    // The range says the same: this week's row and the range's total.
    assert.deepEqual(table(html, "Cancellations per week").at(-1), [
      "6 Apr 2026",
      "1",
      "0",
      "1",
      "100%",
    ]);
    assert.match(html, /2 cancelled \(33% cancellation rate\)/);
  },
);

dbTest(
  "statistics write dates in the trainer's language, a year of weeks names the year on its axes, and tables of zeros fold away",
  async () => {
    const { trainer } = await fixture();
    const b = new Browser(t);
    await b.post("/signin", { email: trainer.email, password: "password-1" });
    const html = (await b.get("/stats?weeks=52")).text;
    assert.doesNotMatch(html.replace(/<[^>]*>/g, " "), /\b20\d\d-\d\d-\d\d\b/);
    const axis = (id: string) =>
      [
        ...html.slice(html.indexOf(`id="${id}"`)).split("</svg>")[0].matchAll(
          /<text[^>]*text-anchor="middle"[^>]*>([^<]*)<\/text>/g,
        ),
      ].map((m) => m[1]);
    assert.deepEqual(axis("chart-sessions").slice(0, 2), [
      "Apr 2025",
      "Jun 2025",
    ]);
    assert.equal(axis("chart-cancel").at(-1), "Feb 2026");
    // Nothing was paid: that table is folded under one line; the sessions' is open.
    assert.match(
      html,
      /<details class="figures-empty"><summary>Payments recorded per month: nothing yet<\/summary>/,
    );
    assert.doesNotMatch(
      html,
      /<summary>Sessions per week by status: nothing yet/,
    );
    await t.sql`UPDATE users SET language = 'de' WHERE id = ${trainer.id}`;
    const de = (await b.get("/stats?weeks=4")).text;
    // The German page is German throughout: its captions, and its dates.
    assert.deepEqual(
      table(de, "Termine pro Woche nach Status")[1][0],
      "16. März 2026",
    );
    assert.match(
      de,
      /Letzte 4 Wochen <small class="muted">16\. März 2026 bis 12\. Apr\. 2026</,
    );
  },
);
