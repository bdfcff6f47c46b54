/** A weekly series with conflicting dates, shown before anything is booked. */
import { Csrf } from "./Layout.tsx";
import { longDate, time } from "./format.ts";
import { scheduleHref } from "./SessionParts.tsx";
import { type Say, useSay } from "./locale.ts";

type Values = Readonly<Record<string, string | undefined>>;

/** Why a date of the series cannot be booked, in the words of the page. */
const CONFLICT_TEXT = {
  slot_taken: "refusal.slot_taken.field",
  holiday: "trainer.series_preview.holiday",
} as const;

type Clash = Readonly<{
  kind: "session" | "class";
  name: string;
  start: Temporal.Instant;
  end: Temporal.Instant;
}>;

/** "overlaps the session with Cleo, 18:30–19:30" or "overlaps the class Morning HIIT, …". */
function conflictText(
  say: Say,
  conflict: keyof typeof CONFLICT_TEXT,
  clash: Clash | undefined,
  timezone: string,
) {
  if (conflict !== "slot_taken" || !clash) return say(CONFLICT_TEXT[conflict]);
  const when = `${time(clash.start, timezone)}–${time(clash.end, timezone)}`;
  return say(
    clash.kind === "class"
      ? "trainer.series_preview.overlaps_class"
      : "trainer.series_preview.overlaps_session",
    { name: clash.name, when },
  );
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
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>{say("trainer.series_preview.title")}</h1>
      <p>
        {say("trainer.series_preview.conflicts", {
          clash,
          total: occurrences.length,
        })}
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
                  — {conflictText(say, o.conflict, o.clash, timezone)}
                </strong>
              )
              : (
                <span class="muted">
                  — {say("trainer.series_preview.free")}
                </span>
              )}
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
            {say("trainer.series_preview.book_free", { free, clash })}
          </button>
        </form>
      )}
      <p>
        <a href={scheduleHref(values.date ?? "", "day")}>
          {say("trainer.series_preview.cancel")}
        </a>
      </p>
    </section>
  );
}
