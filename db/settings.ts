import type { Queryable, Sql } from "./client.ts";
import { lockTrainer } from "./appointments.ts";
import { replanTrainerReminders } from "./outbox.ts";
import type { BusinessSettings, WorkingHours } from "../domain/types.ts";
import type { BookingPolicies } from "../domain/policies.ts";

export type TrainerSettings =
  & BusinessSettings
  & BookingPolicies
  & Readonly<{
    remindersEnabled: boolean;
    reminderMinutes: number;
    requiresConfirmation: boolean;
    /** Clients need a credit to book (domain/credits.ts). */
    requireCredit: boolean;
  }>;

/** The columns of a trainer's settings, as `SETTINGS_COLUMNS` selects them. */
export type SettingsRow = {
  timezone: string;
  slot_minutes: number;
  working_hours: WorkingHours;
  holidays: string[];
  reminders_enabled: boolean;
  reminder_minutes: number;
  requires_confirmation: boolean;
  min_notice_minutes: number;
  horizon_days: number | null;
  buffer_minutes: number;
  cancel_notice_minutes: number;
  require_credit: boolean;
};

/** The trainer columns {@link TrainerSettings} are read from (`t.` = trainers). */
export const SETTINGS_COLUMNS = `t.timezone, t.slot_minutes, t.working_hours,
  t.reminders_enabled, t.reminder_minutes, t.requires_confirmation,
  t.min_notice_minutes, t.horizon_days, t.buffer_minutes, t.cancel_notice_minutes,
  t.require_credit,
  ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(t.holidays) d ORDER BY d) AS holidays`;

export const toSettings = (row: SettingsRow): TrainerSettings => ({
  timezone: row.timezone,
  slotMinutes: row.slot_minutes,
  workingHours: row.working_hours,
  holidays: row.holidays,
  remindersEnabled: row.reminders_enabled,
  reminderMinutes: row.reminder_minutes,
  requiresConfirmation: row.requires_confirmation,
  minNoticeMinutes: row.min_notice_minutes,
  horizonDays: row.horizon_days,
  bufferMinutes: row.buffer_minutes,
  cancelNoticeMinutes: row.cancel_notice_minutes,
  requireCredit: row.require_credit,
});

export async function getSettings(
  sql: Queryable,
  trainerId: string,
): Promise<TrainerSettings | undefined> {
  const [row] = await sql<SettingsRow[]>`
    SELECT ${
    sql.unsafe(SETTINGS_COLUMNS)
  } FROM trainers t WHERE t.user_id = ${trainerId}`;
  return row && toSettings(row);
}

/** Saves settings; upcoming reminders follow a new lead time or toggle in the same transaction. */
export async function updateSettings(
  sql: Sql,
  trainerId: string,
  s: TrainerSettings,
  now: Temporal.Instant,
) {
  const holidays = [...new Set(s.holidays)].sort();
  await sql.begin(async (tx) => {
    // Re-planning reminders changes the outbox like a booking does: under the same lock.
    await lockTrainer(tx, trainerId);
    await tx`
      UPDATE trainers SET
        timezone = ${s.timezone},
        slot_minutes = ${s.slotMinutes},
        working_hours = ${tx.json(s.workingHours)},
        holidays = ${holidays}::date[],
        reminders_enabled = ${s.remindersEnabled},
        reminder_minutes = ${s.reminderMinutes},
        requires_confirmation = ${s.requiresConfirmation},
        min_notice_minutes = ${s.minNoticeMinutes},
        horizon_days = ${s.horizonDays},
        buffer_minutes = ${s.bufferMinutes},
        cancel_notice_minutes = ${s.cancelNoticeMinutes},
        require_credit = ${s.requireCredit}
      WHERE user_id = ${trainerId}`;
    await replanTrainerReminders(tx, trainerId, now);
  });
}

export async function setRemindersEnabled(
  sql: Sql,
  trainerId: string,
  enabled: boolean,
  now: Temporal.Instant,
) {
  await sql.begin(async (tx) => {
    await lockTrainer(tx, trainerId);
    await tx`UPDATE trainers SET reminders_enabled = ${enabled} WHERE user_id = ${trainerId}`;
    await replanTrainerReminders(tx, trainerId, now);
  });
}
