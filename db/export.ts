/**
 * What Spotter keeps about an account, read for its download: a client's own rows only,
 * or a trainer's whole business. Rows come as plain values (times ISO 8601 in UTC) in
 * the order a spreadsheet would list them; the big tables are read by cursor.
 */
import type { ExportRow, ExportTable } from "../domain/types.ts";
import type { Queryable, Sql } from "./client.ts";

type Value = string | number | boolean | null;
export type { ExportRow as Row, ExportTable };

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Dates become ISO strings; everything else stays as PostgreSQL gave it. */
function plain(row: Record<string, unknown>): ExportRow {
  const out: ExportRow = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = v instanceof Date
      ? iso(v)
      : v === undefined
      ? null
      : (v as Value | string[]);
  }
  return out;
}

/** Everything kept about one client, as one JSON document. */
export async function clientExport(sql: Queryable, clientId: string) {
  const [profile] = await sql`
    SELECT u.id, u.name, u.email, u.created_at, u.email_verified_at,
      u.telegram_chat_id IS NOT NULL AS telegram_linked,
      c.trainer_id, tu.name AS trainer_name
    FROM users u JOIN clients c ON c.user_id = u.id JOIN users tu ON tu.id = c.trainer_id
    WHERE u.id = ${clientId}`;
  if (!profile) return undefined;
  const appointments = await sql`
    SELECT id, starts_at, ends_at, status, notes, cancellation_reason, cancelled_by,
      cancelled_at, completed_at, series_id, created_at
    FROM appointments WHERE client_id = ${clientId} ORDER BY starts_at, id`;
  const seats = await sql`
    SELECT k.id AS class_id, k.title, k.starts_at, k.ends_at, k.status AS class_status,
      s.status, s.position, s.joined_at, s.booked_at
    FROM class_seats s JOIN classes k ON k.id = s.class_id
    WHERE s.client_id = ${clientId} ORDER BY k.starts_at, k.id`;
  const series = await sql`
    SELECT id, starts_at, duration_minutes, weeks, until::text AS until, notes, created_at
    FROM series WHERE client_id = ${clientId} ORDER BY created_at, id`;
  const notifications = await sql`
    SELECT id, kind, channel, status, appointment_id, class_id, due_at, sent_at, created_at,
      payload
    FROM notifications WHERE recipient_id = ${clientId} ORDER BY created_at, id`;
  const sessions = await sql`
    SELECT id, via, user_agent, created_at, expires_at
    FROM sessions WHERE user_id = ${clientId} ORDER BY created_at`;
  const grants = await sql`
    SELECT g.id, p.name AS package, g.sessions, g.remaining, g.expires_on::text AS expires_on,
      g.paid_amount_cents, g.paid_currency, g.paid_method, g.paid_note, g.created_at
    FROM credit_grants g LEFT JOIN packages p ON p.id = g.package_id
    WHERE g.client_id = ${clientId} ORDER BY g.created_at, g.seq`;
  const ledger = await sql`
    SELECT grant_id, at, kind, delta, appointment_id, class_id
    FROM credit_ledger WHERE client_id = ${clientId} ORDER BY seq`;
  return {
    profile: plain(profile),
    appointments: appointments.map(plain),
    classSeats: seats.map(plain),
    series: series.map(plain),
    notifications: notifications.map(plain),
    signedInDevices: sessions.map(plain),
    credits: { grants: grants.map(plain), ledger: ledger.map(plain) },
  };
}

const CHUNK = 1000;

async function* all(rows: Promise<readonly Record<string, unknown>[]>) {
  yield (await rows).map(plain);
}

async function* cursor(
  query: AsyncIterable<readonly Record<string, unknown>[]>,
) {
  for await (const rows of query) yield rows.map(plain);
}

/** The business settings and profile of a trainer (the one JSON of the export). */
export async function trainerProfile(sql: Queryable, trainerId: string) {
  const [row] = await sql`
    SELECT u.id, u.name, u.email, u.created_at, u.email_verified_at,
      u.telegram_chat_id IS NOT NULL AS telegram_linked, t.referral_code, t.timezone,
      t.slot_minutes, t.working_hours, t.holidays::text[] AS holidays, t.reminders_enabled,
      t.reminder_minutes, t.requires_confirmation, t.min_notice_minutes, t.horizon_days,
      t.buffer_minutes, t.cancel_notice_minutes, t.require_credit
    FROM users u JOIN trainers t ON t.user_id = u.id WHERE u.id = ${trainerId}`;
  return row && plain(row);
}

/** The CSV files of a trainer's export, each read when its turn comes. */
export function trainerTables(sql: Sql, trainerId: string): ExportTable[] {
  return [
    {
      name: "clients.csv",
      columns: ["id", "name", "email", "tags", "notes", "joined_at"],
      rows: () =>
        all(sql`
          SELECT u.id, u.name, u.email, array_to_string(c.tags, ', ') AS tags, c.notes,
            u.created_at AS joined_at
          FROM clients c JOIN users u ON u.id = c.user_id
          WHERE c.trainer_id = ${trainerId} ORDER BY lower(u.name), u.id`),
    },
    {
      name: "appointments.csv",
      columns: [
        "id",
        "client_id",
        "client",
        "starts_at",
        "ends_at",
        "status",
        "notes",
        "cancelled_by",
        "cancellation_reason",
        "cancelled_at",
        "completed_at",
        "series_id",
        "created_at",
      ],
      rows: () =>
        cursor(
          sql`
          SELECT a.id, a.client_id, u.name AS client, a.starts_at, a.ends_at, a.status,
            a.notes, a.cancelled_by, a.cancellation_reason, a.cancelled_at, a.completed_at,
            a.series_id, a.created_at
          FROM appointments a JOIN users u ON u.id = a.client_id
          WHERE a.trainer_id = ${trainerId} ORDER BY a.starts_at, a.id`
            .cursor(CHUNK),
        ),
    },
    {
      name: "series.csv",
      columns: [
        "id",
        "client_id",
        "starts_at",
        "duration_minutes",
        "weeks",
        "until",
        "notes",
        "created_at",
      ],
      rows: () =>
        all(sql`
          SELECT id, client_id, starts_at, duration_minutes, weeks, until::text AS until,
            notes, created_at
          FROM series WHERE trainer_id = ${trainerId} ORDER BY created_at, id`),
    },
    {
      name: "classes.csv",
      columns: [
        "id",
        "title",
        "starts_at",
        "ends_at",
        "capacity",
        "booked",
        "waitlisted",
        "status",
        "notes",
        "cancellation_reason",
        "created_at",
      ],
      rows: () =>
        all(sql`
          SELECT id, title, starts_at, ends_at, capacity, booked, waitlisted, status, notes,
            cancellation_reason, created_at
          FROM classes WHERE trainer_id = ${trainerId} ORDER BY starts_at, id`),
    },
    {
      name: "class_seats.csv",
      columns: [
        "class_id",
        "client_id",
        "client",
        "status",
        "position",
        "joined_at",
        "booked_at",
      ],
      rows: () =>
        all(sql`
          SELECT s.class_id, s.client_id, u.name AS client, s.status, s.position,
            s.joined_at, s.booked_at
          FROM class_seats s JOIN classes k ON k.id = s.class_id
          JOIN users u ON u.id = s.client_id
          WHERE k.trainer_id = ${trainerId} ORDER BY k.starts_at, s.seq`),
    },
    {
      name: "packages.csv",
      columns: [
        "id",
        "name",
        "sessions",
        "valid_days",
        "price_cents",
        "currency",
        "active",
        "created_at",
      ],
      rows: () =>
        all(sql`
          SELECT id, name, sessions, valid_days, price_cents, currency, active, created_at
          FROM packages WHERE trainer_id = ${trainerId} ORDER BY created_at, seq`),
    },
    {
      name: "credit_grants.csv",
      columns: [
        "id",
        "client_id",
        "client",
        "package_id",
        "sessions",
        "remaining",
        "expires_on",
        "paid_amount_cents",
        "paid_currency",
        "paid_method",
        "paid_note",
        "created_at",
      ],
      rows: () =>
        all(sql`
          SELECT g.id, g.client_id, u.name AS client, g.package_id, g.sessions, g.remaining,
            g.expires_on::text AS expires_on, g.paid_amount_cents, g.paid_currency,
            g.paid_method, g.paid_note, g.created_at
          FROM credit_grants g JOIN users u ON u.id = g.client_id
          WHERE g.trainer_id = ${trainerId} ORDER BY g.created_at, g.seq`),
    },
    {
      name: "credit_ledger.csv",
      columns: [
        "grant_id",
        "client_id",
        "at",
        "kind",
        "delta",
        "appointment_id",
        "class_id",
      ],
      rows: () =>
        cursor(
          sql`
          SELECT grant_id, client_id, at, kind, delta, appointment_id, class_id
          FROM credit_ledger WHERE trainer_id = ${trainerId} ORDER BY seq`
            .cursor(CHUNK),
        ),
    },
    {
      name: "other_calendars.csv",
      columns: [
        "id",
        "name",
        "url",
        "status",
        "error",
        "events",
        "last_synced_at",
        "created_at",
      ],
      rows: () =>
        all(sql`
          SELECT id, name, url, status, error, events, last_synced_at, created_at
          FROM busy_calendars WHERE trainer_id = ${trainerId} ORDER BY created_at, id`),
    },
    {
      name: "notifications.csv",
      columns: [
        "id",
        "recipient",
        "recipient_id",
        "kind",
        "channel",
        "status",
        "appointment_id",
        "class_id",
        "due_at",
        "sent_at",
        "attempts",
        "error",
        "created_at",
      ],
      rows: () =>
        cursor(
          sql`
          SELECT id, recipient, recipient_id, kind, channel, status, appointment_id,
            class_id, due_at, sent_at, attempts, error, created_at
          FROM notifications WHERE trainer_id = ${trainerId} ORDER BY created_at, id`
            .cursor(CHUNK),
        ),
    },
  ];
}
