import type { Queryable, Sql } from "./client.ts";
import { resyncTrainerReminders } from "./notifications.ts";
import type { BusinessSettings, WorkingHours } from "../domain/types.ts";

export type TrainerSettings =
  & BusinessSettings
  & Readonly<{
    remindersEnabled: boolean;
    reminderMinutes: number;
    requiresConfirmation: boolean;
  }>;

/** The columns of a trainer's settings, as `settingsColumns` selects them. */
export type SettingsRow = {
  timezone: string;
  slot_minutes: number;
  working_hours: WorkingHours;
  holidays: string[];
  reminders_enabled: boolean;
  reminder_minutes: number;
  requires_confirmation: boolean;
};

export async function getSettings(
  sql: Queryable,
  trainerId: string,
): Promise<TrainerSettings | undefined> {
  const [row] = await sql<SettingsRow[]>`
    SELECT ${
    settingsColumns(sql)
  } FROM trainers t WHERE t.user_id = ${trainerId}`;
  return row && toSettings(row);
}

/** The settings columns of `trainers t`, for reads that join more onto them. */
export const settingsColumns = (sql: Queryable) =>
  sql`t.timezone, t.slot_minutes, t.working_hours, t.reminders_enabled, t.reminder_minutes,
    t.requires_confirmation,
    ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(t.holidays) d ORDER BY d) AS holidays`;

export function toSettings(row: SettingsRow): TrainerSettings {
  return {
    timezone: row.timezone,
    slotMinutes: row.slot_minutes,
    workingHours: row.working_hours,
    holidays: row.holidays,
    remindersEnabled: row.reminders_enabled,
    reminderMinutes: row.reminder_minutes,
    requiresConfirmation: row.requires_confirmation,
  };
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
    await tx`
      UPDATE trainers SET
        timezone = ${s.timezone},
        slot_minutes = ${s.slotMinutes},
        working_hours = ${tx.json(s.workingHours)},
        holidays = ${holidays}::date[],
        reminders_enabled = ${s.remindersEnabled},
        reminder_minutes = ${s.reminderMinutes},
        requires_confirmation = ${s.requiresConfirmation}
      WHERE user_id = ${trainerId}`;
    await resyncTrainerReminders(tx, trainerId, now);
  });
}

export async function setRemindersEnabled(
  sql: Sql,
  trainerId: string,
  enabled: boolean,
  now: Temporal.Instant,
) {
  await sql.begin(async (tx) => {
    await tx`UPDATE trainers SET reminders_enabled = ${enabled} WHERE user_id = ${trainerId}`;
    await resyncTrainerReminders(tx, trainerId, now);
  });
}
