/** The words of notifications: shared by delivery (jobs/) and the notification log (views/). */
import type {
  NotificationKind,
  NotificationPayload,
  Recipient,
} from "../domain/notifications.ts";
import {
  formatDay,
  formatTime,
  type Locale,
  type MessageKey,
  type MessageValues,
  t,
} from "./i18n.ts";
import { reasonIn } from "./cancel_reasons.ts";

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

const zoned = (iso: string, timeZone: string) =>
  Temporal.Instant.from(iso).toZonedDateTimeISO(timeZone);

/**
 * A session's time in the trainer's zone, named, as `locale` writes days and times.
 *
 * @example formatSession("2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z", "Europe/Berlin")
 * // "Tue 1 Dec 2026, 10:00–11:00 (Europe/Berlin)"
 */
export function formatSession(
  startsAt: string,
  endsAt: string | undefined,
  timeZone: string,
  locale: Locale = "en",
): string {
  const start = zoned(startsAt, timeZone);
  const end = endsAt ? zoned(endsAt, timeZone) : undefined;
  const words = {
    day: formatDay(locale, start),
    start: formatTime(locale, start),
    zone: timeZone,
  };
  if (!end) return t(locale, "time.session_open", words);
  const sameDay =
    Temporal.PlainDate.compare(start.toPlainDate(), end.toPlainDate()) === 0;
  const until = { ...words, end: formatTime(locale, end) };
  return sameDay
    ? t(locale, "time.session", until)
    : t(locale, "time.session_days", {
      ...until,
      endDay: formatDay(locale, end),
    });
}

/**
 * One instant in a zone, without the zone's name.
 *
 * @example formatInstant("2026-12-01T07:00:00Z", "Europe/Berlin") // "Tue 1 Dec 2026, 08:00"
 */
export function formatInstant(
  iso: string,
  timeZone: string,
  locale: Locale = "en",
): string {
  const z = zoned(iso, timeZone);
  return t(locale, "time.instant", {
    day: formatDay(locale, z),
    time: formatTime(locale, z),
  });
}

/** `Tue 1 Dec, 10:00`, `Di., 1. Dez., 10:00`: short enough for a subject line. */
function shortWhen(startsAt: string, timeZone: string, locale: Locale) {
  const z = zoned(startsAt, timeZone);
  return t(locale, "time.instant", {
    day: formatDay(locale, z, false),
    time: formatTime(locale, z),
  });
}

/** A notice as delivery and the log hold it, with the language its recipient reads. */
export type Notice = Readonly<{
  kind: NotificationKind;
  recipient: Recipient;
  payload: NotificationPayload;
  /** The recipient's language; English when unset (the notification log's pages). */
  language?: Locale;
}>;

/**
 * The words of one notification, for Telegram (text) and e-mail (subject and text), in
 * the recipient's language. Says who, when (in the trainer's zone, named), why when
 * cancelled, and where to manage it.
 */
export function renderMessage(n: Notice, appUrl: string): Message {
  const m = compose(n, appUrl);
  // The reminder says its summary itself; every other first line reads well as it is.
  return "summary" in m ? m : { ...m, summary: m.text.split("\n")[0] };
}

/** Says messages in one locale, and the lines every notice ends with. */
function speaker(locale: Locale) {
  const say = (key: MessageKey, values?: MessageValues) =>
    t(locale, key, values);
  const reasonLine = (reason: string | null | undefined) =>
    reason?.trim()
      ? say("notice.reason", { reason: reasonIn(locale, reason.trim()) })
      : say("notice.no_reason");
  return { say, reasonLine };
}

function compose(
  n: Notice,
  appUrl: string,
): Message | Omit<Message, "summary"> {
  const p = n.payload;
  if (p.classTitle !== undefined) return composeClass(n, appUrl);
  const locale = n.language ?? "en";
  const { say, reasonLine } = speaker(locale);
  const forClient = n.recipient === "client";
  const side = forClient ? "client" : "trainer";
  const when = formatSession(p.startsAt, p.endsAt, p.timezone, locale);
  const short = shortWhen(p.startsAt, p.timezone, locale);
  const other = forClient ? p.trainerName : p.clientName;
  const manage = forClient
    ? say("notice.manage_client", { link: `${appUrl}/appointments` })
    : say("notice.manage_trainer", { link: `${appUrl}/schedule` });
  const lines = (...body: string[]) => [...body, manage].join("\n");
  const words = { other, when };

  switch (n.kind) {
    case "reminder":
      return {
        subject: say("notice.reminder.subject", { when: short }),
        text: lines(say(`notice.reminder.text_${side}`, words)),
        summary: say(`notice.reminder.summary_${side}`, words),
      };
    case "booked":
      if (p.status === "pending") {
        return {
          subject: say("notice.request.subject", { when: short }),
          text: lines(say(`notice.request.${side}`, words)),
        };
      }
      return {
        subject: say("notice.booked.subject", { when: short }),
        text: lines(say(`notice.booked.${side}`, words)),
      };
    case "cancelled":
      return {
        subject: say("notice.cancelled.subject", { when: short }),
        text: lines(
          say(`notice.cancelled.${side}`, words),
          reasonLine(p.reason),
        ),
      };
    case "moved":
      return {
        subject: say("notice.moved.subject", { when: short }),
        text: lines(
          p.previousStartsAt
            ? say(`notice.moved.${side}_from`, {
              ...words,
              from: formatInstant(p.previousStartsAt, p.timezone, locale),
            })
            : say(`notice.moved.${side}`, words),
        ),
      };
    case "confirmed":
      return {
        subject: say("notice.confirmed.subject", { when: short }),
        text: lines(say(`notice.confirmed.${side}`, words)),
      };
    case "promoted":
    case "passed_over":
      return composeClass(n, appUrl);
    case "credits_low": {
      const balance = p.balance ?? 0;
      return {
        subject: say("notice.credits_low.subject", { balance }),
        text: lines(say("notice.credits_low.session", {
          when,
          balance,
          ask: say("notice.credits_ask", { balance, trainer: p.trainerName }),
        })),
      };
    }
    case "declined":
      return {
        subject: say("notice.declined.subject", { when: short }),
        text: lines(
          say(`notice.declined.${side}`, words),
          reasonLine(p.reason),
        ),
      };
  }
}

/** The words of a notice about a place in a group class. */
function composeClass(
  n: Notice,
  appUrl: string,
): Message | Omit<Message, "summary"> {
  const p = n.payload;
  const locale = n.language ?? "en";
  const { say, reasonLine } = speaker(locale);
  const title = p.classTitle ?? say("notice.class_title");
  const when = formatSession(p.startsAt, p.endsAt, p.timezone, locale);
  const short = shortWhen(p.startsAt, p.timezone, locale);
  const manage = say("notice.classes", {
    link: `${appUrl}/${n.recipient === "client" ? "calendar" : "classes"}`,
  });
  const lines = (...body: string[]) => [...body, manage].join("\n");
  const trainer = p.trainerName;
  const words = { title, when, trainer };
  const subject = { title, when: short };
  if (n.kind === "credits_low") {
    const balance = p.balance ?? 0;
    return {
      subject: say("notice.credits_low.subject", { balance }),
      text: lines(say("notice.credits_low.class", {
        title,
        when,
        balance,
        ask: say("notice.credits_ask", { balance, trainer }),
      })),
    };
  }
  if (n.kind === "passed_over") {
    return {
      subject: say("notice.passed_over.subject", subject),
      text: lines(
        say("notice.passed_over.text", words),
        say("notice.ask_package", { trainer }),
      ),
    };
  }
  if (n.kind === "reminder") {
    const side = n.recipient === "client" ? "client" : "trainer";
    const values = side === "client" ? words : { title, when };
    return {
      subject: say("notice.class_reminder.subject", subject),
      text: lines(say(`notice.class_reminder.text_${side}`, values)),
      summary: say(`notice.class_reminder.summary_${side}`, values),
    };
  }
  if (n.kind === "promoted") {
    return {
      subject: say("notice.promoted.subject", subject),
      text: lines(say("notice.promoted.text", words)),
    };
  }
  if (n.kind === "moved") {
    const previous = p.previousTitle ?? title;
    const from = p.previousStartsAt &&
      formatInstant(p.previousStartsAt, p.timezone, locale);
    const key = !from
      ? "notice.class_renamed.text"
      : previous === title
      ? "notice.class_moved.text"
      : "notice.class_moved_renamed.text";
    return {
      subject: say("notice.class_moved.subject", subject),
      text: lines(say(key, { ...words, previous, from: from ?? "" })),
    };
  }
  if (n.recipient === "trainer") {
    return {
      subject: say("notice.seat_given_up.subject", subject),
      text: lines(
        say("notice.seat_given_up.text", { client: p.clientName, title, when }),
        reasonLine(p.reason),
      ),
    };
  }
  return p.status === "cancelled"
    ? {
      subject: say("notice.class_cancelled.subject", subject),
      text: lines(
        say("notice.class_cancelled.text", words),
        reasonLine(p.reason),
      ),
    }
    : {
      subject: say("notice.removed.subject", subject),
      text: lines(say("notice.removed.text", words), reasonLine(p.reason)),
    };
}
