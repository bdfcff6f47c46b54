-- Walk-in clients: a client the trainer added (a name, maybe an e-mail and a phone), who has
-- no sign-in of their own until they claim the account through an invitation. An unclaimed
-- client may have no e-mail; everyone else keeps one.
ALTER TABLE users ALTER COLUMN email DROP NOT NULL,
  ADD CONSTRAINT users_email_needed CHECK (email IS NOT NULL OR role = 'client');
ALTER TABLE clients
  ADD COLUMN phone text NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
  ADD COLUMN unclaimed boolean NOT NULL DEFAULT false;

-- One invitation per walk-in at a time (a new one replaces it); only a SHA-256 of its token
-- is stored. A used one is kept, marked, so the same link is refused a second time.
CREATE TABLE client_invitations (
  client_id uuid PRIMARY KEY REFERENCES clients (user_id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
