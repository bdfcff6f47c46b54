import type { MiddlewareHandler } from "hono";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { createHash } from "node:crypto";

export type Encoding = "br" | "gzip";

/**
 * The best encoding the client takes, brotli first, from `Accept-Encoding`
 * (`q=0` refuses one); undefined for none.
 *
 * @example acceptedEncoding("gzip, deflate, br") // "br"
 */
export function acceptedEncoding(
  header: string | undefined,
): Encoding | undefined {
  if (!header) return undefined;
  let br = false;
  let gzip = false;
  let any = false;
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q && Number(q.slice(2)) === 0) continue;
    if (name === "br") br = true;
    else if (name === "gzip" || name === "x-gzip") gzip = true;
    else if (name === "*") any = true;
  }
  return br || (any && !gzip) ? "br" : gzip ? "gzip" : undefined;
}

// Below this, headers outweigh what compression saves.
const MIN_BYTES = 1024;

/** `body` in `encoding`, as {@link compression} sends dynamic answers. */
export function encodeBody(
  body: Uint8Array,
  encoding: Encoding | undefined,
): Uint8Array {
  return encoding === "br"
    ? brotliCompressSync(body, {
      params: {
        // Quality 4: most of brotli's gain at about gzip's cost per request.
        [constants.BROTLI_PARAM_QUALITY]: 4,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
      },
    })
    : encoding === "gzip"
    ? gzipSync(body, { level: 6 })
    : body;
}

/** A weak ETag for a page's bytes. */
export const weakEtag = (body: Uint8Array) =>
  `W/"${createHash("sha1").update(body).digest("base64url").slice(0, 16)}"`;

/**
 * True when `If-None-Match` lists `tag` or `*`, compared weakly (as RFC 9110 asks for
 * `If-None-Match`: `W/"x"` and `"x"` are the same tag).
 */
export function matchesTag(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  const wanted = tag.replace(/^W\//, "");
  return header.split(",").some((t) => {
    const listed = t.trim().replace(/^W\//, "");
    return listed === "*" || listed === wanted;
  });
}

/** The encoding a response of `bytes` gets for this `Accept-Encoding`. */
export const encodingFor = (header: string | undefined, bytes: number) =>
  bytes >= MIN_BYTES ? acceptedEncoding(header) : undefined;

// Statuses whose answers have no body (a Response for them may not be given one).
const NO_BODY = new Set([101, 103, 204, 205, 304]);

const TEXT = /^(text\/|application\/(json|javascript|xml)|image\/svg\+xml)/;

/**
 * Compresses every text response the routes answer (brotli, else gzip, with
 * `Vary: Accept-Encoding`), and gives a successful GET page a weak ETag so a
 * browser's revalidation gets a `304` without the body. Answers that already
 * carry an encoding (static assets, compressed once at start) pass through.
 *
 * ```ts
 * app.use(compression());
 * ```
 */
export function compression(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get("Content-Type") ?? "";
    // Static assets and kept pages choose their own (precompressed) encoding and say so
    // in Vary. `res.body` is never read: that would turn a body of bytes into a stream,
    // which Deno then serves several times more slowly (a null body reads as no bytes).
    if (
      !TEXT.test(type) || NO_BODY.has(res.status) ||
      /accept-encoding/i.test(res.headers.get("Vary") ?? "")
    ) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = res.headers;
    headers.append("Vary", "Accept-Encoding");
    if (
      res.status === 200 && c.req.method === "GET" &&
      type.startsWith("text/html")
    ) {
      const tag = weakEtag(body);
      headers.set("ETag", tag);
      if (matchesTag(c.req.header("If-None-Match"), tag)) {
        headers.delete("Content-Type");
        c.res = undefined;
        c.res = new Response(null, { status: 304, headers });
        return;
      }
    }
    const encoding = encodingFor(
      c.req.header("Accept-Encoding"),
      body.byteLength,
    );
    const sent = encodeBody(body, encoding);
    if (encoding) headers.set("Content-Encoding", encoding);
    headers.set("Content-Length", String(sent.byteLength));
    // Unset first: Hono would otherwise copy the old answer's headers over the new one's.
    c.res = undefined;
    c.res = new Response(sent as Uint8Array<ArrayBuffer>, {
      status: res.status,
      headers,
    });
  };
}
