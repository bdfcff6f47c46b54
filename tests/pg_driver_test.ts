/**
 * The vendored postgres.js (vendor/postgres, see PATCH.md) when a connection dies at a bad
 * moment, against the real test server: a request gets an error or the right rows, never
 * rows of a dead connection, and the process never sees an unhandled rejection (Deno ends
 * on one: a PostgreSQL restart used to take the app down this way).
 */
import assert from "node:assert/strict";
import { connect, isUnavailable } from "../db/client.ts";
import { testServerUrl } from "./helpers/db.ts";

/** Rejections nobody handled while `body` ran (each would end the app's process). */
async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (e: PromiseRejectionEvent) => {
    e.preventDefault();
    seen.push(e.reason);
  };
  globalThis.addEventListener("unhandledrejection", listener);
  try {
    await body();
    // Rejections are reported after the microtask queue drains.
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    globalThis.removeEventListener("unhandledrejection", listener);
  }
  return seen;
}

/** The ErrorResponse a backend sends when it is terminated (pg_terminate_backend). */
function adminShutdown(): Uint8Array {
  const text = (s: string) => new TextEncoder().encode(s + "\0");
  const fields = [
    ...text("SFATAL"),
    ...text("VFATAL"),
    ...text("C57P01"),
    ...text("Mterminating connection due to administrator command"),
    0,
  ];
  const out = new Uint8Array(5 + fields.length);
  out[0] = 0x45; // 'E'
  new DataView(out.buffer).setInt32(1, 4 + fields.length);
  out.set(fields, 5);
  return out;
}

/**
 * A TCP proxy in front of the test server. On the first connection only, the client's
 * message containing `trigger` is not passed on: the client gets 57P01 and the connection
 * closes, as when the backend is terminated at that moment. Later connections pass through.
 */
function startProxy(serverUrl: string, trigger: string) {
  const target = new URL(serverUrl);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  let accepted = 0;
  const pump = async (
    from: Deno.Conn,
    to: Deno.Conn,
    inspect: ((chunk: Uint8Array) => boolean) | undefined,
  ) => {
    try {
      for await (const chunk of from.readable) {
        if (inspect?.(chunk)) {
          await from.write(adminShutdown());
          from.close();
          to.close();
          return;
        }
        await to.write(chunk);
      }
    } catch { /* the other side closed */ }
    try {
      to.close();
    } catch { /* already closed */ }
  };
  const serving = (async () => {
    for await (const client of listener) {
      const first = accepted++ === 0;
      const server = await Deno.connect({
        hostname: target.hostname,
        port: Number(target.port),
      });
      open.add(client).add(server);
      const decoder = new TextDecoder();
      pump(
        client,
        server,
        first ? (chunk) => decoder.decode(chunk).includes(trigger) : undefined,
      );
      pump(server, client, undefined);
    }
  })().catch(() => {});
  const url = new URL(serverUrl);
  url.hostname = "127.0.0.1";
  url.port = String((listener.addr as Deno.NetAddr).port);
  return {
    url: url.toString(),
    get accepted() {
      return accepted;
    },
    async close() {
      listener.close();
      for (const c of open) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
      await serving;
    },
  };
}

Deno.test("a connection terminated while it fetches array types reconnects, and its first query is not failed with the dead connection's error", async () => {
  const proxy = startProxy(await testServerUrl(), "typarray");
  const sql = connect(proxy.url, { max: 1 });
  try {
    const unhandled = await unhandledDuring(async () => {
      const rows = await sql<{ one: number }[]>`SELECT 1 AS one`;
      assert.deepEqual([...rows], [{ one: 1 }]);
      const again = await sql<{ two: number }[]>`SELECT 2 AS two`;
      assert.deepEqual([...again], [{ two: 2 }]);
    });
    assert.deepEqual(unhandled, []);
    assert.equal(proxy.accepted, 2, "one reconnect");
  } finally {
    await sql.end({ timeout: 1 });
    await proxy.close();
  }
});

Deno.test("a backend terminated while its rows stream in: that query fails as unavailable, and the next one, on a new connection, is not failed with the dead one's error", async () => {
  const url = await testServerUrl();
  const admin = connect(url, { max: 1 });
  const sql = connect(url, { max: 1 });
  try {
    const [{ pid }] = await sql<
      { pid: number }[]
    >`SELECT pg_backend_pid() AS pid`;
    // About 20 KB of rows go out (more than the server's 8 KB send buffer) before the
    // backend sleeps at row 1000; it is terminated there, mid-stream.
    const streaming = sql`
      SELECT i, pg_sleep(CASE WHEN i = 1000 THEN 30 ELSE 0 END)::text AS pause
      FROM generate_series(1, 2000) i`.then(
      () => undefined,
      (error) => error,
    );
    for (let tries = 0;; tries++) {
      const [row] = await admin<{ waiting: boolean }[]>`
        SELECT wait_event = 'PgSleep' AS waiting FROM pg_stat_activity WHERE pid = ${pid}`;
      if (row?.waiting) break;
      assert.ok(tries < 500, "the backend never reached its pause");
      await new Promise((r) => setTimeout(r, 10));
    }
    await admin`SELECT pg_terminate_backend(${pid})`;
    const error = await streaming;
    assert.ok(error instanceof Error, "the streaming query failed");
    assert.ok(isUnavailable(error), String(error));

    const rows = await sql<{ one: number }[]>`SELECT 1 AS one`;
    assert.deepEqual([...rows], [{ one: 1 }]);
    assert.equal(rows.length, 1);
  } finally {
    await sql.end({ timeout: 1 });
    await admin.end();
  }
});

Deno.test("a query failing after some of its rows: the next query on the connection gets its own rows only", async () => {
  const sql = connect(await testServerUrl(), { max: 1 });
  try {
    // Rows 1–3 are sent before row 4 divides by zero.
    const failing = sql`
      SELECT i, 1 / (4 - i) AS boom FROM generate_series(1, 10) i`.then(
      () => undefined,
      (error) => error,
    );
    const next = sql<{ x: number }[]>`SELECT x FROM generate_series(1, 2) x`;
    assert.match(String(await failing), /division by zero/);
    assert.deepEqual([...await next], [{ x: 1 }, { x: 2 }]);
    const after = await sql<{ one: number }[]>`SELECT 1 AS one`;
    assert.deepEqual([...after], [{ one: 1 }]);
  } finally {
    await sql.end({ timeout: 1 });
  }
});
