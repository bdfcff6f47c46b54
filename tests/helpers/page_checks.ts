import type { Page } from "playwright-core";

const CHECKS = await Deno.readTextFile(
  new URL("./phone_checks.js", import.meta.url),
);
const AXE = await Deno.readTextFile(
  new URL("../../node_modules/axe-core/axe.min.js", import.meta.url),
);
const AXE_RUN = `axe.run(document, { resultTypes: ["violations"] }).then((r) =>
  r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => v.id + ": " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")))`;

/**
 * Everything wrong with the page as it stands on a phone: sideways scrolling, targets
 * under 44×44 px (`phone_checks.js`), serious or critical axe-core findings and the
 * console errors gathered so far (which it takes). axe-core needs timers, which do not
 * run with JavaScript off: then `axePage` (JavaScript on) is handed the same HTML,
 * scripts removed, at the same address, so it checks what a no-JS visitor gets.
 */
export async function problems(
  page: Page,
  errors: string[],
  axePage?: Page,
): Promise<string[]> {
  const found = await page.evaluate<string[]>(CHECKS);
  let target = page;
  if (axePage) {
    const html = (await page.content()).replaceAll(
      /<script\b[^>]*>[^]*?<\/script>/g,
      "",
    );
    const url = page.url();
    await axePage.route(
      url,
      (route) =>
        route.fulfill({ body: html, contentType: "text/html; charset=utf-8" }),
    );
    await axePage.goto(url);
    await axePage.unroute(url);
    target = axePage;
  }
  await target.evaluate(AXE);
  found.push(...await target.evaluate<string[]>(AXE_RUN));
  found.push(...errors.splice(0).map((e) => `console: ${e}`));
  return found;
}
