/**
 * The app's heap is capped the same way wherever it runs: `deno task start`, the
 * Dockerfile and the app processes tests and benchmarks start (`APP_V8_FLAGS`), so what a
 * benchmark measures is what production runs.
 */
import assert from "node:assert/strict";
import { APP_V8_FLAGS } from "./helpers/process.ts";

const root = new URL("../", import.meta.url);

Deno.test("deno task start, the Dockerfile and the tests' app processes run with the same heap cap", async () => {
  const tasks = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", root)),
  ).tasks as Record<string, string>;
  const dockerfile = await Deno.readTextFile(new URL("Dockerfile", root));
  const cmd = dockerfile.split("\n").find((l) => l.startsWith("CMD"));
  assert.match(APP_V8_FLAGS, /^--v8-flags=--max-old-space-size=\d+$/);
  assert.ok(tasks.start.includes(`${APP_V8_FLAGS} main.ts`), tasks.start);
  assert.ok(cmd?.includes(`${APP_V8_FLAGS} main.ts`), cmd);
});
