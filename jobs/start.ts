import type { Sql } from "../db/client.ts";
import type { Config } from "../config.ts";

export type Notifications = Readonly<{
  kick: () => void;
  stop: () => void;
  botUsername?: string;
  webhook?: (request: Request) => Promise<Response>;
}>;

/** Starts notification delivery for this process. */
export function startNotifications(
  _deps: Readonly<{ sql: Sql; config: Config; now: () => Temporal.Instant }>,
): Promise<Notifications> {
  return Promise.resolve({ kick: () => {}, stop: () => {} });
}
