/** Small targets grown to a thumb's size: measured in real Chromium on a phone. */
import assert from "node:assert/strict";
import { dbTest } from "./helpers/app.ts";
import { launchPhones, serveApp } from "./helpers/browser.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";

dbTest('a session dialog\'s "Keep it" is at least 44 px tall', async () => {
  const server = await serveApp();
  const phones = await launchPhones();
  try {
    const trainer = await signUpTrainer(server);
    const client = await signUpClient(server, trainer.referralCode, "Casey");
    const day = Temporal.Now.plainDateISO("Europe/Berlin").add({ days: 7 });
    const start = Temporal.PlainDateTime.from(`${day}T10:00`)
      .toZonedDateTime("Europe/Berlin").toInstant().toString();
    const booked = await api(server, "POST", "/api/appointments", {
      token: client.token,
      body: { start },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    const { context, page } = await phones.phone({ javaScript: true });
    try {
      await page.goto(`${server.url}/signin`);
      await page.fill("#f-email", trainer.email);
      await page.fill("#f-password", "password-1");
      await page.click("main button[type=submit]");
      await page.waitForURL(`${server.url}/today`);
      await page.goto(`${server.url}/schedule?date=${day}&view=day`);
      await page.click(".session-actions button:has-text('Cancel')");
      const keep = page.locator("dialog[open] button:has-text('Keep it')");
      const box = await keep.boundingBox();
      assert.ok(box, "Keep it is shown");
      assert.ok(box.height >= 44, `Keep it is ${box.height} px tall`);
      assert.ok(box.width >= 44, `Keep it is ${box.width} px wide`);
    } finally {
      await context.close();
    }
  } finally {
    await phones.close();
    await server.close();
  }
});

dbTest(
  'a class page\'s "Back to the calendar" (client) and "All classes" (trainer) are at least 44 px tall',
  async () => {
    const server = await serveApp();
    const phones = await launchPhones();
    try {
      const trainer = await signUpTrainer(server);
      const client = await signUpClient(server, trainer.referralCode, "Kit");
      const day = Temporal.Now.plainDateISO("Europe/Berlin").add({ days: 7 });
      const start = Temporal.PlainDateTime.from(`${day}T18:00`)
        .toZonedDateTime("Europe/Berlin").toInstant().toString();
      const created = await api(server, "POST", "/api/classes", {
        token: trainer.token,
        body: { title: "Evening circuit", start, capacity: 6 },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      for (
        const [who, link] of [
          [client, "Back to the calendar"],
          [trainer, "All classes"],
        ] as const
      ) {
        const { context, page } = await phones.phone({ javaScript: false });
        try {
          await page.goto(`${server.url}/signin`);
          await page.fill("#f-email", who.email);
          await page.fill("#f-password", "password-1");
          await page.click("main button[type=submit]");
          await page.waitForURL(/\/(today|calendar|appointments)/);
          await page.goto(`${server.url}/classes/${created.body.id}`);
          const box = await page.locator(`main a:text-is("${link}")`)
            .boundingBox();
          assert.ok(box, `${link} is shown`);
          assert.ok(box.height >= 44, `${link} is ${box.height} px tall`);
          assert.ok(box.width >= 44, `${link} is ${box.width} px wide`);
        } finally {
          await context.close();
        }
      }
    } finally {
      await phones.close();
      await server.close();
    }
  },
);

dbTest(
  "Today's cancelled list and the client page's Save stand clear of the heading after them",
  async () => {
    const server = await serveApp();
    const phones = await launchPhones();
    try {
      const trainer = await signUpTrainer(server);
      const client = await signUpClient(server, trainer.referralCode, "Noa");
      const day = Temporal.Now.plainDateISO("Europe/Berlin").add({ days: 7 });
      const start = Temporal.PlainDateTime.from(`${day}T10:00`)
        .toZonedDateTime("Europe/Berlin").toInstant().toString();
      const booked = await api(server, "POST", "/api/appointments", {
        token: client.token,
        body: { start },
      });
      assert.equal(booked.status, 201, JSON.stringify(booked.body));
      const cancelled = await api(
        server,
        "POST",
        `/api/appointments/${booked.body.id}/cancel`,
        { token: client.token, body: { reason: "Away" } },
      );
      assert.equal(cancelled.status, 200);
      const { context, page } = await phones.phone({ javaScript: false });
      try {
        await page.goto(`${server.url}/signin`);
        await page.fill("#f-email", trainer.email);
        await page.fill("#f-password", "password-1");
        await page.click("main button[type=submit]");
        await page.waitForURL(`${server.url}/today`);
        /** Pixels between the bottom of `above` and the top of `below`. */
        const gap = async (above: string, below: string) => {
          const a = (await page.locator(above).boundingBox())!;
          const b = (await page.locator(below).boundingBox())!;
          return b.y - (a.y + a.height);
        };
        const list = await gap(
          ".today-cancelled li:last-child",
          ".today-cancelled + section h2",
        );
        assert.ok(
          list >= 16,
          `the cancelled list is ${list} px from the next heading`,
        );
        await page.goto(`${server.url}/clients/${client.id}`);
        const save = await gap(
          "main form button:text-is('Save')",
          "#client-sessions",
        );
        assert.ok(save >= 16, `Save is ${save} px from "Sessions"`);
      } finally {
        await context.close();
      }
    } finally {
      await phones.close();
      await server.close();
    }
  },
);
