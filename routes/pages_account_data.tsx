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
import { accountMessage } from "./account_refusals.ts";
import { sayFor, viewerLocale } from "./language.ts";
import type { MessageKey } from "../lib/i18n.ts";
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

const CLIENT_LEAVES: readonly MessageKey[] = [
  "site.data.client_leaves_1",
  "site.data.client_leaves_2",
  "site.data.client_leaves_3",
  "site.data.client_leaves_4",
];

const TRAINER_LEAVES: readonly MessageKey[] = [
  "site.data.trainer_leaves_1",
  "site.data.trainer_leaves_2",
  "site.data.cannot_undo",
];

function deletePage(c: Context<AppEnv>, user: User, error?: string) {
  const say = sayFor(c);
  const trainer = user.role === "trainer";
  const heading = say(
    trainer ? "site.data.close_business" : "site.data.delete_account",
  );
  return page(
    c,
    heading,
    <DeleteAccountForm
      csrf={c.get("csrfToken")}
      action="/profile/delete"
      heading={heading}
      consequences={(trainer ? TRAINER_LEAVES : CLIENT_LEAVES).map((k) =>
        say(k)
      )}
      button={say(
        trainer ? "site.data.close_for_good" : "site.data.delete_account",
      )}
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
  const say = sayFor(c);
  const name = client.name;
  return page(
    c,
    say("site.data.remove_title", { name }),
    <DeleteAccountForm
      csrf={c.get("csrfToken")}
      action={`/clients/${clientId}/remove`}
      heading={say("site.data.remove_title", { name })}
      consequences={[
        say("site.data.remove_1", { name }),
        say("site.data.remove_2"),
        say("site.data.remove_3"),
      ]}
      button={say("site.data.remove_title", { name })}
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
        accountMessage("export_first", viewerLocale(c)),
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
        accountMessage("export_first", viewerLocale(c)),
        "error",
      );
    }
    const values = await formValues(c);
    if (!(await passwordMatches(c, user, values.password))) {
      return deletePage(
        c,
        user,
        accountMessage("wrong_password", viewerLocale(c)),
      );
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
      sayFor(c)(
        user.role === "trainer"
          ? "site.data.business_closed"
          : "site.data.account_deleted",
      ),
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
        accountMessage("wrong_password", viewerLocale(c)),
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
    return redirectWithFlash(
      c,
      "/clients",
      sayFor(c)("site.data.client_removed"),
    );
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
      viewerLocale(c),
    );
    return c.body(stream, 200, {
      "Content-Type": "application/zip",
      "Content-Disposition":
        `attachment; filename="spotter-business-${day}.zip"`,
    });
  });
