import { type Queryable, UUID } from "./client.ts";
import type { ClientSummary } from "../domain/types.ts";

export type { ClientSummary };

export async function isTrainersClient(
  sql: Queryable,
  trainerId: string,
  clientId: string,
) {
  if (!UUID.test(clientId)) return false;
  const [row] =
    await sql`SELECT 1 FROM clients WHERE user_id = ${clientId} AND trainer_id = ${trainerId}`;
  return row !== undefined;
}

type Row = {
  id: string;
  name: string;
  email: string | null;
  phone: string;
  unclaimed: boolean;
  tags: string[];
  notes: string;
  booked: number;
  cancelled: number;
  completed: number;
  pending: number;
  declined: number;
  last_session: Date | null;
  next_session: Date | null;
};

const instant = (d: Date | null) =>
  d && Temporal.Instant.fromEpochMilliseconds(d.getTime());

export async function listClients(
  sql: Queryable,
  trainerId: string,
  now: Temporal.Instant,
  options: { clientId?: string } = {},
): Promise<ClientSummary[]> {
  if (options.clientId !== undefined && !UUID.test(options.clientId)) return [];
  const rows = await sql<Row[]>`
    SELECT u.id, u.name, u.email, c.phone, c.unclaimed, c.tags, c.notes,
      count(a.id) FILTER (WHERE a.status IN ('scheduled', 'pending'))::int AS booked,
      count(a.id) FILTER (WHERE a.status = 'cancelled')::int AS cancelled,
      count(a.id) FILTER (WHERE a.status = 'completed')::int AS completed,
      count(a.id) FILTER (WHERE a.status = 'pending')::int AS pending,
      count(a.id) FILTER (WHERE a.status = 'cancelled' AND EXISTS (
        SELECT 1 FROM notifications n WHERE n.appointment_id = a.id AND n.kind = 'declined'
      ))::int AS declined,
      max(a.starts_at) FILTER (WHERE a.starts_at < ${now.toString()} AND a.status <> 'cancelled') AS last_session,
      min(a.starts_at) FILTER (WHERE a.starts_at >= ${now.toString()} AND a.status IN ('scheduled', 'pending')) AS next_session
    FROM clients c
    JOIN users u ON u.id = c.user_id
    LEFT JOIN appointments a ON a.client_id = c.user_id
    WHERE c.trainer_id = ${trainerId}
      ${options.clientId ? sql`AND c.user_id = ${options.clientId}` : sql``}
    GROUP BY u.id, u.name, u.email, c.phone, c.unclaimed, c.tags, c.notes
    ORDER BY lower(u.name), u.id`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    unclaimed: r.unclaimed,
    tags: r.tags,
    notes: r.notes,
    stats: { booked: r.booked, cancelled: r.cancelled, completed: r.completed },
    pending: r.pending,
    declined: r.declined,
    lastSession: instant(r.last_session),
    nextSession: instant(r.next_session),
  }));
}

/** Updates tags and/or notes of one of the trainer's clients; false when not theirs. */
export async function updateClient(
  sql: Queryable,
  trainerId: string,
  clientId: string,
  change: Readonly<{ tags?: readonly string[]; notes?: string }>,
): Promise<boolean> {
  if (!UUID.test(clientId)) return false;
  const rows = await sql`
    UPDATE clients SET
      tags = COALESCE(${change.tags ? [...change.tags] : null}::text[], tags),
      notes = COALESCE(${change.notes ?? null}, notes)
    WHERE user_id = ${clientId} AND trainer_id = ${trainerId}
    RETURNING user_id`;
  return rows.length > 0;
}

/** A trainer's clients by name (for pickers and filters). */
export async function listClientNames(sql: Queryable, trainerId: string) {
  return await sql<{ id: string; name: string }[]>`
    SELECT u.id, u.name FROM clients c JOIN users u ON u.id = c.user_id
    WHERE c.trainer_id = ${trainerId} ORDER BY lower(u.name), u.id`;
}

/** Whether a client wants their own reminders (`/reminders off|on`, their notifications page). */
export async function getClientReminders(
  sql: Queryable,
  clientId: string,
): Promise<boolean> {
  const [row] = await sql<{ reminders_enabled: boolean }[]>`
    SELECT reminders_enabled FROM clients WHERE user_id = ${clientId}`;
  return row?.reminders_enabled ?? true;
}

/**
 * Switches a client's own reminders. Off counts at once, for sessions booked earlier too:
 * a reminder due while it is off is skipped when its time comes (`reminderVoidReason`).
 */
export async function setClientReminders(
  sql: Queryable,
  clientId: string,
  enabled: boolean,
): Promise<void> {
  await sql`UPDATE clients SET reminders_enabled = ${enabled} WHERE user_id = ${clientId}`;
}
