import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context.ts";
import { ApiError, forbidden, invalidFields, notFound } from "./errors.ts";
import { assertRole, assertSignedIn } from "./middleware.ts";
import {
  DateString,
  fieldErrors,
  InstantString,
  json,
  Notes,
  query,
  readJson,
  Reason,
} from "./validation.ts";
import {
  type Appointment,
  deleteAppointment,
  getAppointment,
  listAppointments,
} from "../db/appointments.ts";
import {
  type BookingFailure,
  bookingTransaction,
  type BookInput,
  bookInTransaction,
  cancelAppointment,
  changeAppointment,
  type Outcome,
} from "../db/booking.ts";
import { idempotent, type StoredAnswer } from "../db/idempotency.ts";
import { type Sql, UUID } from "../db/client.ts";
import { isTrainersClient } from "../db/clients.ts";
import { getSettings } from "../db/settings.ts";
import { checkDuration } from "../domain/appointments.ts";
import { dayRange, toOffsetString } from "../domain/time.ts";
import type { AppointmentStatus } from "../domain/types.ts";
import type { User } from "../db/users.ts";
import { sha256 } from "../lib/security.ts";

/** The contract's appointment object (plus a few extra fields). */
export function appointmentJson(a: Appointment) {
  return {
    id: a.id,
    trainerId: a.trainerId,
    clientId: a.clientId,
    start: toOffsetString(a.start, a.timezone),
    end: toOffsetString(a.end, a.timezone),
    duration: Math.round(a.start.until(a.end).total("minutes")),
    status: a.status,
    notes: a.notes,
    cancellationReason: a.cancellationReason,
    cancelledBy: a.cancelledBy,
    clientName: a.clientName,
    trainerName: a.trainerName,
    timezone: a.timezone,
  };
}

const FAILURES: Record<
  BookingFailure,
  { status: 404 | 409 | 422; message: string }
> = {
  in_past: { status: 422, message: "That time is in the past." },
  not_a_slot: {
    status: 422,
    message: "That time is not one of the trainer's slots.",
  },
  slot_taken: {
    status: 409,
    message: "That time has just been taken. Pick another one.",
  },
  not_found: { status: 404, message: "Appointment was not found." },
  already_cancelled: {
    status: 409,
    message: "This session is already cancelled.",
  },
  already_completed: {
    status: 409,
    message: "This session is already completed.",
  },
  not_started: {
    status: 422,
    message: "A session can be completed only once it has started.",
  },
  not_pending: {
    status: 409,
    message: "This session is not waiting for confirmation.",
  },
};

export const failure = (reason: BookingFailure) =>
  new ApiError(FAILURES[reason].status, reason, FAILURES[reason].message);

const Status = z.enum(["scheduled", "pending", "cancelled", "completed"]);

const ClientBooking = z.object({
  start: InstantString,
  notes: Notes.optional(),
});
const TrainerBooking = z.object({
  clientId: z.string({ error: "is required" }).max(64),
  start: InstantString,
  duration: z.number({ error: "must be a number of minutes" }).optional(),
  notes: Notes.optional(),
});
const Patch = z.object({
  start: InstantString.optional(),
  duration: z.number({ error: "must be a number of minutes" }).optional(),
  notes: Notes.optional(),
  status: z.enum(["completed", "scheduled"], {
    error: "may become completed or scheduled",
  }).optional(),
});
const ListQuery = z.object({
  from: DateString.optional(),
  to: DateString.optional(),
  status: z.string().optional().transform((s, ctx) => {
    if (!s) return undefined;
    const parts = s.split(",");
    const bad = parts.filter((p) => !Status.safeParse(p).success);
    if (bad.length) {
      ctx.addIssue({
        code: "custom",
        message: "must be scheduled, pending, cancelled or completed",
      });
      return z.NEVER;
    }
    return parts as AppointmentStatus[];
  }),
});

/** An id that cannot exist is simply "not found" (never a 500 from a bad cast). */
export const idParam = (c: Context, what = "Appointment") => {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) throw notFound(what);
  return id.toLowerCase();
};

const owner = (user: User) => ({ role: user.role, id: user.id });

export const appointmentsApi = new Hono<AppEnv>()
  .post("/appointments", async (c) => {
    const user = assertSignedIn(c);
    const { sql, now } = c.var.deps;
    const raw = await readJson(c);
    const input = parseBooking(user, raw);
    if (
      input.by === "trainer" &&
      !(await isTrainersClient(sql, user.id, input.clientId))
    ) {
      throw new ApiError(
        422,
        "unknown_client",
        "This client is not one of yours.",
      );
    }
    const key = c.req.header("Idempotency-Key");
    if (key !== undefined && (key.length < 1 || key.length > 255)) {
      throw invalidFields({ "Idempotency-Key": "must be 1 to 255 characters" });
    }
    const answer = key === undefined
      ? answerOf(await c.var.book({ ...input, now: now() }))
      : await bookOnce(
        sql,
        { userId: user.id, key, requestHash: requestHashOf(raw) },
        { ...input, now: now() },
      );
    if ("reused" in answer) {
      throw new ApiError(
        422,
        "idempotency_key_reused",
        "This Idempotency-Key was already used for a different request.",
      );
    }
    if (answer.status === 201) c.var.deps.onOutbox?.();
    return c.json(answer.body as object, answer.status as 201);
  })
  .get("/appointments", query(ListQuery), async (c) => {
    const user = assertSignedIn(c);
    const { from, to, status } = c.req.valid("query");
    if (from && to && Temporal.PlainDate.compare(from, to) > 0) {
      throw invalidFields({ to: "must not be before from" });
    }
    const settings = await getSettings(c.var.deps.sql, user.trainerId);
    const tz = settings!.timezone;
    const list = await listAppointments(c.var.deps.sql, {
      owner: owner(user),
      from: from && dayRange(from, from, tz).start,
      to: to && dayRange(to, to, tz).end,
      statuses: status,
    });
    return c.json({ appointments: list.map(appointmentJson) });
  })
  .get("/appointments/:id", async (c) => {
    const user = assertSignedIn(c);
    const a = await getAppointment(c.var.deps.sql, idParam(c), owner(user));
    if (!a) throw notFound("Appointment");
    return c.json(appointmentJson(a));
  })
  .post("/appointments/:id/cancel", async (c) => {
    const user = assertSignedIn(c);
    const id = idParam(c);
    const body = await readJson(c, { optional: true });
    const parsed = z.object({ reason: Reason.nullable().optional() }).safeParse(
      body,
    );
    if (!parsed.success) {
      throw invalidFields({ reason: parsed.error.issues[0].message });
    }
    const reason = parsed.data.reason?.trim() || null;
    const result = await cancelAppointment(c.var.deps.sql, {
      id,
      owner: owner(user),
      reason,
      now: c.var.deps.now(),
    });
    if (!result.ok) throw failure(result.reason);
    c.var.deps.onOutbox?.();
    return c.json(appointmentJson(result.appointment));
  })
  .patch("/appointments/:id", json(Patch), async (c) => {
    const user = assertSignedIn(c);
    if (user.role !== "trainer") throw forbidden();
    const id = idParam(c);
    const body = c.req.valid("json");
    if (body.duration !== undefined) {
      const problem = checkDuration(body.duration);
      if (problem) throw invalidFields({ duration: problem });
    }
    const result = await changeAppointment(c.var.deps.sql, {
      id,
      trainerId: user.id,
      change: {
        start: body.start,
        durationMinutes: body.duration,
        notes: body.notes,
        status: body.status,
      },
      now: c.var.deps.now(),
    });
    if (!result.ok) throw failure(result.reason);
    c.var.deps.onOutbox?.();
    return c.json(appointmentJson(result.appointment));
  })
  .delete("/appointments/:id", async (c) => {
    const trainer = assertRole(c, "trainer");
    const removed = await deleteAppointment(
      c.var.deps.sql,
      idParam(c),
      trainer.id,
    );
    if (!removed) throw notFound("Appointment");
    return c.body(null, 204);
  });

/** The fingerprint of a request body: a key sent again with another body is refused. */
export const requestHashOf = (body: unknown) =>
  Array.from(
    sha256(JSON.stringify(body)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");

/**
 * Books at most once per (user, key), in one transaction with the stored answer: a
 * repeated request (a double tap, a retry after a timeout, another app process) gets
 * the first answer again; the same key with another request gets `reused`.
 */
export async function bookOnce(
  sql: Sql,
  key: Readonly<{ userId: string; key: string; requestHash: string }>,
  input: BookInput,
): Promise<StoredAnswer | { reused: true }> {
  const answer = await bookingTransaction(
    sql,
    (tx) =>
      idempotent(tx, { ...key, now: input.now }, async () => {
        const [result] = await bookInTransaction(tx, [input]);
        return answerOf(result);
      }),
  );
  // The exclusion constraint's last word rolled everything back, the key included.
  return "ok" in answer ? answerOf(answer) : answer;
}

/** A booking's outcome as the status and body it answers (and an idempotent replay repeats). */
function answerOf(result: Outcome): StoredAnswer {
  return result.ok
    ? { status: 201, body: appointmentJson(result.appointment) }
    : {
      status: FAILURES[result.reason].status,
      body: failure(result.reason).toJSON(),
    };
}

type BookingRequest =
  | {
    by: "client";
    trainerId: string;
    clientId: string;
    start: Temporal.Instant;
    notes: string;
  }
  | {
    by: "trainer";
    trainerId: string;
    clientId: string;
    start: Temporal.Instant;
    durationMinutes?: number;
    notes: string;
  };

function parseBooking(user: User, raw: unknown): BookingRequest {
  if (user.role === "client") {
    const parsed = ClientBooking.safeParse(raw);
    if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
    return {
      by: "client",
      trainerId: user.trainerId,
      clientId: user.id,
      start: parsed.data.start,
      notes: parsed.data.notes ?? "",
    };
  }
  const parsed = TrainerBooking.safeParse(raw);
  if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
  const { clientId, start, duration, notes } = parsed.data;
  if (duration !== undefined) {
    const problem = checkDuration(duration);
    if (problem) throw invalidFields({ duration: problem });
  }
  return {
    by: "trainer",
    trainerId: user.id,
    clientId,
    start,
    durationMinutes: duration,
    notes: notes ?? "",
  };
}
