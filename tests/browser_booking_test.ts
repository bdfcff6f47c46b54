/**
 * Booking on a phone in real Chromium at 390×844: the slot boxes, Back after booking,
 * and the status words a client sees.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./helpers/app.ts";
import {
  clientJoins,
  launchPhones,
  screenshot,
  serveApp,
  trainerSignsUp,
} from "./helpers/browser.ts";
import { uniqueEmail } from "./helpers/http.ts";

/** Next week always has free weekday slots; on a phone one day shows at a time. */
async function nextWeek(page: Page) {
  await page.click("text=Next week →");
  await page.waitForURL(/week=/);
}

const freeSlots = (page: Page) =>
  page.locator(".day.selected .slot-available > a");

dbTest("booking on a phone", async (t) => {
  const phones = await launchPhones();
  const server = await serveApp();
  const base = server.url;
  try {
    const trainer = await phones.phone({ javaScript: true });
    const code = await trainerSignsUp(
      trainer.page,
      base,
      uniqueEmail("booking-trainer"),
    );

    for (const javaScript of [true, false]) {
      const mode = javaScript ? "with JavaScript" : "with JavaScript off";
      await t.step(`the whole slot box is the link, ${mode}`, async () => {
        const { context, page } = await phones.phone({ javaScript });
        try {
          await clientJoins(page, base, code, uniqueEmail("slot-box"));
          await nextWeek(page);
          const link = freeSlots(page).first();
          const box = (await link.locator("xpath=..").boundingBox())!;
          const inner = (await link.boundingBox())!;
          // Inside the 1 px border, the link covers the box.
          assert.ok(
            inner.width >= box.width - 2,
            `${inner.width} of ${box.width}`,
          );
          assert.ok(
            inner.height >= box.height - 2,
            `${inner.height} of ${box.height}`,
          );
          assert.ok(inner.height >= 44 - 2, "tall enough to tap");
        } finally {
          await context.close();
        }
      });
    }

    await t.step(
      "Back after booking with JavaScript shows the booking, not the sent confirm form",
      async () => {
        const { context, page, errors } = await phones.phone({
          javaScript: true,
        });
        try {
          await clientJoins(page, base, code, uniqueEmail("booking-back"));
          await nextWeek(page);
          const free = freeSlots(page).first();
          const label = (await free.textContent())!.split(" · ")[0];
          await free.click();
          await page.waitForSelector(".slot-confirm");
          await page.click(".slot-confirm button[type=submit]");
          await page.waitForURL(/\/appointments\/[0-9a-f-]{36}\?booked=1/);
          assert.equal(await page.locator("main").count(), 1, "one main");
          await screenshot(page, "booking-js-confirmation");
          await page.goBack();
          await page.waitForURL(/\/calendar\?week=/);
          await page.waitForLoadState("load");
          assert.equal(await page.locator(".slot-confirm").count(), 0);
          const mine = page.locator(".day.selected .slot-mine");
          assert.match((await mine.first().textContent())!, new RegExp(label));
          await screenshot(page, "booking-js-after-back");
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      },
    );
    await trainer.context.close();
  } finally {
    await phones.close();
    await server.close();
  }
});
