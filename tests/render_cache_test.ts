import assert from "node:assert/strict";
import { Hono } from "hono";
import { createApp } from "../app.tsx";
import type { AppEnv } from "../routes/context.ts";
import { cacheUntil, renderCache } from "../routes/render_cache.ts";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { scrape } from "../lib/metrics.ts";

// Tuesday 2026-12-01, 09:20 in Berlin (at a slot's start exactly, nothing can be kept).
const NOW = "2026-12-01T08:20:00Z";
const t = await testApp({ now: NOW });
// A second app on the same database, as another process would be: its writes must
// reach the first app's kept pages.
const other = { app: createApp(t.deps) };

const day = [{ start: "09:00", end: "12:00" }];
const hours = {
  mon: day,
  tue: day,
  wed: day,
  thu: day,
  fri: day,
  sat: [],
  sun: [],
};

async function setUp() {
  const trainer = await signUpTrainer(t);
  const put = await api(other, "PUT", "/api/settings", {
    token: trainer.token,
    body: { timezone: "Europe/Berlin", slotMinutes: 60, workingHours: hours },
  });
  assert.equal(put.status, 200);
  const client = await signUpClient(t, trainer.referralCode);
  const rival = await signUpClient(t, trainer.referralCode, "Rita Rival");
  const browser = async (email: string) => {
    const b = new Browser(t);
    const res = await b.post("/signin", { email, password: "password-1" });
    assert.equal(res.status, 303);
    return b;
  };
  return {
    trainer,
    client,
    rival,
    phone: await browser(client.email),
    desk: await browser(trainer.email),
  };
}

const WEEK = "/calendar?week=2026-11-30&day=2026-12-02";
const fragment = (b: Browser, path = WEEK) =>
  b.get(path, { "HX-Request": "true" });

/** Asks twice: the second answer must come from memory and read the same. */
async function kept(b: Browser, path = WEEK) {
  const first = await fragment(b, path);
  assert.equal(first.status, 200);
  const second = await fragment(b, path);
  assert.equal(second.headers.get("X-Cache"), "hit");
  assert.equal(second.text, first.text);
  return second.text;
}

dbTest(
  "a calendar asked for again is answered from memory, byte for byte, and a 304 for its ETag",
  async () => {
    const { phone } = await setUp();
    const counted = async (result: string) =>
      Number(
        new RegExp(
          `^spotter_kept_pages_total\\{result="${result}"\\} (\\d+)`,
          "m",
        )
          .exec(await scrape())?.[1] ?? 0,
      );
    const [hits, misses] = [await counted("hit"), await counted("miss")];
    const first = await fragment(phone);
    assert.equal(first.headers.get("X-Cache"), "miss");
    const again = await fragment(phone);
    assert.equal(again.headers.get("X-Cache"), "hit");
    // Each is counted in the metrics.
    assert.equal(await counted("hit"), hits + 1);
    assert.equal(await counted("miss"), misses + 1);
    assert.equal(again.text, first.text);
    assert.equal(again.headers.get("Vary"), "HX-Request, Accept-Encoding");
    assert.equal(again.headers.get("Cache-Control"), "private, no-store");
    assert.match(again.headers.get("Content-Security-Policy") ?? "", /self/);
    const tag = again.headers.get("ETag")!;
    assert.match(tag, /^W\/"/);
    const unchanged = await fragment(phone, WEEK);
    assert.equal(unchanged.headers.get("ETag"), tag);
    const revalidated = await phone.get(WEEK, {
      "HX-Request": "true",
      "If-None-Match": tag,
    });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.text, "");
    // Compared weakly, as If-None-Match is: the same tag without W/ matches too.
    const strong = await phone.get(WEEK, {
      "HX-Request": "true",
      "If-None-Match": `"other", ${tag.slice(2)}`,
    });
    assert.equal(strong.status, 304);
    // The page and the fragment are kept apart, and so are the weeks.
    const page = await phone.get(WEEK);
    assert.match(page.text, /<!DOCTYPE html>/);
    assert.equal((await phone.get(WEEK)).headers.get("X-Cache"), "hit");
    // A phone showing one day at a time has its own copy.
    phone.cookies.set("spotter_view", "day");
    const oneDay = await fragment(phone);
    assert.equal(oneDay.headers.get("X-Cache"), "miss");
    assert.match(oneDay.text, /data-days="1"/);
    phone.cookies.delete("spotter_view");
    const next = await fragment(phone, "/calendar?week=2026-12-07");
    assert.equal(next.headers.get("X-Cache"), "miss");
    assert.match(next.text, /7 December 2026/);
  },
);

dbTest(
  "every change a calendar shows, made by another process, reaches a kept page at once",
  async () => {
    const s = await setUp();
    const { trainer, client, rival, phone, desk } = s;
    const trainerWeek = "/calendar?week=2026-11-30&day=2026-12-02";

    // Another client books Wednesday 10:00.
    assert.match(await kept(phone), /10:00–11:00 · Free/);
    const booked = await api(other, "POST", "/api/appointments", {
      token: rival.token,
      body: { start: "2026-12-02T10:00:00+01:00" },
    });
    assert.equal(booked.status, 201);
    assert.match((await fragment(phone)).text, /10:00–11:00 · Booked/);

    // The trainer sees the name; the client renames themselves.
    assert.match(await kept(desk, trainerWeek), /Rita Rival/);
    await t.sql`UPDATE users SET name = 'Rita Renamed' WHERE id = ${rival.id}`;
    const renamed = await fragment(desk, trainerWeek);
    assert.equal(renamed.headers.get("X-Cache"), "miss");
    assert.match(renamed.text, /Rita Renamed/);

    // The booking is cancelled, then the trainer deletes it.
    await kept(phone);
    const cancelled = await api(
      other,
      "POST",
      `/api/appointments/${booked.body.id}/cancel`,
      { token: rival.token, body: {} },
    );
    assert.equal(cancelled.status, 200);
    assert.match((await fragment(phone)).text, /10:00–11:00 · Free/);
    await kept(phone);
    const mine = await api(other, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-02T11:00:00+01:00" },
    });
    assert.equal(mine.status, 201);
    assert.match((await fragment(phone)).text, /11:00–12:00 · Your session/);
    await kept(phone);
    const gone = await api(
      other,
      "DELETE",
      `/api/appointments/${mine.body.id}`,
      { token: trainer.token },
    );
    assert.equal(gone.status, 204);
    assert.match((await fragment(phone)).text, /11:00–12:00 · Free/);

    // Settings: working hours, then a holiday.
    await kept(phone);
    const longer = await api(other, "PUT", "/api/settings", {
      token: trainer.token,
      body: {
        timezone: "Europe/Berlin",
        slotMinutes: 60,
        workingHours: { ...hours, wed: [{ start: "09:00", end: "13:00" }] },
      },
    });
    assert.equal(longer.status, 200);
    assert.match((await fragment(phone)).text, /12:00–13:00 · Free/);
    await kept(phone);
    const holiday = await api(other, "PUT", "/api/settings", {
      token: trainer.token,
      body: {
        timezone: "Europe/Berlin",
        slotMinutes: 60,
        workingHours: hours,
        holidays: ["2026-12-02"],
      },
    });
    assert.equal(holiday.status, 200);
    assert.doesNotMatch((await fragment(phone)).text, /12:00–13:00/);

    // The trainer's name, as the client's calendar says it.
    assert.match(await kept(phone), /Tess Trainer/);
    await t
      .sql`UPDATE users SET name = 'Tess Renamed' WHERE id = ${trainer.id}`;
    assert.match((await fragment(phone)).text, /Tess Renamed/);

    // A class on Thursday, then the client takes a seat.
    const thursday = "/calendar?week=2026-11-30&day=2026-12-03";
    await kept(phone, thursday);
    const yoga = await api(other, "POST", "/api/classes", {
      token: trainer.token,
      body: {
        title: "Morning yoga",
        start: "2026-12-03T10:00:00+01:00",
        capacity: 4,
      },
    });
    assert.equal(yoga.status, 201);
    const withClass = await fragment(phone, thursday);
    assert.equal(withClass.headers.get("X-Cache"), "miss");
    assert.match(withClass.text, /Morning yoga · 4 seats left/);
    await kept(phone, thursday);
    const seat = await api(
      other,
      "POST",
      `/api/classes/${yoga.body.id}/seats`,
      {
        token: client.token,
      },
    );
    assert.equal(seat.status, 201);
    assert.match(
      (await fragment(phone, thursday)).text,
      /Morning yoga · You have a seat/,
    );
  },
);

dbTest(
  "a kept calendar is rebuilt the moment time changes it: a slot starting, the notice window, the day",
  async () => {
    const { trainer, phone } = await setUp();
    t.clock.set("2026-12-02T08:30:00Z"); // Wednesday 09:30 in Berlin
    try {
      const before = await fragment(phone);
      assert.match(before.text, /10:00–11:00 · Free/);
      // Up to 09:59:59.999 the page reads the same and is kept.
      t.clock.set("2026-12-02T08:59:59.999Z");
      assert.equal((await fragment(phone)).headers.get("X-Cache"), "hit");
      // At 10:00 the 10:00 slot is no longer offered.
      t.clock.set("2026-12-02T09:00:00Z");
      // (Built afresh; at a slot's very start there is nothing to keep.)
      const at = await fragment(phone);
      assert.notEqual(at.headers.get("X-Cache"), "hit");
      t.clock.set("2026-12-02T09:00:00.001Z");
      assert.match((await fragment(phone)).text, /10:00–11:00 · Past/);

      // 90 minutes' notice: at 10:10 the 12:00 slot is free until 10:30 sharp, with no
      // slot starting in between.
      const notice = await api(other, "PUT", "/api/settings", {
        token: trainer.token,
        body: {
          timezone: "Europe/Berlin",
          slotMinutes: 60,
          workingHours: { ...hours, wed: [{ start: "09:00", end: "14:00" }] },
          minNoticeMinutes: 90,
        },
      });
      assert.equal(notice.status, 200);
      t.clock.set("2026-12-02T09:10:00Z");
      const free = await kept(phone);
      assert.match(free, /11:00–12:00 · Too soon/);
      assert.match(free, /12:00–13:00 · Free/);
      t.clock.set("2026-12-02T09:29:59.999Z");
      assert.equal((await fragment(phone)).headers.get("X-Cache"), "hit");
      t.clock.set("2026-12-02T09:30:00Z");
      const soon = await fragment(phone);
      assert.notEqual(soon.headers.get("X-Cache"), "hit");
      t.clock.set("2026-12-02T09:30:00.001Z");
      assert.match((await fragment(phone)).text, /12:00–13:00 · Too soon/);

      // Midnight: "today" moves on.
      const week = "/calendar?week=2026-11-30&day=2026-12-04";
      t.clock.set("2026-12-02T22:59:59Z");
      assert.match(await kept(phone, week), /Wed 2/);
      t.clock.set("2026-12-02T23:00:00Z");
      assert.equal(
        (await fragment(phone, week)).headers.get("X-Cache"),
        "miss",
      );
    } finally {
      t.clock.set(NOW);
    }
  },
);

dbTest(
  "pages with a message, other sessions, bearer calls and other users are never served another's copy",
  async () => {
    const { client, phone } = await setUp();
    await kept(phone);
    // The same client signed in on a second phone: a page of its own (its own CSRF token).
    const second = new Browser(t);
    await second.post("/signin", {
      email: client.email,
      password: "password-1",
    });
    const mine = await fragment(second);
    assert.equal(mine.headers.get("X-Cache"), "miss");
    // The phone's own session sent as a bearer token has a copy of its own: the cookie
    // page carries the session's CSRF token, which a bearer answer never does.
    const cookiePage = await phone.get(WEEK);
    assert.equal((await phone.get(WEEK)).headers.get("X-Cache"), "hit");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(cookiePage.text)![1];
    const bearer = await t.app.request(WEEK, {
      headers: {
        Authorization: `Bearer ${phone.cookies.get("spotter_session")}`,
      },
    });
    assert.equal(bearer.status, 200);
    assert.equal(bearer.headers.get("X-Cache"), "miss");
    assert.ok(
      !(await bearer.text()).includes(csrf),
      "no cookie session's token",
    );
    // A flash message is shown once, and such a page is not kept.
    phone.cookies.set(
      "spotter_flash",
      encodeURIComponent(JSON.stringify({ kind: "ok", text: "Hello there" })),
    );
    const flashed = await phone.get(WEEK);
    assert.match(flashed.text, /Hello there/);
    assert.equal(flashed.headers.get("X-Cache"), null);
    assert.doesNotMatch((await phone.get(WEEK)).text, /Hello there/);
    // Signed out, the kept page is out of reach.
    await phone.post("/signout");
    const out = await fragment(phone);
    assert.notEqual(out.status, 200);
  },
);

Deno.test("kept pages stay within their memory budget, the least recently used going first", async () => {
  const clock = () => Temporal.Instant.from("2026-12-01T08:00:00Z");
  const cache = renderCache({ maxBytes: 20_000 });
  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set(
        "deps",
        {
          now: clock,
          config: { pseudoLocale: false },
        } as unknown as AppEnv["Variables"]["deps"],
      );
      c.set("user", {
        id: "u1",
        role: "client",
        name: "Cleo",
        email: "c@example.test",
        trainerId: "t1",
        telegramLinked: false,
        language: "en",
      });
      c.set("sessionHash", new Uint8Array(32));
      c.set("csrfToken", "x".repeat(43));
      c.set("calendarVersion", "7");
      await next();
    })
    .use(cache)
    .get("/page/:n", (c) => {
      cacheUntil(c, clock().add({ hours: 1 }));
      return c.html(`<p>${c.req.param("n")}</p>`.padEnd(4_000, " "));
    });
  const get = async (n: number) =>
    (await app.request(`/page/${n}`)).headers.get("X-Cache");
  for (let n = 0; n < 10; n++) assert.equal(await get(n), "miss");
  assert.ok(cache.stats.bytes <= 20_000, `${cache.stats.bytes} bytes kept`);
  assert.equal(await get(9), "hit");
  assert.equal(await get(0), "miss", "the oldest went first");
  // Four pages fit: 7, 8, 9 and 0 now. Used again, 7 moves to the back of the queue,
  // so the next page in pushes out 8 instead.
  assert.equal(await get(7), "hit");
  assert.equal(await get(10), "miss");
  assert.equal(await get(7), "hit");
  assert.equal(await get(8), "miss");
  // Many requests missing the same page at once keep one copy, counted once.
  await Promise.all(Array.from({ length: 20 }, () => get(99)));
  assert.ok(cache.stats.bytes <= 20_000, `${cache.stats.bytes} bytes counted`);
  assert.equal(await get(99), "hit");
  for (let round = 0; round < 5; round++) {
    await Promise.all(Array.from({ length: 20 }, () => get(100 + round)));
    assert.equal(await get(100 + round), "hit", "the cache keeps working");
  }
});

dbTest(
  "the slots API is kept the same way: another process's booking shows at once",
  async () => {
    const { trainer, client, rival } = await setUp();
    const path =
      `/api/trainers/${trainer.id}/slots?from=2026-12-02&to=2026-12-03`;
    const slots = () => api(t, "GET", path, { token: client.token });
    const statusAt = (body: { slots: { start: string; status: string }[] }) =>
      body.slots.find((s) => s.start === "2026-12-02T10:00:00+01:00")?.status;
    const first = await slots();
    assert.equal(first.headers.get("X-Cache"), "miss");
    assert.equal(statusAt(first.body), "available");
    const second = await slots();
    assert.equal(second.headers.get("X-Cache"), "hit");
    assert.deepEqual(second.body, first.body);
    const booked = await api(other, "POST", "/api/appointments", {
      token: rival.token,
      body: { start: "2026-12-02T10:00:00+01:00" },
    });
    assert.equal(booked.status, 201);
    const after = await slots();
    assert.equal(after.headers.get("X-Cache"), "miss");
    assert.equal(statusAt(after.body), "booked");
    // Someone else's trainer: refused, and nothing kept for it.
    const stranger = await signUpTrainer(t);
    const refused = await api(
      t,
      "GET",
      `/api/trainers/${stranger.id}/slots?from=2026-12-02&to=2026-12-03`,
      { token: client.token },
    );
    assert.equal(refused.status, 404);
    assert.equal(refused.headers.get("X-Cache"), null);
  },
);
