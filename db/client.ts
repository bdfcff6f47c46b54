import postgres from "postgres";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
/** Anything that runs a query: the pool or a transaction. */
export type Queryable = Sql | Tx;

/** A uuid as text: anything else is not an id (and must not reach a `::uuid` cast). */
export const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Opens a pool. The only place that constructs `sql`. `url` may name several hosts
 * (`postgres://h1:5432,h2:5432/spotter?target_session_attrs=read-write`): postgres.js
 * tries them in turn and keeps the one that accepts writes (see docs/failover.md).
 */
export function connect(
  url: string,
  options: Readonly<{
    max?: number;
    /** Sees every query sent, with its parameters (a benchmark's EXPLAIN of what ran). */
    onQuery?: (text: string, parameters: readonly unknown[]) => void;
  }> = {},
): Sql {
  const onQuery = options.onQuery;
  return postgres(url, {
    max: options.max ?? 10,
    ...(onQuery && {
      debug: (_connection: number, text: string, parameters: unknown[]) =>
        onQuery(text, parameters),
    }),
    onnotice: () => {},
    connection: { application_name: "spotter" },
    // The library's default waits up to 20 s between attempts after a run of failed
    // connections; a restart or failover is over in seconds, so retry within 0.25 s.
    backoff: (attempts) => Math.min(0.01 * 2 ** attempts, 0.25),
    connect_timeout: 5,
  });
}

/** SQLSTATE of a postgres.js error, if any. */
export function sqlState(error: unknown): string | undefined {
  return error instanceof postgres.PostgresError ? error.code : undefined;
}

/** Network failures of the connection itself (node:net codes and postgres.js's own). */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/**
 * True when `error` means the database was out of reach (restarting, failing over, a
 * broken connection) rather than that it refused the request: SQLSTATE class 08, a
 * shutdown or start-up in progress (57P01-57P03), no connection slots (53300), a read-only
 * standby (25006), or a socket error. A write that failed this way may or may not have
 * committed.
 */
export function isUnavailable(error: unknown): boolean {
  const state = sqlState(error);
  if (state) {
    return state.startsWith("08") ||
      ["57P01", "57P02", "57P03", "53300", "25006"].includes(state);
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && CONNECTION_CODES.has(code);
}
