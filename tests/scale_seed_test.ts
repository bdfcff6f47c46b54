/**
 * The scale benchmark's bulk data (bench/scale_seed.ts), written small: it loads with
 * triggers off, so here every reference and derived row it writes by hand is checked.
 */
import assert from "node:assert/strict";
import { seedScale } from "../bench/scale_seed.ts";
import { dbTest } from "./helpers/app.ts";
import { freshDatabase } from "./helpers/db.ts";

dbTest(
  "the scale seed writes what it says, every reference sound",
  async () => {
    const sql = await freshDatabase();
    const now = Temporal.Instant.from("2026-12-07T10:00:00Z");
    const counts = await seedScale(sql, {
      trainers: 12,
      clientsPerTrainer: 5,
      appointmentsPerTrainer: 100,
      now,
    });
    assert.equal(counts.trainers, 12);
    assert.equal(counts.clients, 60);
    assert.equal(counts.appointments, 1200);
    const [check] = await sql<Record<string, number>[]>`
    SELECT
      (SELECT count(*)::int FROM appointments a JOIN clients c ON c.user_id = a.client_id
        WHERE c.trainer_id <> a.trainer_id) AS foreign_clients,
      (SELECT count(*)::int FROM clients c LEFT JOIN users u ON u.id = c.user_id
        LEFT JOIN trainers t ON t.user_id = c.trainer_id
        WHERE u.id IS NULL OR t.user_id IS NULL OR u.role <> 'client') AS orphan_clients,
      (SELECT count(*)::int FROM trainers t LEFT JOIN calendar_versions v
        ON v.trainer_id = t.user_id WHERE v.trainer_id IS NULL) AS no_counter,
      (SELECT count(*)::int FROM notifications n LEFT JOIN appointments a ON a.id = n.appointment_id
        LEFT JOIN users u ON u.id = n.recipient_id
        WHERE a.id IS NULL OR u.id IS NULL OR n.trainer_id <> a.trainer_id
          OR u.id <> CASE n.recipient WHEN 'trainer' THEN a.trainer_id ELSE a.client_id END)
        AS bad_notices,
      (SELECT count(*)::int FROM notifications WHERE status = 'pending'
        AND due_at <= ${new Date(now.epochMilliseconds)}) AS overdue,
      (SELECT count(*)::int FROM notifications WHERE status = 'sent'
        AND due_at > ${new Date(now.epochMilliseconds)}) AS sent_early,
      (SELECT count(*)::int FROM appointments WHERE created_at > ${new Date(
      now.epochMilliseconds,
    )} OR cancelled_at > ${new Date(now.epochMilliseconds)}) AS from_the_future,
      (SELECT count(*)::int FROM appointments WHERE starts_at > ${new Date(
      now.epochMilliseconds,
    )} AND status = 'completed') AS completed_ahead,
      (SELECT count(*)::int FROM appointments WHERE starts_at > ${new Date(
      now.epochMilliseconds,
    )} AND status = 'scheduled') AS ahead,
      (SELECT count(*)::int FROM notifications WHERE status = 'pending') AS pending`;
    assert.deepEqual(
      { ...check, ahead: check.ahead > 0, pending: check.pending > 0 },
      {
        foreign_clients: 0,
        orphan_clients: 0,
        no_counter: 0,
        bad_notices: 0,
        overdue: 0,
        sent_early: 0,
        from_the_future: 0,
        completed_ahead: 0,
        ahead: true,
        pending: true,
      },
    );
    // A booking notice for each session and a reminder for each one not cancelled early.
    const [{ booked, reminders, live }] = await sql<Record<string, number>[]>`
    SELECT (SELECT count(*)::int FROM notifications WHERE kind = 'booked') AS booked,
      (SELECT count(*)::int FROM notifications WHERE kind = 'reminder') AS reminders,
      (SELECT count(*)::int FROM appointments WHERE status <> 'cancelled') AS live`;
    assert.equal(booked, 1200);
    assert.equal(reminders, live);
  },
);
