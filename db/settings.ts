import type { Queryable, Sql } from "./client.ts";
import { lockTrainer } from "./appointments.ts";
import { replanTrainerReminders } from "./outbox.ts";
import type { BusinessSettings, WorkingHours } from "../domain/types.ts";

export type TrainerSettings =
  & BusinessSettings
  & Readonly<{
    remindersEnabled: boolean;
    reminderMinutes: number;
    requiresConfirmation: boolean;
  }>;

type Row = {
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
  const [row] = await sql<Row[]>`
    SELECT timezone, slot_minutes, working_hours, reminders_enabled, reminder_minutes,
      requires_confirmation, ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(holidays) d ORDER BY d) AS holidays
    FROM trainers WHERE user_id = ${trainerId}`;
  return row && {
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
        requires_confirmation = ${s.requiresConfirmation}
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
