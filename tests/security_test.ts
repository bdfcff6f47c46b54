import assert from "node:assert/strict";
import { Semaphore } from "../lib/semaphore.ts";
import {
  isCommonPassword,
  passwordEmailProblem,
  passwordProblem,
} from "../lib/passwords.ts";
import {
  hashPassword,
  passwordHashing,
  verifyPassword,
} from "../lib/security.ts";

Deno.test("a semaphore runs at most its size at once and the rest in arrival order", async () => {
  const gate = new Semaphore(2);
  const started: number[] = [];
  const release = new Map<number, () => void>();
  const tasks = [0, 1, 2, 3, 4].map((i) =>
    gate.run(() => {
      started.push(i);
      return new Promise<number>((resolve) => release.set(i, () => resolve(i)));
    })
  );
  const settle = () => new Promise((r) => setTimeout(r, 0));
  await settle();
  assert.deepEqual(started, [0, 1]);
  assert.deepEqual([gate.active, gate.waiting], [2, 3]);
  // Each finished task lets exactly one waiting task start, the oldest first.
  release.get(1)!();
  await settle();
  assert.deepEqual(started, [0, 1, 2]);
  assert.deepEqual([gate.active, gate.waiting], [2, 2]);
  release.get(0)!();
  await settle();
  assert.deepEqual(started, [0, 1, 2, 3]);
  release.get(3)!();
  await settle();
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.deepEqual([gate.active, gate.waiting], [2, 0]);
  release.get(2)!();
  release.get(4)!();
  assert.deepEqual(await Promise.all(tasks), [0, 1, 2, 3, 4]);
  assert.deepEqual([gate.active, gate.waiting], [0, 0]);
});

Deno.test("a failed task gives its turn to the next one", async () => {
  const gate = new Semaphore(1);
  const failed = gate.run(() => Promise.reject(new Error("boom")));
  const next = gate.run(() => Promise.resolve("next"));
  await assert.rejects(failed, /boom/);
  assert.equal(await next, "next");
  assert.deepEqual([gate.active, gate.waiting], [0, 0]);
});

Deno.test("password hashes and checks run two at a time, the rest queued", async () => {
  const hashes = Array.from(
    { length: 6 },
    (_, i) => hashPassword(`pw-${i}`, 10),
  );
  assert.deepEqual(
    [passwordHashing.active, passwordHashing.waiting],
    [2, 4],
  );
  const stored = await Promise.all(hashes);
  assert.deepEqual([passwordHashing.active, passwordHashing.waiting], [0, 0]);
  const checks = stored.map((h, i) => verifyPassword(`pw-${i}`, h));
  assert.deepEqual(
    [passwordHashing.active, passwordHashing.waiting],
    [2, 4],
  );
  assert.deepEqual(await Promise.all(checks), stored.map(() => true));
});

Deno.test("a new password needs 10 characters, more than one character, and not to be a common one", () => {
  const table: [string, string | undefined][] = [
    ["123456789", "must be at least 10 characters"],
    ["aaaaaaaaaaaa", "must not be one character repeated"],
    ["1234567890", "is one of the most common passwords; pick one that is not"],
    [
      "PASSWORD123",
      "is one of the most common passwords; pick one that is not",
    ],
    ["spotter-demo", undefined],
    ["password-1", undefined],
    ["kettle-7Qb", undefined],
  ];
  for (const [password, problem] of table) {
    assert.equal(passwordProblem(password), problem, password);
  }
  assert.ok(isCommonPassword("iloveyou"));
  assert.ok(!isCommonPassword("correct horse battery staple"));
});

Deno.test("a new password may not be the e-mail or made from it", () => {
  const table: [string, string, boolean][] = [
    ["ana.lopez@x.test", "ana.lopez@x.test", true],
    ["Ana.Lopez@X.test", "ana.lopez@x.test", true],
    ["ana.lopez123", "ana.lopez@x.test", true],
    ["!ana.lopez@x.test!", "ana.lopez@x.test", true],
    ["ana.lopez-kettlebells", "ana.lopez@x.test", false],
    // A short name part may appear inside an unrelated password.
    ["bananabread!", "ana@x.test", false],
    ["spotter-demo", "trainer@demo.spotter.test", false],
  ];
  for (const [password, email, refused] of table) {
    assert.equal(
      passwordEmailProblem(password, email) !== undefined,
      refused,
      `${password} for ${email}`,
    );
  }
});
