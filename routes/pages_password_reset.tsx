/** "Forgot password?" pages and `POST /api/password-resets[/{token}]`. */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context.ts";
import { formValues, page } from "./render.tsx";
import { clientAddress, redirectWithFlash } from "./middleware.ts";
import {
  Email,
  fieldErrors,
  fieldWordsIn,
  json,
  Password,
} from "./validation.ts";
import { sayFor, viewerLocale } from "./language.ts";
import { invalidFields } from "./errors.ts";
import { accountFailure, accountMessage } from "./account_refusals.ts";
import {
  requestPasswordReset,
  resetLinkEmail,
  resetPassword,
} from "./password_reset.ts";
import { passwordEmailProblem } from "../lib/passwords.ts";
import {
  DeadLink,
  NewPasswordForm,
  ResetRequestForm,
} from "../views/RecoveryViews.tsx";

const ResetRequest = z.object({ email: Email });
const NewPassword = z.object({ password: Password });

/** The new password's problem, if any: the rules of sign-up, against the account's address. */
function passwordProblem(password: unknown, email: string) {
  const parsed = NewPassword.safeParse({ password });
  if (!parsed.success) return fieldErrors(parsed.error).password;
  return passwordEmailProblem(parsed.data.password, email);
}

const deadLink = (c: Context<AppEnv>) =>
  page(
    c,
    sayFor(c)("site.reset.title"),
    <DeadLink
      message={accountMessage("invalid_reset_link", viewerLocale(c))}
      again="/password-reset"
    />,
    404,
  );

export const passwordResetPages = new Hono<AppEnv>()
  .get("/password-reset", (c) =>
    page(
      c,
      sayFor(c)("site.reset.title"),
      <ResetRequestForm csrf={c.get("csrfToken")} />,
    ))
  .post("/password-reset", async (c) => {
    const values = await formValues(c);
    const parsed = ResetRequest.safeParse(values);
    if (!parsed.success) {
      return page(
        c,
        sayFor(c)("site.reset.title"),
        <ResetRequestForm
          csrf={c.get("csrfToken")}
          email={values.email}
          error={sayFor(c)("site.reset.bad_email", {
            problem: fieldWordsIn(fieldErrors(parsed.error).email, c),
          })}
        />,
        422,
      );
    }
    const result = await requestPasswordReset(c.get("deps"), {
      email: parsed.data.email,
      address: clientAddress(c),
    });
    if (!result.ok) {
      c.header("Retry-After", String(result.retryAfter));
      return page(
        c,
        sayFor(c)("site.reset.title"),
        <ResetRequestForm
          csrf={c.get("csrfToken")}
          email={parsed.data.email}
          error={accountMessage("too_many_resets", viewerLocale(c))}
        />,
        429,
      );
    }
    return page(
      c,
      sayFor(c)("site.reset.title"),
      <ResetRequestForm csrf={c.get("csrfToken")} sent />,
    );
  })
  .get("/password-reset/:token", async (c) => {
    const token = c.req.param("token");
    if (!(await resetLinkEmail(c.get("deps"), token))) return deadLink(c);
    return page(
      c,
      sayFor(c)("site.reset.new_title"),
      <NewPasswordForm csrf={c.get("csrfToken")} token={token} />,
    );
  })
  .post("/password-reset/:token", async (c) => {
    const token = c.req.param("token");
    const email = await resetLinkEmail(c.get("deps"), token);
    if (!email) return deadLink(c);
    const values = await formValues(c);
    const problem = passwordProblem(values.password, email);
    if (problem) {
      return page(
        c,
        sayFor(c)("site.reset.new_title"),
        <NewPasswordForm
          csrf={c.get("csrfToken")}
          token={token}
          fieldError={fieldWordsIn(problem, c)}
        />,
        422,
      );
    }
    if (!(await resetPassword(c.get("deps"), token, values.password))) {
      return deadLink(c);
    }
    return redirectWithFlash(
      c,
      "/signin",
      sayFor(c)("site.reset.done"),
    );
  });

export const passwordResetApi = new Hono<AppEnv>()
  .post("/password-resets", json(ResetRequest), async (c) => {
    const result = await requestPasswordReset(c.get("deps"), {
      email: c.req.valid("json").email,
      address: clientAddress(c),
    });
    if (!result.ok) {
      throw accountFailure("too_many_resets", {
        "Retry-After": String(result.retryAfter),
      });
    }
    return c.json({
      message:
        "If an account has this address, a reset link is on its way. It works once, within 30 minutes.",
    }, 202);
  })
  .post(
    "/password-resets/:token",
    json(z.object({ password: z.string({ error: "is required" }).max(200) })),
    async (c) => {
      const token = c.req.param("token");
      const email = await resetLinkEmail(c.get("deps"), token);
      if (!email) throw accountFailure("invalid_reset_link");
      const { password } = c.req.valid("json");
      const problem = passwordProblem(password, email);
      if (problem) throw invalidFields({ password: problem });
      if (!(await resetPassword(c.get("deps"), token, password))) {
        throw accountFailure("invalid_reset_link");
      }
      return c.body(null, 204);
    },
  );
