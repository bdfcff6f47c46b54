import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { ApiError, unauthorized } from "./errors.ts";
import { ClientSignUp, json, SignIn, TrainerSignUp } from "./validation.ts";
import { signIn, signUpClient, signUpTrainer } from "./accounts.ts";
import { clientAddress, sessionMetaOf } from "./middleware.ts";
import { deleteSession } from "../db/sessions.ts";
import { browserLanguage } from "./language.ts";

const tooManyAttempts = (retryAfter: number, message: string) =>
  new ApiError(429, "too_many_attempts", message, undefined, {
    "Retry-After": String(retryAfter),
  });

const tooManySignUps = (retryAfter: number) =>
  tooManyAttempts(
    retryAfter,
    "Too many sign-ups from this network. Try again later.",
  );

const emailTaken = () =>
  new ApiError(
    409,
    "email_taken",
    "An account with this e-mail already exists.",
  );

/** `POST /api/trainers`, `/api/clients`, `/api/sessions`, `DELETE /api/sessions`. */
export const accountsApi = new Hono<AppEnv>()
  .post("/trainers", json(TrainerSignUp), async (c) => {
    const body = c.req.valid("json");
    const result = await signUpTrainer(c.get("deps"), {
      ...body,
      language: body.language ?? browserLanguage(c),
      address: clientAddress(c),
      session: sessionMetaOf(c, "api"),
    });
    if (!result.ok && result.reason === "too_many_attempts") {
      throw tooManySignUps(result.retryAfter);
    }
    if (!result.ok) throw emailTaken();
    return c.json({
      id: result.id,
      referralCode: result.referralCode,
      token: result.token,
    }, 201);
  })
  .post("/clients", json(ClientSignUp), async (c) => {
    const body = c.req.valid("json");
    const result = await signUpClient(c.get("deps"), {
      ...body,
      language: body.language ?? browserLanguage(c),
      address: clientAddress(c),
      session: sessionMetaOf(c, "api"),
    });
    if (!result.ok && result.reason === "too_many_attempts") {
      throw tooManySignUps(result.retryAfter);
    }
    if (!result.ok && result.reason === "invalid_referral_code") {
      throw new ApiError(
        422,
        "invalid_referral_code",
        "No trainer has this referral code.",
      );
    }
    if (!result.ok) throw emailTaken();
    return c.json({
      id: result.id,
      trainerId: result.trainerId,
      token: result.token,
    }, 201);
  })
  .post("/sessions", json(SignIn), async (c) => {
    const result = await signIn(c.get("deps"), {
      ...c.req.valid("json"),
      address: clientAddress(c),
      session: sessionMetaOf(c, "api"),
    });
    if (result.ok) {
      return c.json({ token: result.token, role: result.role, id: result.id });
    }
    if (result.reason === "too_many_attempts") {
      throw tooManyAttempts(
        result.retryAfter,
        "Too many failed sign-in attempts. Try again later.",
      );
    }
    throw new ApiError(
      401,
      "invalid_credentials",
      "The e-mail or password is wrong.",
    );
  })
  .delete("/sessions", async (c) => {
    const session = c.get("sessionHash");
    if (!session) throw unauthorized();
    await deleteSession(c.get("deps").sql, session);
    return c.body(null, 204);
  });
