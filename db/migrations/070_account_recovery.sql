-- Verified e-mail addresses, password resets, and the account messages that carry their
-- links (and the notices about an account: a changed address, a closed account).

ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
-- Accounts made before addresses were verified have been receiving e-mail all along.
UPDATE users SET email_verified_at = created_at;

-- One-time links. A link's token is made when its message is sent (jobs/account_mail.ts),
-- so it exists only in that message and, as a SHA-256, here; a row goes when it is used.
CREATE TABLE password_resets (
  token_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Where the link went: one that arrived by e-mail also proves the address.
  channel text NOT NULL CHECK (channel IN ('telegram', 'email')),
  expires_at timestamptz NOT NULL
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);
CREATE INDEX password_resets_expires_idx ON password_resets (expires_at);

CREATE TABLE email_verifications (
  token_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- The address the link was sent to: it verifies only while the account still has it.
  email text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX email_verifications_user_idx ON email_verifications (user_id);
CREATE INDEX email_verifications_expires_idx ON email_verifications (expires_at);

-- An outbox for messages about an account, written in the transaction of the change that
-- sends them and delivered like notifications (claimed FOR UPDATE SKIP LOCKED, fenced by the
-- attempt, retried with back-off). A row holds its destination (and, for a farewell, the
-- words it needs) only until it is sent or given up: then it is deleted, so nothing of a
-- deleted account outlives its last message.
CREATE TABLE account_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The account it is about; NULL for a farewell to someone whose account is gone.
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN (
    'password_reset', 'verify_email', 'email_changed',
    'client_left', 'client_removed', 'trainer_left')),
  channel text NOT NULL CHECK (channel IN ('telegram', 'email')),
  email text,
  chat_id bigint,
  payload jsonb NOT NULL DEFAULT '{}',
  -- Not worth sending after this (a reset link that would arrive expired).
  expires_at timestamptz,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending')),
  next_attempt_at timestamptz NOT NULL,
  claimed_until timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  error text,
  created_at timestamptz NOT NULL,
  CONSTRAINT account_messages_destination_check CHECK (
    (channel = 'email' AND email IS NOT NULL) OR (channel = 'telegram' AND chat_id IS NOT NULL))
);
CREATE INDEX account_messages_due_idx ON account_messages (next_attempt_at);
CREATE INDEX account_messages_user_idx ON account_messages (user_id);

-- Budgets of requests that are not sign-ins (reset links per address and per account,
-- verification links per account), counted like sign-in attempts (db/throttle.ts).
CREATE TABLE throttle_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX throttle_events_key_idx ON throttle_events (key, at);
CREATE INDEX throttle_events_at_idx ON throttle_events (at);
