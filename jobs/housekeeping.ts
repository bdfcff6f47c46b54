import type { Sql } from "../db/client.ts";
import { sweepExpired } from "../db/housekeeping.ts";
import { deleteStaleChatPace } from "../db/send_budget.ts";

/**
 * Deletes expired idempotency keys, sessions, Telegram link tokens and chats' spent send
 * slots once an hour
 * (`Deno.cron`). Several processes may run it: a second sweep finds nothing to delete.
 */
export function startHousekeeping(
  deps: Readonly<{ sql: Sql; now: () => Temporal.Instant }>,
): { stop: () => void } {
  const controller = new AbortController();
  Deno.cron(
    "sweep expired rows",
    "17 * * * *",
    { signal: controller.signal },
    async () => {
      try {
        await sweepExpired(deps.sql, deps.now());
        await deleteStaleChatPace(deps.sql, deps.now());
      } catch (error) {
        console.error("housekeeping failed:", error);
      }
    },
  );
  return { stop: () => controller.abort() };
}
