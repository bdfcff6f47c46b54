/**
 * The statistics of packages and credits over a range: sessions sold, used (less those
 * returned) and still open, and the payments recorded, per local month. Pure: SQL groups
 * the rows (`db/credit_stats.ts`), these functions assemble them.
 */
import { balanceOf, type OpenGrant } from "./credits.ts";
import { perMonth } from "./stats.ts";

export type CreditMonth = Readonly<{
  month: string;
  sold: number;
  used: number;
  returned: number;
}>;

export type PaymentMonth = Readonly<{
  month: string;
  currency: string;
  payments: number;
  amountCents: number;
}>;

export type CreditReport = Readonly<{
  from: string;
  to: string;
  /** Sessions on grants made in the range. */
  sold: number;
  /** Credits used in the range, less those returned in it. */
  used: number;
  returned: number;
  /** What clients can still book with today. */
  open: number;
  months: readonly CreditMonth[];
  /** Every month and currency with a payment, by month then currency. */
  payments: readonly PaymentMonth[];
  /** The currency the chart shows: the one with the most payments in the range. */
  chartCurrency: string | null;
  /** Its amount per month (zero without one), for the chart. */
  chartAmounts: readonly Readonly<{ month: string; amountCents: number }>[];
}>;

/** Assembles the report from the grouped rows; months are local `YYYY-MM`. */
export function creditReport(
  input: Readonly<{
    from: Temporal.PlainDate;
    to: Temporal.PlainDate;
    soldRows: readonly Readonly<{ month: string; sessions: number }>[];
    ledgerRows: readonly Readonly<
      { month: string; used: number; returned: number }
    >[];
    paymentRows: readonly PaymentMonth[];
    openGrants: readonly OpenGrant[];
    day: Temporal.PlainDate;
  }>,
): CreditReport {
  const months = perMonth(input.from, input.to, []).map(({ month }) => {
    const sold = input.soldRows.find((r) => r.month === month)?.sessions ?? 0;
    const l = input.ledgerRows.find((r) => r.month === month);
    return {
      month,
      sold,
      used: (l?.used ?? 0) - (l?.returned ?? 0),
      returned: l?.returned ?? 0,
    };
  });
  const sum = (f: (m: CreditMonth) => number) =>
    months.reduce((n, m) => n + f(m), 0);
  const payments = [...input.paymentRows].sort((a, b) =>
    a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency)
  );
  const counts = new Map<string, number>();
  for (const p of payments) {
    counts.set(p.currency, (counts.get(p.currency) ?? 0) + p.payments);
  }
  const chartCurrency =
    [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]
      ?.[0] ?? null;
  return {
    from: input.from.toString(),
    to: input.to.toString(),
    sold: sum((m) => m.sold),
    used: sum((m) => m.used),
    returned: sum((m) => m.returned),
    open: balanceOf(input.openGrants, input.day),
    months,
    payments,
    chartCurrency,
    chartAmounts: months.map(({ month }) => ({
      month,
      amountCents:
        payments.find((p) => p.month === month && p.currency === chartCurrency)
          ?.amountCents ?? 0,
    })),
  };
}
