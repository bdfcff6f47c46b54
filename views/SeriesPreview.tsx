/** A weekly series with conflicting dates, shown before anything is booked. */
import { Csrf } from "./Layout.tsx";
import { longDate, time } from "./format.ts";
import { scheduleHref } from "./SessionParts.tsx";

type Values = Readonly<Record<string, string | undefined>>;

const CONFLICT_TEXT = {
  slot_taken: "overlaps another session",
  holiday: "is one of your holidays",
} as const;

type Clash = Readonly<{
  kind: "session" | "class";
  name: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
}>;

/** "overlaps the session with Cleo, 18:30–19:30" or "overlaps the class Morning HIIT, …". */
function conflictText(
  conflict: keyof typeof CONFLICT_TEXT,
  clash: Clash | undefined,
  timezone: string,
) {
  if (conflict !== "slot_taken" || !clash) return CONFLICT_TEXT[conflict];
  const when = `${time(clash.start, timezone)}–${time(clash.end, timezone)}`;
  return clash.kind === "class"
    ? `overlaps the class ${clash.name}, ${when}`
    : `overlaps the session with ${clash.name}, ${when}`;
}

/** Before saving a series with conflicts: every date, and what to do about them. */
export function SeriesPreview(
  { csrf, values, occurrences, timezone }: {
    csrf: string;
    values: Values;
    occurrences: readonly {
      start: Temporal.Instant;
      end: Temporal.Instant;
      conflict?: keyof typeof CONFLICT_TEXT;
      /** The session or class it overlaps, named. */
      clash?: Clash;
    }[];
    timezone: string;
  },
) {
  const free = occurrences.filter((o) => !o.conflict).length;
  const clash = occurrences.length - free;
  return (
    <section class="card narrow">
      <h1>Check the dates</h1>
      <p>
        {clash} of the {occurrences.length} dates{" "}
        {clash === 1 ? "conflicts" : "conflict"}. Nothing is booked yet.
      </p>
      <ul class="plain series-dates">
        {occurrences.map((o) => (
          <li class={o.conflict ? "conflict" : "free"}>
            <time datetime={o.start.toString()}>
              {longDate(o.start, timezone)}, {time(o.start, timezone)}
            </time>{" "}
            {o.conflict
              ? (
                <strong class="error">
                  — {conflictText(o.conflict, o.clash, timezone)}
                </strong>
              )
              : <span class="muted">— free</span>}
          </li>
        ))}
      </ul>
      {free > 0 && (
        <form method="post" action="/schedule">
          <Csrf token={csrf} />
          {Object.entries(values).filter(([k]) =>
            k !== "_csrf" && k !== "onConflict"
          ).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <input type="hidden" name="onConflict" value="skip" />
          <button type="submit">
            Book the {free} free {free === 1 ? "date" : "dates"}, skip {clash}
          </button>
        </form>
      )}
      <p>
        <a href={scheduleHref(values.date ?? "", "day")}>
          Cancel the request
        </a>
      </p>
    </section>
  );
}
