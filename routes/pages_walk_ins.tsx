/**
 * Walk-in clients: "Add client" (`/clients/add`), the invitation to claim the account
 * (`POST /clients/:id/invite`) and the claim itself (`/claim/:token`, signed out).
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { formValues, page } from "./render.tsx";
import {
  assertRole,
  clientAddress,
  redirectWithFlash,
  sessionMetaOf,
  setSessionCookie,
} from "./middleware.ts";
import {
  ClaimForm as ClaimFields,
  fieldErrorsIn,
  WalkInForm,
} from "./validation.ts";
import { ACCOUNT_REFUSALS, accountMessage } from "./account_refusals.ts";
import { sayFor, viewerLocale } from "./language.ts";
import { claimAccount } from "./accounts.ts";
import { setDeviceCookie } from "./device_cookie.ts";
import { clientPage, ownClient } from "./pages_clients.tsx";
import { notFound } from "./errors.ts";
import { createWalkIn, findInvitation, inviteWalkIn } from "../db/walk_ins.ts";
import { INVITATION_DAYS } from "../domain/walk_ins.ts";
import { newToken, sha256 } from "../lib/security.ts";
import { passwordEmailProblem } from "../lib/passwords.ts";
import {
  AddClientForm,
  ClaimForm,
  DeadInvitation,
} from "../views/WalkInViews.tsx";

const emailTaken = (c: Context<AppEnv>) =>
  accountMessage("walk_in_email_taken", viewerLocale(c));

/** A refused claim link: unknown, expired or used, worded in outcomes.ts. */
const deadInvitation = (
  c: Context<AppEnv>,
  reason: "invalid_invitation" | "invitation_used",
) =>
  page(
    c,
    sayFor(c)("trainer.claim.title"),
    <DeadInvitation message={accountMessage(reason, viewerLocale(c))} />,
    ACCOUNT_REFUSALS[reason].status,
  );

/** The invitation a claim link's `token` names, found by its hash, as of now. */
const invitationOf = (c: Context<AppEnv>, token: string) =>
  findInvitation(c.get("deps").sql, sha256(token), c.get("deps").now());

export const walkInPages = new Hono<AppEnv>()
  .get("/clients/add", (c) => {
    assertRole(c, "trainer");
    return page(
      c,
      sayFor(c)("trainer.clients.add"),
      <AddClientForm csrf={c.get("csrfToken")} />,
    );
  })
  .post("/clients/add", async (c) => {
    const trainer = assertRole(c, "trainer");
    const values = await formValues(c);
    const form = (errors: Record<string, string>) =>
      page(
        c,
        sayFor(c)("trainer.clients.add"),
        <AddClientForm
          csrf={c.get("csrfToken")}
          values={values}
          errors={errors}
        />,
        422,
      );
    const parsed = WalkInForm.safeParse(values);
    if (!parsed.success) return form(fieldErrorsIn(parsed.error, c));
    const { name, email, phone } = parsed.data;
    const made = await createWalkIn(c.get("deps").sql, {
      trainerId: trainer.id,
      name,
      email: email || null,
      phone,
      now: c.get("deps").now(),
    });
    if (!made.ok) return form({ email: emailTaken(c) });
    return redirectWithFlash(
      c,
      `/clients/${made.id}`,
      sayFor(c)("trainer.walk_in.added", { name }),
    );
  })
  .post("/clients/:id/invite", async (c) => {
    const trainer = assertRole(c, "trainer");
    const client = await ownClient(c, trainer);
    const token = newToken();
    const now = c.get("deps").now();
    const invited = await inviteWalkIn(c.get("deps").sql, {
      trainerId: trainer.id,
      clientId: client.id,
      tokenHash: sha256(token),
      now,
      expiresAt: now.add({ hours: 24 * INVITATION_DAYS }),
    });
    if (invited === "not_found") throw notFound("Client");
    if (invited === "already_claimed") {
      return redirectWithFlash(
        c,
        `/clients/${client.id}`,
        accountMessage("already_claimed", viewerLocale(c)),
      );
    }
    // Shown once, on this answer: only its hash is stored.
    c.header("Cache-Control", "no-store");
    return await clientPage(
      c,
      trainer,
      client,
      {
        values: { tags: client.tags.join(", "), notes: client.notes },
      },
      200,
      undefined,
      `${c.get("deps").config.appUrl}/claim/${token}`,
    );
  })
  .get("/claim/:token", async (c) => {
    const token = c.req.param("token");
    const found = await invitationOf(c, token);
    if (!found.ok) return deadInvitation(c, found.reason);
    return page(
      c,
      sayFor(c)("trainer.claim.title"),
      <ClaimForm
        csrf={c.get("csrfToken")}
        token={token}
        invitation={found.invitation}
      />,
    );
  })
  .post("/claim/:token", async (c) => {
    const token = c.req.param("token");
    const found = await invitationOf(c, token);
    if (!found.ok) return deadInvitation(c, found.reason);
    const values = await formValues(c);
    const form = (errors: Record<string, string>, status: 409 | 422 | 429) =>
      page(
        c,
        sayFor(c)("trainer.claim.title"),
        <ClaimForm
          csrf={c.get("csrfToken")}
          token={token}
          invitation={found.invitation}
          values={{ email: values.email }}
          errors={errors}
        />,
        status,
      );
    const parsed = ClaimFields.safeParse(values);
    if (!parsed.success) return form(fieldErrorsIn(parsed.error, c), 422);
    const email = parsed.data.email || found.invitation.email;
    if (!email) {
      return form(
        { email: accountMessage("email_needed", viewerLocale(c)) },
        422,
      );
    }
    const weak = passwordEmailProblem(parsed.data.password, email);
    if (weak) return form({ password: weak }, 422);
    const result = await claimAccount(c.get("deps"), {
      token,
      email: parsed.data.email || null,
      password: parsed.data.password,
      address: clientAddress(c),
      session: sessionMetaOf(c, "browser"),
    });
    if (!result.ok) {
      switch (result.reason) {
        case "too_many_attempts":
          c.header("Retry-After", String(result.retryAfter));
          return form({
            form: accountMessage("too_many_claims", viewerLocale(c)),
          }, 429);
        case "email_taken":
          return form({ email: emailTaken(c) }, 409);
        case "email_needed":
          return form({
            email: accountMessage("email_needed", viewerLocale(c)),
          }, 422);
        default:
          return deadInvitation(c, result.reason);
      }
    }
    setSessionCookie(c, result.token);
    await setDeviceCookie(c, result.id);
    return redirectWithFlash(
      c,
      "/appointments",
      sayFor(c)("trainer.claim.done"),
    );
  });
