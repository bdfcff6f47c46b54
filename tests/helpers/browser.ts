import { chromium } from "playwright-core";
import type { BrowserContext } from "playwright-core";
import { createApp } from "../../app.tsx";
import { loadConfig } from "../../config.ts";
import { freshDatabase } from "./db.ts";

export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

/** A real HTTP server on a free port with a fresh database and the real clock. */
export async function serveApp() {
  const sql = await freshDatabase();
  const abort = new AbortController();
  let url = "";
  const ready = Promise.withResolvers<void>();
  const deps = {
    sql,
    config: loadConfig({ APP_URL: "http://127.0.0.1" }),
    now: () => Temporal.Now.instant(),
    passwordCost: 10,
  };
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: abort.signal,
    onListen: ({ port }) => {
      url = `http://127.0.0.1:${port}`;
      ready.resolve();
    },
  }, createApp(deps).fetch);
  await ready.promise;
  return {
    url,
    sql,
    close: async () => {
      abort.abort();
      await server.finished;
      await sql.end();
    },
  };
}

/** Debian's Chromium at a phone's viewport; `javaScript: false` checks the no-JS path. */
export async function phone(
  options: { javaScript: boolean },
): Promise<BrowserContext> {
  const dir = await Deno.makeTempDir({ prefix: "spotter-chromium-" });
  return await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled: options.javaScript,
  });
}
