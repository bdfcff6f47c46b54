/**
 * Helpers for talking to real app processes (AppProcess) over HTTP, and for
 * preparing their data cheaply through an in-process app on the same database.
 */
import { createApp } from "../../app.tsx";
import { loadConfig } from "../../config.ts";
import { connect, type Sql } from "../../db/client.ts";
import type { JsonResponse } from "./http.ts";

/** Calls the JSON API of a running server (`base` is e.g. `proc.url`). */
export async function remote(
  base: string,
  method: string,
  path: string,
  options: {
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch { /* not JSON: keep the text */ }
  return { status: res.status, body: parsed, headers: res.headers };
}

/**
 * An in-process app on `databaseUrl` with cheap password hashing (scrypt cost 10)
 * and the real clock: sign-ups through it cost milliseconds instead of the
 * ~150 ms a real process spends per hash, and the sessions it creates are rows
 * in the shared database, so their tokens work against every real process.
 * Use it with `signUpTrainer` / `signUpClient` / `api` from http.ts; `end()` closes its pool.
 */
export function seeder(databaseUrl: string): {
  app: ReturnType<typeof createApp>;
  sql: Sql;
  end: () => Promise<void>;
} {
  const sql = connect(databaseUrl, { max: 4 });
  const app = createApp({
    sql,
    config: loadConfig({ APP_URL: "http://spotter.test" }),
    now: () => Temporal.Now.instant(),
    passwordCost: 10,
    // It signs up whole worlds from one in-process address.
    throttles: { signUpPerAddress: { limit: 100_000, minutes: 15 } },
  });
  return { app, sql, end: () => sql.end({ timeout: 5 }) };
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}
