import assert from "node:assert/strict";
import fc from "fast-check";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { calendarFile, escapeText, fold, type IcsEvent } from "../lib/ics.ts";
import { feedRenderCount } from "../routes/feeds.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00 in 60-minute slots.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });

const octets = (s: string) => new TextEncoder().encode(s).length;

type Event = Record<string, string>;

/**
 * Parses a calendar file back as a calendar app would, checking its framing on the way:
 * CRLF after every line (no bare CR or LF anywhere), no line over 75 octets, folds that
 * start with one space, one VCALENDAR around the VEVENTs.
 */
function parseIcs(text: string) {
  assert.ok(text.endsWith("\r\n"), "the file ends with CRLF");
  assert.equal(text.replaceAll("\r\n", "").search(/[\r\n]/), -1, "CRLF only");
  const physical = text.slice(0, -2).split("\r\n");
  for (const line of physical) {
    assert.ok(octets(line) <= 75, `${octets(line)} octets: ${line}`);
    assert.ok(!line.includes("\uFFFD"), "no character is cut by a fold");
  }
  const lines = text.slice(0, -2).replaceAll("\r\n ", "").split("\r\n");
  assert.equal(lines[0], "BEGIN:VCALENDAR");
  assert.equal(lines.at(-1), "END:VCALENDAR");
  assert.ok(lines.includes("VERSION:2.0"));
  assert.ok(lines.some((l) => l.startsWith("PRODID:")));
  const events: Event[] = [];
  let current: Event | undefined;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") current = {};
    else if (line === "END:VEVENT") {
      events.push(current!);
      current = undefined;
    } else if (current) {
      const colon = line.indexOf(":");
      current[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  return events;
}

/** RFC 5545 TEXT back to the text it stands for. */
const unescape = (s: string) =>
  s.replace(/\\([\\;,nN])/g, (_, c) => (c === "n" || c === "N" ? "\n" : c));

async function world() {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode, "Own Client");
  const sibling = await signUpClient(t, trainer.referralCode, "Other Client");
  return { trainer, client, sibling };
}

const book = async (token: string, body: Record<string, unknown>) => {
  const res = await api(t, "POST", "/api/appointments", { token, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
};

const feedUrlOf = async (token: string) => {
  const res = await api(t, "GET", "/api/feeds", { token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.url as string;
};

/** Fetches a feed the way a calendar app does: no cookie, no sign-in. */
const fetchFeed = async (url: string, headers: Record<string, string> = {}) => {
  const res = await t.app.request(new URL(url).pathname, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
};

const eventsOf = async (url: string) => {
  const res = await fetchFeed(url);
  assert.equal(res.status, 200, res.text);
  return parseIcs(res.text);
};

dbTest(
  "the feed URL is APP_URL/feeds/<256-bit URL-safe token>.ics and stays the same on every call",
  async () => {
    const { trainer, client } = await world();
    const first = await feedUrlOf(trainer.token);
    assert.match(
      first,
      /^http:\/\/spotter\.test\/feeds\/[A-Za-z0-9_-]{43}\.ics$/,
    );
    assert.equal(await feedUrlOf(trainer.token), first);
    const own = await feedUrlOf(client.token);
    assert.notEqual(own, first);
    assert.equal(await feedUrlOf(client.token), own);
  },
);

dbTest(
  "first calls at the same moment all get one and the same URL",
  async () => {
    const { client } = await world();
    const answers = await Promise.all(
      Array.from(
        { length: 16 },
        () => api(t, "GET", "/api/feeds", { token: client.token }),
      ),
    );
    assert.deepEqual(answers.map((a) => a.status), answers.map(() => 200));
    assert.equal(new Set(answers.map((a) => a.body.url)).size, 1);
    assert.equal(await feedUrlOf(client.token), answers[0].body.url);
  },
);

dbTest("a HEAD request gets the feed's headers without its body", async () => {
  const { trainer } = await world();
  const url = await feedUrlOf(trainer.token);
  const res = await t.app.request(new URL(url).pathname, { method: "HEAD" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "text/calendar; charset=utf-8");
  assert.ok(res.headers.get("ETag"));
  assert.equal(await res.text(), "");
});

dbTest("the feed API needs sign-in, the feed itself does not", async () => {
  const { trainer } = await world();
  const get = await api(t, "GET", "/api/feeds");
  assert.equal(get.status, 401);
  assert.equal(get.body.error.code, "unauthorized");
  const reset = await api(t, "POST", "/api/feeds/reset");
  assert.equal(reset.status, 401);
  assert.equal(reset.body.error.code, "unauthorized");
  const res = await fetchFeed(await feedUrlOf(trainer.token));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "text/calendar; charset=utf-8");
  // Public by token: the answer sets no cookie a calendar app would carry around.
  assert.equal(res.headers.get("Set-Cookie"), null);
});

dbTest("an unknown or malformed feed token answers 404", async () => {
  for (
    const path of [
      `/feeds/${"A".repeat(43)}.ics`,
      "/feeds/short.ics",
      `/feeds/${"A".repeat(43)}`,
      "/feeds/%27%3B--.ics",
    ]
  ) {
    assert.equal((await t.app.request(path)).status, 404, path);
  }
});

dbTest(
  "a trainer's feed holds every client's sessions named by client, a client's only their own named by the trainer",
  async () => {
    const { trainer, client, sibling } = await world();
    const own = await book(client.token, { start: "2026-12-02T09:00:00Z" });
    const other = await book(sibling.token, { start: "2026-12-02T10:00:00Z" });
    const trainerEvents = await eventsOf(await feedUrlOf(trainer.token));
    assert.deepEqual(
      trainerEvents.map((e) => [e.UID, e.SUMMARY, e.DTSTART, e.DTEND]),
      [
        [
          `${own}@spotter.test`,
          "Own Client",
          "20261202T090000Z",
          "20261202T100000Z",
        ],
        [
          `${other}@spotter.test`,
          "Other Client",
          "20261202T100000Z",
          "20261202T110000Z",
        ],
      ],
    );
    for (const e of trainerEvents) {
      assert.equal(e.STATUS, "CONFIRMED");
      assert.match(e.DTSTAMP, /^\d{8}T\d{6}Z$/);
    }
    const clientFeed = await fetchFeed(await feedUrlOf(client.token));
    const clientEvents = parseIcs(clientFeed.text);
    assert.deepEqual(
      clientEvents.map((e) => [e.UID, e.SUMMARY]),
      [[`${own}@spotter.test`, "Tess Trainer"]],
    );
    assert.ok(!clientFeed.text.includes("Other Client"));
    assert.ok(!clientFeed.text.includes(other));
  },
);

dbTest(
  "UIDs stay the same across fetches and after a move; cancelled sessions stay as CANCELLED, pending ones are TENTATIVE, deleted ones leave",
  async () => {
    const { trainer, client } = await world();
    const moved = await book(client.token, { start: "2026-12-02T09:00:00Z" });
    const cancelled = await book(client.token, {
      start: "2026-12-03T09:00:00Z",
    });
    const deleted = await book(client.token, { start: "2026-12-04T09:00:00Z" });
    const url = await feedUrlOf(client.token);
    const before = await eventsOf(url);
    assert.deepEqual(
      (await eventsOf(url)).map((e) => e.UID),
      before.map((e) => e.UID),
    );

    const move = await api(t, "PATCH", `/api/appointments/${moved}`, {
      token: trainer.token,
      body: { start: "2026-12-07T13:00:00Z" },
    });
    assert.equal(move.status, 200, JSON.stringify(move.body));
    const cancel = await api(
      t,
      "POST",
      `/api/appointments/${cancelled}/cancel`,
      {
        token: client.token,
        body: { reason: "ill" },
      },
    );
    assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
    const del = await api(t, "DELETE", `/api/appointments/${deleted}`, {
      token: trainer.token,
    });
    assert.equal(del.status, 204);
    const current = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    const settings = await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...current.body, requiresConfirmation: true },
    });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    const pending = await book(client.token, { start: "2026-12-08T09:00:00Z" });

    const after = await eventsOf(url);
    const byUid = new Map(after.map((e) => [e.UID.split("@")[0], e]));
    assert.deepEqual(
      [...byUid.keys()].sort(),
      [moved, cancelled, pending].sort(),
    );
    assert.equal(byUid.get(moved)!.UID, before[0].UID);
    assert.equal(byUid.get(moved)!.DTSTART, "20261207T130000Z");
    assert.equal(byUid.get(moved)!.STATUS, "CONFIRMED");
    assert.equal(byUid.get(cancelled)!.STATUS, "CANCELLED");
    assert.equal(byUid.get(pending)!.STATUS, "TENTATIVE");
    assert.ok(!byUid.has(deleted));
  },
);

dbTest(
  "each move of a session raises its SEQUENCE and changes the feed's tag; the feed asks to be fetched again every hour",
  async () => {
    const { trainer, client } = await world();
    const id = await book(client.token, { start: "2026-12-02T09:00:00Z" });
    const url = await feedUrlOf(trainer.token);
    const first = await fetchFeed(url);
    const lines = first.text.split("\r\n");
    assert.ok(lines.includes("REFRESH-INTERVAL;VALUE=DURATION:PT1H"));
    assert.ok(lines.includes("X-PUBLISHED-TTL:PT1H"));
    assert.equal(parseIcs(first.text)[0].SEQUENCE, "0");
    let etag = first.headers.get("ETag")!;
    for (
      const [i, start] of ["2026-12-07T13:00:00Z", "2026-12-08T10:00:00Z"]
        .entries()
    ) {
      const move = await api(t, "PATCH", `/api/appointments/${id}`, {
        token: trainer.token,
        body: { start },
      });
      assert.equal(move.status, 200, JSON.stringify(move.body));
      const res = await fetchFeed(url, { "If-None-Match": etag });
      assert.equal(res.status, 200);
      assert.notEqual(res.headers.get("ETag"), etag);
      etag = res.headers.get("ETag")!;
      assert.equal(parseIcs(res.text)[0].SEQUENCE, String(i + 1));
    }
    // A change that does not move it keeps its sequence.
    await api(t, "PATCH", `/api/appointments/${id}`, {
      token: trainer.token,
      body: { notes: "Bring a towel" },
    });
    assert.equal((await eventsOf(url))[0].SEQUENCE, "2");
    assert.equal(
      (await eventsOf(await feedUrlOf(client.token)))[0].SEQUENCE,
      "2",
    );
  },
);

dbTest(
  "the feed reaches back exactly 90 days: a session that started 90 days ago is in, one a second earlier is out",
  async () => {
    const { trainer, client } = await world();
    const early = await book(client.token, { start: "2026-12-02T09:00:00Z" });
    const edge = await book(client.token, { start: "2026-12-02T10:00:00Z" });
    const url = await feedUrlOf(trainer.token);
    const saved = t.clock.current;
    try {
      t.clock.set("2027-03-02T10:00:00Z"); // 90 × 24 h after the edge session's start
      assert.deepEqual(
        (await eventsOf(url)).map((e) => e.UID.split("@")[0]),
        [edge],
      );
      t.clock.advance({ seconds: 1 });
      assert.deepEqual(await eventsOf(url), []);
      t.clock.set("2027-03-02T09:00:00Z");
      assert.deepEqual(
        (await eventsOf(url)).map((e) => e.UID.split("@")[0]),
        [early, edge],
      );
    } finally {
      t.clock.current = saved;
    }
  },
);

dbTest(
  "a reset answers a new URL at once: the old one is 404, the new one works and is what GET shows",
  async () => {
    const { client } = await world();
    await book(client.token, { start: "2026-12-02T09:00:00Z" });
    const old = await feedUrlOf(client.token);
    assert.equal((await fetchFeed(old)).status, 200);
    const reset = await api(t, "POST", "/api/feeds/reset", {
      token: client.token,
    });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    const fresh = reset.body.url as string;
    assert.match(
      fresh,
      /^http:\/\/spotter\.test\/feeds\/[A-Za-z0-9_-]{43}\.ics$/,
    );
    assert.notEqual(fresh, old);
    assert.equal((await fetchFeed(old)).status, 404);
    assert.equal((await eventsOf(fresh)).length, 1);
    assert.equal(await feedUrlOf(client.token), fresh);
  },
);

dbTest(
  "the feed carries an ETag and answers 304 to it until something in it changes",
  async () => {
    const { trainer, client } = await world();
    const id = await book(client.token, { start: "2026-12-02T09:00:00Z" });
    const url = await feedUrlOf(client.token);
    const first = await fetchFeed(url);
    const etag = first.headers.get("ETag")!;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    assert.equal(
      first.headers.get("Cache-Control"),
      "private, max-age=0, must-revalidate",
    );
    assert.equal((await fetchFeed(url)).headers.get("ETag"), etag);
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const again = await fetchFeed(url, { "If-None-Match": header });
      assert.equal(again.status, 304, header);
      assert.equal(again.text, "");
      assert.equal(again.headers.get("ETag"), etag);
    }
    assert.equal(
      (await fetchFeed(url, { "If-None-Match": '"other"' })).status,
      200,
    );
    await api(t, "PATCH", `/api/appointments/${id}`, {
      token: trainer.token,
      body: { notes: "Bring a towel" },
    });
    const changed = await fetchFeed(url, { "If-None-Match": etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get("ETag"), etag);
  },
);

dbTest(
  "a revalidation that still matches answers 304 without rendering the feed; a change, a rename or a session leaving the window renders it anew",
  async () => {
    const { trainer, client } = await world();
    const id = await book(client.token, { start: "2026-12-02T09:00:00Z" });
    await book(client.token, { start: "2026-12-03T09:00:00Z" });
    const url = await feedUrlOf(client.token);
    const renders = feedRenderCount;
    let before = renders();
    const first = await fetchFeed(url);
    assert.equal(first.status, 200);
    assert.equal(renders() - before, 1);
    let etag = first.headers.get("ETag")!;
    /** Revalidates with the last tag: the status and how many renders it cost. */
    const revalidate = async () => {
      before = renders();
      const res = await fetchFeed(url, { "If-None-Match": etag });
      const cost = renders() - before;
      if (res.status === 200) {
        assert.notEqual(res.headers.get("ETag"), etag);
        etag = res.headers.get("ETag")!;
      } else assert.equal(res.headers.get("ETag"), etag);
      return [res.status, cost];
    };
    for (let i = 0; i < 3; i++) assert.deepEqual(await revalidate(), [304, 0]);
    // A change to one of its sessions: one fresh render, then 304 again.
    await api(t, "PATCH", `/api/appointments/${id}`, {
      token: trainer.token,
      body: { notes: "Bring a towel" },
    });
    assert.deepEqual(await revalidate(), [200, 1]);
    assert.deepEqual(await revalidate(), [304, 0]);
    // The trainer's new name is in the client's feed.
    await t
      .sql`UPDATE users SET name = 'Coach Renamed' WHERE id = ${trainer.id}`;
    assert.deepEqual(await revalidate(), [200, 1]);
    const saved = t.clock.current;
    try {
      // Time alone changes nothing until the first session leaves the 90-day window.
      t.clock.set("2027-03-02T09:00:00Z"); // exactly 90 days after the first start
      assert.deepEqual(await revalidate(), [304, 0]);
      t.clock.advance({ milliseconds: 1 });
      assert.deepEqual(await revalidate(), [200, 1]);
      assert.equal((await eventsOf(url)).length, 1);
      assert.deepEqual(await revalidate(), [304, 0]);
    } finally {
      t.clock.current = saved;
    }
  },
);

dbTest(
  "notes with backslashes, separators, every kind of line break and multi-byte characters come back intact",
  async () => {
    const { trainer, client } = await world();
    const notes = `a\\b; c, d\r\ne\nf\rg ${"Übung 💪 ".repeat(12)}`;
    const id = await book(trainer.token, {
      clientId: client.id,
      start: "2026-12-02T09:00:00Z",
      notes,
    });
    const feed = await fetchFeed(await feedUrlOf(client.token));
    assert.equal(feed.text.replaceAll("\r\n", "").search(/[\r\n]/), -1);
    const [event] = parseIcs(feed.text);
    assert.equal(event.UID, `${id}@spotter.test`);
    assert.equal(unescape(event.DESCRIPTION), notes.replace(/\r\n|\r/g, "\n"));
  },
);

Deno.test("text escaping covers backslash, semicolon, comma, CRLF, LF and a bare CR", () => {
  assert.equal(
    escapeText("a\\b;c,d\r\ne\nf\rg"),
    "a\\\\b\\;c\\,d\\ne\\nf\\ng",
  );
});

Deno.test("a fold never splits a multi-byte character, even one that ends exactly at octet 75", () => {
  // 73 ASCII octets + "é" (2 octets) = 75: the first line holds it whole.
  const fits = `${"x".repeat(73)}é${"y".repeat(10)}`;
  assert.equal(fold(fits).split("\r\n")[0], `${"x".repeat(73)}é`);
  // 74 ASCII octets + "€" (3 octets) would be 77: it moves whole to the next line.
  const spills = `${"x".repeat(74)}€${"y".repeat(10)}`;
  const [head, tail] = fold(spills).split("\r\n");
  assert.equal(head, "x".repeat(74));
  assert.equal(tail, ` €${"y".repeat(10)}`);
  // A 4-octet emoji across the continuation line's 74-octet limit.
  const emoji = `${"x".repeat(75)}${"z".repeat(72)}💪`;
  const lines = fold(emoji).split("\r\n");
  assert.deepEqual(lines, ["x".repeat(75), ` ${"z".repeat(72)}`, " 💪"]);
  for (const l of lines) assert.ok(octets(l) <= 75);
});

Deno.test("any text, escaped as every writer does, folds into lines of at most 75 octets, cut only between characters, that unfold to it", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.nat(60),
      (text, prefix) => {
        // A content line holds no raw CR or LF: escapeText turns each into `\n` first.
        const line = `${"X".repeat(prefix)}${escapeText(text)}`;
        assert.ok(!/[\r\n]/.test(line));
        const lines = fold(line).split("\r\n");
        for (const [i, l] of lines.entries()) {
          assert.ok(octets(l) <= 75);
          if (i > 0) assert.ok(l.startsWith(" ") && l.length > 1);
          // A piece ends on a whole character: no high surrogate left at its end.
          assert.ok(!/[\uD800-\uDBFF]$/.test(l));
        }
        assert.equal(lines.map((l, i) => i ? l.slice(1) : l).join(""), line);
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("any item becomes an event with one generic input (as classes will)", () => {
  const event: IcsEvent = {
    uid: "c1a55000-0000-4000-8000-000000000001@spotter.test",
    start: Temporal.Instant.from("2027-01-04T09:00:00Z"),
    end: Temporal.Instant.from("2027-01-04T10:00:00Z"),
    stamp: Temporal.Instant.from("2027-01-01T12:00:00Z"),
    summary: "Morning HIIT",
    status: "CANCELLED",
    description: "Rain, sorry",
  };
  const [parsed] = parseIcs(calendarFile([event]));
  assert.deepEqual(parsed, {
    UID: event.uid,
    DTSTAMP: "20270101T120000Z",
    DTSTART: "20270104T090000Z",
    DTEND: "20270104T100000Z",
    SUMMARY: "Morning HIIT",
    DESCRIPTION: "Rain\\, sorry",
    STATUS: "CANCELLED",
  });
});

dbTest(
  "the confirmation screen's download uses the same writer: same UID as the feed",
  async () => {
    const { client } = await world();
    const id = await book(client.token, { start: "2026-12-02T09:00:00Z" });
    const res = await t.app.request(`/appointments/${id}/calendar.ics`, {
      headers: { Authorization: `Bearer ${client.token}` },
    });
    assert.equal(res.status, 200);
    const [download] = parseIcs(await res.text());
    const [feed] = await eventsOf(await feedUrlOf(client.token));
    assert.equal(download.UID, feed.UID);
    assert.equal(download.DTSTART, feed.DTSTART);
    assert.equal(download.STATUS, "CONFIRMED");
  },
);

dbTest(
  "the feed page shows the secret link in a read-only field and resets it with a CSRF-checked form",
  async () => {
    const { client } = await world();
    const b = new Browser(t);
    assert.equal((await b.get("/feeds")).status, 303); // sign in first
    const signin = await b.post("/signin", {
      email: client.email,
      password: "password-1",
    });
    assert.equal(signin.status, 303);
    assert.match((await b.get("/profile")).text, /href="\/feeds"/);
    const url = await feedUrlOf(client.token);
    const shown = await b.get("/feeds");
    assert.equal(shown.status, 200);
    assert.match(
      shown.text,
      new RegExp(`<input id="feed-url" type="text" readonly value="${url}"`),
    );
    assert.match(shown.text, /Google Calendar/);
    assert.match(shown.text, /Apple Calendar/);
    assert.match(shown.text, /The old link stops working at once/);

    const forged = await b.request("POST", "/feeds/reset", { _csrf: "nope" });
    assert.equal(forged.status, 403);
    assert.equal(await feedUrlOf(client.token), url);

    const reset = await b.post("/feeds/reset");
    assert.equal(reset.status, 303);
    assert.equal(reset.headers.get("Location"), "/feeds");
    const fresh = await feedUrlOf(client.token);
    assert.notEqual(fresh, url);
    assert.equal((await fetchFeed(url)).status, 404);
    const after = await b.get("/feeds");
    assert.match(after.text, /The old one no longer works/);
    assert.ok(after.text.includes(`value="${fresh}"`));
  },
);

dbTest(
  "classes are in the feeds: all of a trainer's; a client's only where they hold a booked seat, cancelled ones marked",
  async () => {
    const { trainer, client, sibling } = await world();
    const make = async (start: string, capacity = 2) => {
      const res = await api(t, "POST", "/api/classes", {
        token: trainer.token,
        body: { title: "Strength circuit", start, capacity },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    };
    const seat = (token: string, id: string) =>
      api(t, "POST", `/api/classes/${id}/seats`, { token, body: {} });
    const held = await make("2026-12-03T17:00:00Z");
    const full = await make("2026-12-04T17:00:00Z", 2);
    const notMine = await make("2026-12-05T17:00:00Z");
    assert.equal((await seat(client.token, held)).status, 201);
    assert.equal((await seat(sibling.token, full)).status, 201);
    const third = await signUpClient(t, trainer.referralCode, "Third");
    assert.equal((await seat(third.token, full)).status, 201);
    const waiting = await seat(client.token, full);
    assert.equal(waiting.body.status, "waitlisted");
    await api(t, "POST", `/api/classes/${held}/cancel`, {
      token: trainer.token,
      body: { reason: "Hall closed" },
    });

    const trainerEvents = await eventsOf(await feedUrlOf(trainer.token));
    const classUids = (events: { UID?: string }[]) =>
      events.map((e) => e.UID).filter((u) =>
        [held, full, notMine].some((id) => u?.startsWith(id))
      );
    assert.deepEqual(classUids(trainerEvents), [
      `${held}@spotter.test`,
      `${full}@spotter.test`,
      `${notMine}@spotter.test`,
    ]);
    const clientEvents = await eventsOf(await feedUrlOf(client.token));
    // The waitlist place is not in it; the class cancelled while holding a seat stays.
    assert.deepEqual(classUids(clientEvents), [`${held}@spotter.test`]);
    const cancelled = clientEvents.find((e) => e.UID?.startsWith(held))!;
    assert.equal(cancelled.STATUS, "CANCELLED");
    assert.equal(cancelled.DTSTART, "20261203T170000Z");
    assert.match(cancelled.SUMMARY!, /Strength circuit/);
    // Nobody else's name appears in a client's feed.
    const body = (await fetchFeed(await feedUrlOf(client.token))).text;
    assert.doesNotMatch(body, /Other Client|Third/);
  },
);

dbTest(
  "a feed speaks its reader's language: a class's summary and a request's state, and a new tag when the language changes",
  async () => {
    const { trainer, client } = await world();
    const made = await api(t, "POST", "/api/classes", {
      token: trainer.token,
      body: { title: "Core", start: "2026-12-03T17:00:00Z", capacity: 4 },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await t.sql`UPDATE trainers SET requires_confirmation = true
      WHERE user_id = ${trainer.id}`;
    await book(client.token, { start: "2026-12-04T09:00:00Z" });
    const url = await feedUrlOf(trainer.token);
    const before = await fetchFeed(url);
    const english = parseIcs(before.text);
    assert.ok(
      english.some((e) => e.SUMMARY === "Core (group class with Tess Trainer)"),
      before.text,
    );
    assert.ok(
      english.some((e) => e.DESCRIPTION === "Waiting for confirmation"),
    );

    await t.sql`UPDATE users SET language = 'ru' WHERE id = ${trainer.id}`;
    const after = await fetchFeed(url, {
      "If-None-Match": before.headers.get("ETag")!,
    });
    assert.equal(after.status, 200, "the old tag no longer matches");
    const russian: Event[] = parseIcs(after.text).map((e) => ({
      ...e,
      SUMMARY: unescape(e.SUMMARY ?? ""),
    }));
    assert.ok(
      russian.some((e) =>
        e.SUMMARY === "Core (групповое занятие, тренер Tess Trainer)"
      ),
      after.text,
    );
    assert.ok(russian.some((e) => e.DESCRIPTION === "Ожидает подтверждения"));
  },
);
