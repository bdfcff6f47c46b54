/** Confirming an address: the link's page, and "Send the link again" on the profile. */
import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { page } from "./render.tsx";
import { assertSignedIn, redirectWithFlash } from "./middleware.ts";
import { accountMessage } from "./account_refusals.ts";
import { sayFor, viewerLocale } from "./language.ts";
import { confirmEmail, sendVerification } from "./email_verification.ts";
import { ConfirmEmailForm, DeadLink } from "../views/RecoveryViews.tsx";

export const emailPages = new Hono<AppEnv>()
  .get("/verify-email/:token", (c) =>
    page(
      c,
      sayFor(c)("site.email.check_heading"),
      <ConfirmEmailForm
        csrf={c.get("csrfToken")}
        token={c.req.param("token").slice(0, 64)}
      />,
    ))
  .post("/verify-email/:token", async (c) => {
    const outcome = await confirmEmail(c.get("deps"), c.req.param("token"));
    const home = c.get("user") ? "/profile" : "/signin";
    if (outcome === "verified") {
      return redirectWithFlash(c, home, sayFor(c)("site.email.confirmed"));
    }
    return page(
      c,
      sayFor(c)("site.email.check_heading"),
      <DeadLink
        message={outcome === "changed"
          ? sayFor(c)("site.email.changed_link")
          : accountMessage("invalid_verification_link", viewerLocale(c))}
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
        ? sayFor(c)("site.email.link_sent", { email: user.email })
        : sayFor(c)("site.email.link_limit"),
      sent ? "ok" : "error",
    );
  });
