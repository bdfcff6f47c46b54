/**
 * "Contact your trainer" comes with the way to: the trainer's phone and e-mail, chosen on
 * the profile, as tel:/mailto: links wherever a client is told to contact them and on the
 * client's pages. Real Chromium at 390 px, JavaScript on and off.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./helpers/app.ts";
import { launchPhones, serveApp } from "./helpers/browser.ts";
import { problems } from "./helpers/page_checks.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";

const ALL_DAY = Object.fromEntries(
  ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((
    d,
  ) => [d, [{ start: "00:00", end: "24:00" }]]),
);

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/signin`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-1");
  await page.click("main button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
}

const hrefs = (page: Page, selector: string) =>
  page.locator(`${selector} a.contact-link`).evaluateAll((links) =>
    links.map((a) => a.getAttribute("href"))
  );

dbTest("a client told to contact the trainer is shown how", async (t) => {
  const server = await serveApp();
  const phones = await launchPhones();
  const base = server.url;
  try {
    const trainer = await signUpTrainer(server);
    const client = await signUpClient(server, trainer.referralCode, "Casey");
    await server.sql`UPDATE trainers SET working_hours = ${
      server.sql.json(ALL_DAY)
    }, cancel_notice_minutes = 720 WHERE user_id = ${trainer.id}`;
    const soon = Temporal.Now.zonedDateTimeISO("Europe/Berlin").add({
      hours: 3,
    })
      .round({ smallestUnit: "hour", roundingMode: "ceil" }).toInstant();

    for (const javaScript of [true, false]) {
      const mode = javaScript ? "with JavaScript" : "with JavaScript off";
      const phone = javaScript ? "+49 170 123 4567" : "030 1234-567";
      const email = javaScript ? "tess@example.com" : "desk@example.com";
      const tel = `tel:${phone.replace(/[^+\d]/g, "")}`;
      const { context, page, errors } = await phones.phone({ javaScript });
      const axe = javaScript
        ? undefined
        : await phones.phone({ javaScript: true });
      try {
        await t.step(
          `the trainer chooses what clients see, ${mode}`,
          async () => {
            await signIn(page, base, trainer.email);
            await page.goto(`${base}/profile`);
            await page.fill("#f-contactPhone", "call me maybe");
            await page.click("form[action='/profile/contact'] button");
            await page.locator(
              "#f-contactPhone[aria-invalid=true], .invalid #f-contactPhone",
            )
              .first().waitFor();
            assert.match(
              (await page.textContent("main"))!,
              /may hold only digits/,
            );
            errors.splice(0); // the refusal's own 422, as a refused form answers
            await page.goto(`${base}/profile`);
            await page.fill("#f-contactPhone", phone);
            await page.fill("#f-contactEmail", email);
            await page.click("form[action='/profile/contact'] button");
            await page.waitForSelector(
              "text=Your contact for clients is saved.",
            );
            assert.equal(await page.inputValue("#f-contactPhone"), phone);
            assert.deepEqual(await problems(page, errors, axe?.page), []);
            await context.clearCookies(); // sign out
          },
        );
        await t.step(
          `the client sees it where told to call, ${mode}`,
          async () => {
            await signIn(page, base, client.email);
            // The confirm step of a session inside the cancel window.
            await page.goto(
              `${base}/book?start=${
                encodeURIComponent(
                  soon.add({ hours: javaScript ? 1 : 2 }).toString(),
                )
              }`,
            );
            assert.deepEqual(await hrefs(page, ".rules-note"), [
              tel,
              `mailto:${email}`,
            ]);
            if (javaScript) {
              await page.click("main button[type=submit]");
              await page.waitForURL(/booked=1/);
              // The session's page says it is too late, with the links.
              assert.deepEqual(await hrefs(page, ".late-window"), [
                tel,
                `mailto:${email}`,
              ]);
            }
            await page.goto(`${base}/appointments`);
            assert.deepEqual(await hrefs(page, ".late-window"), [
              tel,
              `mailto:${email}`,
            ]);
            assert.deepEqual(await hrefs(page, ".your-trainer"), [
              tel,
              `mailto:${email}`,
            ]);
            assert.deepEqual(await problems(page, errors, axe?.page), []);
            await page.goto(`${base}/profile`);
            assert.deepEqual(await hrefs(page, ".your-trainer"), [
              tel,
              `mailto:${email}`,
            ]);
            await context.clearCookies(); // sign out
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
