/**
 * The main journeys in the viewer's language, in real Chromium at 390×844 with JavaScript
 * on and off: a client whose browser speaks Russian joins, books, reads the confirmation
 * and cancels with a reason; a trainer whose browser speaks German signs up and reads
 * Today, the schedule and the settings. Russian is written in Cyrillic, so any plain
 * Latin word left on a Russian page is English that went round the catalogues; German
 * pages are checked against the words the catalogue gives them.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./helpers/app.ts";
import { launchPhones, screenshot, serveApp } from "./helpers/browser.ts";
import { rawEnglish, readableText } from "./helpers/pseudo.ts";
import { uniqueEmail } from "./helpers/http.ts";

/** Names and data the journeys type in, which stay as typed in every language. */
const TYPED = [
  "Robin Coach",
  "Casey Client",
  "Europe/Berlin",
  "Spotter",
  "Telegram",
  "iCalendar",
  "e-mail",
  "E-Mail",
];

/** The Latin words left in the page's main part (for a Russian page: English). */
async function latinWordsIn(page: Page, typed: readonly string[] = TYPED) {
  const main = await page.locator("main").innerHTML();
  return rawEnglish(readableText(main), typed);
}

async function signUpTrainer(page: Page, base: string, email: string) {
  await page.goto(`${base}/signup`);
  await page.fill("#f-name", "Robin Coach");
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-1");
  await page.selectOption("#f-timezone", "Europe/Berlin");
  await page.click("main button[type=submit]");
  await page.waitForURL(`${base}/profile`);
  return (await page.textContent("strong.code"))!.trim();
}

dbTest(
  "a Russian client books and cancels in Russian, JavaScript on and off",
  async (t) => {
    const phones = await launchPhones();
    const server = await serveApp();
    const base = server.url;
    try {
      const trainer = await phones.phone({ javaScript: true });
      const code = await signUpTrainer(
        trainer.page,
        base,
        uniqueEmail("ru-trainer"),
      );
      for (const javaScript of [true, false]) {
        const mode = javaScript ? "with JavaScript" : "with JavaScript off";
        await t.step(`join, book, confirmation, cancel, ${mode}`, async () => {
          const { context, page, errors } = await phones.phone({
            javaScript,
            locale: "ru-RU",
          });
          try {
            await page.goto(`${base}/join/${code}`);
            assert.equal(await page.getAttribute("html", "lang"), "ru");
            assert.deepEqual(await latinWordsIn(page), [], "join page");
            await page.fill("#f-name", "Casey Client");
            await page.fill("#f-email", uniqueEmail("ru-client"));
            await page.fill("#f-password", "password-1");
            await page.click("main button[type=submit]");
            await page.waitForURL(`${base}/calendar`);
            assert.deepEqual(await latinWordsIn(page), [], "calendar");

            await page.click("a[rel=next]");
            await page.waitForURL(/week=/);
            await page.locator(".day.selected .slot-available > a").first()
              .click();
            if (javaScript) {
              await page.waitForSelector(".slot-confirm");
              assert.deepEqual(await latinWordsIn(page), [], "inline confirm");
              await page.click(".slot-confirm button[type=submit]");
            } else {
              await page.waitForURL(/\/book\?start=/);
              assert.deepEqual(await latinWordsIn(page), [], "confirm page");
              await page.click("main form button[type=submit]");
            }
            await page.waitForURL(/\/appointments\/[0-9a-f-]{36}\?booked=1/);
            assert.deepEqual(await latinWordsIn(page), [], "confirmation");
            await screenshot(
              page,
              `ru-confirmation-${javaScript ? "js" : "nojs"}`,
            );

            await page.click('nav a[href="/appointments"]');
            await page.waitForURL(`${base}/appointments`);
            assert.deepEqual(await latinWordsIn(page), [], "my appointments");
            await page.click('li.appointment a[href$="/cancel"]');
            const form = javaScript
              ? page.locator("dialog[open]")
              : page.locator("main");
            if (javaScript) await form.waitFor();
            else await page.waitForURL(/\/cancel$/);
            assert.deepEqual(await latinWordsIn(page), [], "cancel step");
            await form.locator("input[value=travel]").check();
            await form.locator("textarea").fill("Командировка");
            await form.locator("button.danger").click();
            await page.waitForURL(/tab=history/);
            assert.deepEqual(await latinWordsIn(page), [], "history");
            assert.match((await page.textContent("main"))!, /Командировка/);
            await screenshot(page, `ru-history-${javaScript ? "js" : "nojs"}`);
            assert.deepEqual(errors, []);
          } finally {
            await context.close();
          }
        });
      }
    } finally {
      await phones.close();
      await server.close();
    }
  },
);
