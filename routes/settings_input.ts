import { z } from "zod";
import type { TrainerSettings } from "../db/settings.ts";
import {
  checkHolidays,
  checkReminderMinutes,
  checkSlotMinutes,
  checkTimezone,
  checkWorkingHours,
} from "../domain/settings.ts";
import { WEEKDAYS, type WorkingHours } from "../domain/types.ts";
import { type BookingPolicies, checkPolicies } from "../domain/policies.ts";
import { fieldErrors } from "./validation.ts";

const Range = z.object({
  start: z.string({ error: "must be HH:MM" }),
  end: z.string({ error: "must be HH:MM" }),
});
const Day = z.array(Range, { error: "must be a list of ranges" }).max(
  24,
  "has too many ranges",
)
  .default([]);

/** PUT /api/settings: required fields, then optional ones that keep their value when left out. */
export const SettingsBody = z.object({
  timezone: z.string({ error: "is required" }),
  slotMinutes: z.number({ error: "must be a number of minutes" }),
  workingHours: z.strictObject(
    Object.fromEntries(WEEKDAYS.map((d) => [d, Day])) as Record<
      typeof WEEKDAYS[number],
      typeof Day
    >,
    { error: "must be an object with mon … sun" },
  ),
  holidays: z.array(z.string({ error: "must be a date YYYY-MM-DD" }), {
    error: "must be a list of dates",
  })
    .max(1000, "has too many dates").optional(),
  remindersEnabled: z.boolean({ error: "must be true or false" }).optional(),
  reminderMinutes: z.number({ error: "must be a number of minutes" })
    .optional(),
  requiresConfirmation: z.boolean({ error: "must be true or false" })
    .optional(),
  requireCredit: z.boolean({ error: "must be true or false" }).optional(),
  // Policies: checked by domain/policies.ts, so any JSON value gets a field message.
  minNoticeMinutes: z.unknown().optional(),
  horizonDays: z.unknown().optional(),
  bufferMinutes: z.unknown().optional(),
  cancelNoticeMinutes: z.unknown().optional(),
});

export type SettingsInput = z.infer<typeof SettingsBody>;

const POLICY_FIELDS = [
  "minNoticeMinutes",
  "horizonDays",
  "bufferMinutes",
  "cancelNoticeMinutes",
] as const satisfies readonly (keyof BookingPolicies)[];

/**
 * Shape (zod) and rules (domain) in one pass: the merged settings, or every field at fault.
 */
export function validateSettings(
  raw: unknown,
  current: TrainerSettings,
): { ok: true; settings: TrainerSettings } | {
  ok: false;
  fields: Record<string, string>;
} {
  const parsed = SettingsBody.safeParse(raw);
  if (!parsed.success) return { ok: false, fields: fieldErrors(parsed.error) };
  const s = parsed.data;
  const fields: Record<string, string> = {};
  const put = (key: string, message: string | undefined) => {
    if (message) fields[key] = message;
  };
  put("timezone", checkTimezone(s.timezone));
  put("slotMinutes", checkSlotMinutes(s.slotMinutes));
  if (s.reminderMinutes !== undefined) {
    put("reminderMinutes", checkReminderMinutes(s.reminderMinutes));
  }
  if (s.holidays) put("holidays", checkHolidays(s.holidays));
  Object.assign(fields, checkWorkingHours(s.workingHours as WorkingHours));
  // A policy left out keeps its current value.
  const policies = Object.fromEntries(
    POLICY_FIELDS.map((k) => [k, s[k] === undefined ? current[k] : s[k]]),
  ) as Record<keyof BookingPolicies, unknown>;
  Object.assign(fields, checkPolicies(policies));
  if (Object.keys(fields).length) return { ok: false, fields };
  return {
    ok: true,
    settings: {
      timezone: s.timezone,
      slotMinutes: s.slotMinutes,
      workingHours: s.workingHours as WorkingHours,
      holidays: s.holidays ? [...new Set(s.holidays)].sort() : current.holidays,
      remindersEnabled: s.remindersEnabled ?? current.remindersEnabled,
      reminderMinutes: s.reminderMinutes ?? current.reminderMinutes,
      requiresConfirmation: s.requiresConfirmation ??
        current.requiresConfirmation,
      requireCredit: s.requireCredit ?? current.requireCredit,
      ...(policies as BookingPolicies), // checked just above
    },
  };
}

export function settingsJson(s: TrainerSettings) {
  return {
    timezone: s.timezone,
    slotMinutes: s.slotMinutes,
    workingHours: s.workingHours,
    holidays: s.holidays,
    remindersEnabled: s.remindersEnabled,
    reminderMinutes: s.reminderMinutes,
    requiresConfirmation: s.requiresConfirmation,
    minNoticeMinutes: s.minNoticeMinutes,
    horizonDays: s.horizonDays,
    bufferMinutes: s.bufferMinutes,
    cancelNoticeMinutes: s.cancelNoticeMinutes,
    requireCredit: s.requireCredit,
  };
}
