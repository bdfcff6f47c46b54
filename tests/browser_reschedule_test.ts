/**
 * Real Chromium at 390×844, with JavaScript and without: a client moves a session, a
 * trainer creates a weekly series over a conflict, and the late-window wording.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./helpers/app.ts";
import { phone, serveApp } from "./helpers/browser.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";

/** The JSON API of a running server, for setting the scene. */
const over = (base: string) =>
  ({
    app: {
      request: (path: string, init?: RequestInit) =>
        fetch(`${base}${path}`, init),
    },
  }) as unknown as Parameters<typeof api>[0];

const ZONE = "Europe/Berlin";
// A Monday at least a week ahead, so no policy of the real clock gets in the way.
const today = Temporal.Now.plainDateISO(ZONE);
const soon = today.add({ days: 8 });
const monday = soon.add({ days: (8 - soon.dayOfWeek) % 7 });
const at = (days: number, time: string) =>
  monday.add({ days }).toPlainDateTime(Temporal.PlainTime.from(time))
    .toZonedDateTime(ZONE).toString({ timeZoneName: "never" });

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/signin`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-1");
  await page.click("button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "with JavaScript off";

  dbTest(`a client moves a session to another free time, ${mode}`, async () => {
    const server = await serveApp();
    const context = await phone({ javaScript });
    try {
      const t = over(server.url);
      const trainer = await signUpTrainer(t);
      const client = await signUpClient(t, trainer.referralCode, "Mo Mover");
      const booked = await api(t, "POST", "/api/appointments", {
        token: client.token,
        body: { start: at(0, "10:00") },
      });
      assert.equal(booked.status, 201, JSON.stringify(booked.body));
      const page = context.pages()[0] ?? await context.newPage();
      await signIn(page, server.url, client.email);
      await page.goto(`${server.url}/appointments`);
      await page.click("li.appointment >> text=Move");
      await page.waitForURL(/\/calendar\?move=/);
      assert.match((await page.textContent("main"))!, /Move your session/);
      await page.click(".day.selected a:has-text('14:00–15:00 · Move here')");
      await page.waitForURL(/\/move\?start=/);
      assert.match((await page.textContent("main"))!, /Move your session\?/);
      await page.click("button:has-text('Move it')");
      await page.waitForURL(new RegExp(`/appointments/${booked.body.id}$`));
      assert.match(
        (await page.textContent("main"))!,
        /Moved your session to .* at 14:00\. Tess Trainer has been told\./,
      );
      const after = await api(t, "GET", `/api/appointments/${booked.body.id}`, {
        token: client.token,
      });
      assert.equal(after.body.start, at(0, "14:00"));
    } finally {
      await context.close();
      await server.close();
    }
  });

  dbTest(
    `a trainer books a weekly series, sees the conflicting date and skips it, ${mode}`,
    async () => {
      const server = await serveApp();
      const context = await phone({ javaScript });
      try {
        const t = over(server.url);
        const trainer = await signUpTrainer(t);
        const client = await signUpClient(
          t,
          trainer.referralCode,
          "Sam Series",
        );
        const other = await signUpClient(
          t,
          trainer.referralCode,
          "Olive Other",
        );
        await api(t, "POST", "/api/appointments", {
          token: trainer.token,
          body: { clientId: other.id, start: at(7, "18:30") },
        });
        const page = context.pages()[0] ?? await context.newPage();
        await signIn(page, server.url, trainer.email);
        await page.goto(`${server.url}/schedule?date=${monday}`);
        await page.selectOption("#f-clientId", client.id);
        await page.fill("#f-date", monday.toString());
        await page.fill("#f-time", "18:00");
        await page.fill("#f-weeks", "3");
        await page.click("#new-session button[type=submit]");
        await page.waitForSelector("text=Check the dates");
        const preview = (await page.textContent("main"))!;
        assert.match(preview, /1 of the 3 dates conflicts/);
        assert.match(
          preview,
          /overlaps the session with Olive Other, 18:30–19:30/,
        );
        await page.click("button:has-text('Book the 2 free dates, skip 1')");
        await page.waitForSelector(
          "text=Weekly sessions booked with Sam Series: 2",
        );
        const rows = await server.sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM appointments
          WHERE client_id = ${client.id} AND series_id IS NOT NULL`;
        assert.equal(rows[0].n, 2);
      } finally {
        await context.close();
        await server.close();
      }
    },
  );

  dbTest(
    `inside the late window a client reads whom to contact instead of a cancel button, ${mode}`,
    async () => {
      const server = await serveApp();
      const context = await phone({ javaScript });
      try {
        const t = over(server.url);
        const trainer = await signUpTrainer(t);
        const client = await signUpClient(t, trainer.referralCode, "Lee Late");
        await api(t, "POST", "/api/appointments", {
          token: client.token,
          body: { start: at(0, "10:00") },
        });
        const settings = await api(t, "GET", "/api/settings", {
          token: trainer.token,
        });
        await api(t, "PUT", "/api/settings", {
          token: trainer.token,
          body: { ...settings.body, cancelNoticeMinutes: 10080 },
        });
        // Two days ahead: inside the 7-day window (booked by the trainer, who is not bound).
        const inTwoDays = today.add({ days: 2 })
          .toPlainDateTime(Temporal.PlainTime.from("23:00"))
          .toZonedDateTime(ZONE).toString({ timeZoneName: "never" });
        const near = await api(t, "POST", "/api/appointments", {
          token: trainer.token,
          body: { clientId: client.id, start: inTwoDays },
        });
        assert.equal(near.status, 201, JSON.stringify(near.body));
        const page = context.pages()[0] ?? await context.newPage();
        await signIn(page, server.url, client.email);
        await page.goto(`${server.url}/appointments`);
        const items = page.locator("li.appointment");
        assert.equal(await items.count(), 2);
        // Soonest first: the near one says whom to contact, the later one can be cancelled.
        assert.match(
          (await items.nth(0).textContent())!,
          /Less than 7 days to go: contact your trainer to cancel or move it\./,
        );
        assert.doesNotMatch(
          (await items.nth(1).textContent())!,
          /contact your trainer/,
        );
        assert.equal(
          await page.locator(`a[href="/appointments/${near.body.id}/cancel"]`)
            .count(),
          0,
        );
      } finally {
        await context.close();
        await server.close();
      }
    },
  );
}
