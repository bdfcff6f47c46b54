-- Spotter schema, version 1.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Trainers and clients share one table: e-mails are unique across both.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  role text NOT NULL CHECK (role IN ('trainer', 'client')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  password_hash text NOT NULL,
  telegram_chat_id bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE trainers (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  referral_code text NOT NULL UNIQUE,
  timezone text NOT NULL,
  slot_minutes integer NOT NULL DEFAULT 60
    CHECK (slot_minutes BETWEEN 15 AND 90 AND slot_minutes % 5 = 0),
  working_hours jsonb NOT NULL,
  holidays date[] NOT NULL DEFAULT '{}',
  reminders_enabled boolean NOT NULL DEFAULT true,
  reminder_minutes integer NOT NULL DEFAULT 120 CHECK (reminder_minutes BETWEEN 15 AND 2880),
  requires_confirmation boolean NOT NULL DEFAULT false
);

CREATE TABLE clients (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  trainer_id uuid NOT NULL REFERENCES trainers (user_id) ON DELETE CASCADE,
  tags text[] NOT NULL DEFAULT '{}',
  notes text NOT NULL DEFAULT ''
);
CREATE INDEX clients_trainer_idx ON clients (trainer_id);

-- Only a SHA-256 of each session token is stored.
CREATE TABLE sessions (
  token_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE sign_in_failures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  address text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_email_idx ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, at);

CREATE TABLE appointments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trainer_id uuid NOT NULL REFERENCES trainers (user_id) ON DELETE CASCADE,
  client_id uuid NOT NULL REFERENCES clients (user_id) ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('scheduled', 'pending', 'cancelled', 'completed')),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
  cancellation_reason text CHECK (length(cancellation_reason) <= 500),
  cancelled_by text CHECK (cancelled_by IN ('trainer', 'client')),
  cancelled_at timestamptz,
  completed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  -- The last guard against double booking: PostgreSQL refuses overlapping live sessions.
  CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
    trainer_id WITH =, tstzrange(starts_at, ends_at) WITH &&
  ) WHERE (status IN ('scheduled', 'pending'))
);
CREATE INDEX appointments_trainer_start_idx ON appointments (trainer_id, starts_at);
CREATE INDEX appointments_client_start_idx ON appointments (client_id, starts_at);

-- A repeated booking request with the same key gets the first answer again.
CREATE TABLE idempotency_keys (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer NOT NULL,
  -- json, not jsonb: a replay answers the first body exactly, key order included.
  body json NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

-- Outbox: written in the same transaction as the change it announces.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  appointment_id uuid NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
  trainer_id uuid NOT NULL REFERENCES trainers (user_id) ON DELETE CASCADE,
  recipient text NOT NULL CHECK (recipient IN ('trainer', 'client')),
  recipient_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind text NOT NULL
    CHECK (kind IN ('booked', 'reminder', 'cancelled', 'moved', 'confirmed', 'declined')),
  channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('telegram', 'email')),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  dedupe_key text NOT NULL UNIQUE,
  payload jsonb NOT NULL DEFAULT '{}',
  due_at timestamptz NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  claimed_until timestamptz,
  sent_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX notifications_appointment_idx ON notifications (appointment_id);
CREATE INDEX notifications_trainer_idx ON notifications (trainer_id, created_at);

CREATE TABLE telegram_link_tokens (
  token_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
