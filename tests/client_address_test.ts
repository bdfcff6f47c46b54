/**
 * TRUST_PROXY: the client address is the entry the trusted proxy added to
 * X-Forwarded-For (the rightmost, or N hops from the right), never one the client wrote.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { forwardedAddress } from "../routes/middleware.ts";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, uniqueEmail } from "./helpers/http.ts";

Deno.test("the address is the entry TRUST_PROXY hops from the right of X-Forwarded-For", () => {
  const cases: [string | undefined, number, string | undefined][] = [
    ["203.0.113.5", 1, "203.0.113.5"],
    ["6.6.6.6, 203.0.113.5", 1, "203.0.113.5"],
    ["6.6.6.6,203.0.113.5", 1, "203.0.113.5"],
    ["6.6.6.6, 203.0.113.5, 10.0.0.2", 2, "203.0.113.5"],
    ["6.6.6.6, 7.7.7.7, 203.0.113.5, 10.0.0.2, 10.0.0.3", 3, "203.0.113.5"],
    // Fewer entries than proxies: the leftmost there is.
    ["203.0.113.5", 2, "203.0.113.5"],
    ["", 1, undefined],
    [" , ", 1, undefined],
    [undefined, 1, undefined],
    ["6.6.6.6, 203.0.113.5", 0, undefined],
  ];
  for (const [header, hops, expected] of cases) {
    assert.equal(
      forwardedAddress(header, hops),
      expected,
      `${header} with ${hops}`,
    );
  }
});

Deno.test("TRUST_PROXY is off, true/1 or a number of proxies", () => {
  assert.equal(loadConfig({}).trustProxy, 0);
  assert.equal(loadConfig({ TRUST_PROXY: "false" }).trustProxy, 0);
  assert.equal(loadConfig({ TRUST_PROXY: "true" }).trustProxy, 1);
  assert.equal(loadConfig({ TRUST_PROXY: "1" }).trustProxy, 1);
  assert.equal(loadConfig({ TRUST_PROXY: "2" }).trustProxy, 2);
  assert.throws(() => loadConfig({ TRUST_PROXY: "yes" }), /TRUST_PROXY/);
  assert.throws(() => loadConfig({ TRUST_PROXY: "-1" }), /TRUST_PROXY/);
});

const BUDGET = { limit: 3, minutes: 15 };

/** Wrong passwords for made-up accounts, each from `header`, until one answers 429. */
async function failuresUntilRefused(
  t: Awaited<ReturnType<typeof testApp>>,
  header: (i: number) => string,
) {
  for (let i = 0; i < 10; i++) {
    const res = await api(t, "POST", "/api/sessions", {
      body: { email: uniqueEmail("guess"), password: "wrong-pass" },
      headers: { "X-Forwarded-For": header(i) },
    });
    if (res.status === 429) return i;
    assert.equal(res.status, 401);
  }
  return undefined;
}

dbTest(
  "behind one proxy, rotating the leftmost X-Forwarded-For entry does not escape the address's budget",
  async () => {
    const t = await testApp({
      env: { TRUST_PROXY: "1" },
      deps: { throttles: { signInPerAddress: BUDGET } },
    });
    assert.equal(
      await failuresUntilRefused(t, (i) => `10.9.9.${i}, 203.0.113.5`),
      BUDGET.limit,
    );
    // Another address behind the same proxy still has its budget.
    assert.equal(
      await failuresUntilRefused(t, (i) => `10.9.9.${i}, 203.0.113.6`),
      BUDGET.limit,
    );
    await t.sql.end();
  },
);

dbTest(
  "behind two proxies, the entry the outer proxy added counts, whatever the client wrote before it",
  async () => {
    const t = await testApp({
      env: { TRUST_PROXY: "2" },
      deps: { throttles: { signInPerAddress: BUDGET } },
    });
    assert.equal(
      await failuresUntilRefused(
        t,
        (i) => `10.9.9.${i}, 198.51.100.7, 10.0.0.${i}`,
      ),
      BUDGET.limit,
    );
    assert.equal(
      await failuresUntilRefused(t, (i) => `198.51.100.8, 10.0.0.${i}`),
      BUDGET.limit,
    );
    await t.sql.end();
  },
);
