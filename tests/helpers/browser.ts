import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";
import { createApp } from "../../app.tsx";
import { loadConfig } from "../../config.ts";
import { freshDatabase } from "./db.ts";

export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

/**
 * A real HTTP server on a free port with a fresh database and the real clock; `env`
 * adds settings (`PSEUDO_LOCALE: "1"`).
 */
export async function serveApp(env: Record<string, string> = {}) {
  const sql = await freshDatabase();
  const abort = new AbortController();
  let url = "";
  const ready = Promise.withResolvers<void>();
  const deps = {
    sql,
    config: loadConfig({ APP_URL: "http://127.0.0.1", ...env }),
    now: () => Temporal.Now.instant(),
    passwordCost: 10,
  };
  const app = createApp(deps);
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: abort.signal,
    onListen: ({ port }) => {
      url = `http://127.0.0.1:${port}`;
      ready.resolve();
    },
  }, app.fetch);
  await ready.promise;
  return {
    url,
    sql,
    /** The same app in-process, for cheap set-up through the API helpers. */
    app,
    close: async () => {
      abort.abort();
      await server.finished;
      await sql.end();
    },
  };
}

/** Headless Debian Chromium with nothing reaching out to the network on its own. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Debian's Chromium at a phone's viewport; `javaScript: false` checks the no-JS path. */
export async function phone(
  options: { javaScript: boolean },
): Promise<BrowserContext> {
  const dir = await Deno.makeTempDir({ prefix: "spotter-chromium-" });
  return await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled: options.javaScript,
  });
}

/**
 * One Chromium for a whole test file; each `phone()` is a fresh 390×844 touch context
 * (own cookies), with JavaScript on or off.
 */
export async function launchPhones() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    phone: async (
      options: {
        javaScript: boolean;
        desktop?: boolean;
        timezoneId?: string;
        /** The browser's language (its `Accept-Language`), e.g. "ru-RU" or "en-XA". */
        locale?: string;
      },
    ) => {
      const context = await browser.newContext({
        timezoneId: options.timezoneId,
        locale: options.locale,
        viewport: options.desktop
          ? { width: 1280, height: 800 }
          : { width: 390, height: 844 },
        isMobile: !options.desktop,
        hasTouch: !options.desktop,
        javaScriptEnabled: options.javaScript,
      });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      return { context, page, errors: watchErrors(page) };
    },
    close: () => browser.close(),
  };
}

/** Console errors and uncaught exceptions (CSP violations included) as they arrive. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

const SHOTS = new URL("../../.screenshots/", import.meta.url);

/** A full-page picture for a person to look at (git-ignored `.screenshots/`; `SCREENSHOTS=0` skips). */
export async function screenshot(page: Page, name: string) {
  if (Deno.env.get("SCREENSHOTS") === "0") return; // skip them for a quicker run
  await Deno.mkdir(SHOTS, { recursive: true });
  await page.screenshot({
    path: new URL(`${name}.png`, SHOTS).pathname,
    fullPage: true,
    caret: "initial", // "hide" injects a <style> that the CSP refuses (a console error)
  });
}

/** A trainer signs up through the form and stays signed in; returns the referral code. */
export async function trainerSignsUp(page: Page, base: string, email: string) {
  await page.goto(`${base}/signup`);
  await page.fill("#f-name", "Robin Coach");
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-1");
  await page.selectOption("#f-timezone", "Europe/Berlin");
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/profile`);
  return (await page.textContent("strong.code"))!.trim();
}

/** A client joins with the code through the form and stays signed in. */
export async function clientJoins(
  page: Page,
  base: string,
  code: string,
  email: string,
) {
  await page.goto(`${base}/join/${code}`);
  await page.fill("#f-name", "Casey Client");
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-1");
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/calendar`);
}
