/**
 * Layers point down: routes → views → domain, routes → db → domain, jobs → db → domain,
 * lib/ below all of them. Read from the import lines of every module, so an arrow that
 * runs back up (a view taking a type from routes/, say) fails here, not in review.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

/** The app's folders each layer may not import from. */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  domain: ["lib", "db", "views", "routes", "jobs"],
  lib: ["db", "views", "routes", "jobs"],
  db: ["views", "routes", "jobs"],
  views: ["db", "routes", "jobs"],
  jobs: ["views", "routes"],
};

/** Outside packages the pure core may not reach for. */
const IMPURE = /^(hono|postgres|grammy|nodemailer|node:|npm:|jsr:)/;

async function* modules(folder: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(new URL(folder, ROOT))) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory) yield* modules(path);
    else if (/\.tsx?$/.test(entry.name)) yield path;
  }
}

/** Every specifier a module imports or re-exports (multi-line imports included). */
const specifiers = (source: string) =>
  [...source.matchAll(
    /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/g,
  )]
    .map((m) => m[1]);

Deno.test("every module imports only from the layers below it", async () => {
  const wrong: string[] = [];
  for (const [layer, forbidden] of Object.entries(FORBIDDEN)) {
    for await (const path of modules(layer)) {
      const source = await Deno.readTextFile(new URL(path, ROOT));
      for (const spec of specifiers(source)) {
        const target = new URL(spec, new URL(path, ROOT)).href.slice(
          ROOT.href.length,
        );
        const folder = spec.startsWith(".") ? target.split("/")[0] : undefined;
        if (folder && forbidden.includes(folder)) {
          wrong.push(`${path} → ${spec}`);
        }
        if (layer === "domain" && !spec.startsWith(".") && IMPURE.test(spec)) {
          wrong.push(`${path} → ${spec} (domain/ is pure)`);
        }
      }
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("the import reader sees single-line, multi-line and re-exported imports", () => {
  assert.deepEqual(
    specifiers(
      `import type { A } from "../routes/a.ts";\nimport {\n  b,\n  c,\n} from "./b.ts";\nexport type { D } from "../db/d.ts";\nconst x = "from \\"nowhere\\"";`,
    ),
    ["../routes/a.ts", "./b.ts", "../db/d.ts"],
  );
});
