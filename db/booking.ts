/**
 * The imperative shell around bookings: every change runs in one transaction that
 * holds the trainer's advisory lock, re-checks the rules with the domain module,
 * writes, and records the outbox row. The exclusion constraint is the last guard.
 */
import type { Queryable, Sql, Tx } from "./client.ts";
import { isUnavailable, sqlState } from "./client.ts";
import {
  type Appointment,
  getAppointment,
  hasOverlap,
  lockTrainer,
  type Owner,
  updateAppointment,
} from "./appointments.ts";
import {
  bookingNotifications,
  notificationsInsert,
  recordAppointmentEvent,
} from "./notifications.ts";
import * as transitions from "../domain/appointments.ts";
import {
  type BookingRules,
  decideBooking,
  MAX_SESSION_MINUTES,
} from "../domain/appointments.ts";
import type { Actor, BusyInterval } from "../domain/types.ts";

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

/** What the rules of one booking need, read under the trainer's lock. */
type BookingContext = Readonly<{
  rules: BookingRules;
  remindersEnabled: boolean;
  reminderMinutes: number;
  trainerName: string;
  clientName: string;
  /** Live sessions that can overlap a booking starting at the wanted start. */
  busy: BusyInterval[];
}>;

type ContextRow = {
  timezone: string | null;
  slot_minutes: number;
  working_hours: BookingRules["workingHours"];
  holidays: string[];
  reminders_enabled: boolean;
  reminder_minutes: number;
  requires_confirmation: boolean;
  trainer_name: string | null;
  client_name: string | null;
  /** [id, client id, start ms, end ms] of each live session near the wanted start. */
  busy: [string, string, number, number][];
};

/**
 * Books sessions inside `tx` (the caller's transaction), in two flights to the database
 * however many there are: first the trainers' locks together with what the rules need
 * (sent at once, the reads run after every lock is granted, so they see each booking
 * committed before), then every accepted session and its notifications in one statement.
 * Inputs are decided in order, each seeing the ones accepted before it, so two inputs
 * for one slot get one session and one `slot_taken`.
 */
export async function bookInTransaction(
  tx: Queryable,
  inputs: readonly BookInput[],
): Promise<Outcome[]> {
  const [, contexts] = await Promise.all([
    lockTrainers(tx, inputs.map((i) => i.trainerId)),
    loadBookingContexts(tx, inputs),
  ]);
  const accepted = new Map<string, BusyInterval[]>();
  const outcomes: Outcome[] = [];
  const written: Written[] = [];
  inputs.forEach((input, i) => {
    const context = contexts[i];
    if (!context) return outcomes.push(fail("not_found"));
    // Busy time as read, plus the sessions this batch already accepted for the trainer.
    const busy = accepted.get(input.trainerId) ?? [...context.busy];
    accepted.set(input.trainerId, busy);
    const decision = decideBooking(input, context.rules, busy);
    if (!decision.ok) return outcomes.push(fail(decision.reason));
    const appointment: Appointment = {
      id: crypto.randomUUID(),
      trainerId: input.trainerId,
      clientId: input.clientId,
      clientName: context.clientName,
      trainerName: context.trainerName,
      timezone: context.rules.timezone,
      start: input.start,
      end: decision.end,
      status: decision.status,
      notes: input.notes,
      cancellationReason: null,
      cancelledBy: null,
      cancelledAt: null,
      createdAt: input.now,
      version: 1,
    };
    busy.push({
      appointmentId: appointment.id,
      clientId: appointment.clientId,
      start: appointment.start,
      end: appointment.end,
    });
    written.push({ appointment, context, by: input.by });
    outcomes.push({ ok: true, appointment });
  });
  await writeBookings(tx, written);
  return outcomes;
}

type Written = Readonly<{
  appointment: Appointment;
  context: BookingContext;
  by: Actor;
}>;

/**
 * Every trainer's booking lock, in one statement, in a fixed order (by lock key): two
 * transactions that want some of the same trainers cannot wait on each other in a cycle.
 */
async function lockTrainers(tx: Queryable, trainerIds: readonly string[]) {
  const keys = [...new Set(trainerIds)].map((id) => `trainer:${id}`);
  await tx`
    SELECT count(pg_advisory_xact_lock(key)) FROM (
      SELECT DISTINCT hashtextextended(k, 0) AS key FROM unnest(${keys}::text[]) k
      ORDER BY key
    ) ordered`;
}

/** Settings, names and nearby busy time for each input, in input order. */
async function loadBookingContexts(
  tx: Queryable,
  inputs: readonly BookInput[],
): Promise<(BookingContext | undefined)[]> {
  const rows = await tx<ContextRow[]>`
    SELECT t.timezone, t.slot_minutes, t.working_hours, t.reminders_enabled,
      t.reminder_minutes, t.requires_confirmation,
      ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(t.holidays) d ORDER BY d) AS holidays,
      tu.name AS trainer_name, cu.name AS client_name,
      (SELECT coalesce(json_agg(json_build_array(a.id, a.client_id,
          floor(extract(epoch FROM a.starts_at) * 1000),
          ceil(extract(epoch FROM a.ends_at) * 1000))), '[]')
       FROM appointments a
       WHERE a.trainer_id = r.trainer_id AND a.status IN ('scheduled', 'pending')
         -- the exclusion constraint's GiST index answers this without scanning history
         AND tstzrange(a.starts_at, a.ends_at) &&
           tstzrange(r.start_at, r.start_at + ${MAX_SESSION_MINUTES} * interval '1 minute')
      ) AS busy
    FROM unnest(${inputs.map((i) => i.trainerId)}::uuid[],
      ${inputs.map((i) => i.clientId)}::uuid[],
      ${inputs.map((i) => i.start.toString())}::timestamptz[])
      WITH ORDINALITY AS r(trainer_id, client_id, start_at, n)
    LEFT JOIN trainers t ON t.user_id = r.trainer_id
    LEFT JOIN users tu ON tu.id = r.trainer_id
    LEFT JOIN users cu ON cu.id = r.client_id
    ORDER BY r.n`;
  return rows.map((r) => {
    if (
      r.timezone === null || r.trainer_name === null || r.client_name === null
    ) {
      return undefined;
    }
    return {
      rules: {
        timezone: r.timezone,
        slotMinutes: r.slot_minutes,
        workingHours: r.working_hours,
        holidays: r.holidays,
        requiresConfirmation: r.requires_confirmation,
      },
      remindersEnabled: r.reminders_enabled,
      reminderMinutes: r.reminder_minutes,
      trainerName: r.trainer_name,
      clientName: r.client_name,
      busy: r.busy.map(([appointmentId, clientId, start, end]) => ({
        appointmentId,
        clientId,
        start: Temporal.Instant.fromEpochMilliseconds(start),
        end: Temporal.Instant.fromEpochMilliseconds(end),
      })),
    };
  });
}

/** The accepted sessions and their outbox rows, in one statement. */
async function writeBookings(tx: Queryable, written: readonly Written[]) {
  if (written.length === 0) return;
  const rows = written.flatMap(({ appointment: a, context, by }) =>
    bookingNotifications(
      {
        id: a.id,
        trainer_id: a.trainerId,
        client_id: a.clientId,
        starts_at: new Date(a.start.epochMilliseconds),
        ends_at: new Date(a.end.epochMilliseconds),
        status: a.status,
        version: a.version,
        cancellation_reason: null,
        timezone: a.timezone,
        reminders_enabled: context.remindersEnabled,
        reminder_minutes: context.reminderMinutes,
        trainer_name: a.trainerName,
        client_name: a.clientName,
      },
      by,
      new Date(a.createdAt.epochMilliseconds),
    )
  );
  const list = written.map((w) => w.appointment);
  const ids = list.map((a) => a.id);
  const trainers = list.map((a) => a.trainerId);
  const clients = list.map((a) => a.clientId);
  const starts = list.map((a) => a.start.toString());
  const ends = list.map((a) => a.end.toString());
  const statuses = list.map((a) => a.status);
  const notes = list.map((a) => a.notes);
  const created = list.map((a) => a.createdAt.toString());
  await tx`
    WITH booked AS (
      INSERT INTO appointments (id, trainer_id, client_id, starts_at, ends_at, status, notes,
        created_at, updated_at)
      SELECT id, trainer_id, client_id, starts_at, ends_at, status, notes, created_at, created_at
      FROM unnest(${ids}::uuid[], ${trainers}::uuid[], ${clients}::uuid[],
        ${starts}::timestamptz[], ${ends}::timestamptz[], ${statuses}::text[],
        ${notes}::text[], ${created}::timestamptz[])
        AS a(id, trainer_id, client_id, starts_at, ends_at, status, notes, created_at)
    )
    ${notificationsInsert(tx, rows)}`;
}

/** Books one session in its own transaction. */
export async function book(sql: Sql, input: BookInput): Promise<Outcome> {
  const result = await bookingTransaction(
    sql,
    (tx) => bookInTransaction(tx, [input]),
  );
  return "ok" in result ? result : result[0];
}

/**
 * Books through one shared transaction per batch: requests that arrive while earlier
 * batches are in flight wait and go together, so under load a booking costs a share of
 * one lock round, one insert and one commit instead of all of them. An idle booker
 * starts a request at once (no added wait). A batch that fails as a whole (a constraint
 * or input error raised by one of its sessions) is rolled back and every request in it
 * is tried again alone, so each gets its own answer.
 *
 * ```ts
 * const booker = createBooker(sql);
 * const outcome = await booker.book({ trainerId, clientId, by: "client", start, notes: "", now });
 * ```
 */
export function createBooker(
  sql: Sql,
  options: Readonly<{
    maxBatch?: number;
    /** Batch transactions of this booker at once (each holds a pooled connection). */
    maxInFlight?: number;
    /** Told of each batch once answered: its size, and whether it had to be retried alone. */
    onBatch?: (
      batch: Readonly<{ size: number; retriedAlone: boolean }>,
    ) => void;
  }> = {},
): { book: (input: BookInput) => Promise<Outcome> } {
  const maxBatch = options.maxBatch ?? 64;
  const maxInFlight = options.maxInFlight ?? 2;
  type Waiting = {
    input: BookInput;
    resolve: (outcome: Outcome) => void;
    reject: (error: unknown) => void;
  };
  const queue: Waiting[] = [];
  let inFlight = 0;

  const run = async (batch: Waiting[]) => {
    if (batch.length === 1) {
      options.onBatch?.({ size: 1, retriedAlone: false });
      const [only] = batch;
      return await book(sql, only.input).then(only.resolve, only.reject);
    }
    let outcomes: Outcome[] | undefined;
    try {
      const result = await bookingTransaction(
        sql,
        (tx) => bookInTransaction(tx, batch.map((w) => w.input)),
      );
      if (!("ok" in result)) outcomes = result;
    } catch (error) {
      // The connection was lost, maybe during COMMIT: the batch may have committed, and
      // a retry alone would then answer slot_taken for a session that exists. Its outcome
      // is unknown, and every request in it is told so (503 unavailable).
      if (isUnavailable(error)) return batch.forEach((w) => w.reject(error));
      /* one request's failure must not become the others': alone below */
    }
    options.onBatch?.({ size: batch.length, retriedAlone: !outcomes });
    if (outcomes) return batch.forEach((w, i) => w.resolve(outcomes[i]));
    await Promise.all(
      batch.map((w) => book(sql, w.input).then(w.resolve, w.reject)),
    );
  };
  const pump = () => {
    while (inFlight < maxInFlight && queue.length > 0) {
      inFlight++;
      run(queue.splice(0, maxBatch)).finally(() => {
        inFlight--;
        pump();
      });
    }
  };
  return {
    book: (input) =>
      new Promise<Outcome>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        pump();
      }),
  };
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
