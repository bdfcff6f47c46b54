import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { page } from "./render.tsx";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { TIME_ZONES } from "./pages_accounts.tsx";
import { OtherCalendars } from "../views/OtherCalendarViews.tsx";
import { listCalendars, MAX_CALENDARS } from "../db/busy_calendars.ts";
import { validateSettings } from "./settings_input.ts";
import {
  getSettings,
  type TrainerSettings,
  updateSettings,
} from "../db/settings.ts";
import { type Weekday, WEEKDAYS } from "../domain/types.ts";
import { sayFor } from "./language.ts";
import type { Say } from "../views/locale.ts";
import { parseIsoDate, typedTime } from "../domain/time.ts";
import {
  type LengthText,
  SettingsForm,
  type SettingsFormState,
  SettingsPage,
} from "../views/SettingsViews.tsx";

const RANGE_FIELD = /^(mon|tue|wed|thu|fri|sat|sun)\.(\d{1,2})\.(start|end)$/;

function stateOf(s: TrainerSettings): SettingsFormState {
  return {
    timezone: s.timezone,
    slotMinutes: String(s.slotMinutes),
    ranges: Object.fromEntries(
      WEEKDAYS.map((d) => [d, s.workingHours[d] ?? []]),
    ) as SettingsFormState["ranges"],
    holidays: s.holidays,
    removeHolidays: [],
    newHoliday: "",
    newHolidayTo: "",
    remindersEnabled: s.remindersEnabled,
    reminderMinutes: String(s.reminderMinutes),
    requiresConfirmation: s.requiresConfirmation,
    requireCredit: s.requireCredit,
    minNotice: lengthText(s.minNoticeMinutes),
    horizonDays: s.horizonDays === null ? "" : String(s.horizonDays),
    bufferMinutes: String(s.bufferMinutes),
    cancelNotice: lengthText(s.cancelNoticeMinutes),
  };
}

/**
 * The posted form as typed. Range rows are `mon.0.start`/`mon.0.end`; a row with
 * both times empty is dropped, so the kept rows are numbered as in the API shape.
 * Holidays are the saved ones minus those ticked for removal plus the new one.
 */
function stateFromForm(
  form: FormData,
  current: TrainerSettings,
): SettingsFormState {
  const text = (key: string) => {
    const v = form.get(key);
    return typeof v === "string" ? v.trim() : "";
  };
  const rows = new Map<Weekday, Map<number, { start: string; end: string }>>();
  for (const key of form.keys()) {
    const match = RANGE_FIELD.exec(key);
    if (!match) continue;
    const day = match[1] as Weekday;
    const index = Number(match[2]);
    const byIndex = rows.get(day) ?? new Map();
    rows.set(day, byIndex);
    const row = byIndex.get(index) ?? { start: "", end: "" };
    row[match[3] as "start" | "end"] = typedTime(text(key));
    byIndex.set(index, row);
  }
  const ranges = {} as Record<Weekday, { start: string; end: string }[]>;
  for (const day of WEEKDAYS) {
    ranges[day] = [...(rows.get(day) ?? new Map()).entries()]
      .sort(([a], [b]) => a - b)
      .map(([, r]) => r)
      .filter((r) => r.start !== "" || r.end !== "");
  }
  const removeHolidays = form.getAll("removeHoliday").filter((v) =>
    typeof v === "string"
  ) as string[];
  return {
    timezone: text("timezone"),
    slotMinutes: text("slotMinutes"),
    ranges,
    holidays: current.holidays,
    removeHolidays,
    newHoliday: text("newHoliday"),
    newHolidayTo: text("newHolidayTo"),
    remindersEnabled: text("remindersEnabled") === "on",
    reminderMinutes: text("reminderMinutes"),
    requiresConfirmation: text("requiresConfirmation") === "on",
    requireCredit: text("requireCredit") === "on",
    minNotice: { amount: text("minNotice"), unit: text("minNoticeUnit") },
    horizonDays: text("horizonDays"),
    bufferMinutes: text("bufferMinutes"),
    cancelNotice: {
      amount: text("cancelNotice"),
      unit: text("cancelNoticeUnit"),
    },
  };
}

const NUMBER = /^\d{1,6}$/;

/** A typed policy number: empty is `none`; anything else goes on for the rules to judge. */
const policyNumber = (text: string, none: 0 | null) =>
  text === "" ? none : NUMBER.test(text) ? Number(text) : text;
const LONGEST_BREAK = 366;

const MINUTES_PER = { hours: 60, days: 1440 } as const;
/** The longest notice the rules allow (domain/policies.ts), in minutes: 7 days. */
const LONGEST_NOTICE = 10080;
const AMOUNT = /^\d{1,4}([.,]\d{1,2})?$/;

/** A length in minutes as the form shows it: whole days in days, else hours (90 is 1.5). */
function lengthText(minutes: number): LengthText {
  if (minutes > 0 && minutes % MINUTES_PER.days === 0) {
    return { amount: String(minutes / MINUTES_PER.days), unit: "days" };
  }
  // Two decimals always round back to the same whole minute.
  return {
    amount: String(Math.round(minutes / 60 * 100) / 100),
    unit: "hours",
  };
}

/** Typed hours or days as minutes (empty: 0), or why not. */
function lengthMinutes(
  say: Say,
  { amount, unit }: LengthText,
): { minutes: number } | { error: string } {
  if (amount === "") return { minutes: 0 };
  if (unit !== "hours" && unit !== "days") {
    return { error: say("business.settings.error.needs_unit") };
  }
  if (!AMOUNT.test(amount)) {
    return {
      error: say(
        unit === "hours"
          ? "business.settings.error.hours_number"
          : "business.settings.error.days_number",
      ),
    };
  }
  const minutes = Math.round(
    Number(amount.replace(",", ".")) * MINUTES_PER[unit],
  );
  if (minutes > LONGEST_NOTICE) {
    return { error: say("business.settings.error.at_most_week") };
  }
  return { minutes };
}

/**
 * The holidays one form adds: a single day, or every day from the first to the last.
 * A day that is not a date is passed on as typed, for the shared validation to name.
 */
function holidayRange(
  say: Say,
  from: string,
  to: string,
): { dates: string[] } | { error: string } {
  if (!from) {
    return to
      ? { error: say("business.settings.error.needs_first_day") }
      : { dates: [] };
  }
  const first = parseIsoDate(from);
  if (!to || !first) return { dates: [from] };
  const last = parseIsoDate(to);
  if (!last) return { error: say("business.settings.error.not_date") };
  const days = first.until(last).days;
  if (days < 0) return { error: say("business.settings.error.before_first") };
  if (days >= LONGEST_BREAK) {
    return { error: say("business.settings.error.break_too_long") };
  }
  return {
    dates: Array.from(
      { length: days + 1 },
      (_, i) => first.add({ days: i }).toString(),
    ),
  };
}

/**
 * The API's settings body, so the page and `PUT /api/settings` share one validation.
 * A number field that is not a number gets its message here and a stand-in value,
 * so that every other field is still checked in the same pass.
 */
function apiBody(
  say: Say,
  state: SettingsFormState,
  current: TrainerSettings,
) {
  const errors: Record<string, string> = {};
  const minutes = (key: "slotMinutes" | "reminderMinutes", message: string) => {
    if (NUMBER.test(state[key])) return Number(state[key]);
    errors[key] = message;
    return current[key];
  };
  // A ticked run (`first/last`, or one day) removes every saved day in it.
  const removed = state.removeHolidays.map((run) => run.split("/"));
  const holidays = state.holidays.filter((d) =>
    !removed.some(([first, last = first]) => first <= d && d <= last)
  );
  const added = holidayRange(say, state.newHoliday, state.newHolidayTo);
  if ("error" in added) errors.newHolidayTo = added.error;
  else holidays.push(...added.dates);
  const notice = (key: "minNotice" | "cancelNotice") => {
    const length = lengthMinutes(say, state[key]);
    if ("minutes" in length) return length.minutes;
    errors[key] = length.error;
    return current[`${key}Minutes`];
  };
  const body = {
    timezone: state.timezone,
    slotMinutes: minutes(
      "slotMinutes",
      say("business.settings.error.slot_minutes"),
    ),
    workingHours: state.ranges,
    holidays,
    remindersEnabled: state.remindersEnabled,
    reminderMinutes: minutes(
      "reminderMinutes",
      say("business.settings.error.reminder_minutes"),
    ),
    requiresConfirmation: state.requiresConfirmation,
    requireCredit: state.requireCredit,
    // Policies: empty means none (0, or no horizon); the shared rules check the rest.
    minNoticeMinutes: notice("minNotice"),
    bufferMinutes: policyNumber(state.bufferMinutes, 0),
    cancelNoticeMinutes: notice("cancelNotice"),
    horizonDays: policyNumber(state.horizonDays, null),
  };
  return { body, errors };
}

/** The shared rules' field messages (domain/settings.ts, domain/policies.ts), in the viewer's words. */
const FIELD_MESSAGES: readonly [
  RegExp,
  (say: Say, m: RegExpMatchArray) => string,
][] = [
  [/^must be HH:MM$/, (say) => say("business.settings.error.hhmm")],
  [
    /^must be after the start$/,
    (say) => say("business.settings.error.after_start"),
  ],
  [
    /^overlaps (.+)$/,
    (say, m) => say("business.settings.error.overlaps", { range: m[1] }),
  ],
  [
    /^must be a whole number from 15 to 90 that divides by 5$/,
    (say) => say("business.settings.error.slot_minutes"),
  ],
  [
    /^must be a whole number of minutes from 15 to 2880$/,
    (say) => say("business.settings.error.reminder_minutes"),
  ],
  [
    /^(".*") is not a date YYYY-MM-DD$/,
    (say, m) => say("business.settings.error.bad_date", { date: m[1] }),
  ],
  [
    /^must be an IANA time zone such as Europe\/Berlin$/,
    (say) => say("site.field.time_zone"),
  ],
  [
    /^must be a whole number of minutes from 0 to 10080$/,
    (say) => say("business.settings.error.notice_minutes"),
  ],
  [
    /^must be a whole number of days from 1 to 365, or null$/,
    (say) => say("business.settings.error.horizon_days"),
  ],
  [
    /^must be a whole number of minutes from 0 to 60$/,
    (say) => say("business.settings.error.buffer_minutes"),
  ],
];

/** A field message of the shared rules as the viewer reads it (unknown ones as they are). */
function fieldMessage(say: Say, message: string): string {
  for (const [pattern, word] of FIELD_MESSAGES) {
    const m = message.match(pattern);
    if (m) return word(say, m);
  }
  return message;
}

/** `GET/POST /settings`: the trainer's business settings as one plain form. */
export const settingsPages = new Hono<AppEnv>()
  .get("/settings", async (c) => {
    const trainer = assertRole(c, "trainer");
    const [settings, calendars] = await Promise.all([
      getSettings(c.get("deps").sql, trainer.id),
      listCalendars(c.get("deps").sql, trainer.id),
    ]);
    const say = sayFor(c);
    return page(
      c,
      say("business.settings.title"),
      <SettingsPage>
        <SettingsForm
          csrf={c.get("csrfToken")}
          state={stateOf(settings!)}
          zones={TIME_ZONES}
        />
        <OtherCalendars
          csrf={c.get("csrfToken")}
          calendars={calendars}
          timezone={settings!.timezone}
          max={MAX_CALENDARS}
        />
      </SettingsPage>,
    );
  })
  .post("/settings", async (c) => {
    const trainer = assertRole(c, "trainer");
    const { sql } = c.get("deps");
    const current = (await getSettings(sql, trainer.id))!;
    const form = await c.req.formData().catch(() => new FormData());
    const state = stateFromForm(form, current);
    const say = sayFor(c);
    const { body, errors: numberErrors } = apiBody(say, state, current);
    const result = validateSettings(body, current);
    const fields = {
      ...(result.ok ? {} : Object.fromEntries(
        Object.entries(result.fields).map((
          [key, message],
        ) => [key, fieldMessage(say, message)]),
      )),
      ...numberErrors,
    };
    if (!result.ok || Object.keys(fields).length) {
      const { holidays, minNoticeMinutes, cancelNoticeMinutes, ...errors } =
        fields;
      // Saved holidays are valid, so a bad date is the one just typed; the
      // notices are typed in hours or days, so their fields carry the message.
      const shown = {
        ...errors,
        ...(holidays && { newHoliday: holidays }),
        ...(minNoticeMinutes && { minNotice: minNoticeMinutes }),
        ...(cancelNoticeMinutes && { cancelNotice: cancelNoticeMinutes }),
      };
      return page(
        c,
        say("business.settings.title"),
        <SettingsPage>
          <SettingsForm
            csrf={c.get("csrfToken")}
            state={state}
            errors={shown}
            zones={TIME_ZONES}
          />
        </SettingsPage>,
        422,
      );
    }
    await updateSettings(sql, trainer.id, result.settings, c.get("deps").now());
    return redirectWithFlash(c, "/settings", say("business.settings.saved"));
  });
