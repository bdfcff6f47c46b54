import { cacheUntil } from "./render_cache.ts";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context.ts";
import { invalidFields, notFound } from "./errors.ts";
import { assertRole, assertSignedIn } from "./middleware.ts";
import { DateString, json, query, readJson } from "./validation.ts";
import { settingsJson, validateSettings } from "./settings_input.ts";
import { getSettings, updateSettings } from "../db/settings.ts";
import { listClients, updateClient } from "../db/clients.ts";
import { loadSlotsAndBusy } from "./availability.ts";
import { toOffsetString } from "../domain/time.ts";
import type { Slot } from "../domain/types.ts";
import type { ClientSummary } from "../db/clients.ts";

export const MAX_SLOT_DAYS = 62;

const clientJson = (c: ClientSummary) => ({
  id: c.id,
  name: c.name,
  email: c.email,
  tags: c.tags,
  notes: c.notes,
  stats: c.stats,
});

const ClientPatch = z.object({
  tags: z.array(
    z.string({ error: "must be text" }).trim().min(1, "must not be empty").max(
      40,
      "must be at most 40 characters",
    ),
    { error: "must be a list of tags" },
  ).max(20, "at most 20 tags").optional(),
  notes: z.string({ error: "must be text" }).max(
    5000,
    "must be at most 5000 characters",
  ).optional(),
});

const SlotsQuery = z.object({ from: DateString, to: DateString });

/** Settings, clients and slots: `GET/PUT /api/settings`, `/api/clients`, `/api/trainers/:id/slots`. */
export const trainerApi = new Hono<AppEnv>()
  .get("/settings", async (c) => {
    const trainer = assertRole(c, "trainer");
    return c.json(
      settingsJson((await getSettings(c.get("deps").sql, trainer.id))!),
    );
  })
  .put("/settings", async (c) => {
    const trainer = assertRole(c, "trainer");
    const raw = await readJson(c);
    const current = (await getSettings(c.get("deps").sql, trainer.id))!;
    const result = validateSettings(raw, current);
    if (!result.ok) throw invalidFields(result.fields);
    await updateSettings(
      c.get("deps").sql,
      trainer.id,
      result.settings,
      c.get("deps").now(),
    );
    return c.json(settingsJson(result.settings));
  })
  .get("/clients", async (c) => {
    const trainer = assertRole(c, "trainer");
    const clients = await listClients(
      c.get("deps").sql,
      trainer.id,
      c.get("deps").now(),
    );
    return c.json({ clients: clients.map(clientJson) });
  })
  .patch("/clients/:id", json(ClientPatch), async (c) => {
    const trainer = assertRole(c, "trainer");
    const id = c.req.param("id");
    const change = c.req.valid("json");
    const tags = change.tags && [...new Set(change.tags)];
    if (
      !(await updateClient(c.get("deps").sql, trainer.id, id, {
        tags,
        notes: change.notes,
      }))
    ) {
      throw notFound("Client");
    }
    const [client] = await listClients(
      c.get("deps").sql,
      trainer.id,
      c.get("deps").now(),
      { clientId: id },
    );
    return c.json(clientJson(client));
  })
  .get("/trainers/:id/slots", query(SlotsQuery), async (c) => {
    const user = assertSignedIn(c);
    const trainerId = c.req.param("id");
    // Only the trainer and their own clients; others cannot even learn the trainer exists.
    if (user.trainerId !== trainerId) throw notFound("Trainer");
    const { from, to } = c.req.valid("query");
    const days = from.until(to, { largestUnit: "days" }).days + 1;
    if (days < 1) throw invalidFields({ to: "must not be before from" });
    if (days > MAX_SLOT_DAYS) {
      throw invalidFields({ to: `at most ${MAX_SLOT_DAYS} days in all` });
    }
    const settings = (await getSettings(c.get("deps").sql, trainerId))!;
    const { slots, changesAt } = await loadSlotsAndBusy(c.get("deps").sql, {
      trainerId,
      settings,
      from,
      to,
      now: c.get("deps").now(),
      viewer: user.role === "trainer"
        ? { role: "trainer" }
        : { role: "client", clientId: user.id },
    });
    // The session's calendar counter is this trainer's: kept until time changes a status.
    cacheUntil(c, changesAt);
    return c.json({
      timezone: settings.timezone,
      slotMinutes: settings.slotMinutes,
      slots: slots.map((s: Slot) => ({
        start: toOffsetString(s.start, settings.timezone),
        end: toOffsetString(s.end, settings.timezone),
        status: s.status,
      })),
    });
  });
