/**
 * What the Telegram chat keeps (migration 050): updates already handled, messages with
 * buttons and where their buttons are, and the chat's own reads (who a chat is, the next
 * class). Linking chats is `db/telegram.ts`.
 */
import type { Queryable } from "./client.ts";
import type { GroupClass } from "../domain/classes.ts";
import type { AppointmentStatus, Language, Role } from "../domain/types.ts";
import { newShortToken } from "../lib/security.ts";

/**
 * Claims an update for handling: true for the first to ask about `updateId`, false for
 * every later one, in any process (Telegram may deliver an update twice, or a webhook may
 * reach two processes).
 */
export async function claimUpdate(
  sql: Queryable,
  updateId: number,
  now: Temporal.Instant,
): Promise<boolean> {
  const rows = await sql`
    INSERT INTO telegram_updates (update_id, received_at)
    VALUES (${updateId}, ${now.toString()})
    ON CONFLICT (update_id) DO NOTHING RETURNING update_id`;
  return rows.length === 1;
}

/** The user a chat is linked to. */
export type ChatUser = Readonly<{
  id: string;
  role: Role;
  name: string;
  /** Their own id for a trainer. */
  trainerId: string;
  /** What they read: the bot answers in it. */
  language: Language;
}>;

/** Who the chat `chatId` is linked to (one account at most), or `undefined`. */
export async function getChatUser(
  sql: Queryable,
  chatId: number,
): Promise<ChatUser | undefined> {
  const [row] = await sql<
    {
      id: string;
      role: Role;
      name: string;
      trainer_id: string;
      language: Language;
    }[]
  >`
    SELECT u.id, u.role, u.name, COALESCE(c.trainer_id, u.id) AS trainer_id, u.language
    FROM users u LEFT JOIN clients c ON c.user_id = u.id
    WHERE u.telegram_chat_id = ${chatId}`;
  return row &&
    {
      id: row.id,
      role: row.role,
      name: row.name,
      trainerId: row.trainer_id,
      language: row.language,
    };
}

export type ChatMessageKind = "request" | "session" | "book";
export type ChatStep = "open" | "asking" | "days" | "slots" | "closed";

/** A `/book` picker's state: the days offered, the day shown and its times, the round. */
export type PickerOptions = Readonly<{
  dates?: readonly string[];
  date?: string;
  starts?: readonly string[];
  /** Grows with each list shown: one booking key per list. */
  round?: number;
}>;

/** A message with buttons, and the chat its user is linked to now. */
export type ChatMessage = Readonly<{
  token: string;
  userId: string;
  role: Role;
  trainerId: string;
  /** What the message's user reads now: its edits and answers are in it. */
  language: Language;
  chatId: number;
  /** Where the user's chat is now (`null`: unlinked since). */
  linkedChatId: number | null;
  appointmentId: string | null;
  kind: ChatMessageKind;
  step: ChatStep;
  seen: Readonly<{ status: AppointmentStatus; version: number }> | undefined;
  text: string;
  options: PickerOptions;
}>;

type MessageRow = {
  token: string;
  user_id: string;
  role: Role;
  trainer_id: string;
  language: Language;
  chat_id: string;
  linked_chat_id: string | null;
  appointment_id: string | null;
  kind: ChatMessageKind;
  step: ChatStep;
  seen_status: AppointmentStatus | null;
  seen_version: number | null;
  text: string;
  options: PickerOptions;
};

/**
 * Stores a message about to be sent with buttons, and returns its token. A notice's
 * message is stored once per notification: a retried send gets the same token back.
 */
export async function openChatMessage(
  sql: Queryable,
  m: Readonly<{
    userId: string;
    chatId: number | string;
    kind: ChatMessageKind;
    step: ChatStep;
    text: string;
    notificationId?: string;
    appointmentId?: string;
    seen?: Readonly<{ status: string; version: number }>;
    options?: PickerOptions;
    now: Temporal.Instant;
  }>,
): Promise<string> {
  const [row] = await sql<{ token: string }[]>`
    INSERT INTO telegram_messages (token, user_id, chat_id, notification_id,
      appointment_id, kind, step, seen_status, seen_version, text, options, created_at)
    VALUES (${newShortToken()}, ${m.userId}, ${m.chatId}, ${
    m.notificationId ?? null
  }, ${m.appointmentId ?? null}, ${m.kind}, ${m.step}, ${
    m.seen?.status ?? null
  },
      ${m.seen?.version ?? null}, ${m.text}, ${sql.json(m.options ?? {})},
      ${m.now.toString()})
    ON CONFLICT (notification_id) DO UPDATE SET chat_id = EXCLUDED.chat_id,
      step = EXCLUDED.step, text = EXCLUDED.text
    RETURNING token`;
  return row.token;
}

/** The message behind a button's token, or `undefined` (unknown, swept, or its session deleted). */
export async function getChatMessage(
  sql: Queryable,
  token: string,
): Promise<ChatMessage | undefined> {
  const [r] = await sql<MessageRow[]>`
    SELECT m.token, m.user_id, u.role, COALESCE(c.trainer_id, u.id) AS trainer_id,
      u.language, m.chat_id, u.telegram_chat_id AS linked_chat_id, m.appointment_id, m.kind, m.step,
      m.seen_status, m.seen_version, m.text, m.options
    FROM telegram_messages m
    JOIN users u ON u.id = m.user_id
    LEFT JOIN clients c ON c.user_id = u.id
    WHERE m.token = ${token}`;
  if (!r) return undefined;
  return {
    token: r.token,
    userId: r.user_id,
    role: r.role,
    trainerId: r.trainer_id,
    language: r.language,
    chatId: Number(r.chat_id),
    linkedChatId: r.linked_chat_id === null ? null : Number(r.linked_chat_id),
    appointmentId: r.appointment_id,
    kind: r.kind,
    step: r.step,
    seen: r.seen_status === null || r.seen_version === null
      ? undefined
      : { status: r.seen_status, version: r.seen_version },
    text: r.text,
    options: r.options,
  };
}

/**
 * Moves a message's buttons on, only from one of the steps in `from` (so of two presses
 * at once only one moves it). Returns whether it moved.
 */
export async function moveChatMessage(
  sql: Queryable,
  token: string,
  from: readonly ChatStep[],
  to: ChatStep,
  options?: PickerOptions,
): Promise<boolean> {
  const rows = await sql`
    UPDATE telegram_messages SET step = ${to}
      ${options ? sql`, options = ${sql.json(options)}` : sql``}
    WHERE token = ${token} AND step = ANY(${from as ChatStep[]}::text[])
    RETURNING token`;
  return rows.length === 1;
}

/** Stores the text a picker now shows (its edits are re-rendered from it). */
export async function setChatMessageText(
  sql: Queryable,
  token: string,
  text: string,
) {
  await sql`UPDATE telegram_messages SET text = ${text} WHERE token = ${token}`;
}

/** A client's next class (a booked seat) or a trainer's, starting after `now`. */
export async function getNextClass(
  sql: Queryable,
  reader: Readonly<{ id: string; role: Role; trainerId: string }>,
  now: Temporal.Instant,
): Promise<GroupClass | undefined> {
  const [r] = await sql<{
    id: string;
    trainer_id: string;
    title: string;
    starts_at: Date;
    ends_at: Date;
    capacity: number;
    booked: number;
    waitlisted: number;
    status: "scheduled";
    notes: string;
    timezone: string;
    trainer_name: string;
  }[]>`
    SELECT c.id, c.trainer_id, c.title, c.starts_at, c.ends_at, c.capacity, c.booked,
      c.waitlisted, c.status, c.notes, t.timezone, tu.name AS trainer_name
    FROM classes c
    JOIN trainers t ON t.user_id = c.trainer_id
    JOIN users tu ON tu.id = c.trainer_id
    WHERE c.trainer_id = ${reader.trainerId} AND c.status = 'scheduled'
      AND c.starts_at > ${now.toString()}
      ${
    reader.role === "client"
      ? sql`AND EXISTS (SELECT 1 FROM class_seats s WHERE s.class_id = c.id
          AND s.client_id = ${reader.id} AND s.status = 'booked')`
      : sql``
  }
    ORDER BY c.starts_at, c.id LIMIT 1`;
  if (!r) return undefined;
  const instant = (d: Date) =>
    Temporal.Instant.fromEpochMilliseconds(d.getTime());
  return {
    id: r.id,
    trainerId: r.trainer_id,
    title: r.title,
    start: instant(r.starts_at),
    end: instant(r.ends_at),
    capacity: r.capacity,
    booked: r.booked,
    waitlisted: r.waitlisted,
    status: r.status,
    notes: r.notes,
    cancellationReason: null,
    timezone: r.timezone,
    trainerName: r.trainer_name,
  };
}
