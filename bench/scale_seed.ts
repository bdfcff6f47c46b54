/**
 * Bulk data for the scale benchmark, written with generate_series in a few statements:
 * trainers, their clients, a history of sessions each and the outbox rows that history
 * leaves behind (a booking notice and a reminder per session, a notice per cancellation;
 * sent in the past, pending in the future). Rows go in ordered by time, interleaved across
 * trainers, as real bookings arrive, not clustered by trainer.
 *
 * Triggers are off while it writes (`session_replication_role = replica`, as a restore
 * loads data): the calendar counters are written here directly and every reference is
 * right by construction (tests/scale_seed_test.ts checks them). Constraints still hold:
 * the exclusion constraint and every unique index check each row.
 */
import type { Sql } from "../db/client.ts";

export type ScalePlan = Readonly<{
  trainers: number;
  clientsPerTrainer: number;
  appointmentsPerTrainer: number;
  now: Temporal.Instant;
}>;

export type ScaleCounts = Readonly<{
  trainers: number;
  clients: number;
  appointments: number;
  notifications: number;
}>;

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Sydney",
  "UTC",
];
const DAY = [{ start: "08:00", end: "12:00" }, {
  start: "13:00",
  end: "19:00",
}];
const WORKING_HOURS = {
  mon: DAY,
  tue: DAY,
  wed: DAY,
  thu: DAY,
  fri: DAY,
  sat: [{ start: "09:00", end: "13:00" }],
  sun: [],
};
/** Days between a trainer's sessions: a history of 100 reaches ~45 days ahead. */
const SPACING_DAYS = 5;
const HISTORY_DAYS = 450;

/**
 * Writes `plan.trainers` trainers (half with a Telegram chat), `clientsPerTrainer` clients
 * each and `appointmentsPerTrainer` sessions each, one every five days from 450 days
 * before `now`: the past completed, a tenth cancelled, a few never marked; the future
 * scheduled or cancelled. Then ANALYZE and VACUUM, as autovacuum would have by then.
 *
 * ```ts
 * await seedScale(sql, { trainers: 10_000, clientsPerTrainer: 30, appointmentsPerTrainer: 100, now });
 * ```
 */
export async function seedScale(
  sql: Sql,
  plan: ScalePlan,
  log: (step: string) => void = () => {},
): Promise<ScaleCounts> {
  const { trainers: t, clientsPerTrainer: cpt, appointmentsPerTrainer: apt } =
    plan;
  const now = new Date(plan.now.epochMilliseconds);
  const step = async (name: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    log(`${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  await sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await step(`${t} trainers`, async () => {
      await tx`
        INSERT INTO users (id, role, name, email, password_hash, telegram_chat_id, created_at,
          email_verified_at)
        SELECT md5('scale-t' || i)::uuid, 'trainer', 'Trainer ' || i,
          'scale-t' || i || '@scale.spotter.test', 'x',
          CASE WHEN i % 2 = 0 THEN 700000000 + i END,
          ${now}::timestamptz - make_interval(days => ${
        HISTORY_DAYS + 30
      }), ${now}::timestamptz
        FROM generate_series(1, ${t}) i`;
      await tx`
        INSERT INTO trainers (user_id, referral_code, timezone, working_hours)
        SELECT md5('scale-t' || i)::uuid, 'SCALE' || i,
          (${ZONES}::text[])[1 + i % ${ZONES.length}], ${tx.json(WORKING_HOURS)}
        FROM generate_series(1, ${t}) i`;
      await tx`
        INSERT INTO calendar_versions (trainer_id)
        SELECT md5('scale-t' || i)::uuid FROM generate_series(1, ${t}) i`;
    });
    await step(`${t * cpt} clients`, async () => {
      await tx`
        INSERT INTO users (id, role, name, email, password_hash, telegram_chat_id, created_at,
          email_verified_at)
        SELECT md5('scale-c' || j)::uuid, 'client', 'Client ' || j,
          'scale-c' || j || '@scale.spotter.test', 'x',
          CASE WHEN j % 3 = 0 THEN 800000000 + j END,
          ${now}::timestamptz - make_interval(days => ${HISTORY_DAYS} - j % 400), ${now}::timestamptz
        FROM generate_series(1, ${t * cpt}) j`;
      await tx`
        INSERT INTO clients (user_id, trainer_id, tags)
        SELECT md5('scale-c' || j)::uuid, md5('scale-t' || (1 + (j - 1) / ${cpt}))::uuid,
          CASE WHEN j % 4 = 0 THEN ARRAY['regular'] ELSE '{}' END
        FROM generate_series(1, ${t * cpt}) j`;
    });
    await step(`${t * apt} appointments`, async () => {
      await tx`
        INSERT INTO appointments (id, trainer_id, client_id, starts_at, ends_at, status,
          cancellation_reason, cancelled_by, cancelled_at, completed_at, created_at, updated_at)
        SELECT md5('scale-a' || i || ':' || k)::uuid, md5('scale-t' || i)::uuid,
          md5('scale-c' || ((i - 1) * ${cpt} + 1 + (k * 7) % ${cpt}))::uuid,
          s, s + interval '1 hour', st,
          CASE WHEN st = 'cancelled' THEN 'Schedule conflict' END,
          CASE WHEN st = 'cancelled' THEN (ARRAY['client', 'trainer'])[1 + k % 2] END,
          CASE WHEN st = 'cancelled'
            THEN least(s - interval '1 day', ${now}::timestamptz - interval '30 minutes') END,
          CASE WHEN st = 'completed' THEN s + interval '1 hour' END,
          made, made
        FROM generate_series(1, ${t}) i, generate_series(0, ${apt - 1}) k,
          LATERAL (SELECT date_trunc('hour', ${now}::timestamptz)
            - make_interval(days => ${HISTORY_DAYS})
            + make_interval(days => k * ${SPACING_DAYS}, hours => 8 + i % 9) AS s) at,
          LATERAL (SELECT least(s - interval '7 days', ${now}::timestamptz - interval '1 hour')
            AS made) m,
          LATERAL (SELECT CASE
            WHEN (i + k) % 10 = 3 THEN 'cancelled'
            WHEN s > ${now} THEN 'scheduled'
            WHEN (i + k) % 50 = 7 THEN 'scheduled'
            ELSE 'completed' END AS st) sts
        ORDER BY s, i`;
    });
    await step("outbox rows", async () => {
      // A booking notice to the trainer, a reminder to the client (two hours before),
      // a cancellation notice to the other side; the past sent, the future pending.
      await tx`
        INSERT INTO notifications (appointment_id, trainer_id, recipient, recipient_id, kind,
          channel, status, dedupe_key, payload, due_at, next_attempt_at, sent_at, attempts,
          created_at)
        SELECT a.id, a.trainer_id, r.recipient,
          CASE r.recipient WHEN 'trainer' THEN a.trainer_id ELSE a.client_id END, r.kind,
          CASE WHEN (CASE r.recipient WHEN 'trainer' THEN tu.telegram_chat_id
            ELSE cu.telegram_chat_id END) IS NULL THEN 'email' ELSE 'telegram' END,
          CASE WHEN r.due <= ${now} THEN 'sent' ELSE 'pending' END,
          a.id || ':' || r.recipient || ':' || r.kind || ':v1',
          jsonb_build_object('trainerName', tu.name, 'clientName', cu.name,
            'startsAt', to_char(a.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'endsAt', to_char(a.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'timezone', 'UTC', 'version', 1, 'status', 'scheduled', 'actor', 'client'),
          r.due, r.due, CASE WHEN r.due <= ${now} THEN r.due + interval '1 second' END,
          CASE WHEN r.due <= ${now} THEN 1 ELSE 0 END, a.created_at
        FROM appointments a
        JOIN users tu ON tu.id = a.trainer_id
        JOIN users cu ON cu.id = a.client_id
        CROSS JOIN LATERAL (
          SELECT 'trainer' AS recipient, 'booked' AS kind, a.created_at AS due
          UNION ALL SELECT 'client', 'reminder', a.starts_at - interval '2 hours'
            WHERE a.status <> 'cancelled' OR a.cancelled_at > a.starts_at - interval '2 hours'
          UNION ALL SELECT CASE a.cancelled_by WHEN 'client' THEN 'trainer' ELSE 'client' END,
            'cancelled', a.cancelled_at WHERE a.status = 'cancelled'
        ) r
        WHERE a.trainer_id IN (SELECT md5('scale-t' || i)::uuid FROM generate_series(1, ${t}) i)
        ORDER BY a.created_at`;
    });
  });
  await step("VACUUM ANALYZE", async () => {
    for (
      const table of [
        "users",
        "trainers",
        "clients",
        "appointments",
        "notifications",
        "calendar_versions",
      ]
    ) await sql.unsafe(`VACUUM ANALYZE ${table}`);
  });
  const [counts] = await sql<ScaleCounts[]>`
    SELECT (SELECT count(*)::int FROM trainers) AS trainers,
      (SELECT count(*)::int FROM clients) AS clients,
      (SELECT count(*)::int FROM appointments) AS appointments,
      (SELECT count(*)::int FROM notifications) AS notifications`;
  return counts;
}

/**
 * Five years of one trainer's diary up to four weeks ahead (about 10,000 sessions): weekday
 * hours 09–16 in Berlin, ~96 % booked by `clientIds` in turn; the past mostly completed,
 * some cancelled (either side, with reasons), a few never marked; the future scheduled.
 */
export async function seedTrainerHistory(
  sql: Sql,
  trainerId: string,
  clientIds: readonly string[],
  years = 5,
): Promise<number> {
  const rows = await sql`
    WITH slots AS (
      SELECT ((d::date + make_interval(hours => h)) AT TIME ZONE 'Europe/Berlin') AS starts_at,
        row_number() OVER () AS n
      FROM generate_series(now() - make_interval(years => ${years}), now() + interval '28 days',
        interval '1 day') AS d,
        generate_series(9, 16) AS h
      WHERE extract(isodow FROM d) < 6
    )
    INSERT INTO appointments (trainer_id, client_id, starts_at, ends_at, status,
      cancellation_reason, cancelled_by, cancelled_at, completed_at)
    SELECT ${trainerId}, (${clientIds}::uuid[])[1 + (n % ${clientIds.length})], starts_at,
      starts_at + interval '1 hour', status,
      CASE WHEN status = 'cancelled' THEN (ARRAY['Sick', 'Travel: work', 'Schedule conflict', NULL])[1 + (n % 4)] END,
      CASE WHEN status = 'cancelled' THEN (ARRAY['client', 'trainer'])[1 + (n % 2)] END,
      CASE WHEN status = 'cancelled' THEN starts_at - make_interval(hours => (n % 72)::int) END,
      CASE WHEN status = 'completed' THEN starts_at + interval '1 hour' END
    FROM (
      SELECT starts_at, n,
        CASE
          WHEN starts_at > now() THEN 'scheduled'
          WHEN n % 10 = 3 THEN 'cancelled'
          WHEN n % 97 = 5 THEN 'scheduled'
          ELSE 'completed'
        END AS status
      FROM slots WHERE n % 25 <> 7
    ) s
    RETURNING id`;
  await sql`ANALYZE appointments`;
  return rows.length;
}
