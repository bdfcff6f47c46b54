import type { NotificationEntry } from "../domain/notifications.ts";
import { formatInstant, renderMessage } from "../lib/messages.ts";
import type { MessageKey } from "../lib/i18n.ts";
import { currentLocale, useSay } from "./locale.ts";

const STATUS_LABEL = {
  pending: "site.notifications.status_pending",
  sending: "site.notifications.status_sending",
  sent: "site.notifications.status_sent",
  failed: "site.notifications.status_failed",
  skipped: "site.notifications.status_skipped",
} as const satisfies Record<string, MessageKey>;

// Reuses the appointment badge colours: green for done, red for trouble.
const STATUS_BADGE = {
  pending: "badge-waiting",
  sending: "badge-waiting",
  sent: "badge-completed",
  failed: "badge-cancelled",
  skipped: "",
} as const;

const KIND_LABEL = {
  booked: "status.booked",
  reminder: "site.notifications.kind_reminder",
  cancelled: "status.cancelled",
  moved: "site.notifications.kind_moved",
  confirmed: "site.notifications.kind_confirmed",
  declined: "status.declined",
  promoted: "site.notifications.kind_promoted",
  credits_low: "site.notifications.kind_credits_low",
  passed_over: "site.notifications.kind_passed_over",
} as const satisfies Record<string, MessageKey>;

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
  const say = useSay();
  const { entries, role } = props;
  return (
    <section id="notifications">
      <h1>{say("site.notifications.title")}</h1>
      {role === "trainer" && props.clients && (
        <form method="get" action="/notifications" class="card row">
          <div class="field">
            <label for="f-client">{say("site.notifications.client")}</label>
            <select id="f-client" name="client">
              <option value="">{say("site.notifications.all_clients")}</option>
              {props.clients.map((c) => (
                <option value={c.id} selected={c.id === props.clientId}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary">
            {say("site.notifications.show")}
          </button>
        </form>
      )}
      {entries.length === 0
        ? (
          <p class="muted">
            {say(
              role === "trainer"
                ? "site.notifications.empty_trainer"
                : "site.notifications.empty_client",
            )}
          </p>
        )
        : (
          <table class="cards">
            <thead>
              <tr>
                <th>{say("site.notifications.when")}</th>
                {role === "trainer" && <th>{say("site.notifications.to")}</th>}
                <th>{say("site.notifications.what")}</th>
                <th>{say("site.notifications.how")}</th>
                <th>{say("site.notifications.status")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((n) => <NotificationRow n={n} {...props} />)}
            </tbody>
          </table>
        )}
      {entries.length >= props.limit && (
        <p class="hint">
          {say("site.notifications.latest", { count: props.limit })}
        </p>
      )}
    </section>
  );
}

function NotificationRow(
  { n, role, appUrl }: Readonly<
    { n: NotificationEntry; role: "trainer" | "client"; appUrl: string }
  >,
) {
  const say = useSay();
  const locale = currentLocale();
  const at = (n.sentAt ?? n.dueAt).toISOString();
  const label = say(KIND_LABEL[n.kind]);
  const text = renderMessage({ ...n, language: locale }, appUrl).summary;
  return (
    <tr>
      <td class="card-title">
        {formatInstant(at, n.timezone, locale)}
        <br />
        <small class="hint">
          {say(
            n.sentAt
              ? "site.notifications.sent_at"
              : n.status === "pending"
              ? "site.notifications.due"
              : "site.notifications.was_due",
          )}
        </small>
      </td>
      {role === "trainer" && (
        <td data-label={say("site.notifications.to")}>
          {n.recipientName}
          <br />
          <small class="hint">
            {say(
              n.recipient === "client"
                ? "site.notifications.role_client"
                : "site.notifications.role_trainer",
            )}
          </small>
        </td>
      )}
      <td data-label={say("site.notifications.what")}>
        <strong>{label}</strong>: {text}
      </td>
      <td data-label={say("site.notifications.how")}>
        {n.status === "skipped" || n.attempts === 0
          ? "—"
          : n.channel === "telegram"
          ? "Telegram"
          : say("site.notifications.email")}
      </td>
      <td data-label={say("site.notifications.status")}>
        <span class={`badge ${STATUS_BADGE[n.status]}`}>
          {say(STATUS_LABEL[n.status])}
        </span>
        {n.attempts > 0 && (
          <small class="hint">
            {" "}
            {say("site.notifications.attempts", { count: n.attempts })}
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
