/**
 * The main navigation in real Chromium. At 390×844, with JavaScript on and off, for a
 * trainer (eight pages) and a client: every page and Sign out is on screen without
 * sideways scrolling, or one tap on a visible control away; each is a 44 px target with
 * no word of its label broken across lines (at 360 and 320 px wide too); the page you
 * are on looks unlike the others. At 1280 and 1000 px, and on a tablet held upright
 * (700–899 px), a trainer's and a client's links stay one row.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./helpers/app.ts";
import { launchPhones, screenshot, serveApp } from "./helpers/browser.ts";
import { problems } from "./helpers/page_checks.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";

type Item = {
  label: string;
  shown: boolean;
  /** On screen whole, and the topmost thing at its centre (not clipped or covered). */
  inSight: boolean;
  /** Its words fit inside its box. */
  fits: boolean;
  /** No word of its label is broken across two lines. */
  whole: boolean;
  width: number;
  height: number;
  top: number;
  current: boolean;
  /** How it looks: colours, weight, underline, border. */
  look: string;
};

const ITEMS = `[...document.querySelectorAll(
  "header nav a[href], header nav button"
)].map((el) => {
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = r.width > 0 && document.elementFromPoint(x, y);
  return {
    label: el.textContent.trim(),
    shown: r.width > 0 && r.height > 0 && s.visibility !== "hidden",
    inSight: r.left >= 0 && r.right <= innerWidth + 0.5 && r.top >= 0 &&
      r.bottom <= innerHeight + 0.5 && Boolean(hit) && el.contains(hit),
    fits: el.scrollWidth <= el.clientWidth + 1 &&
      el.scrollHeight <= el.clientHeight + 1,
    whole: (() => {
      const text = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = text.nextNode(); n; n = text.nextNode()) {
        for (const word of n.data.matchAll(/\\S+/g)) {
          const range = document.createRange();
          range.setStart(n, word.index);
          range.setEnd(n, word.index + word[0].length);
          const lines = new Set(
            [...range.getClientRects()].map((r) => Math.round(r.top)),
          );
          if (lines.size > 1) return false;
        }
      }
      return true;
    })(),
    width: r.width,
    height: r.height,
    top: r.top,
    current: el.getAttribute("aria-current") === "page",
    look: [s.color, s.backgroundColor, s.fontWeight, s.boxShadow,
      s.textDecorationLine, s.borderColor].join(" "),
  };
})`;

const items = (page: Page) => page.evaluate<Item[]>(ITEMS);

/** The nav row's own sideways overflow (a row that scrolls hides what is past its edge). */
const navOverflow = (page: Page) =>
  page.evaluate<number>(
    `(() => { const n = document.querySelector("header nav");
      return n.scrollWidth - n.clientWidth; })()`,
  );

/** Items out of sight, after opening one visible control that shows the rest, if any. */
async function outOfSight(page: Page): Promise<string[]> {
  let hidden = (await items(page)).filter((i) => !i.inSight);
  if (hidden.length === 0) return [];
  const opener = page.locator(
    "header summary:visible, header button[aria-expanded]:visible",
  );
  if (await opener.count() === 1) {
    await opener.click();
    hidden = (await items(page)).filter((i) => !i.inSight);
  }
  return hidden.map((i) => i.label);
}

dbTest("the main navigation on a phone and on a desktop", async (t) => {
  const server = await serveApp();
  const phones = await launchPhones();
  const base = server.url;
  try {
    const trainer = await signUpTrainer(server);
    const client = await signUpClient(server, trainer.referralCode);
    const people = [
      {
        who: "trainer",
        email: trainer.email,
        home: "/today",
        at: "/settings",
        links: 9,
      },
      {
        who: "client",
        email: client.email,
        home: "/calendar",
        at: "/appointments",
        links: 4,
      },
    ];
    for (const javaScript of [true, false]) {
      const mode = javaScript ? "with JavaScript" : "with JavaScript off";
      for (const person of people) {
        await t.step(
          `a ${person.who} on a phone sees every page and Sign out, ${mode}`,
          async () => {
            const { context, page, errors } = await phones.phone({
              javaScript,
            });
            const axe = javaScript
              ? undefined
              : await phones.phone({ javaScript: true });
            try {
              await page.goto(`${base}/signin`);
              await page.fill("#f-email", person.email);
              await page.fill("#f-password", "password-1");
              await page.click("main button[type=submit]");
              await page.waitForURL(`${base}${person.home}`);
              await page.goto(`${base}${person.at}`);
              await screenshot(
                page,
                `nav-${person.who}-${javaScript ? "js" : "nojs"}`,
              );

              const all = await items(page);
              assert.equal(all.length, person.links + 1, "links and Sign out");
              assert.ok(all.some((i) => i.label === "Sign out"));
              assert.equal(await navOverflow(page), 0, "no sideways row");
              assert.deepEqual(await outOfSight(page), [], "out of sight");
              const tapTargets = async (width: number) => {
                for (const i of await items(page)) {
                  assert.ok(
                    i.width >= 44 && i.height >= 44,
                    `${i.label} is ${i.width}×${i.height} at ${width} px`,
                  );
                  assert.ok(i.fits, `${i.label} fits its box at ${width} px`);
                  assert.ok(
                    i.whole,
                    `${i.label} has no broken word at ${width} px`,
                  );
                }
              };
              await tapTargets(390);
              const shown = (await items(page)).filter((i) => i.shown);
              const current = shown.filter((i) => i.current);
              assert.equal(current.length, 1, "one current page");
              for (const other of shown.filter((i) => !i.current)) {
                assert.notEqual(other.look, current[0].look, other.label);
              }
              assert.deepEqual(await problems(page, errors, axe?.page), []);

              // Common phones (360 px) and the narrowest in use (320 px): all still in
              // sight, words whole.
              for (const width of [360, 320]) {
                await page.setViewportSize({ width, height: 568 });
                assert.equal(
                  await navOverflow(page),
                  0,
                  `no sideways row at ${width} px`,
                );
                assert.deepEqual(
                  await outOfSight(page),
                  [],
                  `out of sight at ${width} px`,
                );
                await tapTargets(width);
              }

              // The last link works from where it is.
              const last = page.locator("header nav a[href]").last();
              const href = (await last.getAttribute("href"))!;
              await last.click();
              await page.waitForURL(`${base}${href}`);
            } finally {
              await context.close();
              await axe?.context.close();
            }
          },
        );
      }
    }
    for (const person of people) {
      await t.step(
        `on a desktop and a tablet the ${person.who}'s links are one row`,
        async () => {
          const { context, page, errors } = await phones.phone({
            javaScript: true,
            desktop: true,
          });
          try {
            await page.goto(`${base}/signin`);
            await page.fill("#f-email", person.email);
            await page.fill("#f-password", "password-1");
            await page.click("main button[type=submit]");
            await page.waitForURL(`${base}${person.home}`);
            await screenshot(page, `nav-${person.who}-desktop`);
            // Desktops, then a tablet held upright (iPad 768 px, iPad mini 744 px) and the
            // narrowest width that still gets the row (below it the phone's tiles).
            for (const width of [1280, 1000, 768, 744, 700]) {
              await page.setViewportSize({ width, height: 800 });
              const all = await items(page);
              assert.equal(all.length, person.links + 1);
              for (const i of all) {
                assert.ok(i.inSight, `${i.label} at ${width} px`);
                assert.ok(
                  Math.abs(i.top - all[0].top) < 2,
                  `${i.label} on one row at ${width} px`,
                );
                assert.ok(
                  i.width >= 44 && i.height >= 44,
                  `${i.label} at ${width}`,
                );
              }
            }
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
