/**
 * Classes in real Chromium at 390×844, with JavaScript and without: a client finds the
 * class in the trainer's week, takes a seat; another finds it full, joins the waitlist
 * and sees their position.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./helpers/app.ts";
import { phone, serveApp } from "./helpers/browser.ts";
import { uniqueEmail } from "./helpers/http.ts";
import { remote } from "./helpers/remote.ts";

const ZONE = "Europe/Berlin";

async function account(base: string, path: string, body: object) {
  const email = uniqueEmail("e2e");
  const res = await remote(base, "POST", path, {
    body: { ...body, email, password: "password-1" },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const login = await remote(base, "POST", "/api/sessions", {
    body: { email, password: "password-1" },
  });
  return { ...res.body, email, token: login.body.token as string };
}

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/signin`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-1");
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/calendar`);
}

async function signOut(page: Page, base: string) {
  await page.click("text=Sign out");
  await page.waitForURL(`${base}/signin`);
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "with JavaScript off";
  dbTest(
    `a client takes a seat from the week, the next joins the waitlist and sees the position, ${mode}`,
    async () => {
      const server = await serveApp();
      const context = await phone({ javaScript });
      try {
        const base = server.url;
        const trainer = await account(base, "/api/trainers", {
          name: "Robin Coach",
          timezone: ZONE,
        });
        const people = [];
        for (const name of ["Ada", "Ben", "Cy"]) {
          people.push(
            await account(base, "/api/clients", {
              name,
              referralCode: trainer.referralCode,
            }),
          );
        }
        const day = Temporal.Now.plainDateISO(ZONE).add({ days: 9 });
        const start = day.toPlainDateTime(Temporal.PlainTime.from("18:00"))
          .toZonedDateTime(ZONE).toString({ timeZoneName: "never" });
        const created = await remote(base, "POST", "/api/classes", {
          token: trainer.token,
          body: { title: "Strength circuit", start, capacity: 2 },
        });
        assert.equal(created.status, 201);
        const taken = await remote(
          base,
          "POST",
          `/api/classes/${created.body.id}/seats`,
          { token: people[0].token, body: {} },
        );
        assert.equal(taken.status, 201);

        const page = context.pages()[0] ?? await context.newPage();
        const monday = day.subtract({ days: day.dayOfWeek - 1 });
        const week = `${base}/calendar?week=${monday}&day=${day}`;

        await signIn(page, base, people[1].email);
        await page.goto(week);
        const line = page.locator(".class-line", {
          hasText: "Strength circuit",
        });
        assert.match(
          await line.innerText(),
          /18:00–19:00 · Strength circuit · 1 seat left/,
        );
        await line.locator("a").click();
        await page.waitForURL(`${base}/classes/${created.body.id}`);
        await page.click("text=Take a seat");
        await page.waitForSelector("text=You have a seat.");
        await page.goto(week);
        assert.match(
          await page.locator(".class-line").innerText(),
          /You have a seat/,
        );
        await signOut(page, base);

        await signIn(page, base, people[2].email);
        await page.goto(week);
        assert.match(
          await page.locator(".class-line").innerText(),
          /Full/,
        );
        await page.locator(".class-line a").click();
        await page.waitForURL(`${base}/classes/${created.body.id}`);
        await page.click("text=Join the waitlist");
        await page.waitForSelector("text=You are number 1 on the waitlist.");
        await page.goto(week);
        assert.match(
          await page.locator(".class-line").innerText(),
          /You are number 1 on the waitlist/,
        );
        const box = await page.locator(".class-line").boundingBox();
        assert.ok(
          box && box.x >= 0 && box.x + box.width <= 390,
          "fits the phone",
        );
      } finally {
        await context.close();
        await server.close();
      }
    },
  );
}
