/**
 * One's data: download it (`/profile/export`), delete one's account (`/profile/delete`),
 * and a trainer removing a client (`/clients/:id/remove`). Each deletion asks for the
 * password again; a trainer closes the business only after downloading it.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { formValues, page } from "./render.tsx";
import {
  assertRole,
  assertSignedIn,
  clearSessionCookie,
  redirectWithFlash,
} from "./middleware.ts";
import { notFound } from "./errors.ts";
import { idParam } from "./validation.ts";
import { ACCOUNT_REFUSALS } from "./outcomes.ts";
import { DeleteAccountForm } from "../views/AccountDataViews.tsx";
import {
  eraseClient,
  eraseTrainer,
  lastExport,
  recordExport,
} from "../db/erasure.ts";
import { clientExport, trainerProfile, trainerTables } from "../db/export.ts";
import { zipStream } from "../views/export_files.ts";
import { getPasswordHash } from "../db/users.ts";
import { listClientNames } from "../db/clients.ts";
import type { User } from "../db/users.ts";
import { verifyPassword } from "../lib/security.ts";

/** How long a download counts as "downloaded first" for closing a business. */
const EXPORT_HOURS = 24;

async function passwordMatches(
  c: Context<AppEnv>,
  user: User,
  password: unknown,
) {
  const hash = await getPasswordHash(c.get("deps").sql, user.id);
  return typeof password === "string" && password.length <= 200 && !!hash &&
    (await verifyPassword(password, hash));
}

async function exportedRecently(c: Context<AppEnv>, user: User) {
  const at = await lastExport(c.get("deps").sql, user.id);
  return at !== undefined &&
    Temporal.Instant.compare(
        at.add({ hours: EXPORT_HOURS }),
        c.get("deps").now(),
      ) > 0;
}

const CLIENT_LEAVES = [
  "Your upcoming sessions are cancelled and your trainer is told.",
  'Your past sessions stay in your trainer\'s history as "Former client", without your name, e-mail or notes.',
  "Everything else Spotter keeps about you is deleted: your account, e-mail, Telegram chat, class places and notices.",
  "This cannot be undone. Download your data first if you want to keep it.",
];

const TRAINER_LEAVES = [
  "Your business is deleted in full: settings, clients, sessions, classes, packages and every notice.",
  "Your clients' accounts are deleted too, and each client is told.",
  "This cannot be undone.",
];

function deletePage(c: Context<AppEnv>, user: User, error?: string) {
  const trainer = user.role === "trainer";
  return page(
    c,
    trainer ? "Close my business" : "Delete my account",
    <DeleteAccountForm
      csrf={c.get("csrfToken")}
      action="/profile/delete"
      heading={trainer ? "Close my business" : "Delete my account"}
      consequences={trainer ? TRAINER_LEAVES : CLIENT_LEAVES}
      button={trainer ? "Close my business for good" : "Delete my account"}
      error={error}
    />,
    error ? 422 : 200,
  );
}

async function removePage(
  c: Context<AppEnv>,
  trainer: User,
  clientId: string,
  error?: string,
) {
  const names = await listClientNames(c.get("deps").sql, trainer.id);
  const client = names.find((n) => n.id === clientId);
  if (!client) throw notFound("Client");
  return page(
    c,
    `Remove ${client.name}`,
    <DeleteAccountForm
      csrf={c.get("csrfToken")}
      action={`/clients/${clientId}/remove`}
      heading={`Remove ${client.name}`}
      consequences={[
        `${client.name}'s upcoming sessions are cancelled and they are told.`,
        'Their past sessions stay in your history as "Former client", without name, e-mail or notes.',
        "Their account, tags, notes, class places and notices are deleted. This cannot be undone.",
      ]}
      button={`Remove ${client.name}`}
      error={error}
    />,
    error ? 422 : 200,
  );
}

export const accountDataPages = new Hono<AppEnv>()
  .get("/profile/delete", async (c) => {
    const user = assertSignedIn(c);
    if (user.role === "trainer" && !(await exportedRecently(c, user))) {
      return redirectWithFlash(
        c,
        "/profile#your-data",
        ACCOUNT_REFUSALS.export_first.message,
        "error",
      );
    }
    return deletePage(c, user);
  })
  .post("/profile/delete", async (c) => {
    const user = assertSignedIn(c);
    const { sql, now, onOutbox } = c.get("deps");
    if (user.role === "trainer" && !(await exportedRecently(c, user))) {
      return redirectWithFlash(
        c,
        "/profile#your-data",
        ACCOUNT_REFUSALS.export_first.message,
        "error",
      );
    }
    const values = await formValues(c);
    if (!(await passwordMatches(c, user, values.password))) {
      return deletePage(c, user, ACCOUNT_REFUSALS.wrong_password.message);
    }
    if (user.role === "trainer") {
      await eraseTrainer(sql, user.id, now());
    } else {
      await eraseClient(sql, {
        clientId: user.id,
        trainerId: user.trainerId,
        by: "client",
        now: now(),
      });
    }
    onOutbox?.();
    clearSessionCookie(c);
    return redirectWithFlash(
      c,
      "/",
      user.role === "trainer"
        ? "Your business is closed and deleted."
        : "Your account is deleted.",
    );
  })
  .get("/clients/:id/remove", async (c) => {
    const trainer = assertRole(c, "trainer");
    return await removePage(c, trainer, idParam(c, "Client"));
  })
  .post("/clients/:id/remove", async (c) => {
    const trainer = assertRole(c, "trainer");
    const clientId = idParam(c, "Client");
    const values = await formValues(c);
    if (!(await passwordMatches(c, trainer, values.password))) {
      return await removePage(
        c,
        trainer,
        clientId,
        ACCOUNT_REFUSALS.wrong_password.message,
      );
    }
    const done = await eraseClient(c.get("deps").sql, {
      clientId,
      trainerId: trainer.id,
      by: "trainer",
      now: c.get("deps").now(),
    });
    if (!done.ok) throw notFound("Client");
    c.get("deps").onOutbox?.();
    return redirectWithFlash(c, "/clients", "The client is removed.");
  });

/** `/profile/export`: a client's JSON, or a trainer's ZIP (streamed). */
export const exportPages = new Hono<AppEnv>()
  .get("/profile/export", async (c) => {
    const user = assertSignedIn(c);
    const { sql, now } = c.get("deps");
    const day = now().toString().slice(0, 10);
    if (user.role !== "trainer") {
      const data = await clientExport(sql, user.id);
      if (!data) throw notFound("Account");
      await recordExport(sql, user.id, now());
      return c.body(
        JSON.stringify({ exportedAt: now().toString(), ...data }, null, 2),
        200,
        {
          "Content-Type": "application/json; charset=utf-8",
          "Content-Disposition":
            `attachment; filename="spotter-my-data-${day}.json"`,
        },
      );
    }
    const profile = await trainerProfile(sql, user.id);
    if (!profile) throw notFound("Account");
    const stream = zipStream(
      [
        {
          name: "business.json",
          json: { exportedAt: now().toString(), ...profile },
        },
        ...trainerTables(sql, user.id).map((table) => ({
          name: table.name,
          table,
        })),
      ],
      () => recordExport(sql, user.id, now()),
    );
    return c.body(stream, 200, {
      "Content-Type": "application/zip",
      "Content-Disposition":
        `attachment; filename="spotter-business-${day}.zip"`,
    });
  });
