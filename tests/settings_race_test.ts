/**
 * Settings changed under activity, across real processes (issue 12, finding 5): a trainer
 * changes their reminder lead time over and over through one `deno run main.ts` server
 * while their sessions are moved through another and deleted through both. Re-planning
 * reminders takes the trainer's lock like every other change, so nothing deadlocks
 * (40P01) or plans reminders for a session deleted meanwhile (23503), and the outbox
 * ends up exactly as the final settings say.
 */
import assert from "node:assert/strict";
import { connect } from "../db/client.ts";
import { dbTest } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import {
  api,
  type JsonResponse,
  signUpClient,
  signUpTrainer,
} from "./helpers/http.ts";
import { AppProcess } from "./helpers/process.ts";
import { mapLimit, remote, seeder } from "./helpers/remote.ts";

const ZONE = "Europe/Berlin";
const DAYS = 20;
/** As many as the probe that found the 500s sent. */
const PUTS = 52;
const PATCHES = 61;
/** The lead times the PUTs cycle through, with the trainer's own reminders on or off. */
const SETTINGS = [
  { reminderMinutes: 60, remindersEnabled: true },
  { reminderMinutes: 120, remindersEnabled: false },
  { reminderMinutes: 180, remindersEnabled: true },
] as const;

const url = await freshDatabaseUrl();
const sql = connect(url, { max: 4 });
const seed = seeder(url);
const [a, b] = [
  new AppProcess({ DATABASE_URL: url }),
  new AppProcess({ DATABASE_URL: url }),
];
globalThis.addEventListener("unload", () => {
  a.kill();
  b.kill();
});

// The servers run on the real clock: every session lies at least 8 days ahead.
const first = Temporal.Now.plainDateISO(ZONE).add({ days: 8 });

/** `time` on the `day`th day from `first`, in the trainer's zone, as an offset string. */
function at(day: number, time: string): string {
  return first.add({ days: day })
    .toPlainDateTime(Temporal.PlainTime.from(time))
    .toZonedDateTime(ZONE)
    .toString({ timeZoneName: "never" });
}

/** The starts a session of day `day` is moved between; none touches another session. */
const LANES = ["10:00", "11:00", "12:00"];

type Op = Readonly<
  { kind: "PUT" | "PATCH" | "DELETE"; run: () => Promise<JsonResponse> }
>;

/** Interleaves the lists one item of each at a time, so every kind runs all along. */
function interleave<T>(...lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) {
    for (const l of lists) if (i < l.length) out.push(l[i]);
  }
  return out;
}

dbTest(
  "settings changed through one process while sessions are moved and deleted through two answer no 5xx, and reminders follow the final settings",
  async () => {
    try {
      await Promise.all([a.ready(), b.ready()]);
      const trainer = await signUpTrainer(seed);
      const clients: { id: string }[] = [];
      for (let i = 0; i < 5; i++) {
        clients.push(
          await signUpClient(seed, trainer.referralCode, `Mover ${i + 1}`),
        );
      }
      const book = async (client: number, start: string) => {
        const res = await api(seed, "POST", "/api/appointments", {
          token: trainer.token,
          body: { clientId: clients[client % 5].id, start, duration: 60 },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body.id as string;
      };
      // Per day: one session that is moved between the lanes, two that are deleted.
      const kept: string[] = [];
      const doomed: string[] = [];
      for (let day = 0; day < DAYS; day++) {
        kept.push(await book(day, at(day, LANES[0])));
        doomed.push(await book(day + 1, at(day, "17:00")));
        doomed.push(await book(day + 2, at(day, "19:00")));
      }
      const settings = await api(seed, "GET", "/api/settings", {
        token: trainer.token,
      });
      assert.equal(settings.status, 200, JSON.stringify(settings.body));

      const token = trainer.token;
      const puts: Op[] = Array.from({ length: PUTS }, (_, i) => ({
        kind: "PUT",
        run: () =>
          remote(a.url, "PUT", "/api/settings", {
            token,
            body: { ...settings.body, ...SETTINGS[i % SETTINGS.length] },
          }),
      }));
      const patches: Op[] = Array.from({ length: PATCHES }, (_, i) => {
        const day = i % DAYS;
        const lane = LANES[1 + Math.floor(i / DAYS) % (LANES.length - 1)];
        return {
          kind: "PATCH",
          run: () =>
            remote(b.url, "PATCH", `/api/appointments/${kept[day]}`, {
              token,
              body: { start: at(day, lane) },
            }),
        };
      });
      const deletes: Op[] = doomed.map((id, i) => ({
        kind: "DELETE",
        run: () =>
          remote([a, b][i % 2].url, "DELETE", `/api/appointments/${id}`, {
            token,
          }),
      }));
      const ops = interleave(puts, patches, deletes);
      const results = await mapLimit(ops, 12, async (op) => ({
        kind: op.kind,
        ...(await op.run()),
      }));

      const tally: Record<string, number> = {};
      for (const r of results) {
        const key = `${r.kind} ${r.status}`;
        tally[key] = (tally[key] ?? 0) + 1;
      }
      const failures = results.filter((r) => r.status >= 500);
      assert.deepEqual(
        failures.map((r) => `${r.kind} ${r.status} ${JSON.stringify(r.body)}`),
        [],
        `answers: ${JSON.stringify(tally)}\nA:\n${a.output.slice(-4000)}\nB:\n${
          b.output.slice(-4000)
        }`,
      );
      assert.deepEqual(tally, {
        "PUT 200": PUTS,
        "PATCH 200": PATCHES,
        "DELETE 204": doomed.length,
      });

      // The outbox as the final settings imply it.
      const [final] = await sql<
        { reminders_enabled: boolean; reminder_minutes: number }[]
      >`
        SELECT reminders_enabled, reminder_minutes FROM trainers
        WHERE user_id = ${trainer.id}`;
      assert.ok(
        SETTINGS.some((s) =>
          s.reminderMinutes === final.reminder_minutes &&
          s.remindersEnabled === final.reminders_enabled
        ),
        JSON.stringify(final),
      );
      const sessions = await sql<
        { id: string; starts_at: Date; version: number }[]
      >`
        SELECT id, starts_at, version FROM appointments
        WHERE trainer_id = ${trainer.id} AND status = 'scheduled'
          AND starts_at > now()
        ORDER BY starts_at`;
      assert.deepEqual(sessions.map((s) => s.id).sort(), [...kept].sort());
      const reminders = await sql<
        {
          appointment_id: string;
          recipient: string;
          due_at: Date;
          status: string;
          version: number;
        }[]
      >`
        SELECT appointment_id, recipient, due_at, status,
          (payload->>'version')::int AS version
        FROM notifications
        WHERE trainer_id = ${trainer.id} AND kind = 'reminder'
        ORDER BY appointment_id, recipient`;
      const expected = sessions.flatMap((s) => {
        const recipients = final.reminders_enabled
          ? ["client", "trainer"]
          : ["client"];
        return recipients.map((recipient) => ({
          appointment_id: s.id,
          recipient,
          due_at: new Date(
            s.starts_at.getTime() - final.reminder_minutes * 60_000,
          ),
          status: "pending",
          version: s.version,
        }));
      }).sort((x, y) =>
        x.appointment_id.localeCompare(y.appointment_id) ||
        x.recipient.localeCompare(y.recipient)
      );
      const sorted = [...reminders].sort((x, y) =>
        x.appointment_id.localeCompare(y.appointment_id) ||
        x.recipient.localeCompare(y.recipient)
      );
      assert.deepEqual(sorted, expected);
      // Every session really was moved, so each re-plan met moves of its own versions.
      assert.ok(sessions.every((s) => s.version > 1));

      const [left] = await sql<
        { appointments: number; notifications: number }[]
      >`
        SELECT
          (SELECT count(*)::int FROM appointments WHERE id = ANY(${doomed}::uuid[])) AS appointments,
          (SELECT count(*)::int FROM notifications WHERE appointment_id = ANY(${doomed}::uuid[]))
            AS notifications`;
      assert.deepEqual(left, { appointments: 0, notifications: 0 });
    } finally {
      await Promise.all([a.kill(), b.kill()]);
      await Promise.all([sql.end(), seed.end()]);
    }
  },
);
