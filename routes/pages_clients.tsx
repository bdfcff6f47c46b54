import { Hono } from "hono";
import { listClientSeats } from "../db/classes.ts";
import { SeatLines } from "../views/SeatLines.tsx";
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { notFound } from "./errors.ts";
import { formValues, page } from "./render.tsx";
import { assertRole, redirectWithFlash } from "./middleware.ts";
import { idParam } from "./validation.ts";
import { listAppointments } from "../db/appointments.ts";
import {
  type ClientSummary,
  listClients,
  updateClient,
} from "../db/clients.ts";
import { getSettings } from "../db/settings.ts";
import { listClientSeries } from "../db/series.ts";
import type { User } from "../db/users.ts";
import { ClientForm, ClientList } from "../views/ClientViews.tsx";
import { getClientCredits, listLedgerLines } from "../db/credits.ts";
import { listPackages } from "../db/packages.ts";
import { balanceOf, creditDay } from "../domain/credits.ts";
import { ClientCredits } from "../views/CreditViews.tsx";
import { WalkInCard } from "../views/WalkInViews.tsx";
import { sayFor } from "./language.ts";
import type { Say } from "../views/locale.ts";

type Values = Readonly<Record<string, string | undefined>>;
type Errors = Readonly<Record<string, string | undefined>>;

const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 40;
const MAX_NOTES = 5000;

/** Comma-separated tags → trimmed, non-empty, unique (first spelling wins). */
function parseTags(
  text: string,
  say: Say,
): { tags: string[]; error?: string } {
  const tags = [
    ...new Set(text.split(",").map((t) => t.trim()).filter((t) => t !== "")),
  ];
  const long = tags.find((t) => t.length > MAX_TAG_LENGTH);
  if (long) {
    return {
      tags,
      error: say("trainer.client.tag_too_long", {
        tag: long.slice(0, 20),
        max: MAX_TAG_LENGTH,
      }),
    };
  }
  if (tags.length > MAX_TAGS) {
    return {
      tags,
      error: say("trainer.client.too_many_tags", {
        max: MAX_TAGS,
        count: tags.length,
      }),
    };
  }
  return { tags };
}

export async function ownClient(c: Context<AppEnv>, trainer: User) {
  const [client] = await listClients(
    c.get("deps").sql,
    trainer.id,
    c.get("deps").now(),
    { clientId: idParam(c, "Client") },
  );
  if (!client) throw notFound("Client");
  return client;
}

async function timezoneOf(c: Context<AppEnv>, trainer: User) {
  return (await getSettings(c.get("deps").sql, trainer.id))!.timezone;
}

/** The latest sessions shown on a client's page (upcoming and past together). */
const CLIENT_SESSIONS = 50;

/** The latest ledger entries shown on a client's page. */
const LEDGER_LINES = 30;

/**
 * A client's page: the tags and notes form, their packages and credits with the "Sell a
 * package" form (`sale`: as sent, with what is wrong), then their sessions.
 */
export async function clientPage(
  c: Context<AppEnv>,
  trainer: User,
  client: ClientSummary,
  form: { values: Values; errors?: Errors },
  status: 200 | 422 = 200,
  sale: { values: Values; errors?: Errors } = { values: {} },
  /** A walk-in's new invitation link, shown once (routes/pages_walk_ins.tsx). */
  invitationLink?: string,
) {
  const { sql, now } = c.get("deps");
  const at = now();
  const [sessions, series, credits, ledger, packages, seats] = await Promise
    .all([
      listAppointments(sql, {
        owner: { role: "trainer", id: trainer.id },
        clientId: client.id,
        order: "desc",
        limit: CLIENT_SESSIONS,
      }),
      listClientSeries(sql, trainer.id, client.id, at),
      getClientCredits(sql, client.id),
      listLedgerLines(sql, client.id, LEDGER_LINES),
      listPackages(sql, trainer.id),
      listClientSeats(sql, trainer.id, client.id),
    ]);
  const timezone = await timezoneOf(c, trainer);
  const today = creditDay(at, timezone);
  return page(
    c,
    client.name,
    <ClientForm
      client={client}
      csrf={c.get("csrfToken")}
      values={form.values}
      errors={form.errors}
      timezone={timezone}
      sessions={sessions}
      series={series}
      now={at}
      walkIn={client.unclaimed && (
        <WalkInCard
          client={client}
          csrf={c.get("csrfToken")}
          link={invitationLink}
        />
      )}
      classes={
        <SeatLines
          seats={[...seats].reverse()}
          viewer="trainer"
          heading={sayFor(c)("trainer.client.classes")}
        />
      }
      credits={
        <ClientCredits
          clientId={client.id}
          clientName={client.name}
          balance={balanceOf(credits.grants, today)}
          grants={credits.grants}
          ledger={ledger}
          packages={packages}
          today={today}
          timezone={timezone}
          csrf={c.get("csrfToken")}
          values={sale.values}
          errors={sale.errors}
        />
      }
    />,
    status,
  );
}

/** `GET /clients` (with `?tag=`) and `GET/POST /clients/:id` for tags and notes. */
export const clientPages = new Hono<AppEnv>()
  .get("/clients", async (c) => {
    const trainer = assertRole(c, "trainer");
    const tag = c.req.query("tag")?.trim() || undefined;
    const all = await listClients(
      c.get("deps").sql,
      trainer.id,
      c.get("deps").now(),
    );
    const allTags = [...new Set(all.flatMap((cl) => cl.tags))]
      .sort((a, b) => a.localeCompare(b));
    const clients = tag ? all.filter((cl) => cl.tags.includes(tag)) : all;
    return page(
      c,
      sayFor(c)("trainer.clients.title"),
      <ClientList
        clients={clients}
        allTags={allTags}
        tag={tag}
        timezone={await timezoneOf(c, trainer)}
      />,
    );
  })
  .get("/clients/:id", async (c) => {
    const trainer = assertRole(c, "trainer");
    const client = await ownClient(c, trainer);
    return await clientPage(c, trainer, client, {
      values: { tags: client.tags.join(", "), notes: client.notes },
    });
  })
  .post("/clients/:id", async (c) => {
    const trainer = assertRole(c, "trainer");
    const client = await ownClient(c, trainer);
    const values = await formValues(c);
    const say = sayFor(c);
    const { tags, error } = parseTags(values.tags ?? "", say);
    const notes = (values.notes ?? "").replaceAll("\r\n", "\n").trim();
    const errors: Record<string, string> = {};
    if (error) errors.tags = error;
    if (notes.length > MAX_NOTES) {
      errors.notes = say("site.field.at_most", { count: MAX_NOTES });
    }
    if (Object.keys(errors).length) {
      return await clientPage(c, trainer, client, { values, errors }, 422);
    }
    if (
      !(await updateClient(c.get("deps").sql, trainer.id, client.id, {
        tags,
        notes,
      }))
    ) {
      throw notFound("Client");
    }
    return redirectWithFlash(
      c,
      "/clients",
      say("trainer.client.saved", { name: client.name }),
    );
  });
