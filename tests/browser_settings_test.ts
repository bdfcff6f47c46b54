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
import { problems } from "./helpers/page_checks.ts";

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
          // Alpine writes styles through the CSSOM (x-show's display: none), which the
          // CSP allows; a boosted save must not copy one back as a style attribute
          // onto the element of the same id in the new page (the CSP refuses that).
          await page.evaluate(`document.querySelector("#f-slotMinutes")
            .style.setProperty("outline-offset", "0px")`);
          await page.click("text=Save settings");
          await page.waitForSelector(
            ".flash-success, .flash-info, [role=status]",
          );
          assert.match((await page.textContent("main"))!, /Settings saved/);
          await page.evaluate("new Promise(requestAnimationFrame)");
          assert.deepEqual(
            errors.filter((e) => /Content Security Policy/.test(e)),
            [],
            "no CSP errors from the boosted save",
          );
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
          const download = await page.locator("text=Download it to print")
            .boundingBox();
          assert.ok(download!.height >= 44, `${download!.height}`);
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
    for (const javaScript of [true, false]) {
      await t.step(
        `Save is in reach from the top of the settings, clear of focused fields and of the last one, and a refused save says so beside it, ${
          javaScript ? "with JavaScript" : "with JavaScript off"
        }`,
        async () => {
          const { context, page, errors } = await phones.phone({ javaScript });
          const axe = javaScript
            ? undefined
            : await phones.phone({ javaScript: true });
          try {
            const base = server.url;
            await trainerSignsUp(page, base, uniqueEmail("save-bar"));
            await page.goto(`${base}/settings`);
            await page.evaluate("scrollTo(0, 0)");
            const reach = () => page.evaluate<SaveInReach>(SAVE_IN_REACH);
            let save = await reach();
            assert.ok(save.inSight, JSON.stringify(save));
            assert.ok(save.height >= 44, `${save.height}`);

            // A field reached by Tab (the way a phone's "next" key goes) is not under the bar.
            await page.focus("#f-timezone");
            const covered: string[] = [];
            for (let i = 0; i < 80; i++) {
              await page.keyboard.press("Tab");
              const focused = await page.evaluate<string | undefined>(
                FOCUSED_UNDER_BAR,
              );
              if (focused === "left the form") break;
              if (focused) covered.push(focused);
            }
            assert.deepEqual(covered, [], "fields under the Save bar");

            // At the very bottom the last field sits above the bar, not behind it.
            await page.evaluate("scrollTo(0, document.body.scrollHeight)");
            const last = await page.evaluate<{ bottom: number; bar: number }>(
              `({ bottom: document.querySelector("#f-cancelNotice")
                  .getBoundingClientRect().bottom,
                bar: document.querySelector(".save-bar").getBoundingClientRect().top })`,
            );
            assert.ok(last.bottom <= last.bar, JSON.stringify(last));

            // Saving from the top, with a tap where the button shows.
            await page.evaluate("scrollTo(0, 0)");
            await page.fill("#f-slotMinutes", "7");
            save = await reach();
            await page.touchscreen.tap(save.x, save.y);
            await page.locator(".save-bar .save-status").waitFor();
            save = await reach();
            assert.ok(save.inSight, JSON.stringify(save));
            assert.equal(
              save.status,
              "Nothing was saved: 1 field needs attention.",
            );
            assert.ok(save.statusInSight, "the status shows beside Save");
            // The refused save is a 422, which Chromium logs; nothing else may be.
            assert.deepEqual(
              errors.splice(0).filter((e) => !/status of 422/.test(e)),
              [],
            );
            assert.deepEqual(await problems(page, errors, axe?.page), []);

            await page.evaluate("scrollTo(0, 0)");
            await page.fill("#f-slotMinutes", "45");
            // A tap on the bar beside the button, outside its drawn box, saves too.
            const beside = await page.evaluate<
              { x: number; y: number; outside: boolean }
            >(BESIDE_THE_BUTTON);
            assert.ok(beside.outside, JSON.stringify(beside));
            await page.touchscreen.tap(beside.x, beside.y);
            await page.locator("text=Settings saved.").waitFor();
            assert.equal(await page.inputValue("#f-slotMinutes"), "45");
            assert.equal(await page.locator(".save-status").count(), 0);
            await screenshot(
              page,
              `settings-saved-${javaScript ? "js" : "nojs"}`,
            );
          } finally {
            await context.close();
            await axe?.context.close();
          }
        },
      );
    }
  } finally {
    await phones.close();
    await server.close();
  }
});

type SaveInReach = {
  x: number;
  y: number;
  height: number;
  inSight: boolean;
  status?: string;
  statusInSight: boolean;
};

/** Where Save is: on screen whole and the topmost thing at its centre, and its status. */
const SAVE_IN_REACH = `(() => {
  const button = document.querySelector(".save-bar button[type=submit]");
  const r = button.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const status = document.querySelector(".save-bar .save-status");
  const s = status?.getBoundingClientRect();
  return {
    x, y, height: r.height,
    inSight: r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 &&
      r.right <= innerWidth && document.elementFromPoint(x, y) === button,
    status: status?.textContent.trim(),
    statusInSight: Boolean(s && s.top >= 0 && s.bottom <= innerHeight),
  };
})()`;

/** A point on the Save bar in its padding, outside the button's drawn box. */
const BESIDE_THE_BUTTON = `(() => {
  const bar = document.querySelector(".save-bar").getBoundingClientRect();
  const r = document.querySelector(".save-bar button[type=submit]")
    .getBoundingClientRect();
  const x = bar.left + 4, y = bar.top + 4;
  return {
    x, y,
    outside: x < r.left || x > r.right || y < r.top || y > r.bottom,
  };
})()`;

/** The focused field when the Save bar covers part of it; "left the form" past its end. */
const FOCUSED_UNDER_BAR = `(() => {
  const el = document.activeElement;
  const bar = document.querySelector(".save-bar");
  if (!el || !el.form || bar.contains(el)) return "left the form";
  const r = el.getBoundingClientRect();
  return r.bottom > bar.getBoundingClientRect().top + 0.5 || r.top < 0
    ? (el.name || el.textContent.trim()) : undefined;
})()`;
