/**
 * The imperative shell around bookings: every change runs in one transaction that
 * holds the trainer's advisory lock, re-checks the rules with the domain module,
 * writes, and records the outbox row. The exclusion constraint is the last guard.
 */
import type { Queryable, Sql, Tx } from "./client.ts";
import { sqlState } from "./client.ts";
import {
  type Appointment,
  getAppointment,
  hasOverlap,
  insertAppointment,
  listBusy,
  lockTrainer,
  type Owner,
  updateAppointment,
} from "./appointments.ts";
import { getSettings } from "./settings.ts";
import { recordAppointmentEvent } from "./notifications.ts";
import { isBookable } from "../domain/availability.ts";
import * as transitions from "../domain/appointments.ts";
import type { Actor } from "../domain/types.ts";

export type BookingFailure =
  | "in_past"
  | "not_a_slot"
  | "slot_taken"
  | "not_found"
  | transitions.TransitionError;

export type Outcome = { ok: true; appointment: Appointment } | {
  ok: false;
  reason: BookingFailure;
};

const fail = (reason: BookingFailure): Outcome => ({ ok: false, reason });

/**
 * Runs `write` in a savepoint, on the savepoint's own handle (a failed query belongs to the
 * scope that sent it); an exclusion-constraint violation (SQLSTATE 23P01) becomes `slot_taken`
 * and the surrounding transaction goes on.
 */
async function guarded(
  tx: Queryable,
  write: (sp: Queryable) => Promise<unknown>,
): Promise<boolean> {
  try {
    await (tx as Tx).savepoint((sp) => write(sp));
    return true;
  } catch (error) {
    if (sqlState(error) === "23P01") return false;
    throw error;
  }
}

export type BookInput = Readonly<{
  trainerId: string;
  clientId: string;
  by: Actor;
  start: Temporal.Instant;
  /** Trainer bookings only; clients always get the slot length. */
  durationMinutes?: number;
  notes: string;
  now: Temporal.Instant;
}>;

/** Books a session inside `tx` (the caller's transaction). */
export async function bookInTransaction(
  tx: Queryable,
  input: BookInput,
): Promise<Outcome> {
  await lockTrainer(tx, input.trainerId);
  const settings = await getSettings(tx, input.trainerId);
  if (!settings) return fail("not_found");
  if (Temporal.Instant.compare(input.start, input.now) < 0) {
    return fail("in_past");
  }
  let end: Temporal.Instant;
  if (input.by === "client") {
    end = input.start.add({ minutes: settings.slotMinutes });
    const busy = await listBusy(
      tx,
      input.trainerId,
      input.start.subtract({ hours: 48 }),
      input.start.add({ hours: 48 }),
    );
    const check = isBookable({
      settings,
      busy,
      now: input.now,
      viewer: { role: "client", clientId: input.clientId },
      start: input.start,
    });
    if (!check.ok) return fail(check.reason);
    end = check.slot.end;
  } else {
    end = input.start.add({
      minutes: input.durationMinutes ?? settings.slotMinutes,
    });
    if (await hasOverlap(tx, input.trainerId, input.start, end)) {
      return fail("slot_taken");
    }
  }
  const status = input.by === "client" && settings.requiresConfirmation
    ? "pending"
    : "scheduled";
  let id = "";
  const written = await guarded(tx, async (sp) => {
    id = await insertAppointment(sp, { ...input, end, status });
  });
  if (!written) return fail("slot_taken");
  await recordAppointmentEvent(tx, {
    appointmentId: id,
    event: "booked",
    actor: input.by,
    now: input.now,
  });
  const appointment = await getAppointment(tx, id, {
    role: "trainer",
    id: input.trainerId,
  });
  return { ok: true, appointment: appointment! };
}

export function book(sql: Sql, input: BookInput): Promise<Outcome> {
  return sql.begin((tx) => bookInTransaction(tx, input));
}

export async function cancelAppointment(
  sql: Sql,
  input: Readonly<
    { id: string; owner: Owner; reason: string | null; now: Temporal.Instant }
  >,
): Promise<Outcome> {
  return await sql.begin(async (tx) => {
    const current = await getAppointment(tx, input.id, input.owner);
    if (!current) return fail("not_found");
    await lockTrainer(tx, current.trainerId);
    const a =
      (await getAppointment(tx, input.id, input.owner, { forUpdate: true }))!;
    const next = transitions.cancel(a, input.owner.role, input.now);
    if (!next.ok) return fail(next.reason);
    await updateAppointment(tx, a.id, {
      status: "cancelled",
      cancelledBy: next.value.cancelledBy,
      cancellationReason: input.reason,
      now: input.now,
    });
    await recordAppointmentEvent(tx, {
      appointmentId: a.id,
      event: a.status === "pending" && input.owner.role === "trainer"
        ? "declined"
        : "cancelled",
      actor: input.owner.role,
      now: input.now,
    });
    return {
      ok: true,
      appointment: (await getAppointment(tx, a.id, input.owner))!,
    };
  });
}

export type TrainerChange = Readonly<{
  start?: Temporal.Instant;
  durationMinutes?: number;
  notes?: string;
  status?: "completed" | "scheduled";
}>;

/** A trainer's edit: move and/or resize (checked like a booking), notes, complete, confirm. */
export async function changeAppointment(
  sql: Sql,
  input: Readonly<
    {
      id: string;
      trainerId: string;
      change: TrainerChange;
      now: Temporal.Instant;
    }
  >,
): Promise<Outcome> {
  const owner: Owner = { role: "trainer", id: input.trainerId };
  return await sql.begin(async (tx) => {
    await lockTrainer(tx, input.trainerId);
    const a = await getAppointment(tx, input.id, owner, { forUpdate: true });
    if (!a) return fail("not_found");
    const { change } = input;
    const events: ("moved" | "confirmed")[] = [];
    const wantsMove = change.start !== undefined ||
      change.durationMinutes !== undefined;
    let start = a.start;
    let end = a.end;
    if (wantsMove) {
      start = change.start ?? a.start;
      const minutes = change.durationMinutes ??
        Math.round(a.start.until(a.end).total("minutes"));
      end = start.add({ minutes });
      const moved = transitions.move(a, { start, end }, input.now);
      if (!moved.ok) return fail(moved.reason);
      if (await hasOverlap(tx, a.trainerId, start, end, a.id)) {
        return fail("slot_taken");
      }
      if (!start.equals(a.start) || !end.equals(a.end)) events.push("moved");
    }
    if (change.status === "completed") {
      const done = transitions.complete({ ...a, start, end }, input.now);
      if (!done.ok) return fail(done.reason);
    } else if (change.status === "scheduled") {
      const confirmed = transitions.confirm(a);
      if (!confirmed.ok) return fail(confirmed.reason);
      if (a.status === "pending") events.push("confirmed");
    }
    const written = await guarded(tx, (sp) =>
      updateAppointment(sp, a.id, {
        start: events.includes("moved") ? start : undefined,
        end: events.includes("moved") ? end : undefined,
        notes: change.notes,
        status: change.status,
        now: input.now,
      }));
    if (!written) return fail("slot_taken");
    for (const event of events) {
      await recordAppointmentEvent(tx, {
        appointmentId: a.id,
        event,
        actor: "trainer",
        now: input.now,
      });
    }
    return { ok: true, appointment: (await getAppointment(tx, a.id, owner))! };
  });
}
