/** The statistics page's packages and credits: figures, two charts and their tables. */
import type { CreditReport } from "../domain/credit_stats.ts";
import { BarChart, SERIES_COLOURS } from "./charts.tsx";
import { money } from "./CreditViews.tsx";
import { Table } from "./FiguresTable.tsx";
import { monthLabel } from "./StatsRange.tsx";
import { formatDate, type Locale } from "../lib/i18n.ts";

export function CreditStats(
  { report, locale = "en" }: { report: CreditReport; locale?: Locale },
) {
  const r = report;
  const month = (ym: string) => monthLabel(ym, locale);
  const labels = r.months.map((m) => month(m.month));
  return (
    <section class="chart-block" aria-labelledby="h-credits" id="credits">
      <h3 id="h-credits">Packages and credits</h3>
      <p>
        {r.sold} sessions sold and {r.used} used from{" "}
        {formatDate(locale, r.from)} to {formatDate(locale, r.to)}
        {r.returned > 0 && ` (${r.returned} given back by cancellations)`};{" "}
        {r.open} still open on clients' packages today.
      </p>
      <BarChart
        id="chart-credits"
        title="Sessions sold per month"
        desc={r.months.map((m) =>
          `${month(m.month)}: ${m.sold} sold, ${m.used} used`
        ).join("; ")}
        labels={labels}
        series={[{
          name: "Sessions sold",
          colour: SERIES_COLOURS.single,
          values: r.months.map((m) => m.sold),
        }]}
      />
      <Table
        caption="Sessions sold, used and given back per month"
        head={["Month", "Sold", "Used", "Given back"]}
        rows={r.months.map((m) => [
          month(m.month),
          m.sold,
          m.used,
          m.returned,
        ])}
      />
      {r.chartCurrency && (
        <BarChart
          id="chart-payments"
          title={`Payments recorded per month, in ${r.chartCurrency}`}
          desc={r.chartAmounts.map((m) =>
            `${month(m.month)}: ${money(m.amountCents, r.chartCurrency!)}`
          ).join("; ")}
          labels={labels}
          series={[{
            name: `Payments (${r.chartCurrency})`,
            colour: SERIES_COLOURS.completed,
            values: r.chartAmounts.map((m) => m.amountCents / 100),
          }]}
        />
      )}
      <Table
        caption="Payments recorded per month"
        head={["Month", "Currency", "Payments", "Amount"]}
        rows={r.payments.length
          ? r.payments.map((p) => [
            month(p.month),
            p.currency,
            p.payments,
            money(p.amountCents, p.currency),
          ])
          : [["No payments recorded", "–", 0, "–"]]}
      />
    </section>
  );
}
