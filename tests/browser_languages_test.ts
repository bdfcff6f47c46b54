/**
 * The main journeys in the viewer's language, in real Chromium at 390×844 with JavaScript
 * on and off: a client whose browser speaks Russian joins, books, reads the confirmation
 * and cancels with a reason; a trainer whose browser speaks German signs up and reads
 * Today, the schedule and the settings. Russian is written in Cyrillic, so any plain
 * Latin word left on a Russian page is English that went round the catalogues; German
 * pages are checked against the words the catalogue gives them, and for English's most
 * common words. A short pseudo-locale pass (the page sweep, `deno task browser`, has every
 * page) checks the busiest pages at 390 px with every word 30 % longer.
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
import { problems } from "./helpers/page_checks.ts";
import { rawEnglish, readableText } from "./helpers/pseudo.ts";
import { api, signUpClient, uniqueEmail } from "./helpers/http.ts";
import { t as say } from "../lib/i18n.ts";

/** Names and data the journeys type in, which stay as typed in every language. */
const TYPED = [
  "Robin Coach",
  "Casey Client",
  "Europe/Berlin",
  "UTC",
  "Spotter",
  "Telegram",
  "iCalendar",
  "e-mail",
  "E-Mail",
];

/** Each language named in itself (the language select), a device as its browser names itself. */
const OWN_NAMES = ["English", "Deutsch", "Español", "Chrome", "Linux"];

/** The Latin words left in the page's main part (for a Russian page: English). */
async function latinWordsIn(page: Page, typed: readonly string[] = TYPED) {
  const main = await page.locator("main").innerHTML();
  return rawEnglish(readableText(main), typed);
}

/** A client joins with `code` and books next Monday at 10:00 Berlin time (the API). */
async function clientBooksMonday(
  server: Awaited<ReturnType<typeof serveApp>>,
  code: string,
) {
  const client = await signUpClient(server, code, "Casey Client");
  const today = Temporal.Now.plainDateISO("Europe/Berlin");
  const monday = today.add({ days: 8 - today.dayOfWeek });
  const start = monday.toZonedDateTime({
    timeZone: "Europe/Berlin",
    plainTime: "10:00",
  }).toInstant().toString();
  const booked = await api(server, "POST", "/api/appointments", {
    token: client.token,
    body: { start },
  });
  assert.equal(booked.status, 201, JSON.stringify(booked.body));
  return { client, monday, booked };
}

dbTest(
  "a Russian client books and cancels in Russian, JavaScript on and off",
  async (t) => {
    const phones = await launchPhones();
    const server = await serveApp();
    const base = server.url;
    try {
      const trainer = await phones.phone({ javaScript: true });
      const code = await trainerSignsUp(
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
            await clientJoins(page, base, code, uniqueEmail("ru-client"));
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

/** English words a German page never has (Latin script, so the Russian check cannot work). */
const ENGLISH =
  /\b(the|and|your|with|you|session|sessions|clients?|booked|cancel(led)?|today|settings|week|save|nothing)\b/i;

async function englishIn(page: Page) {
  let text = readableText(await page.locator("main").innerHTML());
  for (const name of TYPED) text = text.replaceAll(name, " ");
  return text.replace(/[\w.+-]+@[\w.-]+/g, " ").match(ENGLISH)?.[0];
}

dbTest("a German trainer's day in German, JavaScript on and off", async (t) => {
  const phones = await launchPhones();
  const server = await serveApp();
  const base = server.url;
  try {
    for (const javaScript of [true, false]) {
      const mode = javaScript ? "with JavaScript" : "with JavaScript off";
      await t.step(
        `sign-up, Today, schedule, cancel, settings, ${mode}`,
        async () => {
          const { context, page, errors } = await phones.phone({
            javaScript,
            locale: "de-DE",
          });
          try {
            const email = uniqueEmail("de-trainer");
            const code = await trainerSignsUp(page, base, email);
            assert.equal(await page.getAttribute("html", "lang"), "de");
            assert.equal(await englishIn(page), undefined, "profile");
            const { monday, booked } = await clientBooksMonday(
              server,
              code,
            );

            await page.click('nav a[href="/today"]');
            await page.waitForURL(`${base}/today`);
            assert.equal(
              (await page.textContent("h1"))!.trim(),
              say("de", "trainer.today.title"),
            );
            assert.equal(await englishIn(page), undefined, "Today");

            await page.goto(`${base}/schedule?date=${monday}&view=day`);
            assert.equal(
              (await page.textContent("h1"))!.trim(),
              say("de", "trainer.schedule.title"),
            );
            assert.match((await page.textContent("main"))!, /Casey Client/);
            assert.equal(await englishIn(page), undefined, "schedule");

            await page.goto(`${base}/schedule/${booked.body.id}/cancel`);
            assert.equal(await englishIn(page), undefined, "cancel step");
            await page.fill("main textarea", "Krank");
            await page.click("main button.danger");
            await page.waitForURL(/\/schedule/);
            assert.match(
              (await page.textContent(".flash"))!,
              new RegExp(
                say("de", "trainer.session.cancelled", {
                  name: "Casey Client",
                }),
              ),
            );

            await page.click('nav a[href="/settings"]');
            await page.waitForURL(`${base}/settings`);
            assert.equal(await englishIn(page), undefined, "settings");
            await page.click("main form[method=post] button[type=submit]");
            await page.waitForURL(`${base}/settings`);
            assert.equal(
              (await page.textContent(".flash"))!.trim(),
              say("de", "business.settings.saved"),
            );

            await page.goto(`${base}/stats`);
            assert.equal(await englishIn(page), undefined, "statistics");
            await page.goto(`${base}/clients`);
            assert.equal(await englishIn(page), undefined, "clients");
            await screenshot(page, `de-clients-${javaScript ? "js" : "nojs"}`);
            assert.deepEqual(errors, []);
          } finally {
            await context.close();
          }
        },
      );
    }
  } finally {
    await phones.close();
    await server.close();
  }
});

dbTest(
  "in the pseudo-locale the busiest pages keep to a phone's width and leave no English",
  async (t) => {
    const phones = await launchPhones();
    const server = await serveApp({ PSEUDO_LOCALE: "1" });
    const base = server.url;
    try {
      const { context, page, errors } = await phones.phone({
        javaScript: true,
        locale: "en-XA",
      });
      try {
        const email = uniqueEmail("xa-trainer");
        const code = await trainerSignsUp(page, base, email);
        const { client, monday, booked } = await clientBooksMonday(
          server,
          code,
        );
        const check = async (path: string) => {
          await t.step(path, async () => {
            await page.goto(`${base}${path}`);
            await page.waitForLoadState("load");
            assert.deepEqual(await problems(page, errors), []);
            const text = readableText(await page.content());
            assert.deepEqual(
              rawEnglish(text, [...TYPED, ...OWN_NAMES, code, email]),
              [],
            );
          });
        };
        for (
          const path of [
            "/today",
            `/schedule?date=${monday}&view=day`,
            `/schedule/${booked.body.id}/cancel`,
            "/settings",
            "/stats",
            "/clients",
            `/clients/${client.id}`,
            "/profile",
          ]
        ) await check(path);
        await page.click(`form[action="/signout"] button`);
        await page.waitForURL(`${base}/signin`);
        await page.fill("#f-email", client.email);
        await page.fill("#f-password", "password-1");
        await page.click("main button[type=submit]");
        await page.waitForURL(`${base}/calendar`);
        for (
          const path of [
            `/calendar?week=${monday}&day=${monday}`,
            "/appointments",
            `/appointments/${booked.body.id}`,
            `/appointments/${booked.body.id}/cancel`,
          ]
        ) await check(path);
      } finally {
        await context.close();
      }
    } finally {
      await phones.close();
      await server.close();
    }
  },
);
