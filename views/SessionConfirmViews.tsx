/** The steps that ask before a session is cancelled, declined or deleted. */
import type { Child } from "hono/jsx";
import { Csrf } from "./Layout.tsx";
import type { Appointment } from "../domain/types.ts";
import { SessionSummary } from "./SessionParts.tsx";
import { useSay } from "./locale.ts";

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
  const say = useSay();
  return (
    <form method="post" action={`/schedule/${a.id}/cancel`}>
      <h2>
        {say(
          decline
            ? "trainer.session_confirm.decline_title"
            : "trainer.session_confirm.cancel_title",
        )}
      </h2>
      <SessionSummary a={a} timezone={timezone} now={now} />
      <Csrf token={csrf} />
      <input type="hidden" name="back" value={back} />
      <div class={error ? "field invalid" : "field"}>
        <label for={id}>{say("trainer.session_confirm.reason")}</label>
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
          {say("trainer.session_confirm.refund")}
        </label>
      )}
      {a.seriesId && (
        <label class="check">
          <input type="checkbox" name="following" value="1" />{" "}
          {say("trainer.session_confirm.following")}
        </label>
      )}
      <button type="submit" class="danger">
        {say(
          decline
            ? "trainer.session_confirm.decline_button"
            : "trainer.session_confirm.cancel_button",
        )}
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
  const say = useSay();
  return (
    <form method="post" action={`/schedule/${a.id}/delete`}>
      <h2>{say("trainer.session_confirm.delete_title")}</h2>
      <SessionSummary a={a} timezone={timezone} now={now} />
      <p>{say("trainer.session_confirm.delete_lead")}</p>
      <Csrf token={csrf} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" class="danger">
        {say("trainer.session_confirm.delete_button")}
      </button>
    </form>
  );
}

export function ConfirmPage(
  { back, children }: { back: string; children: Child },
) {
  const say = useSay();
  return (
    <section class="card narrow">
      {children}
      <p>
        <a class="target" href={back}>{say("trainer.session_form.back")}</a>
      </p>
    </section>
  );
}
