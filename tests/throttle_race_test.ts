/**
 * Throttles across real processes: two `deno run main.ts` servers on one database, bursts
 * of concurrent sign-ins and sign-ups spread over both. Each attempt is counted before its
 * password is hashed, under a lock both processes share, so no burst outruns a budget.
 */
import assert from "node:assert/strict";
import { dbTest } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { signUpTrainer, uniqueEmail } from "./helpers/http.ts";
import { AppProcess } from "./helpers/process.ts";
import { remote, seeder } from "./helpers/remote.ts";

const url = await freshDatabaseUrl();
const seed = seeder(url);
const servers = [
  new AppProcess({ DATABASE_URL: url, TRUST_PROXY: "1" }),
  new AppProcess({ DATABASE_URL: url, TRUST_PROXY: "1" }),
];
globalThis.addEventListener("unload", () => {
  for (const s of servers) s.kill();
});
const ready = Promise.all(servers.map((s) => s.ready()));
ready.catch(() => {}); // reported by every test that awaits it

let pending = 0;
const raceTest = (name: string, fn: () => Promise<void>) => {
  pending++;
  dbTest(name, async () => {
    try {
      await ready;
      await fn();
    } finally {
      if (--pending === 0) {
        await Promise.all(servers.map((s) => s.kill()));
        await seed.end();
      }
    }
  });
};

let addresses = 0;
/** A documentation-range address no other test in this file uses. */
const freshAddress = () =>
  `198.51.${100 + (++addresses >> 8)}.${addresses % 256}`;

const signIn = (i: number, email: string, password: string, from: string) =>
  remote(servers[i % 2].url, "POST", "/api/sessions", {
    body: { email, password },
    headers: { "X-Forwarded-For": from },
  });

function tally(results: { status: number }[]) {
  const byStatus: Record<number, number> = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return byStatus;
}

raceTest(
  "sixty concurrent wrong passwords for one account, from sixty addresses through two processes, get exactly ten checked",
  async () => {
    const trainer = await signUpTrainer(seed);
    const results = await Promise.all(
      Array.from(
        { length: 60 },
        (_, i) => signIn(i, trainer.email, `wrong-${i}`, freshAddress()),
      ),
    );
    assert.deepEqual(tally(results), { 401: 10, 429: 50 });
    for (const r of results.filter((r) => r.status === 429)) {
      assert.equal(r.body.error.code, "too_many_attempts");
      assert.ok(Number(r.headers.get("Retry-After")) > 0);
    }
    // The right password now waits too: no guess got through.
    const right = await signIn(0, trainer.email, "password-1", freshAddress());
    assert.equal(right.status, 429);
  },
);

raceTest(
  "sixty concurrent failures from one address through two processes get exactly its 25 checked, while other accounts there keep signing in before that",
  async () => {
    const gym = freshAddress();
    const regular = await signUpTrainer(seed);
    const typos = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) => signIn(i, uniqueEmail("typo"), "wrong-pass", gym),
      ),
    );
    assert.deepEqual(tally(typos), { 401: 10 });
    const still = await signIn(1, regular.email, "password-1", gym);
    assert.equal(still.status, 200, JSON.stringify(still.body));

    const spray = await Promise.all(
      Array.from(
        { length: 60 },
        (_, i) => signIn(i, uniqueEmail("spray"), "wrong-pass", gym),
      ),
    );
    // 10 typos + 15 of the spray spend the address's 25.
    assert.deepEqual(tally(spray), { 401: 15, 429: 45 });
    const blocked = await signIn(0, regular.email, "password-1", gym);
    assert.equal(blocked.status, 429);
    const elsewhere = await signIn(
      1,
      regular.email,
      "password-1",
      freshAddress(),
    );
    assert.equal(elsewhere.status, 200);
  },
);

raceTest(
  "forty concurrent sign-ups from one address through two processes create exactly twenty accounts",
  async () => {
    const from = freshAddress();
    const emails = Array.from({ length: 40 }, () => uniqueEmail("burst"));
    const results = await Promise.all(
      emails.map((email, i) =>
        remote(servers[i % 2].url, "POST", "/api/trainers", {
          body: {
            name: "Burst",
            email,
            password: "password-1",
            timezone: "UTC",
          },
          headers: { "X-Forwarded-For": from },
        })
      ),
    );
    assert.deepEqual(tally(results), { 201: 20, 429: 20 });
    const [row] = await seed.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM users WHERE email = ANY(${emails})`;
    assert.equal(row.n, 20);
  },
);
