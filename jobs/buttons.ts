import type { Queryable } from "../db/client.ts";
import type { ClaimedNotification } from "../db/delivery.ts";
import { openChatMessage } from "../db/chat.ts";
import { noticeButtons } from "../domain/chat.ts";
import {
  type Keyboard,
  requestKeyboard,
  sessionKeyboard,
} from "../lib/chat.ts";

/**
 * The buttons a notice sent by Telegram now carries (`domain/chat.ts` decides which),
 * stored before the send so a press can be checked against them; none when its action is
 * no longer possible. A retried send keeps the same buttons. Their words are in the
 * recipient's language, as the notice is.
 */
export async function noticeKeyboard(
  sql: Queryable,
  claim: ClaimedNotification,
  text: string,
  now: Temporal.Instant,
): Promise<Keyboard | undefined> {
  const buttons = noticeButtons(claim, now);
  if (!buttons || !claim.chatId || !claim.appointmentId) return undefined;
  const token = await openChatMessage(sql, {
    notificationId: claim.id,
    userId: claim.recipientId,
    chatId: claim.chatId,
    kind: buttons,
    step: "open",
    appointmentId: claim.appointmentId,
    seen: { status: claim.payload.status, version: claim.payload.version },
    text,
    now,
  });
  return buttons === "request"
    ? requestKeyboard(token, claim.recipientLanguage)
    : sessionKeyboard(token, claim.recipientLanguage);
}
