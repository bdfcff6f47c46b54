/**
 * Settings and profile in real Chromium at 390×844: the settings form survives Back and
 * saves what is typed, Save is in reach, the join link copies, a new code is asked for
 * first, and the sign-up picks the browser's time zone.
 */
import assert from "node:assert/strict";
import { dbTest } from "./helpers/app.ts";
import {
  launchPhones,
  screenshot,
  serveApp,
  trainerSignsUp,
} from "./helpers/browser.ts";
import { uniqueEmail } from "./helpers/http.ts";

const mondayRows = (page: import("playwright-core").Page) =>
  page.locator("fieldset.weekday").first().locator(".range-row:visible");

dbTest("settings and profile on a phone", async (t) => {
  const phones = await launchPhones();
  const server = await serveApp();
  try {
    await t.step(
      "after Clients and Back the same rows show, with no errors, and a range added there is saved",
      async () => {
        const { context, page, errors } = await phones.phone({
          javaScript: true,
        });
        try {
          const base = server.url;
          await trainerSignsUp(page, base, uniqueEmail("settings-back"));
          await page.click("nav >> text=Settings");
          await page.waitForURL(`${base}/settings`);
          const before = await mondayRows(page).count();
          await page.click("nav >> text=Clients");
          await page.waitForURL(`${base}/clients`);
          await page.goBack();
          await page.waitForURL(`${base}/settings`);
          await page.waitForLoadState("load");
          await page.locator("fieldset.weekday").first().locator(
            "text=Add range",
          )
            .waitFor();
          assert.equal(
            await mondayRows(page).count(),
            before,
            "same Monday rows",
          );
          await screenshot(page, "settings-after-back");

          await page.locator("fieldset.weekday").first().locator(
            "text=Add range",
          )
            .click();
          const added = mondayRows(page).last();
          await added.locator("input").nth(0).fill("19:00");
          await added.locator("input").nth(1).fill("20:00");
          await page.click("text=Save settings");
          await page.waitForSelector(
            ".flash-success, .flash-info, [role=status]",
          );
          assert.match((await page.textContent("main"))!, /Settings saved/);
          await page.reload();
          assert.equal(await mondayRows(page).count(), before + 1, "saved");
          const row = mondayRows(page).last().locator("input");
          assert.deepEqual(
            [await row.nth(0).inputValue(), await row.nth(1).inputValue()],
            ["19:00", "20:00"],
          );
          // Save is in reach on a phone without scrolling the long form.
          await page.goto(`${base}/settings`);
          const save =
            (await page.locator("text=Save settings").boundingBox())!;
          assert.ok(save.y >= 0 && save.y + save.height <= 844, `${save.y}`);
          assert.deepEqual(errors, [], "no console errors");
        } finally {
          await context.close();
        }
      },
    );
    await t.step(
      "with JavaScript the join link copies and 'Make a new code' asks in a dialog first",
      async () => {
        const { context, page, errors } = await phones.phone({
          javaScript: true,
        });
        try {
          await context.grantPermissions(["clipboard-read", "clipboard-write"]);
          const code = await trainerSignsUp(
            page,
            server.url,
            uniqueEmail("copy-link"),
          );
          await page.click("text=Copy link");
          await page.locator("text=The join link is copied.").waitFor();
          const copied = await page.evaluate(() =>
            // deno-lint-ignore no-explicit-any
            (globalThis as any).navigator.clipboard.readText()
          );
          assert.equal(copied, `http://127.0.0.1/join/${code}`);
          const qr = page.locator("figure.qr img");
          assert.ok(
            await qr.evaluate((img) =>
              // deno-lint-ignore no-explicit-any
              (img as any).naturalWidth > 0
            ),
            "the QR code loads",
          );
          await page.click("text=Make a new code");
          const dialog = page.locator("dialog[open]");
          await dialog.waitFor();
          assert.match((await dialog.textContent())!, /stop working at once/);
          await dialog.locator("text=Keep my code").click();
          await dialog.waitFor({ state: "hidden" });
          assert.equal((await page.textContent("strong.code"))!.trim(), code);
          await page.click("text=Make a new code");
          await page.locator("dialog[open] button.danger").click();
          await page.waitForSelector("text=Your new code is");
          assert.notEqual(
            (await page.textContent("strong.code"))!.trim(),
            code,
          );
          await screenshot(page, "profile-new-code");
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      },
    );
    await t.step(
      "with JavaScript the sign-up picks the browser's time zone",
      async () => {
        const { context, page, errors } = await phones.phone({
          javaScript: true,
          timezoneId: "America/New_York",
        });
        try {
          await page.goto(`${server.url}/signup`);
          await page.waitForFunction(() =>
            // deno-lint-ignore no-explicit-any
            (globalThis as any).document.querySelector("#f-timezone").value !==
              ""
          );
          assert.equal(
            await page.locator("#f-timezone").inputValue(),
            "America/New_York",
          );
          assert.deepEqual(errors, []);
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
