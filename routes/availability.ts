import type { Sql } from "../db/client.ts";
import { type BookedTime, listBookedTime } from "../db/appointments.ts";
import type { TrainerSettings } from "../db/settings.ts";
import { listBusyElsewhereForView } from "../db/busy_times.ts";
import { computeSlots, viewChangesAt } from "../domain/availability.ts";
import { applyPolicies } from "../domain/policies.ts";
import { dayRange } from "../domain/time.ts";
import type { BusyElsewhere, Slot, Viewer } from "../domain/types.ts";

/**
 * Loads the trainer's busy time around local dates `from`–`to` and computes the slots
 * the viewer sees (a client's under the trainer's booking policies). A day's margin on
 * both sides covers sessions that spill over midnight. Busy time from the trainer's other
 * calendars takes slots too (its titles read for the trainer only). Also returned: the busy time (for
 * a trainer's view with the clients' names, which a client's never reads) and
 * `changesAt`, until when a view of these slots reads the same (`viewChangesAt`).
 */
export async function loadSlotsAndBusy(
  sql: Sql,
  input: Readonly<{
    trainerId: string;
    settings: TrainerSettings;
    from: Temporal.PlainDate;
    to: Temporal.PlainDate;
    now: Temporal.Instant;
    viewer: Viewer;
    /** A session being moved: it counts neither as busy nor for the buffer. */
    exceptId?: string;
  }>,
): Promise<
  {
    slots: readonly Slot[];
    busy: readonly BookedTime[];
    elsewhere: readonly BusyElsewhere[];
    changesAt: Temporal.Instant;
  }
> {
  const range = dayRange(input.from, input.to, input.settings.timezone);
  const from = range.start.subtract({ hours: 24 });
  const to = range.end.add({ hours: 24 });
  const trainer = input.viewer.role === "trainer";
  const [all, elsewhere] = await Promise.all([
    listBookedTime(sql, input.trainerId, from, to, trainer),
    listBusyElsewhereForView(sql, input.trainerId, from, to, trainer),
  ]);
  const busy = input.exceptId
    ? all.filter((b) => b.appointmentId !== input.exceptId)
    : all;
  const client = input.viewer.role === "client";
  const computed = computeSlots({ ...input, busy, elsewhere });
  const slots = client
    ? applyPolicies(computed, {
      busy,
      now: input.now,
      timezone: input.settings.timezone,
      policies: input.settings,
    })
    : computed;
  const changesAt = viewChangesAt({
    slots,
    now: input.now,
    timezone: input.settings.timezone,
    minNoticeMinutes: client ? input.settings.minNoticeMinutes : 0,
  });
  return { slots, busy, elsewhere, changesAt };
}
