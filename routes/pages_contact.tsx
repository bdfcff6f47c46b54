import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context.ts";
import { formValues, page } from "./render.tsx";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { Email, fieldErrorsIn } from "./validation.ts";
import { setTrainerContact } from "../db/contact.ts";
import { PHONE_PATTERN } from "../domain/contact.ts";
import { ContactForm } from "../views/ContactViews.tsx";
import type { Say } from "../views/locale.ts";
import { sayFor } from "./language.ts";

/** The contact form's rules, their messages in the viewer's words. */
const contactOf = (say: Say) =>
  z.object({
    contactPhone: z.string().trim()
      .max(40, say("client.contact.phone_too_long"))
      .regex(PHONE_PATTERN, say("client.contact.phone_chars"))
      .default(""),
    contactEmail: z.union([z.literal(""), Email]).default(""),
  });

/** The trainer's phone and e-mail for clients (shown where clients are told to call). */
export const contactPages = new Hono<AppEnv>()
  .post("/profile/contact", async (c) => {
    const trainer = assertRole(c, "trainer");
    const values = await formValues(c);
    const say = sayFor(c);
    const parsed = contactOf(say).safeParse({
      contactPhone: values.contactPhone,
      contactEmail: values.contactEmail?.trim(),
    });
    if (!parsed.success) {
      return page(
        c,
        say("client.contact.title"),
        <ContactForm
          csrf={c.get("csrfToken")}
          values={values}
          errors={fieldErrorsIn(parsed.error, c)}
        />,
        422,
      );
    }
    await setTrainerContact(c.get("deps").sql, trainer.id, {
      phone: parsed.data.contactPhone,
      email: parsed.data.contactEmail,
    });
    return redirectWithFlash(
      c,
      "/profile",
      say("client.contact.saved"),
    );
  });
