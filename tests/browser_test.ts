/**
 * End to end in real Chromium at 390×844: a trainer signs up, a client joins with the
 * code, books a session and cancels it with a reason — once with JavaScript, once without.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./helpers/app.ts";
import { phone, serveApp } from "./helpers/browser.ts";
import { uniqueEmail } from "./helpers/http.ts";

async function trainerSignsUp(page: Page, base: string) {
  const email = uniqueEmail("e2e-trainer");
  await page.goto(`${base}/signup`);
  await page.fill("#f-name", "Robin Coach");
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-1");
  await page.selectOption("#f-timezone", "Europe/Berlin");
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/profile`);
  const code = (await page.textContent("strong.code"))!.trim();
  assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await page.click("text=Sign out");
  await page.waitForURL(`${base}/signin`);
  return { email, code };
}

async function clientJoins(page: Page, base: string, code: string) {
  const email = uniqueEmail("e2e-client");
  await page.goto(`${base}/join/${code}`);
  assert.match((await page.textContent("h1"))!, /Join Robin Coach on Spotter/);
  await page.fill("#f-name", "Casey Client");
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-1");
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/calendar`);
  return email;
}

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/signin`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-1");
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/calendar`);
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "with JavaScript off";
  dbTest(
    `a trainer signs up, a client joins, books and cancels with a reason, ${mode}`,
    async () => {
      const server = await serveApp();
      const context = await phone({ javaScript });
      try {
        const page = context.pages()[0] ?? await context.newPage();
        const base = server.url;
        const trainer = await trainerSignsUp(page, base);
        const client = await clientJoins(page, base, trainer.code);

        // Next week always has free weekday slots; on a phone one day shows at a time.
        await page.click("text=Next week →");
        await page.waitForURL(/week=/);
        const free = page.locator(".day.selected .slot-available a").first();
        const label = (await free.textContent())!.split(" · ")[0];
        await free.click();
        if (javaScript) {
          await page.waitForSelector(".slot-confirm");
          await page.fill(".slot-confirm textarea", "First session");
          await page.click(".slot-confirm button[type=submit]");
        } else {
          await page.waitForURL(/\/book\?start=/);
          assert.match((await page.textContent("main"))!, /Robin Coach/);
          await page.fill("textarea[name=notes]", "First session");
          await page.click("text=Book this session");
        }
        await page.waitForURL(/\/appointments\/[0-9a-f-]{36}\?booked=1/);
        const confirmation = (await page.textContent("main"))!;
        assert.match(confirmation, /booked!/);
        assert.ok(confirmation.includes(label), `${label} in the confirmation`);
        assert.match(confirmation, /Europe\/Berlin/);
        assert.match(confirmation, /First session/);

        await page.click("text=My appointments");
        await page.waitForURL(`${base}/appointments`);
        await page.click("li.appointment >> text=Cancel");
        if (javaScript) {
          const dialog = page.locator("dialog[open]");
          await dialog.waitFor();
          assert.ok(
            page.url().endsWith("/appointments"),
            "the dialog opens in place",
          );
          await dialog.locator("input[value=travel]").check();
          await dialog.locator("textarea").fill("Away for work");
          await dialog.locator("button.danger").click();
        } else {
          await page.waitForURL(/\/cancel$/);
          await page.check("input[value=travel]");
          await page.fill("textarea[name=details]", "Away for work");
          await page.click("button.danger");
        }
        await page.waitForURL(/tab=history/);
        const history = (await page.textContent("main"))!;
        assert.match(history, /Reason: Travel: Away for work/);
        assert.match(history, /cancelled/);

        // Both can sign in again (once signed out: /signin sends a signed-in user on).
        await page.click("text=Sign out");
        await page.waitForURL(`${base}/signin`);
        await signIn(page, base, trainer.email);
        assert.match((await page.textContent("main"))!, /Your calendar/);
        await page.click("text=Sign out");
        await page.waitForURL(`${base}/signin`);
        await signIn(page, base, client);
        assert.match((await page.textContent("main"))!, /Book a session/);
      } finally {
        await context.close();
        await server.close();
      }
    },
  );
}
