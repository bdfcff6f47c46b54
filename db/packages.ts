/** A trainer's packages: what they sell, by name, sessions, validity and price. */
import type { Queryable } from "./client.ts";
import { UUID } from "./client.ts";
import type { Package } from "../domain/credits.ts";

export type { Package };

const instant = (d: Date) =>
  Temporal.Instant.fromEpochMilliseconds(d.getTime());

type PackageRow = {
  id: string;
  trainer_id: string;
  name: string;
  sessions: number;
  valid_days: number | null;
  price_cents: number | null;
  currency: string | null;
  active: boolean;
  created_at: Date;
};

const toPackage = (r: PackageRow): Package => ({
  id: r.id,
  trainerId: r.trainer_id,
  name: r.name,
  sessions: r.sessions,
  validDays: r.valid_days,
  priceCents: r.price_cents,
  currency: r.currency,
  active: r.active,
  createdAt: instant(r.created_at),
});

const PACKAGE_COLUMNS =
  "id, trainer_id, name, sessions, valid_days, price_cents, currency, active, created_at";

export async function createPackage(
  sql: Queryable,
  p: Omit<Package, "id" | "active" | "createdAt"> & {
    now: Temporal.Instant;
  },
): Promise<Package> {
  const [row] = await sql<PackageRow[]>`
    INSERT INTO packages (trainer_id, name, sessions, valid_days, price_cents, currency,
      created_at)
    VALUES (${p.trainerId}, ${p.name}, ${p.sessions}, ${p.validDays}, ${p.priceCents},
      ${p.currency}, ${p.now.toString()})
    RETURNING ${sql.unsafe(PACKAGE_COLUMNS)}`;
  return toPackage(row);
}

/** A trainer's packages, newest first (only the active ones with `activeOnly`). */
export async function listPackages(
  sql: Queryable,
  trainerId: string,
  options: { activeOnly?: boolean } = {},
): Promise<Package[]> {
  const rows = await sql<PackageRow[]>`
    SELECT ${sql.unsafe(PACKAGE_COLUMNS)} FROM packages
    WHERE trainer_id = ${trainerId} ${
    options.activeOnly ? sql`AND active` : sql``
  }
    ORDER BY created_at DESC, seq DESC`;
  return rows.map(toPackage);
}

export async function getPackage(
  sql: Queryable,
  trainerId: string,
  id: string,
): Promise<Package | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await sql<PackageRow[]>`
    SELECT ${sql.unsafe(PACKAGE_COLUMNS)} FROM packages
    WHERE id = ${id} AND trainer_id = ${trainerId}`;
  return row && toPackage(row);
}

/** Renames or retires (or brings back) a package; grants made from it stay as they are. */
export async function updatePackage(
  sql: Queryable,
  trainerId: string,
  id: string,
  change: Readonly<{ name?: string; active?: boolean }>,
): Promise<Package | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await sql<PackageRow[]>`
    UPDATE packages SET name = coalesce(${change.name ?? null}, name),
      active = coalesce(${change.active ?? null}::boolean, active)
    WHERE id = ${id} AND trainer_id = ${trainerId}
    RETURNING ${sql.unsafe(PACKAGE_COLUMNS)}`;
  return row && toPackage(row);
}
