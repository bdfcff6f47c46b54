/** A table of figures beside each chart: the same numbers, readable without the picture. */
export function Table(
  { caption, head, rows }: {
    caption: string;
    head: readonly string[];
    rows: readonly (readonly (string | number)[])[];
  },
) {
  // A region that may scroll sideways on a phone: focusable, so keys can scroll it.
  return (
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
}
