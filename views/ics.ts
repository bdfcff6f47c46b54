import type {
  Appointment,
  AppointmentStatus,
  FeedAppointment,
  Role,
} from "../domain/types.ts";
import { calendarFile, type IcsEvent, type IcsStatus } from "../lib/ics.ts";
import type { GroupClass } from "../domain/classes.ts";
import { statusWords } from "../lib/status_words.ts";
import { type Locale, t } from "../lib/i18n.ts";

export { escapeText, fold } from "../lib/ics.ts";

const STATUS: Readonly<Record<AppointmentStatus, IcsStatus>> = {
  scheduled: "CONFIRMED",
  completed: "CONFIRMED",
  pending: "TENTATIVE",
  cancelled: "CANCELLED",
};

/** `<appointment id>@<host of APP_URL>`: the same in every file and feed, after moves too. */
const uidOf = (id: string, appUrl: string) => `${id}@${new URL(appUrl).host}`;

/** `SEQUENCE` from the session's version, which starts at 1 and grows with each move. */
const sequenceOf = (a: Appointment) => a.version - 1;

/** How often a subscribed feed asks to be fetched again. */
export const FEED_REFRESH = Temporal.Duration.from({ hours: 1 });

/** An iCalendar file for one session (times in UTC, so every calendar app agrees). */
export function appointmentIcs(
  a: Appointment,
  appUrl: string,
  now: Temporal.Instant,
  locale: Locale = "en",
): string {
  return calendarFile([{
    uid: uidOf(a.id, appUrl),
    start: a.start,
    end: a.end,
    stamp: now,
    summary: t(locale, "feed.session_summary", { trainer: a.trainerName }),
    description: a.notes ||
      t(locale, "feed.session_description", { trainer: a.trainerName }),
    url: `${appUrl}/appointments/${a.id}`,
    status: STATUS[a.status],
    sequence: sequenceOf(a),
  }], { method: "PUBLISH" });
}

/** The feed event of one session, named for whoever reads the feed. */
export function feedEvent(
  { appointment: a, updatedAt }: FeedAppointment,
  reader: Role,
  appUrl: string,
  locale: Locale = "en",
): IcsEvent {
  return {
    uid: uidOf(a.id, appUrl),
    start: a.start,
    end: a.end,
    stamp: updatedAt,
    // A client's feed names only their trainer; a trainer's names each session's client.
    summary: reader === "trainer" ? a.clientName : a.trainerName,
    description: feedDescription({ appointment: a, updatedAt }, reader, locale),
    url: `${appUrl}/appointments/${a.id}`,
    status: STATUS[a.status],
    sequence: sequenceOf(a),
  };
}

/**
 * A session's state in the status words' table (a booked or completed one says nothing
 * more than its event does), then its notes. The state is as of the session's last
 * change, so a feed's body changes only when a session does.
 */
function feedDescription(
  { appointment: a, updatedAt }: FeedAppointment,
  reader: Role,
  locale: Locale,
): string | undefined {
  const words = statusWords(a, reader, updatedAt, locale);
  const state = words.tone === "booked" || words.tone === "completed"
    ? ""
    : words.text;
  return [state, a.notes].filter(Boolean).join("\n") || undefined;
}

/** The feed event of one group class (`UID:<class id>@<host>`). */
export function classEvent(
  { groupClass: c, updatedAt }: FeedClass,
  appUrl: string,
  locale: Locale = "en",
): IcsEvent {
  return {
    uid: uidOf(c.id, appUrl),
    start: c.start,
    end: c.end,
    stamp: updatedAt,
    sequence: (c.version ?? 1) - 1,
    summary: t(locale, "feed.class_summary", {
      title: c.title,
      trainer: c.trainerName,
    }),
    description: c.notes || undefined,
    url: `${appUrl}/classes/${c.id}`,
    status: c.status === "cancelled" ? "CANCELLED" : "CONFIRMED",
  };
}

export type FeedClass = Readonly<{
  groupClass: GroupClass;
  updatedAt: Temporal.Instant;
}>;

/** A trainer's or client's whole feed: their sessions and group classes, by start. */
export function feedIcs(
  items: readonly FeedAppointment[],
  reader: Readonly<{ role: Role; name: string; language?: Locale }>,
  appUrl: string,
  classes: readonly FeedClass[] = [],
): string {
  const events = [
    ...items.map((item) =>
      feedEvent(item, reader.role, appUrl, reader.language)
    ),
    ...classes.map((item) => classEvent(item, appUrl, reader.language)),
  ].sort((a, b) =>
    Temporal.Instant.compare(a.start, b.start) || a.uid.localeCompare(b.uid)
  );
  return calendarFile(events, {
    name: `Spotter · ${reader.name}`,
    refresh: FEED_REFRESH,
  });
}
