import type { NotificationEntry } from "../domain/notifications.ts";
import { formatInstant, renderMessage } from "../lib/messages.ts";

const STATUS_LABEL = {
  pending: "Pending",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
  skipped: "Skipped",
} as const;

// Reuses the appointment badge colours: green for done, red for trouble.
const STATUS_BADGE = {
  pending: "badge-waiting",
  sending: "badge-waiting",
  sent: "badge-completed",
  failed: "badge-cancelled",
  skipped: "",
} as const;

const KIND_LABEL = {
  booked: "Booked",
  reminder: "Reminder",
  cancelled: "Cancelled",
  moved: "Moved",
  confirmed: "Confirmed",
  declined: "Declined",
  promoted: "Promoted",
  credits_low: "Credits low",
  passed_over: "Passed over",
} as const;

export type NotificationLogProps = Readonly<{
  entries: readonly NotificationEntry[];
  role: "trainer" | "client";
  appUrl: string;
  clients?: readonly { id: string; name: string }[];
  clientId?: string;
  /** The list was cut at this many rows. */
  limit: number;
}>;

/** When, how and what was sent to whom, with status, attempts and errors. */
export function NotificationLog(props: NotificationLogProps) {
  const { entries, role } = props;
  return (
    <section id="notifications">
      <h1>Notifications</h1>
      {role === "trainer" && props.clients && (
        <form method="get" action="/notifications" class="card row">
          <div class="field">
            <label for="f-client">Client</label>
            <select id="f-client" name="client">
              <option value="">All clients</option>
              {props.clients.map((c) => (
                <option value={c.id} selected={c.id === props.clientId}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary">Show</button>
        </form>
      )}
      {entries.length === 0
        ? (
          <p class="muted">
            {role === "trainer"
              ? "Nothing has been sent yet. Bookings, cancellations, moves and reminders show up here."
              : "Nothing has been sent to you yet."}
          </p>
        )
        : (
          <table class="cards">
            <thead>
              <tr>
                <th>When</th>
                {role === "trainer" && <th>To</th>}
                <th>What</th>
                <th>How</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((n) => <NotificationRow n={n} {...props} />)}
            </tbody>
          </table>
        )}
      {entries.length >= props.limit && (
        <p class="hint">Showing the latest {props.limit}.</p>
      )}
    </section>
  );
}

function NotificationRow(
  { n, role, appUrl }: Readonly<
    { n: NotificationEntry; role: "trainer" | "client"; appUrl: string }
  >,
) {
  const at = (n.sentAt ?? n.dueAt).toISOString();
  const label = KIND_LABEL[n.kind];
  const text = renderMessage(n, appUrl).summary;
  return (
    <tr>
      <td class="card-title">
        {formatInstant(at, n.timezone)}
        <br />
        <small class="hint">
          {n.sentAt ? "sent" : n.status === "pending" ? "due" : "was due"}
        </small>
      </td>
      {role === "trainer" && (
        <td data-label="To">
          {n.recipientName}
          <br />
          <small class="hint">{n.recipient}</small>
        </td>
      )}
      <td data-label="What">
        <strong>{label}</strong>: {text}
      </td>
      <td data-label="How">
        {n.status === "skipped" || n.attempts === 0
          ? "—"
          : n.channel === "telegram"
          ? "Telegram"
          : "E-mail"}
      </td>
      <td data-label="Status">
        <span class={`badge ${STATUS_BADGE[n.status]}`}>
          {STATUS_LABEL[n.status]}
        </span>
        {n.attempts > 0 && (
          <small class="hint">
            {" "}
            {n.attempts} {n.attempts === 1 ? "attempt" : "attempts"}
          </small>
        )}
        {n.error && role === "trainer" && ( // operator detail, not for clients
          <>
            <br />
            <small class={n.status === "skipped" ? "hint" : "error"}>
              {n.error}
            </small>
          </>
        )}
      </td>
    </tr>
  );
}
