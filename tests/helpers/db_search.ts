import type { Sql } from "../../db/client.ts";

/**
 * Every `table.column` of the schema whose text (text, varchar, arrays, json, jsonb,
 * each cast to text) contains `needle`, case-insensitively: where a deleted person's
 * name or address could still hide.
 */
export async function columnsContaining(
  sql: Sql,
  needle: string,
): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string }[]>`
    SELECT c.table_name, c.column_name FROM information_schema.columns c
    JOIN information_schema.tables t
      ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      AND (c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY'))`;
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    const [row] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM ${sql(table_name)}
      WHERE ${sql(column_name)}::text ILIKE ${`%${needle}%`}`;
    if (row.n > 0) hits.push(`${table_name}.${column_name}`);
  }
  return hits;
}
