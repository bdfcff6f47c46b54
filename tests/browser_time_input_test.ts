/**
 * Working hours take a time as people type it ("7", "7:00", "0700") and a phone gets a
 * keyboard with ":" (no numeric-only input mode). Real Chromium at 390 px, JavaScript on
 * and off.
 */
import assert from "node:assert/strict";
import { dbTest } from "./helpers/app.ts";
import { launchPhones, serveApp, trainerSignsUp } from "./helpers/browser.ts";
import { uniqueEmail } from "./helpers/http.ts";

dbTest("working hours accept 7, 7:00 and 0700", async (t) => {
  const phones = await launchPhones();
  const server = await serveApp();
  try {
    for (const javaScript of [true, false]) {
      const mode = javaScript ? "with JavaScript" : "with JavaScript off";
      await t.step(`typed times are saved as HH:MM, ${mode}`, async () => {
        const { context, page } = await phones.phone({ javaScript });
        try {
          const base = server.url;
          await trainerSignsUp(page, base, uniqueEmail("typed-time"));
          await page.goto(`${base}/settings`);
          const row = page.locator("fieldset.weekday").first()
            .locator(".range-row:visible").first().locator("input");
          assert.deepEqual(
            await row.evaluateAll((inputs) =>
              inputs.map((i) => i.getAttribute("inputmode"))
            ),
            [null, null],
            "no numeric-only keyboard",
          );
          await row.nth(0).fill(javaScript ? "7" : "0700");
          await row.nth(1).fill(javaScript ? "19:00" : "1930");
          await page.click("text=Save settings");
          await page.waitForSelector("text=Settings saved");
          await page.goto(`${base}/settings`);
          const saved = page.locator("fieldset.weekday").first()
            .locator(".range-row:visible").first().locator("input");
          assert.deepEqual(
            [await saved.nth(0).inputValue(), await saved.nth(1).inputValue()],
            javaScript ? ["07:00", "19:00"] : ["07:00", "19:30"],
          );
        } finally {
          await context.close();
        }
      });
    }
  } finally {
    await phones.close();
    await server.close();
  }
});
