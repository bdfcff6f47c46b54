import { useSay } from "./locale.ts";

/** A cell that says nothing happened: 0, 0%, 0.0 or a dash. */
const isNothing = (x: string | number) =>
  typeof x === "number" ? x === 0 : /^(0(\.0)?%?|–|)$/.test(x.trim());

/** Whether every figure of the rows (past each row's name) is nothing. */
export const allNothing = (rows: readonly (readonly (string | number)[])[]) =>
  rows.every((r) => r.slice(1).every(isNothing));

/**
 * A table of figures beside each chart: the same numbers, readable without the picture.
 * A table of nothing but zeros is folded away under a "nothing yet" line.
 */
export function Table(
  { caption, head, rows }: {
    caption: string;
    head: readonly string[];
    rows: readonly (readonly (string | number)[])[];
  },
) {
  const say = useSay();
  // A region that may scroll sideways on a phone: focusable, so keys can scroll it.
  const table = (
    <div class="table-wrap" role="region" aria-label={caption} tabindex={0}>
      <table class="figures">
        <caption>{caption}</caption>
        <thead>
          <tr>{head.map((x) => <th scope="col">{x}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              {r.map((x, i) =>
                i === 0 ? <th scope="row">{x}</th> : <td>{x}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  if (!allNothing(rows)) return table;
  return (
    <details class="figures-empty">
      <summary>{say("business.stats.nothing_yet", { caption })}</summary>
      {table}
    </details>
  );
}
