import type { Sql } from "../db/client.ts";
import { sweepExpired } from "../db/housekeeping.ts";
import { errorLogger, type Logger } from "../lib/log.ts";
import { runJob } from "./observe.ts";
import { pruneAccountLinks } from "../db/account_messages.ts";
import { deleteStaleChatPace } from "../db/send_budget.ts";

/**
 * Deletes expired idempotency keys, sessions, Telegram link tokens and chats' spent send
 * slots once an hour
 * (`Deno.cron`). Several processes may run it: a second sweep finds nothing to delete.
 */
export function startHousekeeping(
  deps: Readonly<{ sql: Sql; now: () => Temporal.Instant; log?: Logger }>,
): { stop: () => void } {
  const controller = new AbortController();
  Deno.cron(
    "sweep expired rows",
    "17 * * * *",
    { signal: controller.signal },
    async () => {
      await runJob(
        deps.log ?? errorLogger,
        "sweep expired rows",
        async () => {
          const swept = await sweepExpired(deps.sql, deps.now());
          await pruneAccountLinks(deps.sql, deps.now());
          await deleteStaleChatPace(deps.sql, deps.now());
          return swept;
        },
        (swept) => swept,
      ).catch(() => {}); // logged; the next hour tries again
    },
  );
  return { stop: () => controller.abort() };
}
