import assert from "node:assert/strict";

/**
 * The stylesheet's blocks, read the way a browser does: a rule left open would take every
 * rule after it in as nested ones (CSS nesting), and those would silently stop applying.
 */
Deno.test("app.css closes every rule, and nests rules only inside @media and @supports", async () => {
  const css = (await Deno.readTextFile(
    new URL("../static/app.css", import.meta.url),
  )).replace(/\/\*[\s\S]*?\*\//g, "");
  const open: { prelude: string; line: number }[] = [];
  let prelude = "";
  let line = 1;
  for (const ch of css) {
    if (ch === "\n") line++;
    if (ch === "{") {
      const text = prelude.trim();
      const parent = open.at(-1);
      assert.ok(
        !parent || /^@(media|supports|layer|container)\b/.test(parent.prelude),
        `"${text}" (line ${line}) sits inside "${parent?.prelude}" (line ${parent?.line}), left open`,
      );
      open.push({ prelude: text, line });
      prelude = "";
    } else if (ch === "}") {
      assert.ok(open.pop(), `a stray "}" at line ${line}`);
      prelude = "";
    } else if (ch === ";") prelude = "";
    else prelude += ch;
  }
  assert.deepEqual(open, [], "every block closes");
});
