/**
 * One calendar sync round in its own process, as an app process's cron runs it:
 * `deno run -A tests/helpers/sync_round.ts <database url> <now>`. Prints how many
 * calendars this process fetched.
 */
import { connect } from "../../db/client.ts";
import { syncDueCalendars } from "../../jobs/calendar_sync.ts";

const [url, now, startAt] = Deno.args;
const sql = connect(url, { max: 4 });
await sql`SELECT 1`;
// Both processes start their round at the same instant, as two crons firing together.
await new Promise((r) =>
  setTimeout(r, Math.max(0, Number(startAt) - Date.now()))
);
const fetched = await syncDueCalendars({
  sql,
  now: () => Temporal.Instant.from(now),
  allowPrivate: true,
  appUrl: "http://spotter.test",
  syncMinutes: 15,
});
console.log(fetched);
await sql.end();
