/**
 * The other calendars in real Chromium on a phone, with JavaScript on and off: the
 * settings section with a calendar in it, "Sync now" answering in words, and the
 * trainer's calendar with a Busy block (the client's shows only Booked). Each page passes
 * the phone checks (no sideways scrolling, 44 px targets, axe-core, no console error).
 */
import assert from "node:assert/strict";
import { dbTest } from "./helpers/app.ts";
import { launchPhones, serveApp } from "./helpers/browser.ts";
import { problems } from "./helpers/page_checks.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";
import { insertCalendar } from "../db/busy_calendars.ts";

dbTest("other calendars on a phone", async (t) => {
  const server = await serveApp();
  const phones = await launchPhones();
  const base = server.url;
  try {
    const trainer = await signUpTrainer(server);
    const client = await signUpClient(server, trainer.referralCode);
    const today = Temporal.Now.plainDateISO("Europe/Berlin");
    const monday = today.add({ days: 8 - today.dayOfWeek });
    const at = (hour: number, minute = 0) =>
      Temporal.PlainDateTime.from(monday.toString()).with({ hour, minute })
        .toZonedDateTime("Europe/Berlin").toInstant();
    // Stored as a sync would store it; its address is private, so "Sync now" is refused.
    const added = await insertCalendar(server.sql, {
      trainerId: trainer.id,
      name: "Family calendar with a rather long name",
      url:
        "http://10.9.9.9/private/basic.ics?token=abcdefghijklmnopqrstuvwxyz0123456789",
      result: {
        kind: "fresh",
        busy: [{
          start: at(10, 30),
          end: at(11),
          summary: "Dentist appointment downtown",
        }],
        digest: "d1",
        etag: null,
        lastModified: null,
      },
      now: Temporal.Now.instant(),
      syncMinutes: 15,
    });
    assert.ok(typeof added !== "string");
    const week = `/calendar?week=${monday}&day=${monday}`;

    for (const javaScript of [true, false]) {
      const mode = javaScript ? "with JavaScript" : "with JavaScript off";
      const { context, page, errors } = await phones.phone({ javaScript });
      const axe = javaScript
        ? undefined
        : await phones.phone({ javaScript: true });
      const signIn = async (email: string, home: string) => {
        await context.clearCookies();
        await page.goto(`${base}/signin`);
        await page.fill("#f-email", email);
        await page.fill("#f-password", "password-1");
        await page.click("main button[type=submit]");
        await page.waitForURL(`${base}${home}`);
      };
      try {
        await t.step(`settings with a calendar, ${mode}`, async () => {
          await signIn(trainer.email, "/today");
          await page.goto(`${base}/settings#calendars`);
          assert.match(
            await page.textContent("#calendars") ?? "",
            /Family calendar.*(In sync: 1 busy time|Not in sync).*Last synced/,
          );
          assert.deepEqual(await problems(page, errors, axe?.page), []);
        });
        await t.step(`Sync now answers in words, ${mode}`, async () => {
          await page.click("#calendars button:has-text('Sync now')");
          await page.waitForSelector(
            ".flash-error:has-text('private network')",
          );
          assert.match(
            await page.textContent("#calendars") ?? "",
            /Not in sync: This address points into a private network/,
          );
          assert.deepEqual(await problems(page, errors, axe?.page), []);
        });
        await t.step(`the trainer's calendar shows Busy, ${mode}`, async () => {
          await page.goto(`${base}${week}`);
          const busy = page.locator(".day.selected .slot-busy");
          assert.match(
            await busy.first().textContent() ?? "",
            /Busy · Dentist appointment downtown/,
          );
          assert.deepEqual(await problems(page, errors, axe?.page), []);
        });
        await t.step(
          `the client's calendar shows only Booked, ${mode}`,
          async () => {
            await signIn(client.email, "/calendar");
            await page.goto(`${base}${week}`);
            const text = await page.textContent(".day.selected") ?? "";
            assert.match(text, /10:00–11:00 · Booked/);
            assert.doesNotMatch(text, /Dentist|Busy/);
            assert.deepEqual(await problems(page, errors, axe?.page), []);
          },
        );
      } finally {
        await context.close();
        await axe?.context.close();
      }
    }
  } finally {
    await phones.close();
    await server.close();
  }
});
