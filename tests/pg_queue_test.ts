import assert from "node:assert/strict";
import fc from "fast-check";
import Queue from "../vendor/postgres/src/queue.js";

// The pool's queue (vendor/postgres/src/queue.js, patched): the same answers as a plain
// array for any run of pushes, shifts and removals, including long runs that never empty.
Deno.test("the connection pool's queue behaves as a first-in, first-out list with removal", () => {
  type Op = { op: "push" } | { op: "shift" } | { op: "remove"; pick: number };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.constant({ op: "push" as const }), weight: 5 },
    { arbitrary: fc.constant({ op: "shift" as const }), weight: 4 },
    {
      arbitrary: fc.nat().map((pick) => ({ op: "remove" as const, pick })),
      weight: 2,
    },
  );
  fc.assert(
    fc.property(
      fc.array(opArb, { minLength: 2000, maxLength: 4000 }),
      (ops) => {
        const q = Queue();
        const model: object[] = [];
        const seen: object[] = [];
        for (const step of ops) {
          if (step.op === "push") {
            const x = { n: seen.length };
            seen.push(x);
            q.push(x);
            model.push(x);
          } else if (step.op === "shift") {
            if (model.length === 0) continue;
            assert.equal(q.shift(), model.shift());
          } else if (seen.length) {
            const x = seen[step.pick % seen.length];
            const at = model.indexOf(x);
            assert.equal(q.remove(x), at === -1 ? null : x);
            if (at !== -1) model.splice(at, 1);
          }
          assert.equal(q.length, model.length);
        }
      },
    ),
    { numRuns: 40, endOnFailure: true },
  );
});
