/** A client's classes listed with their sessions: time, title, seat or waitlist place. */
import type { ClientSeatLine } from "../domain/classes.ts";
import { longDate, time } from "./format.ts";
import { type Say, useSay } from "./locale.ts";

const placeWords = (
  say: Say,
  s: ClientSeatLine,
  viewer: "client" | "trainer",
) =>
  s.classStatus === "cancelled"
    ? say("client.seats.class_cancelled")
    : s.seat === "booked"
    ? viewer === "client"
      ? say("client.seats.you_have_seat")
      : say("client.seats.has_seat")
    : say("client.seats.waitlist_place", { position: String(s.position) });

export function SeatLines(
  { seats, viewer, heading, empty }: {
    seats: readonly ClientSeatLine[];
    viewer: "client" | "trainer";
    heading: string;
    empty?: string;
  },
) {
  if (seats.length === 0 && !empty) return null;
  const say = useSay();
  return (
    <section class="seat-lines" aria-labelledby="seat-lines">
      <h2 id="seat-lines">{heading}</h2>
      {seats.length === 0 ? <p class="muted">{empty}</p> : (
        <ul class="plain">
          {seats.map((s) => (
            <li class="card seat-line">
              <div class="spread">
                <strong>{longDate(s.start, s.timezone)}</strong>
                <span
                  class={s.classStatus === "cancelled"
                    ? "badge badge-cancelled"
                    : s.seat === "booked"
                    ? "badge badge-booked"
                    : "badge badge-waiting"}
                >
                  {placeWords(say, s, viewer)}
                </span>
              </div>
              <p>
                {time(s.start, s.timezone)}–{time(s.end, s.timezone)} ·{" "}
                <a class="target" href={`/classes/${s.classId}`}>{s.title}</a>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
