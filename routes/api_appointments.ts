import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context.ts";
import { forbidden, invalidFields, notFound } from "./errors.ts";
import { assertRole, assertSignedIn } from "./middleware.ts";
import {
  DateString,
  fieldErrors,
  idParam,
  InstantString,
  json,
  Notes,
  query,
  readJson,
  Reason,
  requestHashOf,
} from "./validation.ts";
import {
  apiFailure,
  appointmentJson,
  bookingAnswer,
  localizedAnswer,
} from "./outcomes.ts";
import { viewerLanguage } from "./language.ts";
import { getAppointment, listAppointments } from "../db/appointments.ts";
import {
  bookAppointment,
  bookAppointmentOnce,
  cancelAppointment,
  changeAppointment,
  deleteAppointment,
  moveAppointment,
} from "../db/lifecycle.ts";
import { UUID } from "../db/client.ts";
import { getSettings } from "../db/settings.ts";
import { dayRange } from "../domain/time.ts";
import type { AppointmentStatus } from "../domain/types.ts";
import type { User } from "../db/users.ts";

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
  useCredit: z.boolean({ error: "must be true or false" }).optional(),
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

const owner = (user: User) => ({ role: user.role, id: user.id });

export const appointmentsApi = new Hono<AppEnv>()
  .post("/appointments", async (c) => {
    const user = assertSignedIn(c);
    const { sql, now } = c.get("deps");
    const raw = await readJson(c);
    const input = parseBooking(user, raw);
    // An id that cannot exist is nobody's client (and must not reach a uuid cast).
    if (!UUID.test(input.clientId)) throw apiFailure("unknown_client");
    const key = c.req.header("Idempotency-Key");
    if (key !== undefined && (key.length < 1 || key.length > 255)) {
      throw invalidFields({ "Idempotency-Key": "must be 1 to 255 characters" });
    }
    const answer = key === undefined
      ? bookingAnswer(await bookAppointment(sql, { ...input, now: now() }))
      : await bookAppointmentOnce(
        sql,
        { userId: user.id, key, requestHash: requestHashOf(raw) },
        { ...input, now: now() },
        bookingAnswer,
      );
    if ("reused" in answer) throw apiFailure("idempotency_key_reused");
    if (answer.status === 201) c.get("deps").onOutbox?.();
    const said = localizedAnswer(answer, viewerLanguage(c), user.role);
    return c.json(said.body as object, said.status as 201);
  })
  .get("/appointments", query(ListQuery), async (c) => {
    const user = assertSignedIn(c);
    const { from, to, status } = c.req.valid("query");
    if (from && to && Temporal.PlainDate.compare(from, to) > 0) {
      throw invalidFields({ to: "must not be before from" });
    }
    const settings = await getSettings(c.get("deps").sql, user.trainerId);
    const tz = settings!.timezone;
    const list = await listAppointments(c.get("deps").sql, {
      owner: owner(user),
      from: from && dayRange(from, from, tz).start,
      to: to && dayRange(to, to, tz).end,
      statuses: status,
    });
    return c.json({ appointments: list.map(appointmentJson) });
  })
  .get("/appointments/:id", async (c) => {
    const user = assertSignedIn(c);
    const a = await getAppointment(c.get("deps").sql, idParam(c), owner(user));
    if (!a) throw notFound("Appointment");
    return c.json(appointmentJson(a));
  })
  .post("/appointments/:id/cancel", async (c) => {
    const user = assertSignedIn(c);
    const id = idParam(c);
    const body = await readJson(c, { optional: true });
    const parsed = z.object({
      reason: Reason.nullable().optional(),
      refund: z.boolean({ error: "must be true or false" }).optional(),
    }).safeParse(body);
    if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
    const reason = parsed.data.reason?.trim() || null;
    const result = await cancelAppointment(c.get("deps").sql, {
      id,
      owner: owner(user),
      reason,
      now: c.get("deps").now(),
      // Only a trainer may keep a cancelled session's credit used.
      refund: user.role === "trainer" ? parsed.data.refund : undefined,
    });
    if (!result.ok) throw apiFailure(result.reason);
    c.get("deps").onOutbox?.();
    return c.json(appointmentJson(result.appointment));
  })
  .post("/appointments/:id/move", async (c) => {
    const user = assertSignedIn(c);
    const id = idParam(c);
    const parsed = z.object({ start: InstantString }).safeParse(
      await readJson(c),
    );
    if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
    const result = await moveAppointment(c.get("deps").sql, {
      id,
      owner: owner(user),
      start: parsed.data.start,
      now: c.get("deps").now(),
    });
    if (!result.ok) throw apiFailure(result.reason);
    c.get("deps").onOutbox?.();
    return c.json(appointmentJson(result.appointment));
  })
  .patch("/appointments/:id", json(Patch), async (c) => {
    const user = assertSignedIn(c);
    if (user.role !== "trainer") throw forbidden();
    const id = idParam(c);
    // The length is judged by the domain with the rest of the change.
    const body = c.req.valid("json");
    const result = await changeAppointment(c.get("deps").sql, {
      id,
      trainerId: user.id,
      change: {
        start: body.start,
        durationMinutes: body.duration,
        notes: body.notes,
        status: body.status,
      },
      now: c.get("deps").now(),
    });
    if (!result.ok) throw apiFailure(result.reason);
    c.get("deps").onOutbox?.();
    return c.json(appointmentJson(result.appointment));
  })
  .delete("/appointments/:id", async (c) => {
    const trainer = assertRole(c, "trainer");
    const removed = await deleteAppointment(c.get("deps").sql, {
      id: idParam(c),
      trainerId: trainer.id,
      now: c.get("deps").now(),
    });
    // The contract deletes any session here (204), so only the pages refuse a known one.
    if (removed === "not_found") throw notFound("Appointment");
    return c.body(null, 204);
  });

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
    useCredit?: boolean;
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
  // The length is judged by the booking's decision (`invalid_duration`).
  const { clientId, start, duration, notes, useCredit } = parsed.data;
  return {
    by: "trainer",
    trainerId: user.id,
    clientId,
    start,
    durationMinutes: duration,
    notes: notes ?? "",
    useCredit,
  };
}
