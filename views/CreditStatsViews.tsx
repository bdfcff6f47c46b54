/** The statistics page's packages and credits: figures, two charts and their tables. */
import type { CreditReport } from "../domain/credit_stats.ts";
import { BarChart, SERIES_COLOURS } from "./charts.tsx";
import { money } from "./CreditViews.tsx";
import { Table } from "./FiguresTable.tsx";
import { monthLabel } from "./StatsRange.tsx";
import { formatDate, type Locale } from "../lib/i18n.ts";
import { currentLocale, useSay } from "./locale.ts";

export function CreditStats(
  { report }: { report: CreditReport; locale?: Locale },
) {
  const say = useSay();
  const locale = currentLocale();
  const r = report;
  const month = (ym: string) => monthLabel(ym, locale);
  const labels = r.months.map((m) => month(m.month));
  return (
    <section class="chart-block" aria-labelledby="h-credits" id="credits">
      <h3 id="h-credits">{say("business.credit_stats.heading")}</h3>
      <p>
        {say("business.credit_stats.summary", {
          sold: r.sold,
          used: r.used,
          from: formatDate(locale, r.from),
          to: formatDate(locale, r.to),
          returned: r.returned,
          open: r.open,
        })}
      </p>
      <BarChart
        id="chart-credits"
        title={say("business.credit_stats.sold_chart")}
        desc={r.months.map((m) =>
          say("business.credit_stats.month_desc", {
            month: month(m.month),
            sold: m.sold,
            used: m.used,
          })
        ).join("; ")}
        labels={labels}
        series={[{
          name: say("business.credit_stats.sold_series"),
          colour: SERIES_COLOURS.single,
          values: r.months.map((m) => m.sold),
        }]}
      />
      <Table
        caption={say("business.credit_stats.sold_table")}
        head={[
          say("business.stats.col.month"),
          say("business.credit_stats.col.sold"),
          say("business.credit_stats.col.used"),
          say("business.credit_stats.col.given_back"),
        ]}
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
          title={say("business.credit_stats.payments_chart", {
            currency: r.chartCurrency,
          })}
          desc={r.chartAmounts.map((m) =>
            `${month(m.month)}: ${money(m.amountCents, r.chartCurrency!)}`
          ).join("; ")}
          labels={labels}
          series={[{
            name: say("business.credit_stats.payments_series", {
              currency: r.chartCurrency,
            }),
            colour: SERIES_COLOURS.completed,
            values: r.chartAmounts.map((m) => m.amountCents / 100),
          }]}
        />
      )}
      <Table
        caption={say("business.credit_stats.payments_table")}
        head={[
          say("business.stats.col.month"),
          say("business.credit_stats.col.currency"),
          say("business.credit_stats.col.payments"),
          say("business.credit_stats.col.amount"),
        ]}
        rows={r.payments.length
          ? r.payments.map((p) => [
            month(p.month),
            p.currency,
            p.payments,
            money(p.amountCents, p.currency),
          ])
          : [[say("business.credit_stats.no_payments"), "–", 0, "–"]]}
      />
    </section>
  );
}
