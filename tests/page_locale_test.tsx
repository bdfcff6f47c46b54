/**
 * Pages render in the viewer's locale: views read it from `LocaleContext`
 * (views/locale.ts), which `page()`, `htmlIn()` and htmx fragments provide, across
 * `await`s and concurrent renders.
 */
import assert from "node:assert/strict";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import { LocaleContext } from "../views/locale.ts";
import {
  dayRange,
  decimal,
  lengthInWords,
  longDay,
  weekdayName,
} from "../views/format.ts";
import type { Locale } from "../lib/i18n.ts";

const render = async (locale: Locale, node: () => Child) =>
  String(
    await html`${(
      <LocaleContext.Provider value={locale}>{node()}</LocaleContext.Provider>
    )}`,
  );

function Length({ minutes }: { minutes: number }) {
  return <span>{lengthInWords(minutes)}</span>;
}

async function Late({ day }: { day: Temporal.PlainDate }) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return <span>{longDay(day)}</span>;
}

Deno.test("lengths follow the page's locale, with Russian's plural forms", async () => {
  const cases: [number, string][] = [
    [0, "0 минут"],
    [1, "1 минута"],
    [2, "2 минуты"],
    [5, "5 минут"],
    [21, "21 минута"],
  ];
  for (const [minutes, words] of cases) {
    assert.equal(
      await render("ru", () => <Length minutes={minutes} />),
      `<span>${words}</span>`,
    );
  }
  assert.equal(
    await render("de", () => <Length minutes={720} />),
    "<span>12 Stunden</span>",
  );
  assert.equal(
    await render("en", () => <Length minutes={2880} />),
    "<span>2 days</span>",
  );
  // Outside a render it is English.
  assert.equal(lengthInWords(60), "1 hour");
});

Deno.test("dates follow the locale after an await, and concurrent renders never mix", async () => {
  const day = Temporal.PlainDate.from("2026-12-08");
  const [de, ru, en] = await Promise.all([
    render("de", () => <Late day={day} />),
    render("ru", () => <Late day={day} />),
    render("en", () => <Late day={day} />),
  ]);
  assert.equal(de, "<span>Dienstag, 8. Dezember 2026</span>");
  assert.match(ru, /^<span>вторник, 8 декабря 2026/);
  assert.equal(en, "<span>Tuesday, 8 December 2026</span>");
  // Words are made when a component renders, inside the provider: a value computed
  // before (in a route, or as a prop) is English.
  const Holidays = () => (
    <span>{dayRange(day, Temporal.PlainDate.from("2026-12-17"))}</span>
  );
  const range = await render("es", () => <Holidays />);
  assert.match(range, /\(10 días\)/);
});

Deno.test("weekday names come from Intl in the locale, with a heading's capital", () => {
  assert.equal(weekdayName(1, "en"), "Monday");
  assert.equal(weekdayName(7, "de"), "Sonntag");
  assert.equal(weekdayName(1, "es"), "Lunes");
  assert.equal(weekdayName(3, "ru"), "Среда");
});

Deno.test("decimals come from Intl in the locale, without grouping", () => {
  assert.equal(decimal(1.5, 1, 0, "en"), "1.5");
  assert.equal(decimal(1.5, 1, 0, "de"), "1,5");
  assert.equal(decimal(2, 1, 0, "ru"), "2");
  assert.equal(decimal(1234.5, 2, 2, "es"), "1234,50");
  assert.equal(decimal(450, 2, 2, "en"), "450.00");
});
