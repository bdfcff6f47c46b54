/**
 * A client's seats and waitlist places are listed with their sessions (My appointments,
 * the trainer's client page). A place in a class is not given up or taken away in one tap: "Give up my seat" and the
 * roster's "Remove" ask first, say where the seat goes, and are 44 px targets.
 * Real Chromium at 390 px, JavaScript on and off.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./helpers/app.ts";
import { launchPhones, serveApp } from "./helpers/browser.ts";
import { problems } from "./helpers/page_checks.ts";
import { uniqueEmail } from "./helpers/http.ts";
import { remote } from "./helpers/remote.ts";

const ZONE = "Europe/Berlin";

async function account(base: string, path: string, body: object) {
  const email = uniqueEmail("seat");
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
  await page.click("main button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
}

dbTest(
  "seats are listed with the sessions and ask before they go",
  async (t) => {
    const server = await serveApp();
    const phones = await launchPhones();
    const base = server.url;
    const placeOf = async (classId: string, clientId: string) =>
      (await server.sql<{ status: string }[]>`
      SELECT status FROM class_seats
      WHERE class_id = ${classId} AND client_id = ${clientId}`)[0]?.status;
    try {
      const trainer = await account(base, "/api/trainers", {
        name: "Robin Coach",
        timezone: ZONE,
      });
      const [ada, cy, ben] = [
        await account(base, "/api/clients", {
          name: "Ada",
          referralCode: trainer.referralCode,
        }),
        await account(base, "/api/clients", {
          name: "Cy",
          referralCode: trainer.referralCode,
        }),
        await account(base, "/api/clients", {
          name: "Ben",
          referralCode: trainer.referralCode,
        }),
      ];
      for (const [i, javaScript] of [true, false].entries()) {
        const mode = javaScript ? "with JavaScript" : "with JavaScript off";
        const start = Temporal.Now.plainDateISO(ZONE).add({ days: 9 + 7 * i })
          .toPlainDateTime(Temporal.PlainTime.from("18:00"))
          .toZonedDateTime(ZONE).toString({ timeZoneName: "never" });
        const created = await remote(base, "POST", "/api/classes", {
          token: trainer.token,
          body: { title: "Strength circuit", start, capacity: 2 },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const id = created.body.id as string;
        for (const who of [ada, cy, ben]) {
          const seat = await remote(base, "POST", `/api/classes/${id}/seats`, {
            token: who.token,
            body: {},
          });
          assert.equal(seat.status, 201);
        }
        const { context, page, errors } = await phones.phone({ javaScript });
        const axe = javaScript
          ? undefined
          : await phones.phone({ javaScript: true });
        try {
          await t.step(
            `seats are listed with the sessions, ${mode}`,
            async () => {
              const line = (who: string) =>
                page.locator(".seat-line", { hasText: "Strength circuit" })
                  .filter({ hasText: who });
              await signIn(page, base, ben.email);
              await page.goto(`${base}/appointments`);
              assert.match(
                await line("waitlist").innerText(),
                /18:00–19:00 · Strength circuit[^]*Number 1 on the waitlist|Number 1 on the waitlist[^]*18:00–19:00 · Strength circuit/,
              );
              assert.deepEqual(await problems(page, errors, axe?.page), []);
              await context.clearCookies(); // sign out
              await signIn(page, base, ada.email);
              await page.goto(`${base}/appointments`);
              assert.equal(await line("You have a seat").count(), 1);
              await page.goto(`${base}/appointments?tab=history`);
              assert.equal(await page.locator(".seat-line").count(), 0);
              await context.clearCookies();
              await signIn(page, base, trainer.email);
              await page.goto(`${base}/clients/${ben.id}`);
              assert.equal(await line("Number 1 on the waitlist").count(), 1);
              assert.deepEqual(await problems(page, errors, axe?.page), []);
              await context.clearCookies();
            },
          );
          await t.step(`"Give up my seat" asks first, ${mode}`, async () => {
            await signIn(page, base, ada.email);
            await page.goto(`${base}/classes/${id}`);
            await page.click("text=Give up my seat");
            await page.waitForSelector("h1:text('Give up your seat?')");
            assert.match(
              (await page.textContent("main"))!,
              /The seat goes at once to the first person on the waitlist/,
            );
            assert.equal(
              await placeOf(id, ada.id),
              "booked",
              "not yet given up",
            );
            assert.deepEqual(await problems(page, errors, axe?.page), []);
            await page.click("text=Keep it");
            await page.waitForURL(`${base}/classes/${id}`);
            assert.equal(await placeOf(id, ada.id), "booked");
            await page.click("text=Give up my seat");
            await page.click("main button[type=submit]");
            await page.waitForSelector("text=You left the class.");
            assert.equal(await placeOf(id, ada.id), undefined);
            assert.equal(await placeOf(id, ben.id), "booked", "promoted");
            await context.clearCookies(); // sign out
          });
          await t.step(
            `the roster's "Remove" asks first, ${mode}`,
            async () => {
              await signIn(page, base, trainer.email);
              await page.goto(`${base}/classes/${id}`);
              const remove = page.locator(".roster li", { hasText: "Ben" })
                .locator(
                  "a",
                );
              const box = (await remove.boundingBox())!;
              assert.ok(
                box.height >= 44 && box.width >= 44,
                JSON.stringify(box),
              );
              await remove.click();
              await page.waitForSelector(
                "h1:text('Remove Ben from the class?')",
              );
              assert.equal(
                await placeOf(id, ben.id),
                "booked",
                "not yet removed",
              );
              assert.deepEqual(await problems(page, errors, axe?.page), []);
              await page.click("main button[type=submit]");
              await page.waitForSelector("text=Removed from the class.");
              assert.equal(await placeOf(id, ben.id), undefined);
              // A place that is not there is not found.
              const gone = await page.goto(
                `${base}/classes/${id}/remove?clientId=${ben.id}`,
              );
              assert.equal(gone!.status(), 404);
              await context.clearCookies();
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
  },
);
