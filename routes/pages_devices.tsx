/** The profile's signed-in devices: sign out one, or every other. */
import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import {
  assertSignedIn,
  clearSessionCookie,
  redirectWithFlash,
} from "./middleware.ts";
import { notFound } from "./errors.ts";
import { idParam } from "./validation.ts";
import { deleteOtherSessions, deleteSessionById } from "../db/sessions.ts";
import { sayFor } from "./language.ts";

export const devicePages = new Hono<AppEnv>()
  .post("/profile/sessions/signout-others", async (c) => {
    const user = assertSignedIn(c);
    const current = c.get("sessionHash")!;
    await deleteOtherSessions(c.get("deps").sql, user.id, current);
    return redirectWithFlash(
      c,
      "/profile#devices",
      sayFor(c)("site.devices.others_out"),
    );
  })
  .post("/profile/sessions/:id/signout", async (c) => {
    const user = assertSignedIn(c);
    // Another account's session is as unknown as a made-up one.
    const ended = await deleteSessionById(
      c.get("deps").sql,
      user.id,
      idParam(c, "That device"),
      c.get("sessionHash"),
    );
    if (ended === "none") throw notFound("That device");
    if (ended === "current") {
      clearSessionCookie(c);
      return redirectWithFlash(
        c,
        "/signin",
        sayFor(c)("site.signin.signed_out"),
      );
    }
    return redirectWithFlash(
      c,
      "/profile#devices",
      sayFor(c)("site.devices.one_out"),
    );
  });
