import type { Queryable } from "../db/client.ts";
import { listBusy } from "../db/appointments.ts";
import { type CalendarData, getCalendarData } from "../db/calendar.ts";
import type { TrainerSettings } from "../db/settings.ts";
import { computeSlots } from "../domain/availability.ts";
import { dayRange } from "../domain/time.ts";
import type { Slot, Viewer } from "../domain/types.ts";

/**
 * Loads the trainer's busy time around local dates `from`–`to` and computes the slots
 * the viewer sees. A day's margin on both sides covers sessions that spill over midnight.
 */
export async function loadSlots(
  sql: Queryable,
  input: Readonly<{
    trainerId: string;
    settings: TrainerSettings;
    from: Temporal.PlainDate;
    to: Temporal.PlainDate;
    now: Temporal.Instant;
    viewer: Viewer;
  }>,
): Promise<readonly Slot[]> {
  const range = dayRange(input.from, input.to, input.settings.timezone);
  const busy = await listBusy(
    sql,
    input.trainerId,
    range.start.subtract({ hours: 24 }),
    range.end.add({ hours: 24 }),
  );
  return computeSlots({ ...input, busy });
}

/**
 * Settings, trainer name and busy time for slots on local dates `from`–`to` in
 * whatever zone the trainer has, in one query: before the zone is known the window
 * runs from two UTC days before `from` to two after `to`, which holds every zone's
 * day (offsets stay within a day) and the day's margin `loadSlots` keeps. Busy time
 * outside the slots' days changes no slot.
 */
export function loadCalendar(
  sql: Queryable,
  input: Readonly<{
    trainerId: string;
    from: Temporal.PlainDate;
    to: Temporal.PlainDate;
    /** Client names of the sessions, for a trainer's view. */
    names: boolean;
  }>,
): Promise<CalendarData | undefined> {
  const utcMidnight = (d: Temporal.PlainDate) =>
    Temporal.Instant.fromEpochMilliseconds(
      Date.UTC(d.year, d.month - 1, d.day),
    );
  return getCalendarData(sql, input.trainerId, {
    from: utcMidnight(input.from.subtract({ days: 2 })),
    to: utcMidnight(input.to.add({ days: 3 })),
    names: input.names,
  });
}
