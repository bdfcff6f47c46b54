/**
 * Every page at 390×844 in real Chromium, with JavaScript on and off, and at 1280×800
 * with JavaScript on (the desktop confirm box among them): no sideways
 * scrolling, every link, button and field at least 44×44 px (or inside a box that is
 * all link, or a link inside a sentence), no serious or critical axe-core finding, no
 * console error on load or after Back, and the HTML as served valid under the W3C Nu
 * checker (vnu) but for Alpine's attributes. Screenshots go to `.screenshots/` for a person.
 */
import assert from "node:assert/strict";
import { dbTest } from "./helpers/app.ts";
import { launchPhones, screenshot, serveApp } from "./helpers/browser.ts";
import { problems } from "./helpers/page_checks.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { rawEnglish, readableText } from "./helpers/pseudo.ts";

const VNU =
  new URL("../node_modules/vnu-jar/build/dist/vnu.jar", import.meta.url)
    .pathname;
/** Alpine's attributes (`x-data`, `@click`, `:class`), which no HTML validator knows. */
const ALPINE_ATTRIBUTE =
  /^Attribute “(x-|@|:)[^”]*” (not allowed|is not serializable)/;

/**
 * Every error the Nu checker finds in the pages, one run over all of them (a JVM
 * start costs about a second): "page: message (line)".
 */
async function validatorErrors(pages: ReadonlyMap<string, string>) {
  const dir = await Deno.makeTempDir({ prefix: "spotter-vnu-" });
  const files = new Map<string, string>();
  for (const [name, html] of pages) {
    const file = `${dir}/${name.replaceAll(/\W+/g, "-")}.html`;
    await Deno.writeTextFile(file, html);
    files.set(file, name);
  }
  const out = await new Deno.Command("java", {
    args: ["-jar", VNU, "--errors-only", "--format", "json", ...files.keys()],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  const report = JSON.parse(new TextDecoder().decode(out.stderr)) as {
    messages: {
      type: string;
      url?: string;
      message: string;
      lastLine?: number;
    }[];
  };
  return report.messages
    .filter((m) => !ALPINE_ATTRIBUTE.test(m.message))
    .map((m) => {
      const file = m.url ? decodeURIComponent(new URL(m.url).pathname) : "";
      return `${files.get(file) ?? file}: ${m.message} (line ${m.lastLine})`;
    });
}

const nextMonday = () => {
  const today = Temporal.Now.plainDateISO("Europe/Berlin");
  return today.add({ days: 8 - today.dayOfWeek });
};

/** What the sweep's data names, the same in every language. */
const NAMES = [
  "Tess Trainer",
  "Casey Client",
  "Dana Longname-Hyphenated",
  "Knee is fine again",
  "Prefers mornings",
  "Travel",
  "Ten pack",
  "Morning mobility",
  "beginner",
  "mornings",
  "knee-rehab",
  "weekends",
  "EUR",
  "Europe/Berlin",
  "Spotter",
  "Telegram",
  "iCalendar",
  // Each language named in itself (the language select), and a device as its browser
  // names itself.
  "English",
  "Deutsch",
  "Español",
  "Chrome",
  "Linux",
];

dbTest("every page on a phone", async (t) => {
  // The pseudo-locale (accented, longer words) is the fourth pass: no English left, and
  // nothing overflows at 390 px when every word is 30 % longer.
  const server = await serveApp({ PSEUDO_LOCALE: "1" });
  const phones = await launchPhones();
  const base = server.url;
  try {
    // A trainer with two clients (one tagged, with notes) and sessions next week.
    const trainer = await signUpTrainer(server);
    const client = await signUpClient(
      server,
      trainer.referralCode,
      "Casey Client",
    );
    await signUpClient(
      server,
      trainer.referralCode,
      "Dana Longname-Hyphenated",
    );
    const monday = nextMonday();
    const at = (days: number, hour: number) =>
      Temporal.PlainDateTime.from(monday.add({ days }).toString())
        .with({ hour }).toZonedDateTime("Europe/Berlin").toInstant().toString();
    const book = async (start: string) => {
      const res = await api(server, "POST", "/api/appointments", {
        token: client.token,
        body: { start, notes: "Knee is fine again" },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    };
    // A package sold with its payment: the sessions below use its credits.
    const pack = await api(server, "POST", "/api/packages", {
      token: trainer.token,
      body: {
        name: "Ten pack",
        sessions: 10,
        validDays: 90,
        priceCents: 45000,
        currency: "EUR",
      },
    });
    const sold = await api(
      server,
      "POST",
      `/api/clients/${client.id}/credits`,
      {
        token: trainer.token,
        body: {
          packageId: pack.body.id,
          paid: { amountCents: 45000, currency: "EUR", method: "card" },
        },
      },
    );
    assert.equal(sold.status, 201, JSON.stringify(sold.body));
    const booked = await book(at(0, 10));
    const cancelled = await book(at(1, 10));
    await api(server, "POST", `/api/appointments/${cancelled}/cancel`, {
      token: client.token,
      body: { reason: "Travel" },
    });
    await server
      .sql`UPDATE trainers SET requires_confirmation = true WHERE user_id = ${trainer.id}`;
    await book(at(2, 11));
    await server
      .sql`UPDATE trainers SET requires_confirmation = false WHERE user_id = ${trainer.id}`;
    await server
      .sql`UPDATE clients SET tags = '{beginner,mornings,knee-rehab,weekends}', notes = 'Prefers mornings'
      WHERE user_id = ${client.id}`;
    const group = await api(server, "POST", "/api/classes", {
      token: trainer.token,
      body: { title: "Morning mobility", start: at(3, 8), capacity: 6 },
    });
    assert.equal(group.status, 201, JSON.stringify(group.body));
    // The client holds a seat (My appointments lists it); a weekly series has its page.
    const seat = await api(
      server,
      "POST",
      `/api/classes/${group.body.id}/seats`,
      {
        token: client.token,
      },
    );
    assert.equal(seat.status, 201, JSON.stringify(seat.body));
    const series = await api(server, "POST", "/api/series", {
      token: trainer.token,
      body: { clientId: client.id, start: at(4, 15), weeks: 3 },
    });
    assert.equal(series.status, 201, JSON.stringify(series.body));
    const week = `week=${monday}&day=${monday}`;
    /** Each page's HTML as served (JavaScript off: no swaps), for the Nu checker. */
    const served = new Map<string, string>();

    for (
      const { javaScript, desktop, pseudo } of [
        { javaScript: true, desktop: false, pseudo: false },
        { javaScript: false, desktop: false, pseudo: false },
        { javaScript: true, desktop: true, pseudo: false },
        { javaScript: true, desktop: false, pseudo: true },
      ]
    ) {
      const mode = pseudo
        ? "in the pseudo-locale"
        : desktop
        ? "on a desktop"
        : javaScript
        ? "with JavaScript"
        : "with JavaScript off";
      const { context, page, errors } = await phones.phone({
        javaScript,
        desktop,
        locale: pseudo ? "en-XA" : undefined,
      });
      const axe = javaScript
        ? undefined
        : await phones.phone({ javaScript: true });
      const check = async (name: string, path?: string) => {
        await t.step(`${name}, ${mode}`, async () => {
          const response = path && await page.goto(`${base}${path}`);
          if (response && !javaScript) served.set(name, await response.text());
          await page.waitForLoadState("load");
          await screenshot(
            page,
            `${
              pseudo
                ? "pseudo"
                : desktop
                ? "desktop"
                : javaScript
                ? "js"
                : "nojs"
            }-${name.replaceAll(/\W+/g, "-")}`,
          );
          assert.deepEqual(await problems(page, errors, axe?.page), []);
          if (pseudo) {
            assert.deepEqual(
              rawEnglish(readableText(await page.content()), [
                ...NAMES,
                trainer.referralCode,
              ]),
              [],
              "English left in the pseudo-locale",
            );
          }
        });
      };
      /** Signs in and waits for the role's home: Today for a trainer, the calendar for a client. */
      const signIn = async (email: string, home: string) => {
        await page.goto(`${base}/signin`);
        await page.fill("#f-email", email);
        await page.fill("#f-password", "password-1");
        await page.click("main button[type=submit]");
        await page.waitForURL(`${base}${home}`);
      };
      try {
        await check("sign-in", "/signin");
        await check("join", `/join/${trainer.referralCode}`);
        await check("trainer sign-up", "/signup");

        await signIn(client.email, "/calendar");
        await check("client calendar", `/calendar?${week}`);
        const free = page.locator(".day.selected .slot-available > a").first();
        if (javaScript) {
          await free.click();
          await page.waitForSelector(".slot-confirm");
          await check("confirm step");
        } else {
          await check("confirm step", (await free.getAttribute("href"))!);
        }
        await check("confirmation", `/appointments/${booked}?booked=1`);
        await check("my appointments", "/appointments");
        assert.equal(
          await page.locator("main", { hasText: "Morning mobility" }).count(),
          1,
          "My appointments lists the class seat",
        );
        await check("my past appointments", "/appointments?tab=history");
        await check("client notifications", "/notifications");
        await check("client profile", "/profile");
        await check("move mode", `/calendar?move=${booked}&${week}`);

        await page.click(`form[action="/signout"] button`);
        await page.waitForURL(`${base}/signin`);
        await signIn(trainer.email, "/today");
        await check("today", "/today");
        await check("trainer calendar", `/calendar?${week}`);
        await check("schedule day", `/schedule?date=${monday}&view=day`);
        await check("schedule week", `/schedule?date=${monday}&view=week`);
        await check("settings", "/settings");
        await check("clients", "/clients");
        await check("client detail", `/clients/${client.id}`);
        await check("packages", "/packages");
        await check("cancel with refund", `/schedule/${booked}/cancel`);
        await check("statistics", "/stats");
        await check("trainer notifications", "/notifications");
        await check("history", "/history");
        await check("classes", "/classes");
        await check("class detail", `/classes/${group.body.id}`);
        await check("class edit", `/classes/${group.body.id}/edit`);
        await check("series page", `/series/${series.body.series.id}`);
        await check(
          "series cancel step",
          `/series/${series.body.series.id}/cancel?from=${
            monday.add({ days: 11 })
          }`,
        );
        await check("trainer profile", "/profile");

        await t.step(`Back from page to page, ${mode}`, async () => {
          const visited = ["/settings", "/clients", "/schedule"];
          for (const path of visited) {
            await page.click(`nav a[href="${path}"]`);
            await page.waitForURL(`${base}${path}`);
          }
          for (const path of ["/clients", "/settings", "/profile"]) {
            // With JavaScript, htmx answers Back by loading the page afresh.
            await Promise.all([
              javaScript ? page.waitForEvent("load") : undefined,
              page.goBack(),
            ]);
            assert.equal(page.url(), `${base}${path}`);
            assert.deepEqual(
              await problems(page, errors, axe?.page),
              [],
              page.url(),
            );
          }
        });
      } finally {
        await context.close();
        await axe?.context.close();
      }
    }
    await t.step("the pages validate under the W3C Nu checker", async () => {
      assert.ok(served.size > 20, `${served.size} pages`);
      assert.deepEqual(await validatorErrors(served), []);
    });
  } finally {
    await phones.close();
    await server.close();
  }
});
