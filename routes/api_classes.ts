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
  Notes,
  query,
  readJson,
  Reason,
} from "./validation.ts";
import { apiFailure, durationProblem } from "./outcomes.ts";
import {
  cancelClass,
  type ClassOutcome,
  createClass,
  getClass,
  getSeat,
  type GroupClass,
  listClassesInRange,
  listClientClassesInRange,
  listSeats,
  type Seat,
} from "../db/classes.ts";
import { leaveClass, takeSeat } from "../db/class_seats.ts";
import { getSettings } from "../db/settings.ts";
import { editClass } from "../db/class_edit.ts";
import { seatsLeft } from "../domain/classes.ts";
import { dayRange, toOffsetString } from "../domain/time.ts";
import type { User } from "../db/users.ts";

/** Most days one class list may span. */
export const MAX_CLASS_DAYS = 62;

const NewClassBody = z.object({
  title: z.string({ error: "is required" }).trim().min(1, "is required").max(
    200,
    "must be at most 200 characters",
  ),
  start: InstantString,
  duration: z.number({ error: "must be a number of minutes" }).optional(),
  capacity: z.number({ error: "must be a whole number from 2 to 50" }).int(
    "must be a whole number from 2 to 50",
  ).min(2, "must be a whole number from 2 to 50").max(
    50,
    "must be a whole number from 2 to 50",
  ),
  notes: Notes.optional(),
});
const EditClassBody = NewClassBody.partial();
const RangeQuery = z.object({ from: DateString, to: DateString });
const ReasonBody = z.object({ reason: Reason.nullable().optional() });
const TrainerSeatBody = z.object({
  clientId: z.string({ error: "is required" }).max(64),
  useCredit: z.boolean({ error: "must be true or false" }).optional(),
});

/** The contract's class object. */
export function classJson(c: GroupClass) {
  return {
    id: c.id,
    trainerId: c.trainerId,
    title: c.title,
    start: toOffsetString(c.start, c.timezone),
    end: toOffsetString(c.end, c.timezone),
    duration: Math.round(c.start.until(c.end).total("minutes")),
    capacity: c.capacity,
    booked: c.booked,
    waitlisted: c.waitlisted,
    seatsLeft: seatsLeft(c),
    status: c.status,
    notes: c.notes,
    cancellationReason: c.cancellationReason,
  };
}

const clientView = (
  c: GroupClass,
  seat: Pick<Seat, "status" | "position"> | undefined,
) => ({
  ...classJson(c),
  mine: seat?.status ?? null,
  position: seat?.position ?? null,
});

const seatJson = (s: Seat) => ({
  classId: s.classId,
  clientId: s.clientId,
  status: s.status,
  position: s.position,
  creditGrantId: s.creditGrantId ?? null,
});

/** The refusal of a class change as the contract's error (404s are the class's). */
function failure(
  outcome: Extract<ClassOutcome<unknown>, { ok: false }>,
  what = "Class",
) {
  return outcome.reason === "not_found"
    ? notFound(what)
    : apiFailure(outcome.reason);
}

async function reasonOf(c: Parameters<typeof readJson>[0]) {
  const parsed = ReasonBody.safeParse(await readJson(c, { optional: true }));
  if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
  return parsed.data.reason?.trim() || null;
}

/** The trainer whose classes `user` may see and join: their own, or their trainer's. */
const trainerOf = (user: User) => user.trainerId;

/** Group classes: `POST /api/classes`, seats, cancel, and the lists (see api.md). */
export const classesApi = new Hono<AppEnv>()
  .post("/classes", async (c) => {
    const trainer = assertRole(c, "trainer");
    const parsed = NewClassBody.safeParse(await readJson(c));
    if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
    const body = parsed.data;
    if (body.duration !== undefined) {
      const problem = durationProblem(body.duration);
      if (problem) throw invalidFields({ duration: problem });
    }
    const result = await createClass(c.get("deps").sql, {
      trainerId: trainer.id,
      title: body.title,
      start: body.start,
      durationMinutes: body.duration,
      capacity: body.capacity,
      notes: body.notes ?? "",
      now: c.get("deps").now(),
    });
    if (!result.ok) throw failure(result);
    return c.json(classJson(result.value), 201);
  })
  .patch("/classes/:id", async (c) => {
    const trainer = assertRole(c, "trainer");
    const classId = idParam(c, "Class");
    const parsed = EditClassBody.safeParse(await readJson(c));
    if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
    const body = parsed.data;
    if (body.duration !== undefined) {
      const problem = durationProblem(body.duration);
      if (problem) throw invalidFields({ duration: problem });
    }
    const result = await editClass(c.get("deps").sql, {
      classId,
      trainerId: trainer.id,
      change: {
        title: body.title,
        start: body.start,
        durationMinutes: body.duration,
        capacity: body.capacity,
        notes: body.notes,
      },
      now: c.get("deps").now(),
    });
    if (!result.ok) throw failure(result);
    c.get("deps").onOutbox?.();
    return c.json(classJson(result.value));
  })
  .get("/trainers/:trainerId/classes", query(RangeQuery), async (c) => {
    const user = assertSignedIn(c);
    const trainerId = c.req.param("trainerId");
    if (trainerOf(user) !== trainerId) throw notFound("Trainer");
    const { from, to } = c.req.valid("query");
    const days = from.until(to, { largestUnit: "days" }).days + 1;
    if (days < 1) throw invalidFields({ to: "must not be before from" });
    if (days > MAX_CLASS_DAYS) {
      throw invalidFields({ to: `at most ${MAX_CLASS_DAYS} days in all` });
    }
    const { sql } = c.get("deps");
    const settings = (await getSettings(sql, trainerId))!;
    const range = dayRange(from, to, settings.timezone);
    if (user.role === "trainer") {
      const classes = await listClassesInRange(
        sql,
        trainerId,
        range.start,
        range.end,
      );
      return c.json({ classes: classes.map(classJson) });
    }
    const classes = await listClientClassesInRange(
      sql,
      trainerId,
      user.id,
      range.start,
      range.end,
    );
    return c.json({
      classes: classes.map((k) =>
        clientView(
          k,
          k.mine ? { status: k.mine, position: k.position } : undefined,
        )
      ),
    });
  })
  .get("/classes/:id", async (c) => {
    const user = assertSignedIn(c);
    const { sql } = c.get("deps");
    const k = await getClass(sql, idParam(c, "Class"), trainerOf(user));
    if (!k) throw notFound("Class");
    if (user.role === "client") {
      return c.json(clientView(k, await getSeat(sql, k.id, user.id)));
    }
    const seats = await listSeats(sql, k.id);
    const at = (i: Temporal.Instant) => toOffsetString(i, k.timezone);
    return c.json({
      ...classJson(k),
      roster: seats.filter((s) => s.status === "booked").map((s) => ({
        clientId: s.clientId,
        name: s.clientName,
        bookedAt: at(s.bookedAt!),
        creditGrantId: s.creditGrantId ?? null,
      })),
      waitlist: seats.filter((s) => s.status === "waitlisted").map((s) => ({
        clientId: s.clientId,
        name: s.clientName,
        position: s.position,
        joinedAt: at(s.joinedAt),
      })),
    });
  })
  .post("/classes/:id/seats", async (c) => {
    const user = assertSignedIn(c);
    const classId = idParam(c, "Class");
    const raw = await readJson(c, { optional: true });
    let clientId = user.id;
    let useCredit: boolean | undefined;
    if (user.role === "trainer") {
      const parsed = TrainerSeatBody.safeParse(raw);
      if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
      clientId = parsed.data.clientId.toLowerCase();
      useCredit = parsed.data.useCredit;
    } else if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw invalidFields({ body: "must be empty or {}" });
    }
    const result = await takeSeat(c.get("deps").sql, {
      classId,
      trainerId: trainerOf(user),
      clientId,
      by: user.role,
      now: c.get("deps").now(),
      useCredit,
    });
    if (!result.ok) throw failure(result);
    c.get("deps").onOutbox?.();
    return c.json(seatJson(result.value), 201);
  })
  .delete("/classes/:id/seats/:clientId", async (c) => {
    const user = assertSignedIn(c);
    const param = c.req.param("clientId");
    if (param === "me" ? user.role !== "client" : user.role !== "trainer") {
      throw forbidden();
    }
    const classId = idParam(c, "Class");
    const reason = await reasonOf(c);
    const result = await leaveClass(c.get("deps").sql, {
      classId,
      trainerId: trainerOf(user),
      clientId: param === "me" ? user.id : param.toLowerCase(),
      by: user.role,
      reason,
      now: c.get("deps").now(),
    });
    if (!result.ok) throw failure(result, "Place");
    c.get("deps").onOutbox?.();
    return c.body(null, 204);
  })
  .post("/classes/:id/cancel", async (c) => {
    const trainer = assertRole(c, "trainer");
    const classId = idParam(c, "Class");
    const reason = await reasonOf(c);
    const result = await cancelClass(c.get("deps").sql, {
      classId,
      trainerId: trainer.id,
      reason,
      now: c.get("deps").now(),
    });
    if (!result.ok) throw failure(result);
    c.get("deps").onOutbox?.();
    return c.json(classJson(result.value));
  });
