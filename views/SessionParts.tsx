/**
 * The small pieces every view of one session shares: its state badge, who cancelled it,
 * the one-line summary at the top of its forms, and the schedule's address.
 */
import { badgeClass, cancelledText, statusWords } from "./status.ts";
import type { Appointment } from "../domain/types.ts";
import { longDay, minutesBetween, time } from "./format.ts";
import { currentLocale, useSay } from "./locale.ts";
import { reasonIn } from "../lib/cancel_reasons.ts";

export type AgendaView = "day" | "week";

/** Whether the session still holds the trainer's time (scheduled or pending). */
export const live = (a: Appointment) =>
  a.status === "scheduled" || a.status === "pending";

export const scheduleHref = (date: string, view: AgendaView) =>
  `/schedule?date=${date}&view=${view}`;

/** The session's state in the one set of words, as the trainer reads it. */
export function StatusBadge(
  { a, now }: { a: Appointment; now: Temporal.Instant },
) {
  const w = statusWords(a, "trainer", now, currentLocale());
  return <span class={badgeClass(w)}>{w.text}</span>;
}

/** Who cancelled a session and why, for a cancelled one. */
export function CancelledLine({ a }: { a: Appointment }) {
  if (a.status !== "cancelled") return null;
  return (
    <p class="muted">
      {cancelledText(a, "trainer", currentLocale())}
      {a.cancellationReason
        ? `: ${reasonIn(currentLocale(), a.cancellationReason)}`
        : "."}
    </p>
  );
}

export function SessionSummary(
  { a, timezone, now }: {
    a: Appointment;
    timezone: string;
    now: Temporal.Instant;
  },
) {
  const date = a.start.toZonedDateTimeISO(timezone).toPlainDate();
  const say = useSay();
  return (
    <p>
      <strong>{a.clientName}</strong>, {longDay(date)},{" "}
      {time(a.start, timezone)}–{time(a.end, timezone)}{" "}
      {say("trainer.session.summary_length", {
        minutes: minutesBetween(a.start, a.end),
        zone: timezone.replaceAll("_", " "),
      })} <StatusBadge a={a} now={now} />
    </p>
  );
}
