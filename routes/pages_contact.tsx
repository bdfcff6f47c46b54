import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context.ts";
import { formValues, page } from "./render.tsx";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { Email, fieldErrors } from "./validation.ts";
import { setTrainerContact } from "../db/contact.ts";
import { PHONE_PATTERN } from "../domain/contact.ts";
import { ContactForm } from "../views/ContactViews.tsx";

const Contact = z.object({
  contactPhone: z.string().trim().max(40, "must be at most 40 characters")
    .regex(PHONE_PATTERN, "may hold only digits, +, spaces and ( ) . / -")
    .default(""),
  contactEmail: z.union([z.literal(""), Email]).default(""),
});

/** The trainer's phone and e-mail for clients (shown where clients are told to call). */
export const contactPages = new Hono<AppEnv>()
  .post("/profile/contact", async (c) => {
    const trainer = assertRole(c, "trainer");
    const values = await formValues(c);
    const parsed = Contact.safeParse({
      contactPhone: values.contactPhone,
      contactEmail: values.contactEmail?.trim(),
    });
    if (!parsed.success) {
      return page(
        c,
        "How clients reach you",
        <ContactForm
          csrf={c.get("csrfToken")}
          values={values}
          errors={fieldErrors(parsed.error)}
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
      "Your contact for clients is saved.",
    );
  });
