import { Hono } from "hono";
import type { Context } from "hono";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import type { AppEnv } from "./context.ts";
import { acceptedEncoding } from "./compression.ts";

const ROOT = new URL("../", import.meta.url);

/**
 * Every static asset, in one place: served straight from the repository and the
 * installed packages (no copies, no bundler). Pages link them by name through
 * {@link assetUrls}; a page picks its scripts by name too (see `views/Layout.tsx`).
 */
const ASSETS = {
  css: {
    path: "/static/app.css",
    file: "static/app.css",
    type: "text/css; charset=utf-8",
  },
  icon: {
    path: "/static/favicon.svg",
    file: "static/favicon.svg",
    type: "image/svg+xml",
  },
  htmx: {
    path: "/static/vendor/htmx.min.js",
    file: "node_modules/htmx.org/dist/htmx.min.js",
    type: "text/javascript; charset=utf-8",
  },
  app: {
    path: "/static/app.js",
    file: "static/app.js",
    type: "text/javascript; charset=utf-8",
  },
  alpine: {
    path: "/static/vendor/alpine.min.js",
    file: "node_modules/@alpinejs/csp/dist/cdn.min.js",
    type: "text/javascript; charset=utf-8",
  },
} as const;

export type AssetName = keyof typeof ASSETS;

/** The plain (unversioned) path of every asset (each must answer 200). */
export const STATIC_PATHS: readonly string[] = Object.values(ASSETS).map((a) =>
  a.path
);

type Built = Readonly<{
  type: string;
  hash: string;
  identity: Uint8Array;
  br: Uint8Array;
  gzip: Uint8Array;
}>;

type Table = Readonly<{
  /** Path → asset, for the fingerprinted and the plain path alike. */
  byPath: ReadonlyMap<string, Readonly<{ built: Built; immutable: boolean }>>;
  urls: Readonly<Record<AssetName, string>>;
}>;

let table: Table | undefined;

/**
 * Reads, hashes and compresses every asset once per process (the first app built
 * pays about a few hundred ms for brotli's best quality; requests pay nothing).
 */
function assets(): Table {
  if (table) return table;
  const byPath = new Map<
    string,
    Readonly<{ built: Built; immutable: boolean }>
  >();
  const urls = {} as Record<AssetName, string>;
  for (const [name, asset] of Object.entries(ASSETS)) {
    const identity = Deno.readFileSync(new URL(asset.file, ROOT));
    const hash = createHash("sha256").update(identity).digest("base64url")
      .slice(0, 12);
    const built: Built = {
      type: asset.type,
      hash,
      identity,
      br: brotliCompressSync(identity, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: identity.byteLength,
        },
      }),
      gzip: gzipSync(identity, { level: 9 }),
    };
    // `/static/app.css` → `/static/app.<hash>.css`: a new file is a new URL.
    const dot = asset.path.lastIndexOf(".");
    const versioned = `${asset.path.slice(0, dot)}.${hash}${
      asset.path.slice(dot)
    }`;
    byPath.set(versioned, { built, immutable: true });
    byPath.set(asset.path, { built, immutable: false });
    urls[name as AssetName] = versioned;
  }
  table = { byPath, urls };
  return table;
}

/** The fingerprinted URL of each asset, for links in pages. */
export const assetUrls = (): Readonly<Record<AssetName, string>> =>
  assets().urls;

/** Whether `If-None-Match` names this asset's content (any encoding of it). */
function notModified(c: Context, hash: string): boolean {
  const tags = c.req.header("If-None-Match");
  if (!tags) return false;
  if (tags.trim() === "*") return true;
  return tags.split(",").some((t) =>
    t.trim().replace(/^W\//, "").replace(/"/g, "").split(".")[0] === hash
  );
}

function serve(c: Context<AppEnv>) {
  const found = assets().byPath.get(c.req.path);
  if (!found) return c.notFound();
  const { built, immutable } = found;
  const encoding = acceptedEncoding(c.req.header("Accept-Encoding"));
  const body = encoding === "br"
    ? built.br
    : encoding === "gzip"
    ? built.gzip
    : built.identity;
  const headers: Record<string, string> = {
    "Content-Type": built.type,
    // Fingerprinted URLs never change; plain ones are checked each time.
    "Cache-Control": immutable
      ? "public, max-age=31536000, immutable"
      : "public, no-cache",
    ETag: `"${built.hash}${encoding ? `.${encoding}` : ""}"`,
    Vary: "Accept-Encoding",
  };
  if (encoding) headers["Content-Encoding"] = encoding;
  if (notModified(c, built.hash)) return c.body(null, 304, headers);
  headers["Content-Length"] = String(body.byteLength);
  return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
}

// Hono answers HEAD with this GET handler's headers and no body.
export const staticFiles = new Hono<AppEnv>().get("/static/*", serve);
