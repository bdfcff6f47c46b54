import type { Sql } from "../../db/client.ts";

/** First chat id of the storm's trainers (client `i` has `CHAT_BASE + 2i + 1`). */
export const CHAT_BASE = 900_000_000;

export type StormPlan = Readonly<{
  /** Trainer–client pairs with linked chats: two Telegram reminders each. */
  telegramPairs: number;
  /** Extra clients of the first trainer, each booked: that many notices to one chat. */
  oneChatNotices?: number;
  /** Pairs without chats: two e-mailed reminders each. */
  emailPairs?: number;
  /** When the reminders fall due (every one of them at once). */
  dueAt: Temporal.Instant;
}>;

/**
 * Writes a storm of due notifications in a few statements (generate_series): trainers,
 * clients, a session each two hours after `dueAt`, and its two reminders (client and
 * trainer) due at `dueAt`, as `remindersFor` plans them. Returns how many rows and which
 * chats they go to. Ids and chats are deterministic, so each message can be told apart.
 */
export async function seedStorm(sql: Sql, plan: StormPlan) {
  const pairs = plan.telegramPairs + (plan.emailPairs ?? 0);
  const extra = plan.oneChatNotices ?? 0;
  const due = new Date(plan.dueAt.epochMilliseconds);
  const start = new Date(plan.dueAt.epochMilliseconds + 2 * 3_600_000);
  await sql.begin(async (tx) => {
    await tx`
      INSERT INTO users (id, role, name, email, password_hash, telegram_chat_id,
        email_verified_at)
      SELECT md5('storm-t' || i)::uuid, 'trainer', 'Trainer ' || i,
        'storm-t' || i || '@spotter.test', 'x',
        CASE WHEN i <= ${plan.telegramPairs} THEN ${CHAT_BASE} + 2 * i END, now()
      FROM generate_series(1, ${pairs}) i`;
    await tx`
      INSERT INTO trainers (user_id, referral_code, timezone, working_hours)
      SELECT md5('storm-t' || i)::uuid, 'STORM' || i, 'UTC', '{}'::jsonb
      FROM generate_series(1, ${pairs}) i`;
    await tx`
      INSERT INTO users (id, role, name, email, password_hash, telegram_chat_id,
        email_verified_at)
      SELECT md5('storm-c' || i)::uuid, 'client', 'Client ' || i,
        'storm-c' || i || '@spotter.test', 'x',
        CASE WHEN i <= ${plan.telegramPairs} THEN ${CHAT_BASE} + 2 * i + 1 END, now()
      FROM generate_series(1, ${pairs + extra}) i`;
    await tx`
      INSERT INTO clients (user_id, trainer_id)
      SELECT md5('storm-c' || i)::uuid,
        md5('storm-t' || CASE WHEN i <= ${pairs} THEN i ELSE 1 END)::uuid
      FROM generate_series(1, ${pairs + extra}) i`;
    // The first trainer's extra clients book back to back after its own session.
    await tx`
      INSERT INTO appointments (id, trainer_id, client_id, starts_at, ends_at, status)
      SELECT md5('storm-a' || i)::uuid,
        md5('storm-t' || CASE WHEN i <= ${pairs} THEN i ELSE 1 END)::uuid,
        md5('storm-c' || i)::uuid, s, s + interval '1 hour', 'scheduled'
      FROM generate_series(1, ${pairs + extra}) i,
        LATERAL (SELECT ${start}::timestamptz
          + CASE WHEN i <= ${pairs} THEN 0 ELSE i - ${pairs} END * interval '1 hour' AS s) t`;
    await tx`
      INSERT INTO notifications (appointment_id, trainer_id, recipient, recipient_id, kind,
        dedupe_key, payload, due_at, next_attempt_at)
      SELECT a.id, a.trainer_id, r.recipient,
        CASE r.recipient WHEN 'trainer' THEN a.trainer_id ELSE a.client_id END,
        r.kind, a.id || ':' || r.recipient || ':' || r.kind || ':v1',
        jsonb_build_object('trainerName', tu.name, 'clientName', cu.name,
          'startsAt', to_char(a.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'endsAt', to_char(a.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'timezone', 'UTC', 'version', 1, 'status', 'scheduled', 'actor', 'client'),
        ${due}, ${due}
      FROM appointments a
      JOIN users tu ON tu.id = a.trainer_id JOIN users cu ON cu.id = a.client_id
      CROSS JOIN LATERAL (
        SELECT * FROM (VALUES ('trainer', 'reminder'), ('client', 'reminder')) v(recipient, kind)
        WHERE a.starts_at = ${start}
        UNION ALL SELECT 'trainer', 'booked' WHERE a.starts_at > ${start}
      ) r
      WHERE a.id IN (SELECT md5('storm-a' || i)::uuid FROM generate_series(1, ${
      pairs + extra
    }) i)`;
  });
  return {
    telegram: plan.telegramPairs * 2 + extra,
    email: (plan.emailPairs ?? 0) * 2,
    oneChat: CHAT_BASE + 2,
  };
}
