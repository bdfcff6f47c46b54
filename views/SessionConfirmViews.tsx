/** The steps that ask before a session is cancelled, declined or deleted. */
import type { Child } from "hono/jsx";
import { Csrf } from "./Layout.tsx";
import type { Appointment } from "../domain/types.ts";
import { SessionSummary } from "./SessionParts.tsx";

export function CancelSessionForm(
  { a, timezone, now, csrf, back, reason = "", error, refund = true }: {
    a: Appointment;
    timezone: string;
    now: Temporal.Instant;
    csrf: string;
    back: string;
    reason?: string;
    error?: string;
    /** Whether "Return the session to the client's package" is ticked. */
    refund?: boolean;
  },
) {
  const id = `reason-${a.id}`;
  const decline = a.status === "pending";
  return (
    <form method="post" action={`/schedule/${a.id}/cancel`}>
      <h2>{decline ? "Decline this request?" : "Cancel this session?"}</h2>
      <SessionSummary a={a} timezone={timezone} now={now} />
      <Csrf token={csrf} />
      <input type="hidden" name="back" value={back} />
      <div class={error ? "field invalid" : "field"}>
        <label for={id}>Reason (optional, the client sees it)</label>
        <textarea
          id={id}
          name="reason"
          maxlength={500}
          aria-invalid={error ? "true" : undefined}
        >
          {reason}
        </textarea>
        {error && <small class="error">{error}</small>}
      </div>
      {a.status === "scheduled" && a.creditGrantId && !a.creditReturned && (
        <label class="check">
          {/* Unticked sends only the hidden 0: the last value of a name wins. */}
          <input type="hidden" name="refund" value="0" />
          <input type="checkbox" name="refund" value="1" checked={refund} />
          {" "}
          Return the session to the client's package
        </label>
      )}
      {a.seriesId && (
        <label class="check">
          <input type="checkbox" name="following" value="1" />{" "}
          Also cancel the later sessions of this weekly series
        </label>
      )}
      <button type="submit" class="danger">
        {decline ? "Decline request" : "Cancel session"}
      </button>
    </form>
  );
}

export function DeleteSessionForm(
  { a, timezone, now, csrf, back }: {
    a: Appointment;
    timezone: string;
    now: Temporal.Instant;
    csrf: string;
    back: string;
  },
) {
  return (
    <form method="post" action={`/schedule/${a.id}/delete`}>
      <h2>Delete this session?</h2>
      <SessionSummary a={a} timezone={timezone} now={now} />
      <p>
        It disappears for good and is not counted anywhere. To keep a record,
        cancel it instead.
      </p>
      <Csrf token={csrf} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" class="danger">Delete session</button>
    </form>
  );
}

export function ConfirmPage(
  { back, children }: { back: string; children: Child },
) {
  return (
    <section class="card narrow">
      {children}
      <p>
        <a class="target" href={back}>Back to the schedule</a>
      </p>
    </section>
  );
}
