/**
 * The trainer's dashboard in real Chromium at 390×844, with JavaScript on and off:
 * Today (confirming a pending request from there), statistics and the CSV download.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./helpers/app.ts";
import { phone, serveApp } from "./helpers/browser.ts";
import { uniqueEmail } from "./helpers/http.ts";

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      "Content-Type": "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A trainer who confirms requests, one client, and a pending request for next week. */
async function trainerWithRequest(base: string) {
  const email = uniqueEmail("dash-trainer");
  const signUp = await call(base, "POST", "/api/trainers", {
    name: "Robin Coach",
    email,
    password: "password-1",
    timezone: "Europe/Berlin",
  });
  const token = (await call(base, "POST", "/api/sessions", {
    email,
    password: "password-1",
  })).body.token;
  const settings = await call(base, "GET", "/api/settings", undefined, token);
  await call(base, "PUT", "/api/settings", {
    ...settings.body,
    requiresConfirmation: true,
  }, token);
  const clientEmail = uniqueEmail("dash-client");
  const client = await call(base, "POST", "/api/clients", {
    referralCode: signUp.body.referralCode,
    name: "Casey Client",
    email: clientEmail,
    password: "password-1",
  });
  const clientToken = (await call(base, "POST", "/api/sessions", {
    email: clientEmail,
    password: "password-1",
  })).body.token;
  const today = Temporal.Now.plainDateISO("Europe/Berlin");
  const monday = today.add({ days: 8 - today.dayOfWeek });
  const booked = await call(base, "POST", "/api/appointments", {
    start: monday.toZonedDateTime({
      timeZone: "Europe/Berlin",
      plainTime: "10:00",
    }).toString({ timeZoneName: "never" }),
  }, clientToken);
  assert.equal(booked.status, 201, JSON.stringify(booked.body));
  assert.equal(booked.body.status, "pending");
  return {
    id: signUp.body.id as string,
    clientId: client.body.id as string,
    email,
    token,
    appointmentId: booked.body.id as string,
  };
}

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/signin`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-1");
  await page.click("button[type=submit]");
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "with JavaScript off";
  dbTest(
    `a trainer signs in to Today on a phone and confirms a pending request there, ${mode}`,
    async () => {
      const server = await serveApp();
      const context = await phone({ javaScript });
      try {
        const base = server.url;
        const trainer = await trainerWithRequest(base);
        const page = context.pages()[0] ?? await context.newPage();
        await signIn(page, base, trainer.email);
        await page.waitForURL(`${base}/today`);
        assert.equal((await page.textContent("h1"))!.trim(), "Today");
        const request = page.locator(".today-pending li.session-pending");
        assert.match((await request.textContent())!, /Casey Client/);
        // Fits the phone: the confirm button is on screen without sideways scrolling.
        const width = await page.evaluate<number>(
          "document.documentElement.scrollWidth",
        );
        assert.ok(width <= 390, `page is ${width}px wide`);
        await request.locator("button:text-is('Confirm')").click();
        await page.waitForSelector(".flash-ok");
        assert.ok(page.url().endsWith("/today"), page.url());
        assert.match(
          (await page.textContent(".flash-ok"))!,
          /Session with Casey Client confirmed/,
        );
        const after = await call(
          base,
          "GET",
          `/api/appointments/${trainer.appointmentId}`,
          undefined,
          trainer.token,
        );
        assert.equal(after.body.status, "scheduled");
      } finally {
        await context.close();
        await server.close();
      }
    },
  );
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "with JavaScript off";
  dbTest(
    `the statistics page shows every chart with its table on a phone and switches range, ${mode}`,
    async () => {
      const server = await serveApp();
      const context = await phone({ javaScript });
      try {
        const base = server.url;
        const trainer = await trainerWithRequest(base);
        const page = context.pages()[0] ?? await context.newPage();
        await signIn(page, base, trainer.email);
        await page.waitForURL(`${base}/today`);
        await page.click("nav >> text=Statistics");
        await page.waitForURL(`${base}/stats`);
        assert.match((await page.textContent("#range h2"))!, /Last 12 weeks/);
        const charts = page.locator("figure.chart svg[role=img]");
        // Five charts of sessions and money, and the credits sold and used (payments
        // have no chart while none is recorded).
        assert.equal(await charts.count(), 6);
        assert.equal(await page.locator("svg#chart-credits").count(), 1);
        assert.equal(await page.locator("svg#chart-payments").count(), 0);
        for (let i = 0; i < 6; i++) {
          const svg = charts.nth(i);
          assert.ok((await svg.locator("title").first().textContent())!.trim());
          assert.ok((await svg.locator("desc").textContent())!.trim());
          const box = (await svg.boundingBox())!;
          assert.ok(
            box.width > 300 && box.width <= 390,
            `chart ${i} ${box.width}px`,
          );
        }
        assert.ok(await page.locator("table.figures").count() >= 7);
        const sessions = page.locator(
          "table.figures:has(caption:text-is('Sessions per week by status')) tbody tr",
        );
        assert.equal(await sessions.count(), 12);
        const width = await page.evaluate<number>(
          "document.documentElement.scrollWidth",
        );
        assert.ok(width <= 390, `page is ${width}px wide`);
        await page.click("text=4 weeks");
        await page.waitForURL(/weeks=4/);
        assert.match((await page.textContent("#range h2"))!, /Last 4 weeks/);
        assert.equal(await sessions.count(), 4);
        // On a desktop the charts grow with the page: no fixed width holds them back.
        await page.setViewportSize({ width: 1280, height: 800 });
        const sizes = await page.evaluate<[number, number][]>(
          `[...document.querySelectorAll("figure.chart")].map((f) =>
            [f.querySelector("svg").getBoundingClientRect().width, f.clientWidth])`,
        );
        for (const [svg, figure] of sizes) {
          assert.ok(
            svg > 700 && svg === figure,
            `chart ${svg}px of ${figure}px`,
          );
        }
      } finally {
        await context.close();
        await server.close();
      }
    },
  );
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "with JavaScript off";
  dbTest(
    `a trainer filters the history and downloads it as CSV on a phone, ${mode}`,
    async () => {
      const server = await serveApp();
      const context = await phone({ javaScript });
      try {
        const base = server.url;
        const trainer = await trainerWithRequest(base);
        for (
          const [days, notes] of [[3, "Legs, heavy"], [10, "Arms"]] as const
        ) {
          await server.sql`
            INSERT INTO appointments (trainer_id, client_id, starts_at, ends_at, status, notes)
            VALUES (${trainer.id}, ${trainer.clientId}, now() - make_interval(days => ${days}),
              now() - make_interval(days => ${days}) + interval '1 hour', 'completed', ${notes})`;
        }
        const page = context.pages()[0] ?? await context.newPage();
        await signIn(page, base, trainer.email);
        await page.waitForURL(`${base}/today`);
        await page.click("main >> text=History");
        await page.waitForURL(`${base}/history`);
        assert.equal(await page.locator("ul.history li").count(), 2);
        const from = Temporal.Now.plainDateISO("Europe/Berlin").subtract({
          days: 5,
        });
        await page.fill("#h-from", from.toString());
        await page.click("form.filters button[type=submit]");
        await page.waitForURL(/from=/);
        assert.equal(await page.locator("ul.history li").count(), 1);
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.click("text=Download CSV"),
        ]);
        assert.match(download.suggestedFilename(), /^spotter-history-.*\.csv$/);
        const path = await download.path();
        const csv = await Deno.readTextFile(path);
        // A byte-order mark first, so spreadsheets read the file as UTF-8.
        assert.ok(csv.startsWith("\uFEFF"), "the CSV starts with a BOM");
        const lines = csv.slice(1).split("\r\n");
        assert.match(
          lines[0],
          /^date,start,end,duration_minutes,client,status,/,
        );
        assert.equal(lines.length, 3, csv); // header, one session, the final CRLF
        assert.match(lines[1], /,Casey Client,completed,"Legs, heavy",/);
      } finally {
        await context.close();
        await server.close();
      }
    },
  );
}
