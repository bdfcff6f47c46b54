/**
 * Packages, grants and the credit ledger. A grant's `remaining` changes only in
 * {@link writeCreditMoves} (and at its sale), always together with its ledger entries in
 * one statement, inside the transaction of the change that causes it and under the
 * trainer's advisory lock. Which grant pays and what returns is decided by
 * `domain/credits.ts`; nothing here decides.
 */
import type { Queryable, Sql } from "./client.ts";
import { UUID } from "./client.ts";
import { lockTrainer } from "./appointments.ts";
import { getPackage } from "./packages.ts";
import {
  creditDay,
  type CreditMove,
  expiresOnFor,
  type Grant,
  type LedgerEntry,
  type LedgerKind,
  type OpenGrant,
  type Payment,
  type PaymentMethod,
} from "../domain/credits.ts";

export type { Grant, LedgerEntry, Payment };

const instant = (d: Date) =>
  Temporal.Instant.fromEpochMilliseconds(d.getTime());
const dateOf = (text: string | null) =>
  text === null ? null : Temporal.PlainDate.from(text);

type GrantRow = {
  id: string;
  client_id: string;
  package_id: string | null;
  sessions: number;
  remaining: number;
  expires_on: string | null;
  paid_amount_cents: number | null;
  paid_currency: string | null;
  paid_method: PaymentMethod | null;
  paid_note: string | null;
  created_at: Date;
};

const GRANT_COLUMNS = `id, client_id, package_id, sessions, remaining,
  to_char(expires_on, 'YYYY-MM-DD') AS expires_on, paid_amount_cents, paid_currency,
  paid_method, paid_note, created_at`;

const toGrant = (r: GrantRow): Grant => ({
  id: r.id,
  clientId: r.client_id,
  packageId: r.package_id,
  sessions: r.sessions,
  remaining: r.remaining,
  expiresOn: dateOf(r.expires_on),
  paid: r.paid_method === null ? null : {
    amountCents: r.paid_amount_cents!,
    currency: r.paid_currency!,
    method: r.paid_method,
    note: r.paid_note,
  },
  createdAt: instant(r.created_at),
});

type OpenGrantRow = {
  id: string;
  seq: string;
  client_id: string;
  remaining: number;
  expires_on: string | null;
  created_at: Date;
};

const toOpenGrant = (r: OpenGrantRow) => ({
  id: r.id,
  seq: Number(r.seq),
  clientId: r.client_id,
  remaining: r.remaining,
  expiresOn: dateOf(r.expires_on),
  createdAt: instant(r.created_at),
});

/**
 * The balance read: the client's grants with credits left (one index scan of a partial
 * index, a handful of rows). `domain/credits.ts` sums the usable ones and picks the payer.
 */
export async function listOpenGrants(
  sql: Queryable,
  clientId: string,
): Promise<(OpenGrant & { clientId: string })[]> {
  return await listOpenGrantsOf(sql, [clientId]);
}

/** {@link listOpenGrants} of several clients at once (a class's waitlist). */
export async function listOpenGrantsOf(
  sql: Queryable,
  clientIds: readonly string[],
): Promise<(OpenGrant & { clientId: string })[]> {
  const ids = clientIds.filter((id) => UUID.test(id));
  if (ids.length === 0) return [];
  const rows = await sql<OpenGrantRow[]>`
    SELECT id, seq, client_id, remaining,
      to_char(expires_on, 'YYYY-MM-DD') AS expires_on, created_at
    FROM credit_grants
    WHERE client_id = ANY(${ids}::uuid[]) AND remaining > 0`;
  return rows.map(toOpenGrant);
}

/** Every open grant of a trainer's clients (Today's low balances, statistics). */
export async function listTrainerOpenGrants(
  sql: Queryable,
  trainerId: string,
): Promise<(OpenGrant & { clientId: string })[]> {
  const rows = await sql<OpenGrantRow[]>`
    SELECT id, seq, client_id, remaining,
      to_char(expires_on, 'YYYY-MM-DD') AS expires_on, created_at
    FROM credit_grants
    WHERE trainer_id = ${trainerId} AND remaining > 0`;
  return rows.map(toOpenGrant);
}

type EntryRow = {
  id: string;
  at: Date;
  delta: number;
  kind: LedgerKind;
  grant_id: string;
  appointment_id: string | null;
  class_id: string | null;
};

/** A client's grants and ledger, newest first (the client's id already checked). */
export async function getClientCredits(
  sql: Queryable,
  clientId: string,
): Promise<{ grants: Grant[]; ledger: LedgerEntry[] }> {
  const [grants, ledger] = await Promise.all([
    sql<GrantRow[]>`
      SELECT ${sql.unsafe(GRANT_COLUMNS)} FROM credit_grants
      WHERE client_id = ${clientId}
      ORDER BY created_at DESC, seq DESC`,
    sql<EntryRow[]>`
      SELECT id, at, delta, kind, grant_id, appointment_id, class_id FROM credit_ledger
      WHERE client_id = ${clientId}
      ORDER BY seq DESC`,
  ]);
  return {
    grants: grants.map(toGrant),
    ledger: ledger.map((r) => ({
      id: r.id,
      at: instant(r.at),
      delta: r.delta,
      kind: r.kind,
      grantId: r.grant_id,
      appointmentId: r.appointment_id,
      classId: r.class_id,
    })),
  };
}

/** Where a new grant's credits come from: a package of the trainer, or a number of sessions. */
export type GrantSource =
  | Readonly<{ packageId: string }>
  | Readonly<{ sessions: number; validDays: number | null }>;

/**
 * Sells (or gives) credits to one of the trainer's clients, with the payment recorded,
 * under the trainer's lock: the grant and its `granted` entry in one statement.
 */
export async function grantCredits(
  sql: Sql,
  input: Readonly<{
    trainerId: string;
    clientId: string;
    source: GrantSource;
    paid: Payment | null;
    now: Temporal.Instant;
  }>,
): Promise<
  | Readonly<{ ok: true; grant: Grant }>
  | Readonly<{ ok: false; reason: "not_found" | "unknown_package" }>
> {
  if (!UUID.test(input.clientId)) return { ok: false, reason: "not_found" };
  return await sql.begin(async (tx) => {
    const [, [context]] = await Promise.all([
      lockTrainer(tx, input.trainerId),
      tx<{ timezone: string; client: boolean }[]>`
        SELECT t.timezone, EXISTS (SELECT 1 FROM clients c
          WHERE c.user_id = ${input.clientId} AND c.trainer_id = t.user_id) AS client
        FROM trainers t WHERE t.user_id = ${input.trainerId}`,
    ]);
    if (!context?.client) {
      return { ok: false as const, reason: "not_found" as const };
    }
    let sessions: number;
    let validDays: number | null;
    let packageId: string | null = null;
    if ("packageId" in input.source) {
      const p = await getPackage(tx, input.trainerId, input.source.packageId);
      if (!p || !p.active) {
        return { ok: false as const, reason: "unknown_package" as const };
      }
      ({ sessions, validDays } = p);
      packageId = p.id;
    } else {
      ({ sessions, validDays } = input.source);
    }
    const expiresOn = expiresOnFor(
      validDays,
      creditDay(input.now, context.timezone),
    );
    const paid = input.paid;
    const [row] = await tx<GrantRow[]>`
      WITH sold AS (
        INSERT INTO credit_grants (trainer_id, client_id, package_id, sessions, remaining,
          expires_on, paid_amount_cents, paid_currency, paid_method, paid_note, created_at)
        VALUES (${input.trainerId}, ${input.clientId}, ${packageId}, ${sessions},
          ${sessions}, ${expiresOn?.toString() ?? null}, ${
      paid?.amountCents ?? null
    },
          ${paid?.currency ?? null}, ${paid?.method ?? null}, ${
      paid?.note ?? null
    },
          ${input.now.toString()})
        RETURNING *
      ), entry AS (
        INSERT INTO credit_ledger (grant_id, client_id, trainer_id, at, delta, kind)
        SELECT id, client_id, trainer_id, created_at, sessions, 'granted' FROM sold
      )
      SELECT ${tx.unsafe(GRANT_COLUMNS)} FROM sold`;
    return { ok: true as const, grant: toGrant(row) };
  });
}

const DELTA: Readonly<Record<CreditMove["kind"], number>> = {
  used: -1,
  returned: 1,
};

/**
 * Writes credits leaving or going back to their grants, with one ledger entry each, in
 * one statement: the change that causes them calls it in its own transaction, under the
 * trainer's lock. Several moves on one grant are summed into one update, so the CHECK on
 * `remaining` judges the end result.
 */
export async function writeCreditMoves(
  tx: Queryable,
  moves: readonly CreditMove[],
  now: Temporal.Instant,
): Promise<void> {
  if (moves.length === 0) return;
  const col = <T>(f: (m: CreditMove) => T) => moves.map(f);
  await tx`
    WITH moves AS (
      SELECT * FROM unnest(${col((m) => m.grantId)}::uuid[], ${
    col((m) => DELTA[m.kind])
  }::int[],
        ${col((m) => m.kind)}::text[], ${
    col((m) => m.appointmentId)
  }::uuid[], ${col((m) => m.classId)}::uuid[])
        WITH ORDINALITY AS m(grant_id, delta, kind, appointment_id, class_id, ord)
    ), changed AS (
      UPDATE credit_grants g SET remaining = g.remaining + t.delta
      FROM (SELECT grant_id, sum(delta)::int AS delta FROM moves GROUP BY grant_id) t
      WHERE g.id = t.grant_id
    )
    INSERT INTO credit_ledger (grant_id, client_id, trainer_id, at, delta, kind,
      appointment_id, class_id)
    SELECT m.grant_id, g.client_id, g.trainer_id, ${now.toString()}, m.delta, m.kind,
      m.appointment_id, m.class_id
    FROM moves m JOIN credit_grants g ON g.id = m.grant_id
    ORDER BY m.ord`;
}

/**
 * Grants whose ledger does not add up, and sessions or seats whose credit the ledger does
 * not show as they say: the invariants every change keeps. Empty when all is well (the
 * test suite asserts it after every test).
 */
export async function findLedgerMismatches(sql: Queryable): Promise<string[]> {
  const rows = await sql<{ problem: string }[]>`
    SELECT 'grant ' || g.id || ': remaining ' || g.remaining || ', ledger sum '
      || coalesce(l.total, 0) AS problem
    FROM credit_grants g
    LEFT JOIN (SELECT grant_id, sum(delta)::int AS total FROM credit_ledger GROUP BY grant_id) l
      ON l.grant_id = g.id
    WHERE g.remaining IS DISTINCT FROM coalesce(l.total, 0)
       OR g.remaining < 0 OR g.remaining > g.sessions
    UNION ALL
    SELECT 'appointment ' || a.id || ': holds ' || (a.credit_grant_id IS NOT NULL
      AND NOT a.credit_returned) || ', ledger net ' || coalesce(l.net, 0)
    FROM appointments a
    LEFT JOIN (SELECT appointment_id, sum(delta)::int AS net FROM credit_ledger
      WHERE appointment_id IS NOT NULL GROUP BY appointment_id) l ON l.appointment_id = a.id
    WHERE coalesce(l.net, 0) <> CASE WHEN a.credit_grant_id IS NOT NULL
      AND NOT a.credit_returned THEN -1 ELSE 0 END
    UNION ALL
    SELECT 'seat of ' || l.client_id || ' in class ' || l.class_id || ': ledger net ' || l.net
    FROM (SELECT class_id, client_id, sum(delta)::int AS net FROM credit_ledger
      WHERE class_id IS NOT NULL GROUP BY class_id, client_id) l
    LEFT JOIN class_seats s ON s.class_id = l.class_id AND s.client_id = l.client_id
    WHERE l.net <> CASE WHEN s.credit_grant_id IS NOT NULL AND NOT s.credit_returned
      THEN -1 ELSE 0 END
    UNION ALL
    SELECT 'seat ' || s.id || ' holds a credit the ledger does not show'
    FROM class_seats s
    WHERE s.credit_grant_id IS NOT NULL AND NOT s.credit_returned AND NOT EXISTS (
      SELECT 1 FROM credit_ledger l WHERE l.class_id = s.class_id
        AND l.client_id = s.client_id AND l.kind = 'used')`;
  return rows.map((r) => r.problem);
}

/** A client's latest ledger entries, newest first, with the session or class each names. */
export async function listLedgerLines(
  sql: Queryable,
  clientId: string,
  limit: number,
) {
  const rows = await sql<
    (EntryRow & { subject_start: Date | null; class_title: string | null })[]
  >`
    SELECT l.id, l.at, l.delta, l.kind, l.grant_id, l.appointment_id, l.class_id,
      coalesce(a.starts_at, c.starts_at) AS subject_start, c.title AS class_title
    FROM credit_ledger l
    LEFT JOIN appointments a ON a.id = l.appointment_id
    LEFT JOIN classes c ON c.id = l.class_id
    WHERE l.client_id = ${clientId}
    ORDER BY l.seq DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({
    at: instant(r.at),
    delta: r.delta,
    kind: r.kind,
    grantId: r.grant_id,
    subjectStart: r.subject_start && instant(r.subject_start),
    classTitle: r.class_title,
  }));
}

/** The trainer's clients who used a credit since `since`, with their names. */
export async function listRecentCreditUsers(
  sql: Queryable,
  trainerId: string,
  since: Temporal.Instant,
): Promise<{ id: string; name: string }[]> {
  return await sql<{ id: string; name: string }[]>`
    SELECT u.id, u.name FROM users u
    WHERE u.id IN (SELECT client_id FROM credit_ledger
      WHERE trainer_id = ${trainerId} AND kind = 'used' AND at >= ${since.toString()})`;
}
