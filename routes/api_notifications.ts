import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import { assertSignedIn } from "./middleware.ts";
import { query } from "./validation.ts";
import { newToken, sha256 } from "../lib/security.ts";
import {
  listNotifications,
  type NotificationEntry,
} from "../db/notification_log.ts";
import type { User } from "../db/users.ts";
import { insertTelegramLinkToken, unlinkTelegramUser } from "../db/telegram.ts";
import { toOffsetString } from "../domain/time.ts";

/** How long a "Connect Telegram" link works. */
export const LINK_TOKEN_MINUTES = 60;

const telegramOff = () =>
  new ApiError(
    409,
    "telegram_disabled",
    "Telegram is not set up on this server.",
  );

/**
 * A one-time deep link that binds the Telegram chat which opens it to `user`.
 * Only the token's SHA-256 is stored. Undefined when the bot is off.
 */
export async function createTelegramLink(
  deps: AppDeps,
  user: User,
): Promise<{ token: string; url: string } | undefined> {
  const bot = deps.telegramBotUsername;
  if (!bot) return undefined;
  const token = newToken();
  const now = deps.now();
  await insertTelegramLinkToken(deps.sql, {
    userId: user.id,
    tokenHash: sha256(token),
    expiresAt: now.add({ minutes: LINK_TOKEN_MINUTES }),
    now,
  });
  return { token, url: `https://t.me/${bot}?start=${token}` };
}

/** What a caller may see of the log: a trainer all of theirs, a client what was sent to them. */
export function notificationsFor(
  deps: AppDeps,
  user: User,
  filter: Readonly<
    {
      appointmentId?: string;
      classId?: string;
      clientId?: string;
      limit?: number;
    }
  >,
): Promise<NotificationEntry[]> {
  return listNotifications(deps.sql, {
    trainerId: user.trainerId,
    ...(user.role === "client"
      ? { recipientId: user.id }
      : { clientId: filter.clientId }),
    appointmentId: filter.appointmentId,
    classId: filter.classId,
    limit: filter.limit,
  });
}

/** `sending` is an internal state: to the outside the row is still pending. */
export const visibleStatus = (s: NotificationEntry["status"]) =>
  s === "sending" ? "pending" : s;

const toJson = (n: NotificationEntry) => ({
  id: n.id,
  appointmentId: n.appointmentId,
  classId: n.classId,
  recipient: n.recipient,
  recipientId: n.recipientId,
  recipientName: n.recipientName,
  channel: n.channel,
  kind: n.kind,
  status: visibleStatus(n.status),
  dueAt: toOffsetString(
    Temporal.Instant.fromEpochMilliseconds(n.dueAt.getTime()),
    n.timezone,
  ),
  sentAt: n.sentAt &&
    toOffsetString(
      Temporal.Instant.fromEpochMilliseconds(n.sentAt.getTime()),
      n.timezone,
    ),
  attempts: n.attempts,
  error: n.error,
});

const NotificationQuery = z.object({
  appointmentId: z.uuid("must be a UUID").optional(),
  classId: z.uuid("must be a UUID").optional(),
  clientId: z.uuid("must be a UUID").optional(),
});

/** `GET /api/notifications`, `POST` and `DELETE /api/telegram/link`. */
export const notificationsApi = new Hono<AppEnv>()
  .get("/notifications", query(NotificationQuery), async (c) => {
    const user = assertSignedIn(c);
    const entries = await notificationsFor(
      c.get("deps"),
      user,
      c.req.valid("query"),
    );
    return c.json({ notifications: entries.map(toJson) });
  })
  .post("/telegram/link", async (c) => {
    const user = assertSignedIn(c);
    const link = await createTelegramLink(c.get("deps"), user);
    if (!link) throw telegramOff();
    return c.json(link);
  })
  .delete("/telegram/link", async (c) => {
    const user = assertSignedIn(c);
    await unlinkTelegramUser(c.get("deps").sql, user.id);
    return c.body(null, 204);
  });
