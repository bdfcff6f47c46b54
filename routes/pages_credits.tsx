import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { notFound } from "./errors.ts";
import { formValues, page } from "./render.tsx";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { idParam } from "./validation.ts";
import { messageOf } from "./outcomes.ts";
import {
  fieldsInWords,
  packageFromForm,
  saleFromForm,
} from "./credits_input.ts";
import { sayFor, viewerLocale } from "./language.ts";
import { clientPage, ownClient } from "./pages_clients.tsx";
import { grantCredits } from "../db/credits.ts";
import {
  createPackage,
  getPackage,
  listPackages,
  updatePackage,
} from "../db/packages.ts";
import type { User } from "../db/users.ts";
import { PackagesPage } from "../views/PackageViews.tsx";
import { longDay } from "../views/format.ts";

type Values = Readonly<Record<string, string | undefined>>;

async function packagesPage(
  c: Context<AppEnv>,
  trainer: User,
  form: { values?: Values; errors?: Record<string, string> } = {},
  status: 200 | 422 = 200,
) {
  const packages = await listPackages(c.get("deps").sql, trainer.id);
  return page(
    c,
    sayFor(c)("business.credits.packages_title"),
    <PackagesPage
      packages={packages}
      csrf={c.get("csrfToken")}
      values={form.values}
      errors={form.errors}
    />,
    status,
  );
}

/** Retires a package or puts it on sale again, back to the list. */
async function setActive(c: Context<AppEnv>, active: boolean) {
  const trainer = assertRole(c, "trainer");
  const p = await updatePackage(
    c.get("deps").sql,
    trainer.id,
    idParam(c, "Package"),
    { active },
  );
  if (!p) throw notFound("Package");
  return redirectWithFlash(
    c,
    "/packages",
    sayFor(c)(
      active ? "business.credits.back_on_sale" : "business.credits.retired",
      { name: p.name },
    ),
  );
}

/** `/packages` (the trainer's packages) and `POST /clients/:id/credits` (a sale). */
export const creditPages = new Hono<AppEnv>()
  .get("/packages", (c) => packagesPage(c, assertRole(c, "trainer")))
  .post("/packages", async (c) => {
    const trainer = assertRole(c, "trainer");
    const values = await formValues(c);
    const form = packageFromForm(values);
    if (!form.ok) {
      return await packagesPage(
        c,
        trainer,
        { values, errors: fieldsInWords(viewerLocale(c), form.fields) },
        422,
      );
    }
    const p = form.body;
    await createPackage(c.get("deps").sql, {
      trainerId: trainer.id,
      name: p.name,
      sessions: p.sessions,
      validDays: p.validDays ?? null,
      priceCents: p.priceCents ?? null,
      currency: p.currency ?? null,
      now: c.get("deps").now(),
    });
    return redirectWithFlash(
      c,
      "/packages",
      sayFor(c)("business.credits.package_added", { name: p.name }),
    );
  })
  .post("/packages/:id/retire", (c) => setActive(c, false))
  .post("/packages/:id/offer", (c) => setActive(c, true))
  .post("/clients/:id/credits", async (c) => {
    const trainer = assertRole(c, "trainer");
    const client = await ownClient(c, trainer);
    const { sql, now } = c.get("deps");
    const values = await formValues(c);
    const chosen = values.source && values.source !== "custom"
      ? await getPackage(sql, trainer.id, values.source)
      : undefined;
    const sale = saleFromForm(values, chosen);
    const refuse = (errors: Record<string, string>) =>
      clientPage(
        c,
        trainer,
        client,
        {
          values: { tags: client.tags.join(", "), notes: client.notes },
        },
        422,
        { values, errors: fieldsInWords(viewerLocale(c), errors) },
      );
    if (!sale.ok) return await refuse(sale.fields);
    const result = await grantCredits(sql, {
      trainerId: trainer.id,
      clientId: client.id,
      source: sale.source,
      paid: sale.paid,
      now: now(),
    });
    if (!result.ok) {
      if (result.reason === "not_found") throw notFound("Client");
      return await refuse({
        source: messageOf(result.reason, "trainer", viewerLocale(c)),
      });
    }
    const g = result.grant;
    return redirectWithFlash(
      c,
      `/clients/${client.id}#credits`,
      g.expiresOn
        ? sayFor(c)("business.credits.sold_until", {
          name: client.name,
          count: g.sessions,
          date: longDay(g.expiresOn, viewerLocale(c)),
        })
        : sayFor(c)("business.credits.sold", {
          name: client.name,
          count: g.sessions,
        }),
    );
  });
