import assert from "node:assert/strict";
import {
  fetchableUrl,
  fetchCalendar,
  isPublicAddress,
} from "../lib/safe_fetch.ts";
import { startFakeCalendar } from "./helpers/fake_calendar.ts";

const FEED = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
const server = startFakeCalendar(FEED);
// The fake server lives on loopback; only it is let through, the guard's own rules
// judge every other address.
const onlyTheFake = (a: string) => a === "127.0.0.1" || isPublicAddress(a);
const test = (name: string, fn: () => Promise<void> | void) =>
  Deno.test({ name, fn, sanitizeOps: false, sanitizeResources: false });

test("loopback, private, link-local, multicast and reserved addresses are not public", () => {
  for (
    const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "fe80::1",
      "fd00::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
    ]
  ) assert.equal(isPublicAddress(a), false, a);
  for (const a of ["8.8.8.8", "142.250.74.46", "2a00:1450:4001:80b::200e"]) {
    assert.equal(isPublicAddress(a), true, a);
  }
});

test("with private addresses off, loopback, 10.x, the metadata address and [::1] are refused before any request", async () => {
  const before = server.hits.get("/cal.ics") ?? 0;
  for (
    const url of [
      server.url(),
      "http://localhost:1/cal.ics",
      "http://10.0.0.1/cal.ics",
      "http://169.254.169.254/latest/meta-data/",
      "http://[::1]:1/cal.ics",
      "webcal://192.168.0.10/cal.ics",
    ]
  ) {
    assert.deepEqual(
      await fetchCalendar(url, { allowPrivate: false }),
      { kind: "failed", failure: "not_allowed" },
      url,
    );
  }
  assert.equal(server.hits.get("/cal.ics") ?? 0, before);
});

test("a host name that resolves to a private address is refused, even one of several", async () => {
  const resolve = (host: string) =>
    Promise.resolve(
      host === "calendar.example" ? ["93.184.215.14", "10.0.0.5"] : [],
    );
  assert.deepEqual(
    await fetchCalendar("https://calendar.example/cal.ics", {
      allowPrivate: false,
      resolve,
    }),
    { kind: "failed", failure: "not_allowed" },
  );
  assert.deepEqual(
    await fetchCalendar("https://nowhere.example/cal.ics", {
      allowPrivate: false,
      resolve,
    }),
    { kind: "failed", failure: "not_found_host" },
  );
});

test("a redirect to a private or metadata address is refused at that hop", async () => {
  for (const path of ["/to-metadata", "/to-private"]) {
    assert.deepEqual(
      await fetchCalendar(server.url(path), {
        allowPrivate: false,
        allowAddress: onlyTheFake,
      }),
      { kind: "failed", failure: "not_allowed" },
      path,
    );
  }
});

test("three redirects are followed, a fourth is not", async () => {
  const three = await fetchCalendar(server.url("/redirect/2"), {
    allowPrivate: true,
  });
  assert.equal(three.kind, "ok");
  assert.deepEqual(
    await fetchCalendar(server.url("/redirect/3"), { allowPrivate: true }),
    { kind: "failed", failure: "too_many_redirects" },
  );
});

test("a body over the limit is cut off; a slow server runs out of time", async () => {
  assert.deepEqual(
    await fetchCalendar(server.url("/huge.ics"), { allowPrivate: true }),
    { kind: "failed", failure: "too_large" },
  );
  assert.deepEqual(
    await fetchCalendar(server.url("/slow.ics"), {
      allowPrivate: true,
      timeoutMs: 300,
    }),
    { kind: "failed", failure: "timeout" },
  );
});

test("validators are sent back and a 304 is not modified", async () => {
  const first = await fetchCalendar(server.url(), { allowPrivate: true });
  assert.equal(first.kind, "ok");
  if (first.kind !== "ok") return;
  assert.equal(first.text, FEED);
  assert.ok(first.etag && first.lastModified);
  const again = await fetchCalendar(server.url(), {
    allowPrivate: true,
    etag: first.etag,
    lastModified: first.lastModified,
  });
  assert.deepEqual(again, { kind: "not_modified" });
  assert.deepEqual(server.lastConditional, {
    etag: first.etag,
    since: first.lastModified,
  });
});

test("only http, https and webcal addresses are fetched; webcal as https", () => {
  assert.equal(
    fetchableUrl("webcal://p01-caldav.icloud.com/published/2/abc")?.href,
    "https://p01-caldav.icloud.com/published/2/abc",
  );
  for (
    const bad of [
      "ftp://x/cal.ics",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "cal.ics",
      "http://u:p@x/",
    ]
  ) {
    assert.equal(fetchableUrl(bad), undefined, bad);
  }
});

test("the server stops", async () => {
  await server.close();
});
