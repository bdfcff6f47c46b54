-- Signed-in devices: each session says what it is (a browser or an API token) and which
-- user agent signed in, and has an id of its own to be signed out by from the profile.
ALTER TABLE sessions
  ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN via text CHECK (via IN ('browser', 'api')),
  ADD COLUMN user_agent text CHECK (length(user_agent) <= 400);
CREATE UNIQUE INDEX sessions_id_key ON sessions (id);

-- When a session was last used, written at most once per few minutes per session and
-- process (routes/middleware.ts). A table of its own: an UPDATE of sessions moves the
-- trainer's session stamp (migration 008), which would make every process read every
-- session of that calendar afresh.
CREATE TABLE session_uses (
  token_hash bytea PRIMARY KEY REFERENCES sessions (token_hash) ON DELETE CASCADE,
  last_used_at timestamptz NOT NULL
);

-- A failed sign-in from a browser with a device cookie for that account (OWASP's
-- "device cookies") counts for the account's budget, not for its address's.
ALTER TABLE sign_in_failures ADD COLUMN trusted boolean NOT NULL DEFAULT false;

-- Keys the app signs with (the device cookie), made here once and shared by every process.
CREATE TABLE app_secrets (
  name text PRIMARY KEY,
  value bytea NOT NULL CHECK (length(value) >= 32)
);
INSERT INTO app_secrets (name, value) VALUES ('device_cookie', sha256(convert_to(
  gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')));
