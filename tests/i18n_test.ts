/**
 * The catalogues stay whole: every key in every language, every English placeholder in
 * each translation, every message parses, plurals follow each language's own rules, and
 * dates and times come out as each locale writes them, in the zone asked for.
 */
import assert from "node:assert/strict";
import { reasonIn } from "../lib/cancel_reasons.ts";
import { rawEnglish } from "./helpers/pseudo.ts";
import {
  type MessageFormatElement,
  parse,
  TYPE,
} from "@formatjs/icu-messageformat-parser";
import {
  CATALOGUES,
  formatDay,
  formatNumber,
  formatTime,
  languageOf,
  LANGUAGES,
  pseudo,
  t,
} from "../lib/i18n.ts";
import { OUTCOMES } from "../routes/outcomes.ts";
import { ACCOUNT_REFUSALS } from "../routes/account_refusals.ts";
import { renderMessage } from "../lib/messages.ts";
import { accountMessageText } from "../lib/account_messages.ts";
import {
  bookedText,
  buttonWords,
  chatWords,
  commandsIn,
  helpText,
  remindersText,
  slotsText,
  todayText,
} from "../lib/chat.ts";
import type { NotificationKind } from "../domain/notifications.ts";
import type { AccountMessageKind } from "../db/account_messages.ts";

/** The names of a message's arguments, nested ones (inside plural and select) too. */
function placeholders(elements: MessageFormatElement[]): Set<string> {
  const names = new Set<string>();
  const walk = (list: MessageFormatElement[]) => {
    for (const e of list) {
      if (e.type === TYPE.literal || e.type === TYPE.pound) continue;
      if ("value" in e && typeof e.value === "string") names.add(e.value);
      if (e.type === TYPE.plural || e.type === TYPE.select) {
        for (const option of Object.values(e.options)) walk(option.value);
      }
      if (e.type === TYPE.tag) walk(e.children);
    }
  };
  walk(elements);
  return names;
}

const en = CATALOGUES.en;

Deno.test("every key of the English catalogue is in every catalogue, and no other", () => {
  for (const language of LANGUAGES) {
    const keys = Object.keys(CATALOGUES[language]);
    assert.deepEqual(
      Object.keys(en).filter((k) => !keys.includes(k)),
      [],
      `${language} lacks keys`,
    );
    assert.deepEqual(
      keys.filter((k) => !(k in en)),
      [],
      `${language} has keys English does not`,
    );
  }
});

Deno.test("every message parses and keeps every placeholder of the English one", () => {
  const wrong: string[] = [];
  for (const [key, source] of Object.entries(en)) {
    const wanted = placeholders(parse(source));
    for (const language of LANGUAGES) {
      let found: Set<string>;
      try {
        found = placeholders(parse(CATALOGUES[language][key]));
      } catch (error) {
        wrong.push(`${language} ${key}: ${(error as Error).message}`);
        continue;
      }
      for (const name of wanted) {
        if (!found.has(name)) wrong.push(`${language} ${key}: lacks {${name}}`);
      }
      for (const name of found) {
        if (!wanted.has(name)) wrong.push(`${language} ${key}: adds {${name}}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("the placeholder reader sees nested arguments and ignores #", () => {
  assert.deepEqual(
    [...placeholders(parse("{a} {n, plural, one {# {b}} other {{c}}}"))],
    ["a", "n", "b", "c"],
  );
});

Deno.test("Russian says 0, 1, 2, 5 and 21 sessions with its own four forms", () => {
  const left = (balance: number) => t("ru", "notice.credits_left", { balance });
  assert.equal(left(0), "у вас не осталось занятий");
  assert.equal(left(1), "у вас осталось 1 занятие");
  assert.equal(left(2), "у вас осталось 2 занятия");
  assert.equal(left(5), "у вас осталось 5 занятий");
  assert.equal(left(21), "у вас осталось 21 занятие");
  assert.equal(left(1.5), "у вас осталось 1,5 занятия");
  // Without an exact =0 case, 0 takes Russian's "many" form.
  const more = (count: number) => t("ru", "chat.my.more", { count, link: "x" });
  assert.equal(more(0), "Это ваши ближайшие 0 занятий. Все: x");
  assert.equal(more(22), "Это ваши ближайшие 22 занятия. Все: x");
});

Deno.test("English and German plurals have one and other", () => {
  assert.equal(
    t("en", "notice.credits_low.subject", { balance: 1 }),
    "1 session left in your package",
  );
  assert.equal(
    t("en", "notice.credits_low.subject", { balance: 0 }),
    "No sessions left in your package",
  );
  assert.equal(
    t("de", "notice.credits_left", { balance: 2 }),
    "Sie haben noch 2 Einheiten",
  );
});

Deno.test("days, times and numbers are each locale's own, in the zone asked for", () => {
  // 23:30 UTC on 7 December is already Tuesday 8 December in Berlin.
  const at = Temporal.Instant.from("2026-12-07T23:30:00Z").toZonedDateTimeISO(
    "Europe/Berlin",
  );
  assert.equal(formatDay("en", at), "Tue 8 Dec 2026");
  assert.equal(formatDay("de", at), "Di., 8. Dez. 2026");
  assert.equal(formatDay("de", at, false), "Di., 8. Dez.");
  assert.equal(formatDay("es", at), "mar, 8 dic 2026");
  assert.equal(formatDay("ru", at), "вт, 8 дек. 2026 г.");
  assert.equal(formatTime("de", at), "00:30");
  assert.equal(formatTime("en", at), "00:30");
  assert.equal(
    formatDay("de", Temporal.PlainDate.from("2026-03-29"), false),
    "So., 29. März",
  );
  assert.equal(formatNumber("de", 1234.5), "1.234,5");
  assert.equal(formatNumber("ru", 1234.5), "1\u00a0234,5");
});

Deno.test("a browser's or a stored tag picks the language, English otherwise", () => {
  assert.equal(languageOf("de-AT"), "de");
  assert.equal(languageOf("RU"), "ru");
  assert.equal(languageOf("es_MX"), "es");
  assert.equal(languageOf("fr"), "en");
  assert.equal(languageOf(undefined), "en");
});

Deno.test("the pseudo-locale accents English, keeps placeholders and is about 30 % longer", () => {
  const text = t("en-XA", "notice.booked.client", {
    other: "Ann",
    when: "W",
  });
  assert.match(text, /^\[.*\]$/);
  assert.ok(text.includes("Ann") && text.includes("W"));
  assert.ok(!/booked|session/.test(text), text);
  const english = t("en", "notice.booked.client", { other: "Ann", when: "W" });
  const ratio = text.length / english.length;
  assert.ok(ratio >= 1.25 && ratio <= 1.5, `${ratio}`);
  assert.equal(pseudo("abc"), "àƀç~");
  assert.match(
    t("en-XA", "notice.credits_low.subject", { balance: 2 }),
    /^\[2 \S+/,
  );
});

Deno.test("the catalogue's English refusals are the outcome table's words", () => {
  for (const [reason, entry] of Object.entries(OUTCOMES)) {
    assert.equal(en[`refusal.${reason}`], entry.message, reason);
    if (entry.trainerMessage) {
      assert.equal(
        en[`refusal.${reason}.trainer`],
        entry.trainerMessage,
        reason,
      );
    }
    if (entry.field) {
      assert.equal(en[`refusal.${reason}.field`], entry.field.text, reason);
    }
  }
  for (const [reason, entry] of Object.entries(ACCOUNT_REFUSALS)) {
    assert.equal(en[`refusal.${reason}`], entry.message, reason);
  }
  const reasons: string[] = [
    ...Object.keys(OUTCOMES),
    ...Object.keys(ACCOUNT_REFUSALS),
  ];
  const keys = Object.keys(en).filter((k) => k.startsWith("refusal."));
  assert.deepEqual(
    keys.filter((k) => !reasons.includes(k.split(".")[1])),
    [],
  );
});

Deno.test("in the pseudo-locale no notice, account message or chat text leaves an English word", () => {
  const allowed = ["Ann Lee", "Bo Kim", "Yoga", "Europe/Berlin", "Spotter"];
  const payload = {
    trainerName: "Ann Lee",
    clientName: "Bo Kim",
    startsAt: "2026-12-08T17:00:00Z",
    endsAt: "2026-12-08T18:00:00Z",
    previousStartsAt: "2026-12-07T17:00:00Z",
    timezone: "Europe/Berlin",
    version: 2,
    reason: "",
    balance: 1,
  };
  const found: string[] = [];
  const check = (what: string, text: string) => {
    const left = rawEnglish(text, allowed);
    if (left.length) found.push(`${what}: ${left.join(" ")} in ${text}`);
  };
  const kinds: NotificationKind[] = [
    "reminder",
    "booked",
    "cancelled",
    "moved",
    "confirmed",
    "declined",
    "credits_low",
    "promoted",
    "passed_over",
  ];
  for (const kind of kinds) {
    for (const recipient of ["client", "trainer"] as const) {
      for (
        const extra of [{ status: "scheduled" }, { status: "pending" }, {
          status: "cancelled",
          classTitle: "Yoga",
        }]
      ) {
        const m = renderMessage({
          kind,
          recipient,
          language: "en-XA",
          payload: { ...payload, ...extra },
        }, "http://spotter.test");
        check(`${kind} ${recipient}`, `${m.subject}\n${m.text}\n${m.summary}`);
      }
    }
  }
  const kindsOfAccount: AccountMessageKind[] = [
    "password_reset",
    "verify_email",
    "email_changed",
    "client_left",
    "client_removed",
    "trainer_left",
  ];
  for (const kind of kindsOfAccount) {
    const m = accountMessageText(kind, {
      link: "http://spotter.test/x",
      newEmail: "new@example.test",
      clientName: "Bo Kim",
      trainerName: "Ann Lee",
      cancelled: "2",
    }, "en-XA");
    check(kind, `${m.subject}\n${m.text}`.replaceAll("new@example.test", ""));
  }
  const session = {
    start: Temporal.Instant.from(payload.startsAt),
    end: Temporal.Instant.from(payload.endsAt),
    timezone: payload.timezone,
    status: "scheduled" as const,
    cancelledBy: null,
    declined: false,
    clientName: "Bo Kim",
    trainerName: "Ann Lee",
  };
  const now = Temporal.Instant.from("2026-12-08T08:00:00Z");
  for (const role of ["client", "trainer", undefined] as const) {
    check(`help ${role}`, helpText(role, "http://spotter.test", "en-XA"));
  }
  check(
    "today",
    todayText({
      viewer: "client",
      date: "2026-12-08",
      timezone: payload.timezone,
      now,
      sessions: [session],
      classes: [],
      locale: "en-XA",
    }),
  );
  check("book", bookedText(session, "en-XA"));
  check("slots", slotsText("2026-12-08", payload.timezone, 3, "en-XA"));
  check("reminders", remindersText(true, false, "en-XA"));
  check("buttons", Object.values(buttonWords("en-XA")).join(" "));
  check("menu", commandsIn("en-XA").map((c) => c.description).join(" "));
  check("chat", Object.values(chatWords("en-XA")).join(" "));
  assert.deepEqual(found, []);
});

Deno.test("each page catalogue's keys start with its area, so no two areas share a key", async () => {
  for (const area of ["site", "client", "trainer", "business"]) {
    for (const language of LANGUAGES) {
      const file = new URL(
        `../lib/catalogues/${area}/${language}.json`,
        import.meta.url,
      );
      const keys = Object.keys(JSON.parse(await Deno.readTextFile(file)));
      assert.deepEqual(keys.filter((k) => !k.startsWith(`${area}.`)), []);
    }
  }
});

Deno.test("a picked cancel reason is said in the reader's language, what the client typed stays", () => {
  assert.equal(reasonIn("de", "Travel: Away for work"), "Reise: Away for work");
  assert.equal(reasonIn("ru", "Sick"), "Болезнь");
  assert.equal(reasonIn("es", "Gone fishing"), "Gone fishing");
  const m = renderMessage({
    kind: "cancelled",
    recipient: "trainer",
    language: "de",
    payload: {
      trainerName: "Ann Lee",
      clientName: "Bo Kim",
      startsAt: "2026-12-08T17:00:00Z",
      endsAt: "2026-12-08T18:00:00Z",
      timezone: "Europe/Berlin",
      version: 1,
      status: "cancelled",
      reason: "Schedule conflict: Work trip",
    },
  }, "http://spotter.test");
  assert.match(m.text, /Terminkonflikt: Work trip/);
  assert.doesNotMatch(m.text, /Schedule conflict/);
});
