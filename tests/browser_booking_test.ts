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
    await t.step(
      "an inline confirm opens in view, one at a time, and on a desktop leaves the columns as they were",
      async () => {
        const { context, page, errors } = await phones.phone({
          javaScript: true,
        });
        try {
          await clientJoins(page, base, code, uniqueEmail("inline-confirm"));
          await nextWeek(page);
          await freeSlots(page).last().click();
          const confirm = page.locator(".slot-confirm");
          await confirm.waitFor();
          // scrollIntoView runs after the swap: wait until the box is on the screen.
          await page.waitForFunction(() => {
            // deno-lint-ignore no-explicit-any
            const w = globalThis as any;
            const r = w.document.querySelector(".slot-confirm")
              .getBoundingClientRect();
            return r.top >= 0 && r.bottom <= w.innerHeight + 1;
          });
          const first = freeSlots(page).first();
          const label = (await first.textContent())!.split(" · ")[0];
          await first.click();
          await page.locator(".slot-confirm", { hasText: label }).waitFor();
          // The first confirm went back to its slot; only the new one is open.
          await page.waitForFunction(() =>
            // deno-lint-ignore no-explicit-any
            (globalThis as any).document.querySelectorAll(".slot-confirm")
              .length === 1
          );
          assert.match((await confirm.textContent())!, new RegExp(label));
          await screenshot(page, "booking-js-one-confirm");
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
        const desktop = await phones.phone({ javaScript: true, desktop: true });
        try {
          await clientJoins(desktop.page, base, code, uniqueEmail("desk"));
          await nextWeek(desktop.page);
          const widths = () =>
            desktop.page.evaluate<number[]>(
              `[...document.querySelectorAll(".day")].map((d) => Math.round(d.getBoundingClientRect().width))`,
            );
          const before = await widths();
          await desktop.page.locator(".day .slot-available > a").first()
            .click();
          await desktop.page.locator(".slot-confirm").waitFor();
          assert.deepEqual(await widths(), before);
          await screenshot(desktop.page, "booking-desktop-confirm");
        } finally {
          await desktop.context.close();
        }
      },
    );
    await t.step(
      "with JavaScript the chosen day's tab is scrolled into sight",
      async () => {
        const { context, page } = await phones.phone({ javaScript: true });
        try {
          await clientJoins(page, base, code, uniqueEmail("day-tab"));
          await nextWeek(page);
          const week = new URL(page.url()).searchParams.get("week")!;
          const sunday = Temporal.PlainDate.from(week).add({ days: 6 });
          await page.goto(`${base}/calendar?week=${week}&day=${sunday}`);
          const tab = page.locator(".day-tabs [aria-current=date]");
          await page.waitForFunction(() => {
            // deno-lint-ignore no-explicit-any
            const w = globalThis as any;
            const r = w.document.querySelector(".day-tabs [aria-current=date]")
              .getBoundingClientRect();
            return r.left >= 0 && r.right <= w.innerWidth;
          });
          assert.match((await tab.textContent())!, /^Sun/);
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
