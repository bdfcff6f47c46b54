/**
 * Server-rendered SVG charts: no chart library in the browser. Each chart scales to its
 * container (readable at 390 px), carries a `<title>` and `<desc>`, and its page shows the
 * same numbers in a table. Colours are checked for contrast in tests/charts_test.ts.
 */
import { decimal } from "./format.ts";
import type { Child } from "hono/jsx";

/** Bar colours: each has at least 3:1 contrast against the white page (WCAG 1.4.11). */
export const SERIES_COLOURS = {
  completed: "#1a7f37",
  scheduled: "#0969da",
  pending: "#9a6700",
  cancelled: "#cf222e",
  declined: "#6e7781",
  single: "#0969da",
} as const;

/** Axis text and grid lines. */
export const AXIS_TEXT = "#57606a";
const GRID = "#d0d7de";

/** Heat levels from none to most, each with a text colour of at least 4.5:1 on it. */
export const HEAT_LEVELS = [
  { fill: "#ffffff", text: "#1f2328" },
  { fill: "#ddf4ff", text: "#1f2328" },
  { fill: "#80ccff", text: "#1f2328" },
  { fill: "#0969da", text: "#ffffff" },
  { fill: "#033d8b", text: "#ffffff" },
] as const;

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two `#rrggbb` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

export type Series = Readonly<{
  name: string;
  colour: string;
  values: readonly number[];
}>;

const W = 360;
const H = 190;
const LEFT = 34;
const BOTTOM = 26;
const TOP = 8;

/** A round upper bound for the y axis: 1, 2, 5 × 10^k. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/**
 * Vertical bars, stacked when there are several series, one bar per label.
 *
 * @example <BarChart id="sessions" title="Sessions per week" desc="…" labels={weeks} series={[...]} />
 */
/** A chart's SVG: scaled to its column, named by its `<title>` and `<desc>`. */
function ChartSvg(
  { id, title, desc, width, height, children }: Readonly<{
    id: string;
    title: string;
    desc: string;
    width: number;
    height: number;
    children: Child;
  }>,
) {
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      id={id}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {children}
    </svg>
  );
}

export function BarChart(
  { id, title, desc, labels, axis = labels, series, unit = "", max }: {
    id: string;
    title: string;
    desc: string;
    /** Each bar's name, in its tooltip. */
    labels: readonly string[];
    /** What the x axis writes under a bar, when not its label ("Mar 2026" on a year of weeks). */
    axis?: readonly string[];
    series: readonly Series[];
    /** Suffix of the y axis values, e.g. "%". */
    unit?: string;
    /** A fixed top of the y axis (100 for percentages). */
    max?: number;
  },
) {
  const n = labels.length;
  const totals = labels.map((_, i) =>
    series.reduce((s, x) => s + (x.values[i] ?? 0), 0)
  );
  const top = max ?? niceMax(Math.max(0, ...totals));
  const plotW = W - LEFT - 4;
  const plotH = H - TOP - BOTTOM;
  const step = plotW / Math.max(1, n);
  const barW = Math.max(2, step * 0.72);
  const y = (v: number) => TOP + plotH - (v / top) * plotH;
  const every = Math.ceil(n / 6);
  const ticks = [0, top / 2, top];
  return (
    <figure class="chart">
      <ChartSvg id={id} title={title} desc={desc} width={W} height={H}>
        {ticks.map((v) => (
          <g>
            <line
              x1={LEFT}
              x2={W - 4}
              y1={y(v)}
              y2={y(v)}
              stroke={GRID}
              stroke-width="1"
            />
            <text
              x={LEFT - 4}
              y={y(v) + 4}
              text-anchor="end"
              font-size="11"
              fill={AXIS_TEXT}
            >
              {decimal(v)}
              {unit}
            </text>
          </g>
        ))}
        {labels.map((label, i) => {
          let base = 0;
          const x = LEFT + i * step + (step - barW) / 2;
          return (
            <g>
              {series.map((s) => {
                const v = s.values[i] ?? 0;
                if (v <= 0) return null;
                const y0 = y(base);
                base += v;
                const y1 = y(Math.min(base, top));
                return (
                  <rect
                    x={x.toFixed(1)}
                    y={y1.toFixed(1)}
                    width={barW.toFixed(1)}
                    height={Math.max(0, y0 - y1).toFixed(1)}
                    fill={s.colour}
                    stroke="#ffffff"
                    stroke-width={series.length > 1 ? "0.75" : "0"}
                  >
                    <title>{`${label}: ${s.name} ${v}${unit}`}</title>
                  </rect>
                );
              })}
              {i % every === 0 && (
                <text
                  x={(LEFT + i * step + step / 2).toFixed(1)}
                  y={H - 8}
                  text-anchor="middle"
                  font-size="11"
                  fill={AXIS_TEXT}
                >
                  {axis[i]}
                </text>
              )}
            </g>
          );
        })}
      </ChartSvg>
      {series.length > 1 && (
        <figcaption>
          <ul class="legend">
            {series.map((s) => (
              <li>
                <svg class="swatch" viewBox="0 0 12 12" aria-hidden="true">
                  <rect width="12" height="12" fill={s.colour} />
                </svg>
                {s.name}
              </li>
            ))}
          </ul>
        </figcaption>
      )}
    </figure>
  );
}

/**
 * A weekday × hour grid; each cell's shade is its share of the busiest cell and the
 * count is written in it.
 */
export function HeatmapChart(
  { id, title, desc, grid, firstHour, lastHour, days }: {
    id: string;
    title: string;
    desc: string;
    /** `grid[weekday 0–6][hour 0–23]`. */
    grid: readonly (readonly number[])[];
    firstHour: number;
    lastHour: number;
    /** Column heads, Monday first. */
    days: readonly string[];
  },
) {
  const hours = Array.from(
    { length: lastHour - firstHour + 1 },
    (_, i) => firstHour + i,
  );
  const max = Math.max(0, ...grid.flatMap((row) => row));
  const cellW = 46;
  const cellH = 20;
  const left = 40;
  const head = 18;
  const width = left + 7 * cellW;
  const height = head + hours.length * cellH + 2;
  const level = (v: number) =>
    v === 0 ? 0 : Math.min(4, 1 + Math.floor((v / max) * 3.999));
  return (
    <figure class="chart">
      <ChartSvg id={id} title={title} desc={desc} width={width} height={height}>
        {days.map((d, i) => (
          <text
            x={left + i * cellW + cellW / 2}
            y={13}
            text-anchor="middle"
            font-size="11"
            fill={AXIS_TEXT}
          >
            {d}
          </text>
        ))}
        {hours.map((h, r) => (
          <g>
            <text
              x={left - 6}
              y={head + r * cellH + 14}
              text-anchor="end"
              font-size="11"
              fill={AXIS_TEXT}
            >
              {String(h).padStart(2, "0")}:00
            </text>
            {days.map((_, d) => {
              const v = grid[d][h];
              const l = HEAT_LEVELS[level(v)];
              return (
                <g>
                  <rect
                    x={left + d * cellW + 1}
                    y={head + r * cellH + 1}
                    width={cellW - 2}
                    height={cellH - 2}
                    fill={l.fill}
                    stroke={GRID}
                    stroke-width="1"
                  />
                  {v > 0 && (
                    <text
                      x={left + d * cellW + cellW / 2}
                      y={head + r * cellH + 14}
                      text-anchor="middle"
                      font-size="11"
                      fill={l.text}
                    >
                      {v}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        ))}
      </ChartSvg>
    </figure>
  );
}
