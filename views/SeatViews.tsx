/** The step before a place in a class is given up or taken away: what happens, one button. */
import type { GroupClass, Seat } from "../domain/classes.ts";
import { Csrf } from "./Layout.tsx";
import { longDate, time } from "./format.ts";
import { useSay } from "./locale.ts";

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
  const say = useSay();
  const heading = self
    ? booked
      ? say("client.seat.give_up_heading")
      : say("client.seat.leave_heading")
    : say("client.seat.remove_heading", { name: seat.clientName });
  const goes = booked && c.waitlisted > 0
    ? say("client.seat.goes_to_waitlist")
    : booked
    ? say("client.seat.becomes_free")
    : say("client.seat.others_move_up");
  return (
    <section class="card narrow leave-seat">
      <h1>{heading}</h1>
      <p>
        <strong>{c.title}</strong>, {longDate(c.start, c.timezone)},{" "}
        {time(c.start, c.timezone)}–{time(c.end, c.timezone)}
        {booked ? "" : ` · ${
          say("client.seat.waitlist_place", {
            position: String(seat.position),
          })
        }`}
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
              ? booked
                ? say("client.seat.give_up_button")
                : say("client.seat.leave_button")
              : say("client.seat.remove_button", { name: seat.clientName })}
          </button>
          <a class="button secondary" href={`/classes/${c.id}`}>
            {say("client.seat.keep")}
          </a>
        </div>
      </form>
    </section>
  );
}
