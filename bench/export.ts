/**
 * Export benchmark: one real app process on a fresh embedded cluster, one trainer with
 * 10,000 appointments (and notices for a tenth of them) over 40 clients.
 *
 *   deno run -A bench/export.ts
 *
 * Times the business download (`GET /profile/export`, a streamed ZIP of CSV files and one
 * JSON) from the first request byte to the last response byte, beside the history CSV of
 * the same sessions (`GET /history.csv`, built whole) in the same run. Target: the ZIP
 * within 10 s. Nothing here asserts on time; it exits 1 only when a download does not
 * answer 200.
 */
import { freshDatabaseUrl } from "../tests/helpers/db.ts";
import { signUpClient, signUpTrainer } from "../tests/helpers/http.ts";
import { AppProcess } from "../tests/helpers/process.ts";
import { seeder } from "../tests/helpers/remote.ts";

const TARGET_MS = 10_000;
const APPOINTMENTS = 10_000;
const CLIENTS = 40;
const RUNS = 5;

const ms = (n: number) => `${n.toFixed(0)} ms`;
let exitCode = 0;
const url = await freshDatabaseUrl();
const proc = new AppProcess({ DATABASE_URL: url });
const seed = seeder(url);

async function download(path: string, cookie: string) {
  const started = performance.now();
  const res = await fetch(`${proc.url}${path}`, {
    headers: { Cookie: cookie },
  });
  const bytes = (await res.arrayBuffer()).byteLength;
  if (res.status !== 200) {
    exitCode = 1;
    throw new Error(`${path} answered ${res.status}`);
  }
  return { ms: performance.now() - started, bytes };
}

try {
  await proc.ready();
  const trainer = await signUpTrainer(seed, { timezone: "Europe/Berlin" });
  const ids: string[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    ids.push(
      (await signUpClient(seed, trainer.referralCode, `Client ${i}`)).id,
    );
  }
  await seed.sql`
    INSERT INTO appointments (trainer_id, client_id, starts_at, ends_at, status, notes)
    SELECT ${trainer.id}, (${ids}::uuid[])[1 + (n % ${CLIENTS})],
      now() - make_interval(hours => n * 2), now() - make_interval(hours => n * 2 - 1),
      'completed', 'Notes, with "quotes" and a comma ' || n
    FROM generate_series(1, ${APPOINTMENTS}) AS n`;
  await seed.sql`
    INSERT INTO notifications (appointment_id, trainer_id, recipient, recipient_id, kind,
      dedupe_key, due_at, next_attempt_at, status, sent_at)
    SELECT a.id, a.trainer_id, 'client', a.client_id, 'booked', a.id::text || ':bench',
      a.created_at, a.created_at, 'sent', a.created_at
    FROM appointments a WHERE a.trainer_id = ${trainer.id} AND random() < 0.1`;
  await seed.sql`ANALYZE`;
  const cookie = `spotter_session=${trainer.token}`;
  const zip: number[] = [];
  const csv: number[] = [];
  let zipBytes = 0;
  let csvBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const z = await download("/profile/export", cookie);
    const h = await download("/history.csv", cookie);
    zip.push(z.ms);
    csv.push(h.ms);
    zipBytes = z.bytes;
    csvBytes = h.bytes;
  }
  zip.sort((a, b) => a - b);
  csv.sort((a, b) => a - b);
  const zipMedian = zip[Math.floor(RUNS / 2)];
  const csvMedian = csv[Math.floor(RUNS / 2)];
  console.log(
    `${APPOINTMENTS} appointments, ${CLIENTS} clients, ${RUNS} runs each:`,
  );
  console.log(
    `GET /profile/export (ZIP)   median ${ms(zipMedian).padStart(8)}  ${
      (zipBytes / 1024).toFixed(0)
    } KiB  (${(zipMedian / csvMedian).toFixed(1)} × the history CSV)`,
  );
  console.log(
    `GET /history.csv            median ${ms(csvMedian).padStart(8)}  ${
      (csvBytes / 1024).toFixed(0)
    } KiB`,
  );
  console.log(
    `target: the ZIP within ${TARGET_MS / 1000} s: ${ms(zipMedian)} — ${
      zipMedian <= TARGET_MS ? "met" : "NOT met"
    }`,
  );
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await seed.end();
  await proc.kill();
}
Deno.exit(exitCode);
