/**
 * The calendar's day view on a phone: with JavaScript, only the day shown travels (the
 * other days' slots are neither rendered nor sent); grown wider, the week comes in full.
 * Without JavaScript the whole week is sent and CSS shows one day.
 */
import assert from "node:assert/strict";
import { dbTest } from "./helpers/app.ts";
import {
  clientJoins,
  launchPhones,
  serveApp,
  trainerSignsUp,
} from "./helpers/browser.ts";
import { uniqueEmail } from "./helpers/http.ts";

dbTest("a phone fetches only the day it shows", async (t) => {
  const phones = await launchPhones();
  const server = await serveApp();
  const base = server.url;
  try {
    const trainer = await phones.phone({ javaScript: true });
    const code = await trainerSignsUp(
      trainer.page,
      base,
      uniqueEmail("day-view-trainer"),
    );
    await trainer.context.close();

    await t.step("with JavaScript, one day per answer", async () => {
      const { context, page, errors } = await phones.phone({
        javaScript: true,
      });
      try {
        await clientJoins(page, base, code, uniqueEmail("day-view"));
        const sizes: number[] = [];
        page.on("response", async (res) => {
          if (res.url().includes("/calendar?")) {
            sizes.push((await res.body()).byteLength);
          }
        });
        await page.click("text=Next week →");
        await page.waitForURL(/week=/);
        await page.waitForSelector("#week [data-days='1']");
        assert.equal(await page.locator("#week .day").count(), 1);
        assert.ok(await page.locator(".day.selected").isVisible());
        // Another day's tab: that day alone, its tab marked.
        const tab = page.locator(".day-tabs a:not([aria-current])", {
          hasText: /^(Tue|Wed|Thu) /,
        }).first();
        const label = (await tab.textContent())!.slice(0, 6).trim();
        await tab.click();
        await page.waitForSelector(
          `.day-tabs a[aria-current='date']:has-text("${label}")`,
        );
        assert.equal(await page.locator("#week .day").count(), 1);
        assert.match(
          (await page.locator(".day.selected h3").textContent())!,
          new RegExp(`^${label.split(" ")[0]}`),
        );
        // Wider, the same week in full, as a desktop shows it.
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.waitForSelector("#week [data-days='7']");
        assert.equal(await page.locator("#week .day").count(), 7);
        assert.equal(await page.locator("#week .day:visible").count(), 7);
        assert.deepEqual(errors, []);
        assert.ok(sizes.length >= 2, `${sizes.length} calendar answers seen`);
      } finally {
        await context.close();
      }
    });

    await t.step(
      "without JavaScript, the whole week and one day shown",
      async () => {
        const { context, page } = await phones.phone({ javaScript: false });
        try {
          await clientJoins(page, base, code, uniqueEmail("day-view-off"));
          await page.click("text=Next week →");
          await page.waitForURL(/week=/);
          assert.equal(await page.locator("#week .day").count(), 7);
          assert.equal(await page.locator("#week .day:visible").count(), 1);
        } finally {
          await context.close();
        }
      },
    );
  } finally {
    await phones.close();
    await server.close();
  }
});
