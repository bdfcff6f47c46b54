import { createApp } from "../../app.tsx";
import { loadConfig } from "../../config.ts";
import type { Sql } from "../../db/client.ts";
import type { AppDeps } from "../../routes/context.ts";
import { assertLedgersBalance, freshDatabase } from "./db.ts";

/** A clock tests can set and advance. */
export class TestClock {
  constructor(public current: Temporal.Instant) {}
  now = () => this.current;
  set(iso: string) {
    this.current = Temporal.Instant.from(iso);
  }
  advance(duration: Temporal.DurationLike) {
    this.current = this.current.add(duration);
  }
}

export type TestContext = {
  app: ReturnType<typeof createApp>;
  sql: Sql;
  clock: TestClock;
  deps: AppDeps;
};

/** An app on its own fresh database with a controllable clock and cheap password hashing. */
export async function testApp(
  options: {
    now?: string;
    env?: Record<string, string>;
    deps?: Partial<AppDeps>;
  } = {},
): Promise<TestContext> {
  const sql = await freshDatabase();
  const clock = new TestClock(
    Temporal.Instant.from(options.now ?? "2026-12-01T08:00:00Z"),
  );
  const deps: AppDeps = {
    sql,
    config: loadConfig({
      APP_URL: "http://spotter.test",
      TRUST_PROXY: "1",
      ...options.env,
    }),
    now: clock.now,
    passwordCost: 10,
    // In-process requests all come from one unknown address: test files sign up far more
    // accounts than a network may; the sign-up budget is tested with its real size.
    throttles: { signUpPerAddress: { limit: 100_000, minutes: 15 } },
    ...options.deps,
  };
  return { app: createApp(deps), sql, clock, deps };
}

/**
 * A test on the database. Sanitizers off: the shared cluster and pooled connections
 * outlive single tests. After it passes, the credit ledger of every database its file
 * was handed must add up (`assertLedgersBalance`).
 */
export const dbTest = (
  name: string,
  fn: (t: Deno.TestContext) => Promise<void>,
) =>
  Deno.test({
    name,
    fn: async (t) => {
      await fn(t);
      await assertLedgersBalance(t.origin);
    },
    sanitizeOps: false,
    sanitizeResources: false,
  });
