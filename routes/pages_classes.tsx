/**
 * Group classes as pages (JavaScript optional): the trainer's list and new-class form,
 * a class's page (roster and waitlist for the trainer; a client's place and actions),
 * and the forms that take, give up, add, remove and cancel (editing is in
 * pages_class_edit.tsx). Every answer to a form is a
 * 303 back to the class with a flash, or the form again with its messages.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { type AppEnv, settingsOf } from "./context.ts";
import { assertRole, assertSignedIn, redirectWithFlash } from "./middleware.ts";
import { formValues, page } from "./render.tsx";
import { notFound } from "./errors.ts";
import { idParam } from "./validation.ts";
import { messageOf } from "./outcomes.ts";
import { sayFor, viewerLocale } from "./language.ts";
import { fieldWords, lengthText } from "./schedule_forms.ts";
import { type Locale, t } from "../lib/i18n.ts";
import {
  cancelClass,
  type ClassOutcome,
  createClass,
  getClass,
  getSeat,
  listClassesInRange,
  listSeats,
} from "../db/classes.ts";
import { leaveClass, takeSeat } from "../db/class_seats.ts";
import { listClientNames } from "../db/clients.ts";
import {
  isHHMM,
  localStartOf,
  parseHHMM,
  parseIsoDate,
} from "../domain/time.ts";
import type { User } from "../db/users.ts";
import { listOpenGrants } from "../db/credits.ts";
import { balanceOf, creditDay, decideCreditUse } from "../domain/credits.ts";
import { hasClassStarted, seatsLeft } from "../domain/classes.ts";
import { CreditNote, NoCredit } from "../views/ClientCreditViews.tsx";
import { LeaveSeatConfirm } from "../views/SeatViews.tsx";
import {
  ClassesPage,
  ClientClassPage,
  type NewClassForm,
  TrainerClassPage,
} from "../views/ClassViews.tsx";

/** How far ahead the trainer's class list looks. */
const LIST_DAYS = 62;

type Failed = Extract<ClassOutcome<unknown>, { ok: false }>;

/** The words for a refused class change, as `user` reads them, in `locale`. */
const refusal = (f: Failed, user: User, locale: Locale) =>
  f.reason === "not_found"
    ? t(locale, "trainer.class.no_place")
    : messageOf(f.reason, user.role, locale);

/** The new-class and edit forms' fields, checked; the start in the trainer's zone. */
export function parseNewClass(
  values: Record<string, string>,
  timezone: string,
  locale: Locale = "en",
) {
  const errors: Record<string, string> = {};
  const title = (values.title ?? "").trim();
  if (!title) errors.title = t(locale, "site.field.required");
  else if (title.length > 200) errors.title = fieldWords.atMost(locale, 200);
  const date = parseIsoDate(values.date?.trim());
  if (!date) errors.date = fieldWords.realDate(locale);
  const time = values.time?.trim() ?? "";
  if (!isHHMM(time)) errors.time = fieldWords.time(locale);
  const durationText = values.duration?.trim() ?? "";
  let duration: number | undefined;
  if (durationText) {
    duration = /^\d{1,4}$/.test(durationText) ? Number(durationText) : NaN;
    const problem = lengthText(duration, locale);
    if (problem) errors.duration = problem;
  }
  const capacityText = values.capacity?.trim() ?? "";
  const capacity = /^\d{1,3}$/.test(capacityText) ? Number(capacityText) : NaN;
  if (!(capacity >= 2 && capacity <= 50)) {
    errors.capacity = t(locale, "trainer.form.capacity");
  }
  const notes = (values.notes ?? "").replaceAll("\r\n", "\n").trim();
  if (notes.length > 2000) errors.notes = fieldWords.atMost(locale, 2000);
  if (Object.keys(errors).length) return { ok: false as const, errors };
  return {
    ok: true as const,
    title,
    start: localStartOf(date!, parseHHMM(time), timezone),
    duration,
    capacity,
    notes,
  };
}

async function classesPage(
  c: Context<AppEnv>,
  trainer: User,
  form: NewClassForm,
  status: 200 | 409 | 422 = 200,
) {
  const now = c.get("deps").now();
  const classes = await listClassesInRange(
    c.get("deps").sql,
    trainer.id,
    now.subtract({ hours: 24 }),
    now.add({ hours: 24 * LIST_DAYS }),
  );
  return page(
    c,
    sayFor(c)("trainer.classes.title"),
    <ClassesPage classes={classes} form={form} csrf={c.get("csrfToken")} />,
    status,
  );
}

export const classHref = (id: string) => `/classes/${id}`;

export const classPages = new Hono<AppEnv>()
  .get("/classes", async (c) => {
    const user = assertSignedIn(c);
    if (user.role === "client") return c.redirect("/calendar", 303);
    return await classesPage(c, user, { values: {}, errors: {} });
  })
  .post("/classes", async (c) => {
    const trainer = assertRole(c, "trainer");
    const values = await formValues(c);
    const settings = await settingsOf(c, trainer.id);
    const locale = viewerLocale(c);
    const parsed = parseNewClass(values, settings.timezone, locale);
    if (!parsed.ok) {
      return await classesPage(
        c,
        trainer,
        { values, errors: parsed.errors },
        422,
      );
    }
    const result = await createClass(c.get("deps").sql, {
      trainerId: trainer.id,
      title: parsed.title,
      start: parsed.start,
      durationMinutes: parsed.duration,
      capacity: parsed.capacity,
      notes: parsed.notes,
      now: c.get("deps").now(),
    });
    if (!result.ok) {
      const message = refusal(result, trainer, locale);
      return await classesPage(
        c,
        trainer,
        { values, errors: { time: message }, message },
        result.reason === "slot_taken" ? 409 : 422,
      );
    }
    return redirectWithFlash(
      c,
      classHref(result.value.id),
      sayFor(c)("trainer.class.created"),
    );
  })
  .get("/classes/:id", async (c) => {
    const user = assertSignedIn(c);
    const { sql } = c.get("deps");
    const k = await getClass(sql, idParam(c, "Class"), user.trainerId);
    if (!k) throw notFound("Class");
    if (user.role === "client") {
      const [seat, grants, settings] = await Promise.all([
        getSeat(sql, k.id, user.id),
        listOpenGrants(sql, user.id),
        settingsOf(c, user.trainerId),
      ]);
      const day = creditDay(c.get("deps").now(), k.timezone);
      const credit = decideCreditUse({
        by: "client",
        requireCredit: settings.requireCredit,
        grants,
        day,
      });
      return page(
        c,
        k.title,
        <ClientClassPage
          c={{
            ...k,
            mine: seat?.status ?? null,
            position: seat?.position ?? null,
          }}
          csrf={c.get("csrfToken")}
          now={c.get("deps").now()}
          credit={
            <CreditNote
              balance={balanceOf(grants, day)}
              waitlist={seatsLeft(k) === 0}
            />
          }
          blocked={credit.ok ? undefined : (
            <NoCredit
              message={messageOf("no_credit", "client", viewerLocale(c))}
              trainerName={k.trainerName}
            />
          )}
        />,
      );
    }
    const [seats, clients] = await Promise.all([
      listSeats(sql, k.id),
      listClientNames(sql, user.id),
    ]);
    return page(
      c,
      k.title,
      <TrainerClassPage
        c={k}
        seats={seats}
        clients={clients}
        csrf={c.get("csrfToken")}
        editable={k.status === "scheduled" &&
          !hasClassStarted(k, c.get("deps").now())}
      />,
    );
  })
  .post("/classes/:id/seats", async (c) => {
    const user = assertSignedIn(c);
    const classId = idParam(c, "Class");
    const values = await formValues(c);
    const clientId = user.role === "trainer"
      ? (values.clientId ?? "").toLowerCase()
      : user.id;
    const result = await takeSeat(c.get("deps").sql, {
      classId,
      trainerId: user.trainerId,
      clientId,
      by: user.role,
      now: c.get("deps").now(),
    });
    if (!result.ok) {
      if (result.reason === "not_found") throw notFound("Class");
      return redirectWithFlash(
        c,
        classHref(classId),
        refusal(result, user, viewerLocale(c)),
        "error",
      );
    }
    const seat = result.value;
    const say = sayFor(c);
    const position = seat.position ?? "";
    const words = seat.status === "booked"
      ? say(
        user.role === "client"
          ? "trainer.class.have_seat_full"
          : "trainer.class.seat_booked",
      )
      : user.role === "client"
      ? say("trainer.class.number_full", { position })
      : say("trainer.class.added_waitlist", { position });
    return redirectWithFlash(c, classHref(classId), words);
  })
  .get("/classes/:id/leave", async (c) => {
    const client = assertRole(c, "client");
    return await confirmLeave(c, client, client.id);
  })
  .get("/classes/:id/remove", async (c) => {
    const trainer = assertRole(c, "trainer");
    return await confirmLeave(
      c,
      trainer,
      (c.req.query("clientId") ?? "").toLowerCase(),
    );
  })
  .post("/classes/:id/leave", async (c) => {
    const client = assertRole(c, "client");
    return await leave(c, client, client.id);
  })
  .post("/classes/:id/remove", async (c) => {
    const trainer = assertRole(c, "trainer");
    const values = await formValues(c);
    return await leave(c, trainer, (values.clientId ?? "").toLowerCase());
  })
  .post("/classes/:id/cancel", async (c) => {
    const trainer = assertRole(c, "trainer");
    const classId = idParam(c, "Class");
    const values = await formValues(c);
    const reason = (values.reason ?? "").trim().slice(0, 500) || null;
    const result = await cancelClass(c.get("deps").sql, {
      classId,
      trainerId: trainer.id,
      reason,
      now: c.get("deps").now(),
    });
    if (!result.ok) {
      if (result.reason === "not_found") throw notFound("Class");
      return redirectWithFlash(
        c,
        classHref(classId),
        refusal(result, trainer, viewerLocale(c)),
        "error",
      );
    }
    c.get("deps").onOutbox?.();
    return redirectWithFlash(
      c,
      classHref(classId),
      sayFor(c)("trainer.class.cancelled"),
    );
  });

/** The step before leaving or removing: 404 for a class or a place that is not there. */
async function confirmLeave(
  c: Context<AppEnv>,
  user: User,
  clientId: string,
) {
  const { sql } = c.get("deps");
  const k = await getClass(sql, idParam(c, "Class"), user.trainerId);
  if (!k) throw notFound("Class");
  const seat = await getSeat(sql, k.id, clientId);
  if (!seat) throw notFound("Place in the class");
  if (k.status !== "scheduled") return c.redirect(classHref(k.id), 303);
  return page(
    c,
    k.title,
    <LeaveSeatConfirm
      c={k}
      seat={seat}
      viewer={user.role}
      csrf={c.get("csrfToken")}
    />,
  );
}

async function leave(c: Context<AppEnv>, user: User, clientId: string) {
  const classId = idParam(c, "Class");
  const values = user.role === "client" ? await formValues(c) : {};
  const result = await leaveClass(c.get("deps").sql, {
    classId,
    trainerId: user.trainerId,
    clientId,
    by: user.role,
    reason: (values.reason ?? "").trim().slice(0, 500) || null,
    now: c.get("deps").now(),
  });
  if (!result.ok) {
    return redirectWithFlash(
      c,
      classHref(classId),
      refusal(result, user, viewerLocale(c)),
      "error",
    );
  }
  c.get("deps").onOutbox?.();
  return redirectWithFlash(
    c,
    classHref(classId),
    sayFor(c)(
      user.role === "client" ? "trainer.class.left" : "trainer.class.removed",
    ),
  );
}
