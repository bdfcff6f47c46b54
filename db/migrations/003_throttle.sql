-- Throttles count on the app's clock (the one tests drive), never on the database's.
-- A sign-in attempt is now written before its password is checked, and forgiven when it
-- succeeds: sign_in_failures holds the failed attempts and those still being checked.
ALTER TABLE sign_in_failures ALTER COLUMN at DROP DEFAULT;
CREATE INDEX sign_in_failures_at_idx ON sign_in_failures (at);

-- Sign-ups have their own budget per address: each one costs a memory-hard password hash.
CREATE TABLE sign_up_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  address text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX sign_up_attempts_address_idx ON sign_up_attempts (address, at);
CREATE INDEX sign_up_attempts_at_idx ON sign_up_attempts (at);
