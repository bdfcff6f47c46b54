-- The Telegram chat as a second way in: buttons on messages, commands, reminder switches.

-- One account per chat: a press or a command from a chat acts for exactly one user, so
-- linking a chat to an account takes it from any other (linkTelegramChat, one statement).
-- A constraint rather than an index so that statement is checked at its end; unlinked users
-- (NULL) never collide. Where two accounts shared a chat, the one made last keeps it.
UPDATE users u SET telegram_chat_id = NULL
WHERE u.telegram_chat_id IS NOT NULL AND EXISTS (
  SELECT 1 FROM users o
  WHERE o.telegram_chat_id = u.telegram_chat_id AND (o.created_at, o.id) > (u.created_at, u.id));
ALTER TABLE users ADD CONSTRAINT users_telegram_chat_key UNIQUE (telegram_chat_id)
  DEFERRABLE INITIALLY IMMEDIATE;

-- Each update Telegram delivers is handled once, however often and by however many app
-- processes it arrives: whoever inserts its id first handles it. Swept after a day.
CREATE TABLE telegram_updates (
  update_id bigint PRIMARY KEY,
  received_at timestamptz NOT NULL
);
CREATE INDEX telegram_updates_received_idx ON telegram_updates (received_at);

-- A message with buttons: a notice or a /my entry about one session, or a /book picker.
-- Its buttons' callback data is `<token>:<action>`; the token is 128 random bits that mean
-- nothing outside this row. A press acts only from `chat_id` while `user_id` is still
-- linked to it, and only while the session is as the message announced it (seen_status,
-- seen_version); `step` is where its buttons are (Cancel → asking "Yes…"/keep → closed).
CREATE TABLE telegram_messages (
  token text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  chat_id bigint NOT NULL,
  -- the notice it was sent for: a retried send keeps the same buttons
  notification_id uuid UNIQUE REFERENCES notifications (id) ON DELETE CASCADE,
  appointment_id uuid REFERENCES appointments (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('request', 'session', 'book')),
  step text NOT NULL CHECK (step IN ('open', 'asking', 'days', 'slots', 'closed')),
  seen_status text,
  seen_version integer,
  text text NOT NULL,
  -- a picker's offered days and times, and its round (a booking key per list shown)
  options jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  CHECK ((kind = 'book') = (appointment_id IS NULL))
);
CREATE INDEX telegram_messages_appointment_idx ON telegram_messages (appointment_id);
CREATE INDEX telegram_messages_picker_idx ON telegram_messages (created_at)
  WHERE appointment_id IS NULL;

-- A client's own reminders (/reminders off|on in the chat, or their notifications page).
-- The trainer's reminders_enabled governs only the trainer's own reminders.
ALTER TABLE clients ADD COLUMN reminders_enabled boolean NOT NULL DEFAULT true;
