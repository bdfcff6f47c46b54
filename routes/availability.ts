import type { Queryable } from "../db/client.ts";
import { listBusy } from "../db/appointments.ts";
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
