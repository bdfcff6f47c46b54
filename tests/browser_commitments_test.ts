/**
 * What a client commits to, shown before the tap, and controls that ask before acting:
 * real Chromium at 390 px and 1280 px, JavaScript on and off.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./helpers/app.ts";
import { launchPhones, screenshot, serveApp } from "./helpers/browser.ts";
import { problems } from "./helpers/page_checks.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";

const ALL_DAY = Object.fromEntries(
  ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((
    d,
  ) => [d, [{ start: "00:00", end: "24:00" }]]),
);

/** The start of an hour `hours` ahead (Berlin has whole-hour slots from 00:00). */
const hourAhead = (hours: number) =>
  Temporal.Now.zonedDateTimeISO("Europe/Berlin").add({ hours })
    .round({ smallestUnit: "hour", roundingMode: "ceil" }).toInstant();

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/signin`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-1");
  await page.click("main button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
}

dbTest("commitments said before the tap, controls that ask", async (t) => {
  const server = await serveApp();
  const phones = await launchPhones();
  const base = server.url;
  try {
    const trainer = await signUpTrainer(server);
    const client = await signUpClient(server, trainer.referralCode, "Casey");
    await server.sql`UPDATE trainers SET working_hours = ${
      server.sql.json(ALL_DAY)
    },
      cancel_notice_minutes = 720 WHERE user_id = ${trainer.id}`;
    const soon = hourAhead(3); // inside the 12-hour window
    const later = hourAhead(48); // outside it
    const bookUrl = (i: Temporal.Instant) =>
      `/book?start=${encodeURIComponent(i.toString())}`;

    for (const javaScript of [true, false]) {
      const mode = javaScript ? "with JavaScript" : "with JavaScript off";
      const { context, page, errors } = await phones.phone({ javaScript });
      const axe = javaScript
        ? undefined
        : await phones.phone({ javaScript: true });
      try {
        await signIn(page, base, client.email);
        await t.step(
          `the first tab stop skips to the content, ${mode}`,
          async () => {
            for (const path of ["/calendar", "/appointments", "/profile"]) {
              await page.goto(`${base}${path}`);
              await page.keyboard.press("Tab");
              const first = await page.evaluate(() =>
                // deno-lint-ignore no-explicit-any
                (globalThis as any).document.activeElement.textContent.trim()
              );
              assert.equal(first, "Skip to content", path);
              await page.keyboard.press("Enter");
              const focused = await page.evaluate(() =>
                // deno-lint-ignore no-explicit-any
                (globalThis as any).document.activeElement.id
              );
              assert.equal(focused, "main", path);
            }
          },
        );
        await t.step(
          `the confirm step says the cancel window, ${mode}`,
          async () => {
            await page.goto(`${base}${bookUrl(later)}`);
            const rules = page.locator(".rules-note");
            assert.match(
              (await rules.textContent())!,
              /You can cancel or move it yourself until .+ \(12 hours before it starts\)/,
            );
            await page.goto(`${base}${bookUrl(soon)}`);
            assert.match(
              (await rules.textContent())!,
              /You cannot cancel or move this one yourself: it starts in less than 12 hours/,
            );
            assert.equal(
              (await page.textContent("main button[type=submit]"))!.trim(),
              "Book this session",
            );
            assert.deepEqual(await problems(page, errors, axe?.page), []);
          },
        );
        await t.step(
          `a request says the trainer confirms it, ${mode}`,
          async () => {
            await server.sql`UPDATE trainers SET requires_confirmation = true
            WHERE user_id = ${trainer.id}`;
            try {
              await page.goto(`${base}${bookUrl(later)}`);
              assert.match(
                (await page.textContent(".rules-note"))!,
                /Your trainer confirms requests/,
              );
              assert.equal(
                (await page.textContent("main button[type=submit]"))!.trim(),
                "Request this session",
              );
              await screenshot(
                page,
                `commit-request-${javaScript ? "js" : "nojs"}`,
              );
            } finally {
              await server.sql`UPDATE trainers SET requires_confirmation = false
              WHERE user_id = ${trainer.id}`;
            }
          },
        );
        await t.step(
          `Back after booking says the time is yours, ${mode}`,
          async () => {
            const at = hourAhead(72 + (javaScript ? 0 : 1));
            await page.goto(`${base}${bookUrl(at)}`);
            await page.click("main button[type=submit]");
            await page.waitForURL(/booked=1/);
            await page.goBack();
            await page.waitForSelector(".flash");
            const flash = (await page.textContent(".flash"))!;
            assert.match(flash, /You booked this — see My appointments/);
            assert.doesNotMatch(flash, /Someone else/);
            assert.match(new URL(page.url()).pathname, /^\/appointments\//);
          },
        );
      } finally {
        await context.close();
        await axe?.context.close();
      }
    }

    await t.step(
      "on a desktop the confirm is a readable panel that takes the focus",
      async () => {
        const { context, page, errors } = await phones.phone({
          javaScript: true,
          desktop: true,
        });
        try {
          await signIn(page, base, client.email);
          const week = later.toZonedDateTimeISO("Europe/Berlin").toPlainDate();
          await page.goto(`${base}/calendar?week=${week}&day=${week}`);
          // A slot in a middle column, by keyboard: Enter on the link.
          const slot = page.locator(".day:nth-child(4) .slot-available > a")
            .nth(10);
          await slot.focus();
          await page.keyboard.press("Enter");
          const panel = page.locator(".slot-confirm [role=dialog]");
          await panel.waitFor();
          await page.waitForFunction(() =>
            // deno-lint-ignore no-explicit-any
            (globalThis as any).document.activeElement?.matches(
              ".slot-confirm [role=dialog] h4",
            )
          );
          const box = (await panel.boundingBox())!;
          assert.ok(box.width >= 400, `the panel is ${box.width} px wide`);
          assert.ok(box.x >= 0 && box.x + box.width <= 1280);
          assert.ok(box.y >= 0 && box.y + box.height <= 800);
          // Nothing covers it: the point under its heading and its button is the panel's.
          const uncovered = await page.evaluate(() => {
            // deno-lint-ignore no-explicit-any
            const d = (globalThis as any).document;
            const panel = d.querySelector(".slot-confirm [role=dialog]");
            return [...panel.querySelectorAll("h4, button, dd")].every((el) => {
              const r = el.getBoundingClientRect();
              const at = d.elementFromPoint(r.left + 4, r.top + r.height / 2);
              return panel.contains(at);
            });
          });
          assert.ok(uncovered, "the next column covers the panel");
          assert.match(
            (await panel.textContent())!,
            /Confirm your booking.*You can cancel or move it yourself/s,
          );
          await screenshot(page, "commit-desktop-confirm");
          assert.deepEqual(await problems(page, errors), []);
          // Escape closes it.
          await page.keyboard.press("Escape");
          await page.waitForFunction(() =>
            // deno-lint-ignore no-explicit-any
            (globalThis as any).document.querySelectorAll(".slot-confirm")
              .length === 0
          );
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
