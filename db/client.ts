import postgres from "postgres";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
/** Anything that runs a query: the pool or a transaction. */
export type Queryable = Sql | Tx;

/** A uuid as text: anything else is not an id (and must not reach a `::uuid` cast). */
export const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opens a pool. The only place that constructs `sql`. */
export function connect(
  url: string,
  options: Readonly<{ max?: number }> = {},
): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: "spotter" },
  });
}

/** SQLSTATE of a postgres.js error, if any. */
export function sqlState(error: unknown): string | undefined {
  return error instanceof postgres.PostgresError ? error.code : undefined;
}
