import type { Sql } from "../db/client.ts";

/** What the bot's handlers are built from; tests pass their own clock and database. */
export type BotDeps = Readonly<{
  sql: Sql;
  now: () => Temporal.Instant;
  /** The public base URL, for links in replies. */
  appUrl: string;
  /** Called after a change that wrote notices, so delivery starts at once. */
  onOutbox?: () => void;
}>;
