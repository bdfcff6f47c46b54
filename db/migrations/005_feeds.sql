-- Calendar feeds: one secret token per user, the key to `GET /feeds/<token>.ics`.
-- The token itself is stored, not a hash of it: `GET /api/feeds` must show the same URL on
-- every call, which a hash cannot give back, and encrypting it would need a key that lives
-- beside the database anyway. It is 256 random bits and unlocks only a read-only list of
-- sessions that anyone reading this table could read directly; a reset replaces it.
CREATE TABLE calendar_feeds (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  token text NOT NULL UNIQUE CHECK (length(token) >= 22),
  created_at timestamptz NOT NULL DEFAULT now()
);
