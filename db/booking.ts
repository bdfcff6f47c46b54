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
  getNames,
  hasOverlap,
  insertAppointment,
  listBusy,
  lockTrainer,
  type Owner,
  updateAppointment,
} from "./appointments.ts";
import { getSettings } from "./settings.ts";
import { recordAppointmentEvent, recordEventFor } from "./notifications.ts";
import { overlaps } from "../domain/intervals.ts";
import { isBookable } from "../domain/availability.ts";
import * as transitions from "../domain/appointments.ts";
import { MAX_SESSION_MINUTES } from "../domain/appointments.ts";
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
 * Runs `work` in one transaction. The advisory lock makes an overlap impossible for every
 * writer that takes it; should one slip past anyway, the exclusion constraint aborts the
 * transaction (SQLSTATE 23P01) and the caller gets `slot_taken`, never an error.
 */
export async function bookingTransaction<T>(
  sql: Sql,
  work: (tx: Tx) => Promise<T>,
): Promise<T | { ok: false; reason: "slot_taken" }> {
  try {
    return await sql.begin(work) as T;
  } catch (error) {
    if (sqlState(error) === "23P01") return { ok: false, reason: "slot_taken" };
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

/**
 * Books a session inside `tx` (the caller's transaction) in two flights to the database:
 * first the trainer's lock together with what the rules need (sent at once, these reads
 * run after the lock is granted, so they see every booking committed before), then the
 * session and its notifications.
 */
export async function bookInTransaction(
  tx: Queryable,
  input: BookInput,
): Promise<Outcome> {
  const [, settings, nearby, names] = await Promise.all([
    lockTrainer(tx, input.trainerId),
    getSettings(tx, input.trainerId),
    // Every session that can overlap a booking starting at `start`.
    listBusy(
      tx,
      input.trainerId,
      input.start,
      input.start.add({ minutes: MAX_SESSION_MINUTES }),
    ),
    getNames(tx, input.trainerId, input.clientId),
  ]);
  if (!settings || !names) return fail("not_found");
  if (Temporal.Instant.compare(input.start, input.now) < 0) {
    return fail("in_past");
  }
  let end: Temporal.Instant;
  if (input.by === "client") {
    const check = isBookable({
      settings,
      busy: nearby,
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
    const wanted = { start: input.start, end };
    if (nearby.some((b) => overlaps(b, wanted))) return fail("slot_taken");
  }
  const appointment: Appointment = {
    id: crypto.randomUUID(),
    trainerId: input.trainerId,
    clientId: input.clientId,
    clientName: names.clientName,
    trainerName: names.trainerName,
    timezone: settings.timezone,
    start: input.start,
    end,
    status: input.by === "client" && settings.requiresConfirmation
      ? "pending"
      : "scheduled",
    notes: input.notes,
    cancellationReason: null,
    cancelledBy: null,
    cancelledAt: null,
    createdAt: input.now,
    version: 1,
  };
  await Promise.all([
    insertAppointment(tx, {
      ...appointment,
      status: appointment.status as "scheduled" | "pending",
      now: input.now,
    }),
    recordEventFor(tx, {
      id: appointment.id,
      trainer_id: appointment.trainerId,
      client_id: appointment.clientId,
      starts_at: new Date(appointment.start.epochMilliseconds),
      ends_at: new Date(end.epochMilliseconds),
      status: appointment.status,
      version: appointment.version,
      cancellation_reason: null,
      timezone: settings.timezone,
      reminders_enabled: settings.remindersEnabled,
      reminder_minutes: settings.reminderMinutes,
      trainer_name: names.trainerName,
      client_name: names.clientName,
    }, { event: "booked", actor: input.by, now: input.now }),
  ]);
  return { ok: true, appointment };
}

export function book(sql: Sql, input: BookInput): Promise<Outcome> {
  return bookingTransaction(sql, (tx) => bookInTransaction(tx, input));
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
  return await bookingTransaction(sql, async (tx): Promise<Outcome> => {
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
      // Sending the current start and length again is not a move.
      if (!start.equals(a.start) || !end.equals(a.end)) {
        const moved = transitions.move(a, { start, end }, input.now);
        if (!moved.ok) return fail(moved.reason);
        if (await hasOverlap(tx, a.trainerId, start, end, a.id)) {
          return fail("slot_taken");
        }
        events.push("moved");
      }
    }
    if (change.status === "completed") {
      const done = transitions.complete({ ...a, start, end }, input.now);
      if (!done.ok) return fail(done.reason);
    } else if (change.status === "scheduled") {
      const confirmed = transitions.confirm(a);
      if (!confirmed.ok) return fail(confirmed.reason);
      if (a.status === "pending") events.push("confirmed");
    }
    await updateAppointment(tx, a.id, {
      start: events.includes("moved") ? start : undefined,
      end: events.includes("moved") ? end : undefined,
      notes: change.notes,
      status: change.status,
      now: input.now,
    });
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
