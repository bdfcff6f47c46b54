import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { formValues, page } from "./render.tsx";
import { assertRole, assertSignedIn, redirectWithFlash } from "./middleware.ts";
import { Uuid } from "./validation.ts";
import { createTelegramLink, notificationsFor } from "./api_notifications.ts";
import {
  getClientReminders,
  listClientNames,
  setClientReminders,
} from "../db/clients.ts";
import { unlinkTelegramUser } from "../db/telegram.ts";
import { NotificationLog } from "../views/NotificationViews.tsx";
import { TelegramCard } from "../views/TelegramCard.tsx";
import { RemindersCard } from "../views/AccountViews.tsx";
import { sayFor } from "./language.ts";
import { InPage } from "../views/Layout.tsx";

const PAGE_LIMIT = 200;

/** The notification log page, the profile's Telegram buttons and the bot's webhook. */
export const notificationPages = new Hono<AppEnv>()
  .get("/notifications", async (c) => {
    const user = assertSignedIn(c);
    const deps = c.get("deps");
    const parsed = Uuid.safeParse(c.req.query("client"));
    const clientId = user.role === "trainer" && parsed.success
      ? parsed.data
      : undefined;
    const [entries, clients, reminders] = await Promise.all([
      notificationsFor(deps, user, { clientId, limit: PAGE_LIMIT }),
      user.role === "trainer"
        ? listClientNames(deps.sql, user.id)
        : Promise.resolve(undefined),
      user.role === "client"
        ? getClientReminders(deps.sql, user.id)
        : Promise.resolve(undefined),
    ]);
    return page(
      c,
      sayFor(c)("site.notifications.title"),
      <InPage
        render={() => (
          <>
            <NotificationLog
              entries={entries}
              role={user.role}
              appUrl={deps.config.appUrl}
              clients={clients}
              clientId={clientId}
              limit={PAGE_LIMIT}
            />
            {reminders !== undefined && (
              <RemindersCard
                csrf={c.get("csrfToken")}
                enabled={reminders}
                action="/notifications/reminders"
              />
            )}
          </>
        )}
      />,
    );
  })
  .post("/notifications/reminders", async (c) => {
    const client = assertRole(c, "client");
    const values = await formValues(c);
    const enabled = values.remindersEnabled === "on";
    await setClientReminders(c.get("deps").sql, client.id, enabled);
    return redirectWithFlash(
      c,
      "/notifications",
      sayFor(c)(enabled ? "site.reminders.on" : "site.reminders.off"),
    );
  })
  .post("/profile/telegram", async (c) => {
    const user = assertSignedIn(c);
    const link = await createTelegramLink(c.get("deps"), user);
    if (!link) {
      return redirectWithFlash(
        c,
        "/profile",
        sayFor(c)("site.telegram.not_set_up"),
        "error",
      );
    }
    return page(
      c,
      sayFor(c)("site.telegram.connect"),
      <InPage
        render={() => (
          <>
            <h1>{sayFor(c)("site.telegram.connect")}</h1>
            <TelegramCard
              csrf={c.get("csrfToken")}
              available
              linked={user.telegramLinked}
              link={link.url}
            />
            <p>
              <a href="/profile">{sayFor(c)("site.telegram.back")}</a>
            </p>
          </>
        )}
      />,
    );
  })
  .post("/profile/telegram/unlink", async (c) => {
    const user = assertSignedIn(c);
    await unlinkTelegramUser(c.get("deps").sql, user.id);
    return redirectWithFlash(
      c,
      "/profile",
      sayFor(c)("site.telegram.disconnected"),
    );
  })
  .post("/telegram/webhook", (c) => {
    const webhook = c.get("deps").telegramWebhook;
    if (!webhook) return c.text("The bot does not use a webhook.", 404);
    return webhook(c.req.raw);
  });
