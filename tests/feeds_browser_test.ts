/**
 * In real Chromium at 390×844: a trainer finds the calendar feed from Profile, copies the
 * secret link and resets it — once with JavaScript, once without.
 */
import assert from "node:assert/strict";
import { dbTest } from "./helpers/app.ts";
import { phone, serveApp } from "./helpers/browser.ts";
import { uniqueEmail } from "./helpers/http.ts";

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "with JavaScript off";
  dbTest(
    `a trainer shows, copies and resets the calendar feed link, ${mode}`,
    async () => {
      const server = await serveApp();
      const context = await phone({ javaScript });
      try {
        const base = server.url;
        await context.grantPermissions(["clipboard-read", "clipboard-write"], {
          origin: base,
        });
        const page = context.pages()[0] ?? await context.newPage();
        await page.goto(`${base}/signup`);
        await page.fill("#f-name", "Robin Coach");
        await page.fill("#f-email", uniqueEmail("feed-trainer"));
        await page.fill("#f-password", "password-1");
        await page.selectOption("#f-timezone", "Europe/Berlin");
        await page.click("button[type=submit]");
        await page.waitForURL(`${base}/profile`);

        await page.click("text=Set up the calendar feed");
        await page.waitForURL(`${base}/feeds`);
        const field = page.locator("#feed-url");
        const url = await field.inputValue();
        assert.match(
          url,
          /^http:\/\/127\.0\.0\.1\/feeds\/[A-Za-z0-9_-]{43}\.ics$/,
        );
        assert.equal(await field.getAttribute("readonly"), "");
        const feedPath = new URL(url).pathname;
        assert.equal((await fetch(`${base}${feedPath}`)).status, 200);

        const copy = page.locator("button", { hasText: "Copy link" });
        if (javaScript) {
          await copy.click();
          await page.locator("text=Copied.").waitFor();
          assert.equal(
            await page.evaluate("navigator.clipboard.readText()"),
            url,
          );
        } else {
          // Without JavaScript there is no button that does nothing: the text is there to select.
          assert.equal(await copy.isVisible(), false);
          await field.selectText();
          assert.equal(
            await page.evaluate(`(() => {
              const el = document.getElementById("feed-url");
              return el.value.slice(el.selectionStart, el.selectionEnd);
            })()`),
            url,
          );
        }

        // The reset hides behind a confirm step that says what happens.
        const confirm = page.locator("button", {
          hasText: "Yes, make a new link",
        });
        assert.equal(await confirm.isVisible(), false);
        await page.click("text=Reset the link…");
        assert.match(
          (await page.textContent("details"))!,
          /The old link stops working at once/,
        );
        await confirm.click();
        await page.locator("text=The old one no longer works").waitFor();
        const fresh = await page.locator("#feed-url").inputValue();
        assert.notEqual(fresh, url);
        assert.equal((await fetch(`${base}${feedPath}`)).status, 404);
        const renewed = await fetch(`${base}${new URL(fresh).pathname}`);
        assert.equal(renewed.status, 200);
        assert.match(await renewed.text(), /^BEGIN:VCALENDAR\r\n/);
      } finally {
        await context.close();
        await server.close();
      }
    },
  );
}
