import type { Queryable } from "../db/client.ts";
import { type BookedTime, listBookedTime } from "../db/appointments.ts";
import type { TrainerSettings } from "../db/settings.ts";
import { computeSlots } from "../domain/availability.ts";
import { applyPolicies } from "../domain/policies.ts";
import { dayRange } from "../domain/time.ts";
import type { Slot, Viewer } from "../domain/types.ts";

/**
 * Loads the trainer's busy time around local dates `from`–`to` and computes the slots
 * the viewer sees (a client's under the trainer's booking policies). A day's margin on
 * both sides covers sessions that spill over midnight.
 */
export async function loadSlots(
  sql: Queryable,
  input: Parameters<typeof loadSlotsAndBusy>[1],
): Promise<readonly Slot[]> {
  return (await loadSlotsAndBusy(sql, input)).slots;
}

/**
 * {@link loadSlots}, with the busy time they were computed from (for a trainer's view with
 * the clients' names, which a client's never reads).
 */
export async function loadSlotsAndBusy(
  sql: Queryable,
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
): Promise<{ slots: readonly Slot[]; busy: readonly BookedTime[] }> {
  const range = dayRange(input.from, input.to, input.settings.timezone);
  const all = await listBookedTime(
    sql,
    input.trainerId,
    range.start.subtract({ hours: 24 }),
    range.end.add({ hours: 24 }),
    input.viewer.role === "trainer",
  );
  const busy = input.exceptId
    ? all.filter((b) => b.appointmentId !== input.exceptId)
    : all;
  const slots = computeSlots({ ...input, busy });
  if (input.viewer.role !== "client") return { slots, busy };
  return {
    slots: applyPolicies(slots, {
      busy,
      now: input.now,
      timezone: input.settings.timezone,
      policies: input.settings,
    }),
    busy,
  };
}
