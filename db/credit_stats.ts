import type { Queryable } from "./client.ts";
import { listTrainerOpenGrants } from "./credits.ts";
import {
  type CreditReport,
  creditReport,
  type PaymentMonth,
} from "../domain/credit_stats.ts";
import { creditDay } from "../domain/credits.ts";
import { dayRange } from "../domain/time.ts";

/**
 * Packages and credits of a trainer from `from` to `to` (local dates): three grouped
 * queries by local month and the open grants, assembled by `domain/credit_stats.ts`.
 */
export async function getCreditReport(
  sql: Queryable,
  input: Readonly<{
    trainerId: string;
    timezone: string;
    from: Temporal.PlainDate;
    to: Temporal.PlainDate;
    now: Temporal.Instant;
  }>,
): Promise<CreditReport> {
  const { trainerId, timezone: tz } = input;
  const range = dayRange(input.from, input.to, tz);
  const start = range.start.toString();
  const end = range.end.toString();
  const [soldRows, ledgerRows, paymentRows, openGrants] = await Promise.all([
    sql<{ month: string; sessions: number }[]>`
      SELECT to_char(date_trunc('month', created_at AT TIME ZONE ${tz}), 'YYYY-MM') AS month, sum(sessions)::int AS sessions
      FROM credit_grants
      WHERE trainer_id = ${trainerId} AND created_at >= ${start} AND created_at < ${end}
      GROUP BY 1`,
    sql<{ month: string; used: number; returned: number }[]>`
      SELECT to_char(date_trunc('month', at AT TIME ZONE ${tz}), 'YYYY-MM') AS month,
        count(*) FILTER (WHERE kind = 'used')::int AS used,
        count(*) FILTER (WHERE kind = 'returned')::int AS returned
      FROM credit_ledger
      WHERE trainer_id = ${trainerId} AND kind <> 'granted'
        AND at >= ${start} AND at < ${end}
      GROUP BY 1`,
    sql<
      { month: string; currency: string; payments: number; amount: number }[]
    >`
      SELECT to_char(date_trunc('month', created_at AT TIME ZONE ${tz}), 'YYYY-MM') AS month,
        paid_currency AS currency, count(*)::int AS payments,
        sum(paid_amount_cents)::bigint::float8 AS amount
      FROM credit_grants
      WHERE trainer_id = ${trainerId} AND paid_method IS NOT NULL
        AND created_at >= ${start} AND created_at < ${end}
      GROUP BY 1, 2`,
    listTrainerOpenGrants(sql, trainerId),
  ]);
  return creditReport({
    from: input.from,
    to: input.to,
    soldRows,
    ledgerRows,
    paymentRows: paymentRows.map((r): PaymentMonth => ({
      month: r.month,
      currency: r.currency,
      payments: r.payments,
      amountCents: r.amount,
    })),
    openGrants,
    day: creditDay(input.now, tz),
  });
}
