/** Confirming an address: the link's page, and "Send the link again" on the profile. */
import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { page } from "./render.tsx";
import { assertSignedIn, redirectWithFlash } from "./middleware.ts";
import { ACCOUNT_REFUSALS } from "./outcomes.ts";
import { confirmEmail, sendVerification } from "./email_verification.ts";
import { ConfirmEmailForm, DeadLink } from "../views/RecoveryViews.tsx";

export const emailPages = new Hono<AppEnv>()
  .get("/verify-email/:token", (c) =>
    page(
      c,
      "Confirm your e-mail address",
      <ConfirmEmailForm
        csrf={c.get("csrfToken")}
        token={c.req.param("token").slice(0, 64)}
      />,
    ))
  .post("/verify-email/:token", async (c) => {
    const outcome = await confirmEmail(c.get("deps"), c.req.param("token"));
    const home = c.get("user") ? "/profile" : "/signin";
    if (outcome === "verified") {
      return redirectWithFlash(c, home, "Your e-mail address is confirmed.");
    }
    return page(
      c,
      "Confirm your e-mail address",
      <DeadLink
        message={outcome === "changed"
          ? "This link was for an address the account no longer has."
          : ACCOUNT_REFUSALS.invalid_verification_link.message}
        again="/profile#confirm-email"
      />,
      404,
    );
  })
  .post("/profile/verify-email", async (c) => {
    const user = assertSignedIn(c);
    const sent = await sendVerification(c.get("deps"), user.id, user.email);
    return redirectWithFlash(
      c,
      "/profile",
      sent
        ? `A new link is on its way to ${user.email}.`
        : "No new link was sent: three an hour at most. Use the last one.",
      sent ? "ok" : "error",
    );
  });
