import type { Sql } from "./client.ts";
import { hashPassword, newReferralCode } from "../lib/security.ts";

export const DEMO_PASSWORD = "spotter-demo";
export const DEMO_LOGINS = [
  {
    role: "trainer",
    email: "trainer@demo.spotter.test",
    password: DEMO_PASSWORD,
  },
  {
    role: "client",
    email: "client@demo.spotter.test",
    password: DEMO_PASSWORD,
  },
] as const;

const TIMEZONE = "Europe/Berlin";
const CLIENTS = [
  {
    name: "Jamie Client",
    email: "client@demo.spotter.test",
    tags: ["strength"],
    notes: "Knee rehab: no deep squats.",
  },
  {
    name: "Sam Rivera",
    email: "sam@demo.spotter.test",
    tags: ["cardio", "mornings"],
    notes: "",
  },
  {
    name: "Priya Nair",
    email: "priya@demo.spotter.test",
    tags: ["mobility"],
    notes: "Prefers Fridays.",
  },
];

/**
 * Creates the demo trainer, clients and a fortnight of sessions around `now`.
 * Returns false (and changes nothing) when the demo trainer exists already.
 */
export async function seedDemo(
  sql: Sql,
  now: Temporal.Instant,
  passwordCost: number,
) {
  const passwordHash = await hashPassword(DEMO_PASSWORD, passwordCost);
  return await sql.begin(async (tx) => {
    const [exists] = await tx`SELECT 1 FROM users WHERE lower(email) = ${
      DEMO_LOGINS[0].email
    }`;
    if (exists) return false;
    const hours = {
      mon: [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "18:00" }],
      tue: [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "18:00" }],
      wed: [{ start: "10:00", end: "19:00" }],
      thu: [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "18:00" }],
      fri: [{ start: "08:00", end: "14:00" }],
      sat: [{ start: "10:00", end: "13:00" }],
      sun: [],
    };
    const [trainer] = await tx<{ id: string }[]>`
      INSERT INTO users (role, name, email, password_hash)
      VALUES ('trainer', 'Alex Morgan', ${
      DEMO_LOGINS[0].email
    }, ${passwordHash}) RETURNING id`;
    await tx`
      INSERT INTO trainers (user_id, referral_code, timezone, slot_minutes, working_hours)
      VALUES (${trainer.id}, ${newReferralCode()}, ${TIMEZONE}, 60, ${
      tx.json(hours)
    })`;
    const clientIds: string[] = [];
    for (const c of CLIENTS) {
      const [row] = await tx<{ id: string }[]>`
        INSERT INTO users (role, name, email, password_hash)
        VALUES ('client', ${c.name}, ${c.email}, ${passwordHash}) RETURNING id`;
      await tx`
        INSERT INTO clients (user_id, trainer_id, tags, notes)
        VALUES (${row.id}, ${trainer.id}, ${c.tags}, ${c.notes})`;
      clientIds.push(row.id);
    }
    const today = now.toZonedDateTimeISO(TIMEZONE).toPlainDate();
    for (let offset = -10; offset <= 10; offset++) {
      const day = today.add({ days: offset });
      if (day.dayOfWeek > 5) continue;
      for (const [i, hour] of [10, 14, 16].entries()) {
        if ((offset + i) % 3 === 0) continue; // leave free slots
        const start = day.toPlainDateTime({ hour }).toZonedDateTime(TIMEZONE)
          .toInstant();
        const end = start.add({ minutes: 60 });
        const clientId =
          clientIds[(offset + 30 + 2 * i + 1) % clientIds.length];
        const past = Temporal.Instant.compare(end, now) <= 0;
        const cancelled = !past && offset % 4 === 1 && i === 0;
        const status = past
          ? (offset % 5 === 0 ? "cancelled" : "completed")
          : cancelled
          ? "cancelled"
          : "scheduled";
        await tx`
          INSERT INTO appointments (trainer_id, client_id, starts_at, ends_at, status, notes,
            cancellation_reason, cancelled_by, cancelled_at, completed_at)
          VALUES (${trainer.id}, ${clientId}, ${start.toString()}, ${end.toString()}, ${status},
            ${i === 1 ? "Bring a towel" : ""},
            ${status === "cancelled" ? "Schedule conflict" : null},
            ${status === "cancelled" ? "client" : null},
            ${status === "cancelled" ? now.toString() : null},
            ${status === "completed" ? end.toString() : null})`;
      }
    }
    return true;
  });
}
