/** The words of notifications: shared by delivery (jobs/) and the notification log (views/). */
import type {
  NotificationKind,
  NotificationPayload,
  Recipient,
} from "../domain/notifications.ts";

export type Message = Readonly<{
  subject: string;
  text: string;
  /** One sentence for the notification log, where the kind is already named. */
  summary: string;
}>;

/** Short English day and month names (no locale data involved), Monday and January first. */
export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
export const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

const two = (n: number) => String(n).padStart(2, "0");
const zoned = (iso: string, timeZone: string) =>
  Temporal.Instant.from(iso).toZonedDateTimeISO(timeZone);
const clock = (z: Temporal.ZonedDateTime) => `${two(z.hour)}:${two(z.minute)}`;
const day = (z: Temporal.ZonedDateTime) =>
  `${WEEKDAYS[z.dayOfWeek - 1]} ${z.day} ${MONTHS[z.month - 1]} ${z.year}`;

/**
 * A session's time in the trainer's zone, named, with no locale data involved.
 *
 * @example formatSession("2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z", "Europe/Berlin")
 * // "Tue 1 Dec 2026, 10:00–11:00 (Europe/Berlin)"
 */
export function formatSession(
  startsAt: string,
  endsAt: string | undefined,
  timeZone: string,
): string {
  const start = zoned(startsAt, timeZone);
  const end = endsAt ? zoned(endsAt, timeZone) : undefined;
  const until = !end
    ? ""
    : Temporal.PlainDate.compare(start.toPlainDate(), end.toPlainDate()) === 0
    ? `–${clock(end)}`
    : ` – ${day(end)}, ${clock(end)}`;
  return `${day(start)}, ${clock(start)}${until} (${timeZone})`;
}

/**
 * One instant in a zone, without the zone's name.
 *
 * @example formatInstant("2026-12-01T07:00:00Z", "Europe/Berlin") // "Tue 1 Dec 2026, 08:00"
 */
export function formatInstant(iso: string, timeZone: string): string {
  const z = zoned(iso, timeZone);
  return `${day(z)}, ${clock(z)}`;
}

/** `Tue 1 Dec, 10:00`: short enough for a subject line. */
function shortWhen(startsAt: string, timeZone: string): string {
  const z = zoned(startsAt, timeZone);
  return `${WEEKDAYS[z.dayOfWeek - 1]} ${z.day} ${MONTHS[z.month - 1]}, ${
    clock(z)
  }`;
}

const reasonLine = (reason: string | null | undefined) =>
  reason?.trim() ? `Reason: ${reason.trim()}` : "No reason was given.";

/**
 * The words of one notification, for Telegram (text) and e-mail (subject and text).
 * Says who, when (in the trainer's zone, named), why when cancelled, and where to manage it.
 */
export function renderMessage(
  n: Readonly<
    {
      kind: NotificationKind;
      recipient: Recipient;
      payload: NotificationPayload;
    }
  >,
  appUrl: string,
): Message {
  const m = compose(n, appUrl);
  // The reminder says its summary itself; every other first line reads well as it is.
  return "summary" in m ? m : { ...m, summary: m.text.split("\n")[0] };
}

function compose(
  n: Readonly<
    {
      kind: NotificationKind;
      recipient: Recipient;
      payload: NotificationPayload;
    }
  >,
  appUrl: string,
): Message | Omit<Message, "summary"> {
  const p = n.payload;
  if (p.classTitle !== undefined) return composeClass(n, appUrl);
  const forClient = n.recipient === "client";
  const when = formatSession(p.startsAt, p.endsAt, p.timezone);
  const short = shortWhen(p.startsAt, p.timezone);
  const other = forClient ? p.trainerName : p.clientName;
  const manage = forClient
    ? `Manage your sessions: ${appUrl}/appointments`
    : `Your schedule: ${appUrl}/schedule`;
  const lines = (...body: string[]) => [...body, manage].join("\n");

  switch (n.kind) {
    case "reminder": {
      const summary = forClient
        ? `Your session with ${other} is on ${when}.`
        : `Session with ${other} on ${when}.`;
      return {
        subject: `Reminder: session on ${short}`,
        text: lines(`Reminder: ${summary[0].toLowerCase()}${summary.slice(1)}`),
        summary,
      };
    }
    case "booked": {
      const request = p.status === "pending";
      if (request) {
        return {
          subject: `Session request for ${short}`,
          text: lines(
            forClient
              ? `${other} asked for a session with you on ${when}. It is waiting for confirmation.`
              : `${other} asks for a session on ${when}. Please confirm or decline it.`,
          ),
        };
      }
      return {
        subject: `New session on ${short}`,
        text: lines(
          forClient
            ? `${other} booked a session for you on ${when}.`
            : `${other} booked a session on ${when}.`,
        ),
      };
    }
    case "cancelled":
      return {
        subject: `Cancelled: session on ${short}`,
        text: lines(
          forClient
            ? `${other} cancelled your session on ${when}.`
            : `${other} cancelled the session on ${when}.`,
          reasonLine(p.reason),
        ),
      };
    case "moved": {
      const from = p.previousStartsAt
        ? ` from ${formatInstant(p.previousStartsAt, p.timezone)}`
        : "";
      return {
        subject: `Moved: session now on ${short}`,
        text: lines(
          forClient
            ? `${other} moved your session${from} to ${when}.`
            : `${other} moved the session${from} to ${when}.`,
        ),
      };
    }
    case "confirmed":
      return {
        subject: `Confirmed: session on ${short}`,
        text: lines(
          forClient
            ? `${other} confirmed your session on ${when}.`
            : `${other} confirmed the session on ${when}.`,
        ),
      };
    case "promoted":
    case "passed_over":
      return composeClass(n, appUrl);
    case "credits_low":
      return {
        subject: creditsLowSubject(p.balance),
        text: lines(
          `Your session on ${when} used a credit: ${
            creditsLeftLine(p.balance, p.trainerName)
          }`,
        ),
      };
    case "declined":
      return {
        subject: `Declined: session request for ${short}`,
        text: lines(
          forClient
            ? `${other} declined your session request for ${when}.`
            : `${other} declined the session on ${when}.`,
          reasonLine(p.reason),
        ),
      };
  }
}

/** "1 session left in your package", "No sessions left in your package". */
const creditsLowSubject = (balance: number | undefined) =>
  balance === 1
    ? "1 session left in your package"
    : "No sessions left in your package";

/** What a `credits_low` notice says of the balance, and whom to ask. */
const creditsLowAsk = (balance: number | undefined, trainer: string) =>
  balance === 1
    ? `Ask ${trainer} for a new package when you need one.`
    : `Ask ${trainer} for a new package to book again.`;

const creditsLeftLine = (balance: number | undefined, trainer: string) =>
  `you have ${balance === 1 ? "1 session" : "no sessions"} left. ${
    creditsLowAsk(balance, trainer)
  }`;

/** The words of a notice about a place in a group class. */
function composeClass(
  n: Readonly<
    {
      kind: NotificationKind;
      recipient: Recipient;
      payload: NotificationPayload;
    }
  >,
  appUrl: string,
): Message | Omit<Message, "summary"> {
  const p = n.payload;
  const title = p.classTitle ?? "class";
  const when = formatSession(p.startsAt, p.endsAt, p.timezone);
  const short = shortWhen(p.startsAt, p.timezone);
  const manage = n.recipient === "client"
    ? `Your classes: ${appUrl}/calendar`
    : `Your classes: ${appUrl}/classes`;
  const lines = (...body: string[]) => [...body, manage].join("\n");
  if (n.kind === "credits_low") {
    return {
      subject: creditsLowSubject(p.balance),
      text: lines(
        `Your seat in ${title} on ${when} used a credit: ${
          creditsLeftLine(p.balance, p.trainerName)
        }`,
      ),
    };
  }
  if (n.kind === "passed_over") {
    return {
      subject: `Waitlist: ${title} on ${short}`,
      text: lines(
        `A seat opened in ${title} with ${p.trainerName} on ${when}, but you had no sessions left, so it went to the next person waiting and you are off the waitlist.`,
        `Ask ${p.trainerName} for a new package to book again.`,
      ),
    };
  }
  if (n.kind === "reminder") {
    const summary = n.recipient === "client"
      ? `Your class ${title} with ${p.trainerName} is on ${when}.`
      : `Your class ${title} is on ${when}.`;
    return {
      subject: `Reminder: ${title} on ${short}`,
      text: lines(`Reminder: ${summary[0].toLowerCase()}${summary.slice(1)}`),
      summary,
    };
  }
  if (n.kind === "promoted") {
    return {
      subject: `You're in: ${title} on ${short}`,
      text: lines(
        `A seat opened in ${title} with ${p.trainerName} on ${when}, and it is yours now.`,
      ),
    };
  }
  if (n.recipient === "trainer") {
    return {
      subject: `Seat given up: ${title} on ${short}`,
      text: lines(
        `${p.clientName} gave up their seat in ${title} on ${when}.`,
        reasonLine(p.reason),
      ),
    };
  }
  return p.status === "cancelled"
    ? {
      subject: `Cancelled: ${title} on ${short}`,
      text: lines(
        `${p.trainerName} cancelled ${title} on ${when}.`,
        reasonLine(p.reason),
      ),
    }
    : {
      subject: `Removed from ${title} on ${short}`,
      text: lines(
        `${p.trainerName} took you off ${title} on ${when}.`,
        reasonLine(p.reason),
      ),
    };
}
