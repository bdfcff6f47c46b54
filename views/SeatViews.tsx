/** The step before a place in a class is given up or taken away: what happens, one button. */
import type { GroupClass, Seat } from "../domain/classes.ts";
import { Csrf } from "./Layout.tsx";
import { longDate, time } from "./format.ts";

export function LeaveSeatConfirm(
  { c, seat, viewer, csrf }: {
    c: GroupClass;
    seat: Seat;
    viewer: "client" | "trainer";
    csrf: string;
  },
) {
  const booked = seat.status === "booked";
  const self = viewer === "client";
  const heading = self
    ? booked ? "Give up your seat?" : "Leave the waitlist?"
    : `Remove ${seat.clientName} from the class?`;
  const goes = booked && c.waitlisted > 0
    ? `The seat goes at once to the first person on the waitlist.`
    : booked
    ? "The seat becomes free for anyone to take."
    : "The others on the waitlist move up.";
  return (
    <section class="card narrow leave-seat">
      <h1>{heading}</h1>
      <p>
        <strong>{c.title}</strong>, {longDate(c.start, c.timezone)},{" "}
        {time(c.start, c.timezone)}–{time(c.end, c.timezone)}
        {booked ? "" : ` · number ${seat.position} on the waitlist`}
      </p>
      <p>{goes}</p>
      <form
        method="post"
        action={`/classes/${c.id}/${self ? "leave" : "remove"}`}
      >
        <Csrf token={csrf} />
        {!self && <input type="hidden" name="clientId" value={seat.clientId} />}
        <div class="row">
          <button type="submit" class="danger">
            {self
              ? booked ? "Give up my seat" : "Leave the waitlist"
              : `Remove ${seat.clientName}`}
          </button>
          <a class="button secondary" href={`/classes/${c.id}`}>Keep it</a>
        </div>
      </form>
    </section>
  );
}
