/** The notification log's reads: what was sent to whom, when, how, and how it went. */
import type { Queryable } from "./client.ts";
import type {
  Channel,
  NotificationEntry,
  NotificationKind,
  NotificationPayload,
  NotificationStatus,
  Recipient,
} from "../domain/notifications.ts";

export type { NotificationEntry };

type EntryRow = {
  id: string;
  appointment_id: string | null;
  class_id: string | null;
  recipient: Recipient;
  recipient_id: string;
  recipient_name: string;
  channel: Channel;
  kind: NotificationKind;
  status: NotificationStatus;
  due_at: Date;
  sent_at: Date | null;
  attempts: number;
  error: string | null;
  payload: NotificationPayload;
  timezone: string;
};

/**
 * A trainer's notifications, newest first; narrowed to one recipient (what a client may
 * see), one client's sessions, or one appointment.
 */
export async function listNotifications(
  sql: Queryable,
  filter: Readonly<{
    trainerId: string;
    recipientId?: string;
    clientId?: string;
    appointmentId?: string;
    classId?: string;
    limit?: number;
  }>,
): Promise<NotificationEntry[]> {
  const rows = await sql<EntryRow[]>`
    SELECT n.id, n.appointment_id, n.class_id, n.recipient, n.recipient_id, u.name AS recipient_name,
           n.channel, n.kind, n.status, n.due_at, n.sent_at, n.attempts, n.error, n.payload,
           t.timezone
    FROM notifications n
    JOIN users u ON u.id = n.recipient_id
    JOIN trainers t ON t.user_id = n.trainer_id
    LEFT JOIN appointments a ON a.id = n.appointment_id
    WHERE n.trainer_id = ${filter.trainerId}
      ${
    filter.recipientId ? sql`AND n.recipient_id = ${filter.recipientId}` : sql``
  }
      ${
    filter.clientId
      ? sql`AND (a.client_id = ${filter.clientId} OR n.payload->>'clientId' = ${filter.clientId}::text)`
      : sql``
  }
      ${
    filter.appointmentId
      ? sql`AND n.appointment_id = ${filter.appointmentId}`
      : sql``
  }
      ${filter.classId ? sql`AND n.class_id = ${filter.classId}` : sql``}
    ORDER BY COALESCE(n.sent_at, n.due_at) DESC, n.created_at DESC, n.id
    ${filter.limit ? sql`LIMIT ${filter.limit}` : sql``}`;
  return rows.map((r) => ({
    id: r.id,
    appointmentId: r.appointment_id,
    classId: r.class_id,
    recipient: r.recipient,
    recipientId: r.recipient_id,
    recipientName: r.recipient_name,
    channel: r.channel,
    kind: r.kind,
    status: r.status,
    dueAt: r.due_at,
    sentAt: r.sent_at,
    attempts: r.attempts,
    error: r.error,
    payload: r.payload,
    timezone: r.timezone,
  }));
}
