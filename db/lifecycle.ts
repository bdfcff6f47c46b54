/**
 * Every change to an appointment, one transaction each: take the trainer's advisory lock,
 * read the rules and nearby busy time, ask `domain/appointments.ts`, write the change and
 * the outbox rows `domain/notifications.ts` plans, and return the domain's outcome. The
 * exclusion constraint stays the last guard (SQLSTATE 23P01 → `slot_taken`).
 */
import type { Queryable, Sql, Tx } from "./client.ts";
import { sqlState } from "./client.ts";
import {
  type Appointment,
  getAppointment,
  listBusy,
  lockTrainer,
  type Owner,
} from "./appointments.ts";
import { notificationsInsert, recordAppointmentEvent } from "./outbox.ts";
import { idempotent, type StoredAnswer } from "./idempotency.ts";
import {
  type BookingRules,
  cancel,
  decideBooking,
  decideChange,
  type Failure,
  MAX_SESSION_MINUTES,
  type TrainerChange,
} from "../domain/appointments.ts";
import { planEvent } from "../domain/notifications.ts";
import type { Actor } from "../domain/types.ts";

export type Outcome =
  | Readonly<{ ok: true; appointment: Appointment }>
  | Readonly<{ ok: false; reason: Failure }>;

const fail = (reason: Failure): Outcome => ({ ok: false, reason });

/**
 * Runs one change in its own transaction. The advisory lock makes an overlap impossible
 * for every writer that takes it; should one slip past anyway, the exclusion constraint
 * aborts the transaction and the change answers `slot_taken`, never an error.
 */
async function inTransaction<T>(
  sql: Sql,
  work: (tx: Tx) => Promise<T>,
): Promise<T | Readonly<{ ok: false; reason: "slot_taken" }>> {
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

type ContextRow = {
  timezone: string;
  slot_minutes: number;
  working_hours: BookingRules["workingHours"];
  holidays: string[];
  reminders_enabled: boolean;
  reminder_minutes: number;
  requires_confirmation: boolean;
  trainer_name: string;
  client_name: string | null;
};

/** The trainer's rules and names for one booking, or `undefined` if the client is not theirs. */
async function bookingContext(tx: Queryable, input: BookInput) {
  const [row] = await tx<ContextRow[]>`
    SELECT t.timezone, t.slot_minutes, t.working_hours, t.reminders_enabled,
      t.reminder_minutes, t.requires_confirmation,
      ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(t.holidays) d ORDER BY d) AS holidays,
      tu.name AS trainer_name,
      (SELECT cu.name FROM clients c JOIN users cu ON cu.id = c.user_id
       WHERE c.user_id = ${input.clientId} AND c.trainer_id = t.user_id) AS client_name
    FROM trainers t JOIN users tu ON tu.id = t.user_id
    WHERE t.user_id = ${input.trainerId}`;
  if (!row || row.client_name === null) return undefined;
  return { ...row, client_name: row.client_name };
}

/**
 * Books one session: lock, read, decide, write the session and its outbox rows (the
 * notice to the other side and the reminders ahead) in one statement.
 */
async function bookIn(tx: Tx, input: BookInput): Promise<Outcome> {
  await lockTrainer(tx, input.trainerId);
  const [context, busy] = await Promise.all([
    bookingContext(tx, input),
    // Every live session that can overlap a booking starting at the wanted start.
    listBusy(
      tx,
      input.trainerId,
      input.start.subtract({ minutes: MAX_SESSION_MINUTES }),
      input.start.add({ minutes: MAX_SESSION_MINUTES }),
    ),
  ]);
  if (!context) return fail("unknown_client");
  const rules: BookingRules = {
    timezone: context.timezone,
    slotMinutes: context.slot_minutes,
    workingHours: context.working_hours,
    holidays: context.holidays,
    requiresConfirmation: context.requires_confirmation,
  };
  const decision = decideBooking(input, rules, busy);
  if (!decision.ok) return decision;
  const appointment: Appointment = {
    id: crypto.randomUUID(),
    trainerId: input.trainerId,
    clientId: input.clientId,
    clientName: context.client_name,
    trainerName: context.trainer_name,
    timezone: context.timezone,
    start: input.start,
    end: decision.value.end,
    status: decision.value.status,
    notes: input.notes,
    cancellationReason: null,
    cancelledBy: null,
    cancelledAt: null,
    createdAt: input.now,
    version: 1,
  };
  const plan = planEvent({
    ...appointment,
    remindersEnabled: context.reminders_enabled,
    reminderMinutes: context.reminder_minutes,
  }, { event: "booked", actor: input.by, now: input.now });
  const a = appointment;
  await tx`
    WITH booked AS (
      INSERT INTO appointments (id, trainer_id, client_id, starts_at, ends_at, status, notes,
        created_at, updated_at)
      VALUES (${a.id}, ${a.trainerId}, ${a.clientId}, ${a.start.toString()},
        ${a.end.toString()}, ${a.status}, ${a.notes}, ${a.createdAt.toString()},
        ${a.createdAt.toString()})
    )
    ${notificationsInsert(tx, plan.rows)}`;
  return { ok: true, appointment };
}

/** Books one session in its own transaction. */
export async function bookAppointment(
  sql: Sql,
  input: BookInput,
): Promise<Outcome> {
  return await inTransaction(sql, (tx) => bookIn(tx, input));
}

/**
 * Books at most once per (user, key), in one transaction with the stored answer: a
 * repeated request (a double tap, a retry after a timeout, another app process) gets
 * the first answer again; the same key with another request gets `reused`. `answer`
 * turns the outcome into the status and body that are stored and replayed.
 */
export async function bookAppointmentOnce(
  sql: Sql,
  key: Readonly<{ userId: string; key: string; requestHash: string }>,
  input: BookInput,
  answer: (outcome: Outcome) => StoredAnswer,
): Promise<StoredAnswer | Readonly<{ reused: true }>> {
  const result = await inTransaction(
    sql,
    (tx) =>
      idempotent(
        tx,
        { ...key, now: input.now },
        async () => answer(await bookIn(tx, input)),
      ),
  );
  // The exclusion constraint's last word rolled everything back, the key included.
  return "ok" in result ? answer(result) : result;
}

/**
 * The session `id` as `owner` may change it, locked: the trainer's advisory lock first
 * (the same order as every booking), then the row.
 */
async function lockOwn(tx: Tx, id: string, owner: Owner) {
  const seen = await getAppointment(tx, id, owner);
  if (!seen) return undefined;
  await lockTrainer(tx, seen.trainerId);
  return await getAppointment(tx, id, owner, { forUpdate: true });
}

/** Cancels a live session (a trainer's cancel of a request declines it). */
export async function cancelAppointment(
  sql: Sql,
  input: Readonly<{
    id: string;
    owner: Owner;
    reason: string | null;
    now: Temporal.Instant;
  }>,
): Promise<Outcome> {
  return await sql.begin(async (tx): Promise<Outcome> => {
    const a = await lockOwn(tx, input.id, input.owner);
    if (!a) return fail("not_found");
    const next = cancel(a, input.owner.role, input.now);
    if (!next.ok) return next;
    const now = input.now.toString();
    await tx`
      UPDATE appointments SET status = 'cancelled',
        cancellation_reason = ${input.reason}, cancelled_by = ${next.value.cancelledBy},
        cancelled_at = ${now}, updated_at = ${now}
      WHERE id = ${a.id}`;
    await recordAppointmentEvent(tx, {
      appointmentId: a.id,
      event: next.value.event,
      actor: input.owner.role,
      now: input.now,
    });
    return {
      ok: true,
      appointment: (await getAppointment(tx, a.id, input.owner))!,
    };
  });
}

export type { TrainerChange };

/** A trainer's edit: move and/or resize (checked like a booking), notes, complete, confirm. */
export async function changeAppointment(
  sql: Sql,
  input: Readonly<{
    id: string;
    trainerId: string;
    change: TrainerChange;
    now: Temporal.Instant;
  }>,
): Promise<Outcome> {
  const owner: Owner = { role: "trainer", id: input.trainerId };
  return await inTransaction(sql, async (tx): Promise<Outcome> => {
    const a = await lockOwn(tx, input.id, owner);
    if (!a) return fail("not_found");
    const { change } = input;
    const minutes = change.durationMinutes ??
      Math.round(a.start.until(a.end).total("minutes"));
    const wanted = change.start ?? a.start;
    const busy = await listBusy(
      tx,
      a.trainerId,
      wanted,
      wanted.add({ minutes }),
    );
    const decision = decideChange(a, change, busy, input.now);
    if (!decision.ok) return decision;
    const next = decision.value;
    const now = input.now.toString();
    await tx`
      UPDATE appointments SET
        starts_at = ${next.start.toString()}, ends_at = ${next.end.toString()},
        notes = ${change.notes ?? a.notes}, status = ${next.status},
        completed_at = CASE WHEN ${
      next.status === "completed"
    } AND status <> 'completed'
          THEN ${now}::timestamptz ELSE completed_at END,
        version = version + ${next.moved ? 1 : 0}, updated_at = ${now}
      WHERE id = ${a.id}`;
    for (const event of next.events) {
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

/** Deletes a trainer's session (and, by cascade, its outbox rows), under their lock. */
export async function deleteAppointment(
  sql: Sql,
  input: Readonly<{ id: string; trainerId: string }>,
): Promise<boolean> {
  return await sql.begin(async (tx) => {
    const a = await lockOwn(tx, input.id, {
      role: "trainer",
      id: input.trainerId,
    });
    if (!a) return false;
    await tx`DELETE FROM appointments WHERE id = ${a.id}`;
    return true;
  });
}
