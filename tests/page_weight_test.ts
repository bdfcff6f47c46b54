import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { acceptedEncoding } from "../routes/compression.ts";

// Tuesday 2026-12-01, 09:00 in Berlin.
const t = await testApp({ now: "2026-12-01T08:00:00Z" });
const PHONE = { "Accept-Encoding": "br, gzip" };

async function signedInClient() {
  const trainer = await signUpTrainer(t);
  const client = await signUpClient(t, trainer.referralCode);
  const b = new Browser(t);
  const res = await b.post("/signin", {
    email: client.email,
    password: "password-1",
  });
  assert.equal(res.status, 303);
  return { b, trainer, client };
}

/** What a response costs on the wire: its status line, headers and (encoded) body. */
async function wireBytes(res: Response) {
  let bytes = `HTTP/1.1 ${res.status} OK\r\n`.length + 2;
  for (const [k, v] of res.headers) bytes += k.length + v.length + 4;
  return bytes + (await res.arrayBuffer()).byteLength;
}

/** The stylesheet, icon and scripts a page links. */
const assetsOf = (html: string) =>
  [...html.matchAll(
    /<(?:link|script)\b[^>]*\b(?:href|src)="(\/static\/[^"]+)"/g,
  )]
    .map((m) => m[1]);

const decode = (encoding: string | null, body: Uint8Array) =>
  new TextDecoder().decode(
    encoding === "br"
      ? brotliDecompressSync(body)
      : encoding === "gzip"
      ? gunzipSync(body)
      : body,
  );

Deno.test("the client's preferred encoding is brotli, then gzip, none when refused", () => {
  assert.equal(acceptedEncoding("gzip, deflate, br"), "br");
  assert.equal(acceptedEncoding("gzip"), "gzip");
  assert.equal(acceptedEncoding("br;q=0, gzip"), "gzip");
  assert.equal(acceptedEncoding("identity"), undefined);
  assert.equal(acceptedEncoding(undefined), undefined);
});

dbTest(
  "a client's first load of the calendar on a phone, every asset counted, is at most 30 KB",
  async () => {
    const { b } = await signedInClient();
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const page = await t.app.request("/calendar", {
      headers: { ...PHONE, Cookie: cookie },
    });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("Content-Encoding"), "br");
    const html = decode("br", new Uint8Array(await page.clone().arrayBuffer()));
    assert.match(html, /10:00–11:00 · Free/);
    const assets = assetsOf(html);
    assert.ok(assets.some((a) => a.endsWith(".css")), "the stylesheet counts");
    assert.ok(assets.some((a) => a.endsWith(".svg")), "the icon counts");
    let total = await wireBytes(page);
    for (const path of assets) {
      const res = await t.app.request(path, { headers: PHONE });
      assert.equal(res.status, 200, path);
      total += await wireBytes(res);
    }
    assert.ok(total <= 30 * 1024, `${total} bytes on the wire`);
  },
);

dbTest(
  "the calendar loads htmx and the small app.js but not Alpine; a page with row editors loads Alpine too, deferred",
  async () => {
    const { b } = await signedInClient();
    const calendar = await b.get("/calendar");
    const scripts = [...calendar.text.matchAll(/<script [^>]*>/g)].map((m) =>
      m[0]
    );
    assert.equal(scripts.length, 2, scripts.join());
    assert.match(scripts[0], /htmx\.min\.[\w-]+\.js" defer/);
    // app.js registers Alpine's components and the calendar's htmx behaviour.
    assert.match(scripts[1], /\/static\/app\.[\w-]+\.js" defer/);
    assert.ok(!scripts.some((x) => x.includes("alpine")));
    assert.ok(!calendar.text.includes("x-data"));

    const trainer = new Browser(t);
    const { email } = await signUpTrainer(t);
    await trainer.post("/signin", { email, password: "password-1" });
    const settings = await trainer.get("/settings");
    assert.equal(settings.status, 200);
    assert.match(settings.text, / x-data=/);
    assert.match(settings.text, /<script src="[^"]*htmx[^"]*" defer>/);
    // A module runs once per page, however often boosted navigation swaps it in.
    assert.match(
      settings.text,
      /<script type="module" src="[^"]*alpine[^"]*">/,
    );
  },
);

dbTest(
  "static files live at fingerprinted URLs, cached for a year, compressed once, with an ETag",
  async () => {
    const html = await (await t.app.request("/signin")).text();
    const css = assetsOf(html).find((a) => a.endsWith(".css"))!;
    assert.match(css, /^\/static\/app\.[\w-]{12}\.css$/);
    const plain = await (await t.app.request("/static/app.css")).text();
    for (const encoding of ["br", "gzip", null]) {
      const res = await t.app.request(css, {
        headers: encoding ? { "Accept-Encoding": encoding } : {},
      });
      assert.equal(res.status, 200);
      assert.equal(
        res.headers.get("Cache-Control"),
        "public, max-age=31536000, immutable",
      );
      assert.equal(res.headers.get("Content-Encoding"), encoding);
      assert.equal(res.headers.get("Vary"), "Accept-Encoding");
      const body = new Uint8Array(await res.arrayBuffer());
      assert.equal(Number(res.headers.get("Content-Length")), body.byteLength);
      assert.equal(decode(encoding, body), plain);
      const again = await t.app.request(css, {
        headers: {
          "If-None-Match": res.headers.get("ETag")!,
          ...(encoding ? { "Accept-Encoding": encoding } : {}),
        },
      });
      assert.equal(again.status, 304);
      assert.equal((await again.arrayBuffer()).byteLength, 0);
    }
    // The plain path still answers (old pages), but is checked every time.
    const old = await t.app.request("/static/app.css");
    assert.equal(old.headers.get("Cache-Control"), "public, no-cache");
  },
);

dbTest("HEAD on a static file answers its real length over HTTP", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    t.app.fetch,
  );
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const get = await fetch(`${base}/static/vendor/htmx.min.js`, {
      headers: { "Accept-Encoding": "identity" },
    });
    const length = (await get.arrayBuffer()).byteLength;
    assert.ok(length > 10_000);
    const head = await fetch(`${base}/static/vendor/htmx.min.js`, {
      method: "HEAD",
      headers: { "Accept-Encoding": "identity" },
    });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers.get("Content-Length")), length);
    assert.equal(
      head.headers.get("Content-Type"),
      "text/javascript; charset=utf-8",
    );
    await head.body?.cancel();
  } finally {
    await server.shutdown();
  }
});

dbTest(
  "pages and JSON answer compressed, and a page revalidates to a 304 by its ETag",
  async () => {
    const { b, trainer, client } = await signedInClient();
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const first = await t.app.request("/calendar", {
      headers: { "Accept-Encoding": "gzip", Cookie: cookie },
    });
    assert.equal(first.headers.get("Content-Encoding"), "gzip");
    assert.match(first.headers.get("Vary") ?? "", /Accept-Encoding/);
    const tag = first.headers.get("ETag");
    assert.match(tag ?? "", /^W\/"[\w-]+"$/);
    const html = decode("gzip", new Uint8Array(await first.arrayBuffer()));
    assert.match(html, /<!DOCTYPE html>/);
    const again = await t.app.request("/calendar", {
      headers: { "If-None-Match": tag!, Cookie: cookie },
    });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("ETag"), tag);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
    // Something changed on the page: a new tag, the full page.
    await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-01T11:00:00+01:00" },
    });
    const changed = await t.app.request("/calendar", {
      headers: { "If-None-Match": tag!, Cookie: cookie },
    });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get("ETag"), tag);

    const slots = await t.app.request(
      `/api/trainers/${trainer.id}/slots?from=2026-12-01&to=2027-01-31`,
      { headers: { ...PHONE, Authorization: `Bearer ${client.token}` } },
    );
    assert.equal(slots.status, 200);
    assert.equal(slots.headers.get("Content-Encoding"), "br");
    const json = JSON.parse(
      decode("br", new Uint8Array(await slots.arrayBuffer())),
    );
    assert.ok(json.slots.length > 100);
  },
);
