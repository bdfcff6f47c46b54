/**
 * Editing a class as a page (JavaScript optional): the form starts as the class is now,
 * says who will be told, and answers with a 303 back to the class and a flash, or the
 * form again with what was typed and why it was refused.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { formValues, page } from "./render.tsx";
import { notFound } from "./errors.ts";
import { idParam } from "./validation.ts";
import { formFailure, type Refusal } from "./outcomes.ts";
import { sayFor, viewerLocale } from "./language.ts";
import { classHref, parseNewClass } from "./pages_classes.tsx";
import { getClass, type GroupClass } from "../db/classes.ts";
import { editClass } from "../db/class_edit.ts";
import { EditClassPage, type NewClassForm } from "../views/ClassViews.tsx";

/** A class as its edit form starts: what it is now, in the trainer's zone. */
function classFormValues(k: GroupClass): Record<string, string> {
  const local = k.start.toZonedDateTimeISO(k.timezone);
  return {
    title: k.title,
    date: local.toPlainDate().toString(),
    time: local.toPlainTime().toString({ smallestUnit: "minute" }),
    duration: String(Math.round(k.start.until(k.end).total("minutes"))),
    capacity: String(k.capacity),
    notes: k.notes,
  };
}

function editPage(
  c: Context<AppEnv>,
  k: GroupClass,
  form: NewClassForm,
  status: 200 | 409 | 422 = 200,
) {
  return page(
    c,
    sayFor(c)("trainer.class_edit.title", { title: k.title }),
    <EditClassPage c={k} form={form} csrf={c.get("csrfToken")} />,
    status,
  );
}

export const classEditPages = new Hono<AppEnv>()
  .get("/classes/:id/edit", async (c) => {
    const trainer = assertRole(c, "trainer");
    const k = await getClass(
      c.get("deps").sql,
      idParam(c, "Class"),
      trainer.id,
    );
    if (!k) throw notFound("Class");
    return editPage(c, k, { values: classFormValues(k), errors: {} });
  })
  .post("/classes/:id/edit", async (c) => {
    const trainer = assertRole(c, "trainer");
    const { sql } = c.get("deps");
    const k = await getClass(sql, idParam(c, "Class"), trainer.id);
    if (!k) throw notFound("Class");
    const values = await formValues(c);
    const parsed = parseNewClass(values, k.timezone, viewerLocale(c));
    if (!parsed.ok) {
      return editPage(c, k, { values, errors: parsed.errors }, 422);
    }
    const result = await editClass(sql, {
      classId: k.id,
      trainerId: trainer.id,
      change: {
        title: parsed.title,
        start: parsed.start,
        durationMinutes: parsed.duration ??
          k.start.until(k.end).total("minutes"),
        capacity: parsed.capacity,
        notes: parsed.notes,
      },
      now: c.get("deps").now(),
    });
    if (!result.ok) {
      const refused = formFailure(
        result.reason as Refusal,
        "trainer",
        viewerLocale(c),
      );
      return editPage(
        c,
        k,
        { values, errors: refused.errors, message: refused.message },
        refused.status,
      );
    }
    c.get("deps").onOutbox?.();
    const after = result.value;
    const told = k.booked + k.waitlisted > 0 &&
      (!after.start.equals(k.start) || !after.end.equals(k.end) ||
        after.title !== k.title);
    return redirectWithFlash(
      c,
      classHref(k.id),
      sayFor(c)(told ? "trainer.class.saved_told" : "trainer.class.saved"),
    );
  });
