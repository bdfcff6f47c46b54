import { Hono } from "hono";
import type { AppEnv } from "./context.ts";

const ROOT = new URL("../", import.meta.url);

// Served straight from the installed packages: no copies, no bundler.
const FILES: Record<string, { file: string; type: string }> = {
  "/static/app.css": {
    file: "static/app.css",
    type: "text/css; charset=utf-8",
  },
  "/static/favicon.svg": {
    file: "static/favicon.svg",
    type: "image/svg+xml",
  },
  "/static/vendor/htmx.min.js": {
    file: "node_modules/htmx.org/dist/htmx.min.js",
    type: "text/javascript; charset=utf-8",
  },
  "/static/app.js": {
    file: "static/app.js",
    type: "text/javascript; charset=utf-8",
  },
  "/static/vendor/alpine.min.js": {
    file: "node_modules/@alpinejs/csp/dist/cdn.min.js",
    type: "text/javascript; charset=utf-8",
  },
};

/** Every path served here (each must answer 200). */
export const STATIC_PATHS = Object.keys(FILES);

const cache = new Map<string, Uint8Array>();

export const staticFiles = new Hono<AppEnv>().get("/static/*", async (c) => {
  const entry = FILES[c.req.path];
  if (!entry) return c.notFound();
  let body = cache.get(entry.file);
  if (!body) {
    body = await Deno.readFile(new URL(entry.file, ROOT));
    cache.set(entry.file, body);
  }
  return c.body(body as Uint8Array<ArrayBuffer>, 200, {
    "Content-Type": entry.type,
    "Cache-Control": "public, max-age=3600",
  });
});
