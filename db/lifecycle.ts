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
  listBusyNear,
  listKnownToClient,
  lockTrainer,
  type Owner,
} from "./appointments.ts";
import { notificationsInsert, recordAppointmentEvent } from "./outbox.ts";
import { listBusyElsewhereNear } from "./busy_times.ts";
import { idempotent, type StoredAnswer } from "./idempotency.ts";
import {
  getSettings,
  SETTINGS_COLUMNS,
  type SettingsRow,
  toSettings,
} from "./settings.ts";
import {
  cancel,
  decideBooking,
  decideChange,
  decideMove,
  type Failure,
  mayDelete,
  newAppointment,
  type SeenState,
  type TrainerChange,
  unchangedSince,
} from "../domain/appointments.ts";
import { planCreditsLow, planEvent } from "../domain/notifications.ts";
import type { Actor } from "../domain/types.ts";
import { listOpenGrants, writeCreditMoves } from "./credits.ts";
import {
  creditDay,
  decideCreditUse,
  leavesLowBalance,
  returnOnCancel,
  returnOnDelete,
} from "../domain/credits.ts";

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
  /** A trainer's `false` books without spending one of the client's credits. */
  useCredit?: boolean;
}>;

type ContextRow = SettingsRow & {
  trainer_name: string;
  client_name: string | null;
};

/** The trainer's rules and names for a change, or `undefined` if the client is not theirs. */
async function loadContext(
  tx: Queryable,
  trainerId: string,
  clientId: string,
) {
  const [row] = await tx<ContextRow[]>`
    SELECT ${tx.unsafe(SETTINGS_COLUMNS)}, tu.name AS trainer_name,
      (SELECT cu.name FROM clients c JOIN users cu ON cu.id = c.user_id
       WHERE c.user_id = ${clientId} AND c.trainer_id = t.user_id) AS client_name
    FROM trainers t JOIN users tu ON tu.id = t.user_id
    WHERE t.user_id = ${trainerId}`;
  if (!row || row.client_name === null) return undefined;
  return {
    settings: toSettings(row),
    trainerName: row.trainer_name,
    clientName: row.client_name,
  };
}

/**
 * Books one session: lock, read, decide, write the session and its outbox rows (the
 * notice to the other side and the reminders ahead) in one statement, and the credit it
 * uses, if any.
 */
async function bookIn(tx: Tx, input: BookInput): Promise<Outcome> {
  // Sent together, run in order on the transaction's connection: the reads start once
  // the lock is granted, so they see every booking committed before it (one round trip).
  const [, context, busy, grants, elsewhere] = await Promise.all([
    lockTrainer(tx, input.trainerId),
    loadContext(tx, input.trainerId, input.clientId),
    listBusyNear(tx, input.trainerId, input.start),
    listOpenGrants(tx, input.clientId),
    // Busy time from the trainer's other calendars binds clients only.
    input.by === "client"
      ? listBusyElsewhereNear(tx, input.trainerId, input.start)
      : [],
  ]);
  if (!context) return fail("unknown_client");
  const rules = context.settings;
  const credit = decideCreditUse({
    by: input.by,
    requireCredit: rules.requireCredit,
    useCredit: input.useCredit,
    grants,
    day: creditDay(input.now, rules.timezone),
  });
  const decision = decideBooking({ ...input, credit }, rules, busy, elsewhere);
  if (!decision.ok) return decision;
  if (!credit.ok) return fail(credit.reason);
  const use = credit.value;
  const appointment = newAppointment({
    id: crypto.randomUUID(),
    trainerId: input.trainerId,
    clientId: input.clientId,
    clientName: context.clientName,
    trainerName: context.trainerName,
    timezone: rules.timezone,
    start: input.start,
    end: decision.value.end,
    status: decision.value.status,
    notes: input.notes,
    createdAt: input.now,
    seriesId: null,
    creditGrantId: use.grantId,
    creditReturned: false,
  });

  const snapshot = {
    ...appointment,
    remindersEnabled: rules.remindersEnabled,
    reminderMinutes: rules.reminderMinutes,
  };
  const plan = planEvent(snapshot, {
    event: "booked",
    actor: input.by,
    now: input.now,
  });
  const rows = leavesLowBalance(use)
    ? [...plan.rows, planCreditsLow(snapshot, use.balanceAfter, input.now)]
    : plan.rows;
  const a = appointment;
  await tx`
    WITH booked AS (
      INSERT INTO appointments (id, trainer_id, client_id, starts_at, ends_at, status, notes,
        created_at, updated_at, credit_grant_id)
      VALUES (${a.id}, ${a.trainerId}, ${a.clientId}, ${a.start.toString()},
        ${a.end.toString()}, ${a.status}, ${a.notes}, ${a.createdAt.toString()},
        ${a.createdAt.toString()}, ${use.grantId})
    )
    ${notificationsInsert(tx, rows)}`;
  if (use.grantId) {
    await writeCreditMoves(tx, [{
      grantId: use.grantId,
      kind: "used",
      appointmentId: a.id,
      classId: null,
    }], input.now);
  }
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

/**
 * Cancels a live session (a trainer's cancel of a request declines it), returning its
 * credit unless a trainer's `refund: false` keeps it used. With `seen`, only while the
 * session is still as seen (a press on a chat message), else `session_changed`.
 */
export async function cancelAppointment(
  sql: Sql,
  input: Readonly<{
    id: string;
    owner: Owner;
    reason: string | null;
    now: Temporal.Instant;
    /** A trainer's `false` keeps the credit of a scheduled session used. */
    refund?: boolean;
    seen?: SeenState;
  }>,
): Promise<Outcome> {
  return await sql.begin(async (tx): Promise<Outcome> => {
    const a = await lockOwn(tx, input.id, input.owner);
    if (!a) return fail("not_found");
    const unchanged = unchangedSince(a, input.seen);
    if (!unchanged.ok) return unchanged;
    const settings = (await getSettings(tx, a.trainerId))!;
    const next = cancel(a, input.owner.role, input.now, settings);
    if (!next.ok) return next;
    const grantId = returnOnCancel(a, input.owner.role, input.refund ?? true);
    const now = input.now.toString();
    await tx`
      UPDATE appointments SET status = 'cancelled',
        cancellation_reason = ${input.reason}, cancelled_by = ${next.value.cancelledBy},
        cancelled_at = ${now}, updated_at = ${now},
        credit_returned = credit_returned OR ${grantId !== undefined}
      WHERE id = ${a.id}`;
    if (grantId) {
      await writeCreditMoves(tx, [{
        grantId,
        kind: "returned",
        appointmentId: a.id,
        classId: null,
      }], input.now);
    }
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

/**
 * A trainer's edit: move and/or resize (checked like a booking), notes, complete, confirm.
 * With `seen`, only while the session is still as seen, else `session_changed`.
 */
export async function changeAppointment(
  sql: Sql,
  input: Readonly<{
    id: string;
    trainerId: string;
    change: TrainerChange;
    now: Temporal.Instant;
    seen?: SeenState;
  }>,
): Promise<Outcome> {
  const owner: Owner = { role: "trainer", id: input.trainerId };
  return await inTransaction(sql, async (tx): Promise<Outcome> => {
    const a = await lockOwn(tx, input.id, owner);
    if (!a) return fail("not_found");
    const unchanged = unchangedSince(a, input.seen);
    if (!unchanged.ok) return unchanged;
    const { change } = input;
    // Around the wanted start, whatever length was asked for: the domain judges it.
    const busy = await listBusyNear(tx, a.trainerId, change.start ?? a.start);
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

/**
 * Moves a session to `start`, keeping its length, status and notes
 * (`POST /api/appointments/{id}/move`): a client only their own session, to a start they
 * could book now (policies included); a trainer like a `PATCH` of the start. The old
 * time is freed only as the new one is taken, in this one transaction.
 */
export async function moveAppointment(
  sql: Sql,
  input: Readonly<{
    id: string;
    owner: Owner;
    start: Temporal.Instant;
    now: Temporal.Instant;
  }>,
): Promise<Outcome> {
  return await inTransaction(sql, async (tx): Promise<Outcome> => {
    const a = await lockOwn(tx, input.id, input.owner);
    if (!a) return fail("not_found");
    const [settings, busy, elsewhere] = await Promise.all([
      getSettings(tx, a.trainerId),
      listBusyNear(tx, a.trainerId, input.start),
      input.owner.role === "client"
        ? listBusyElsewhereNear(tx, a.trainerId, input.start)
        : [],
    ]);
    const decision = decideMove(
      a,
      { by: input.owner.role, start: input.start, now: input.now },
      settings!,
      busy,
      elsewhere,
    );
    if (!decision.ok) return decision;
    const { start, end } = decision.value;
    if (!start.equals(a.start)) {
      const now = input.now.toString();
      await tx`
        UPDATE appointments SET starts_at = ${start.toString()}, ends_at = ${end.toString()},
          version = version + 1, updated_at = ${now}
        WHERE id = ${a.id}`;
      await recordAppointmentEvent(tx, {
        appointmentId: a.id,
        event: "moved",
        actor: input.owner.role,
        now: input.now,
      });
    }
    return {
      ok: true,
      appointment: (await getAppointment(tx, a.id, input.owner))!,
    };
  });
}

/**
 * Deletes a trainer's session (and, by cascade, its outbox rows), under their lock; a
 * credit still in use by it goes back to its grant.
 */
export async function deleteAppointment(
  sql: Sql,
  input: Readonly<{
    id: string;
    trainerId: string;
    now: Temporal.Instant;
    /** Refuse (domain/appointments.ts mayDelete) what the client already knows about. */
    onlyUntold?: boolean;
  }>,
): Promise<"deleted" | "not_found" | "client_was_told"> {
  return await sql.begin(async (tx) => {
    const a = await lockOwn(tx, input.id, {
      role: "trainer",
      id: input.trainerId,
    });
    if (!a) return "not_found";
    if (input.onlyUntold) {
      const rule = mayDelete(
        a,
        (await listKnownToClient(tx, [a.id])).has(a.id),
        input.now,
      );
      if (!rule.ok) return "client_was_told";
    }
    const grantId = returnOnDelete(a);
    if (grantId) {
      await writeCreditMoves(tx, [{
        grantId,
        kind: "returned",
        appointmentId: a.id,
        classId: null,
      }], input.now);
    }
    await tx`DELETE FROM appointments WHERE id = ${a.id}`;
    return "deleted";
  });
}
