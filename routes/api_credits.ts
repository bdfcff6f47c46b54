import { Hono } from "hono";
import type { Context } from "hono";
import { type AppEnv, settingsOf } from "./context.ts";
import { invalidFields, notFound } from "./errors.ts";
import { assertRole, assertSignedIn } from "./middleware.ts";
import { fieldErrors, idParam, readJson } from "./validation.ts";
import { apiFailure } from "./outcomes.ts";
import {
  grantJson,
  ledgerJson,
  NewPackageBody,
  packageJson,
  PackagePatchBody,
  parseGrant,
} from "./credits_input.ts";
import { getClientCredits, grantCredits } from "../db/credits.ts";
import { createPackage, listPackages, updatePackage } from "../db/packages.ts";
import { isTrainersClient } from "../db/clients.ts";
import { balanceOf, creditDay } from "../domain/credits.ts";

/** `{balance, grants, ledger}` of one client (ownership already checked). */
async function creditsAnswer(
  c: Context<AppEnv>,
  trainerId: string,
  clientId: string,
) {
  const [{ timezone }, { grants, ledger }] = await Promise.all([
    settingsOf(c, trainerId),
    getClientCredits(c.get("deps").sql, clientId),
  ]);
  return c.json({
    balance: balanceOf(grants, creditDay(c.get("deps").now(), timezone)),
    grants: grants.map((g) => grantJson(g, timezone)),
    ledger: ledger.map((e) => ledgerJson(e, timezone)),
  });
}

/** Session packages and credits (see api.md, "Session packages and credits"). */
export const creditsApi = new Hono<AppEnv>()
  .post("/packages", async (c) => {
    const trainer = assertRole(c, "trainer");
    const parsed = NewPackageBody.safeParse(await readJson(c));
    if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
    const p = parsed.data;
    const created = await createPackage(c.get("deps").sql, {
      trainerId: trainer.id,
      name: p.name,
      sessions: p.sessions,
      validDays: p.validDays ?? null,
      priceCents: p.priceCents ?? null,
      currency: p.currency ?? null,
      now: c.get("deps").now(),
    });
    return c.json(packageJson(created), 201);
  })
  .get("/packages", async (c) => {
    const user = assertSignedIn(c);
    const packages = await listPackages(c.get("deps").sql, user.trainerId, {
      activeOnly: user.role === "client",
    });
    return c.json({ packages: packages.map(packageJson) });
  })
  .patch("/packages/:id", async (c) => {
    const trainer = assertRole(c, "trainer");
    const id = idParam(c, "Package");
    const parsed = PackagePatchBody.safeParse(await readJson(c));
    if (!parsed.success) throw invalidFields(fieldErrors(parsed.error));
    const updated = await updatePackage(
      c.get("deps").sql,
      trainer.id,
      id,
      parsed.data,
    );
    if (!updated) throw notFound("Package");
    return c.json(packageJson(updated));
  })
  .post("/clients/:id/credits", async (c) => {
    const trainer = assertRole(c, "trainer");
    const clientId = idParam(c, "Client");
    const { sql, now } = c.get("deps");
    if (!await isTrainersClient(sql, trainer.id, clientId)) {
      throw notFound("Client");
    }
    const input = parseGrant(await readJson(c));
    if (!input.ok) throw invalidFields(input.fields);
    const result = await grantCredits(sql, {
      trainerId: trainer.id,
      clientId,
      source: input.source,
      paid: input.paid,
      now: now(),
    });
    if (!result.ok) {
      throw result.reason === "not_found"
        ? notFound("Client")
        : apiFailure(result.reason);
    }
    const { timezone } = await settingsOf(c, trainer.id);
    return c.json(grantJson(result.grant, timezone), 201);
  })
  .get("/clients/:id/credits", async (c) => {
    const trainer = assertRole(c, "trainer");
    const clientId = idParam(c, "Client");
    if (!await isTrainersClient(c.get("deps").sql, trainer.id, clientId)) {
      throw notFound("Client");
    }
    return await creditsAnswer(c, trainer.id, clientId);
  })
  .get("/credits", async (c) => {
    const client = assertRole(c, "client");
    return await creditsAnswer(c, client.trainerId, client.id);
  });
