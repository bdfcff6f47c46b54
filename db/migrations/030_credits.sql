-- Session packages and credits.
--
-- A trainer sells packages (ten sessions, valid 90 days); selling one to a client writes a
-- grant with its credits. Every change to a grant's `remaining` is written together with one
-- row of the append-only ledger, in the same statement, in the transaction of the booking,
-- cancel, seat or promotion that causes it, under the trainer's advisory lock
-- (db/credits.ts). So for every grant SUM(delta) of its ledger = remaining, and the CHECK on
-- remaining is the last guard: a writer that forgot the lock still cannot spend a credit
-- twice (the second UPDATE waits for the row and then fails the CHECK).
ALTER TABLE trainers ADD COLUMN require_credit boolean NOT NULL DEFAULT false;

CREATE TABLE packages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trainer_id uuid NOT NULL REFERENCES trainers (user_id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  sessions integer NOT NULL CHECK (sessions BETWEEN 1 AND 200),
  valid_days integer CHECK (valid_days BETWEEN 1 AND 730),
  price_cents integer CHECK (price_cents BETWEEN 0 AND 100000000),
  currency text CHECK (currency ~ '^[A-Z]{3}$'),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  -- Order of creation where the clock gives ties ("newest first").
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT packages_price_check CHECK ((price_cents IS NULL) = (currency IS NULL))
);
CREATE INDEX packages_trainer_idx ON packages (trainer_id, created_at);

CREATE TABLE credit_grants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trainer_id uuid NOT NULL REFERENCES trainers (user_id) ON DELETE CASCADE,
  client_id uuid NOT NULL REFERENCES clients (user_id) ON DELETE CASCADE,
  package_id uuid REFERENCES packages (id) ON DELETE SET NULL,
  sessions integer NOT NULL CHECK (sessions BETWEEN 1 AND 200),
  remaining integer NOT NULL,
  -- The last local day (trainer's zone) on which a booking may be paid by it; NULL: never expires.
  expires_on date,
  -- The payment recorded with it (money changes hands outside Spotter), or all NULL.
  paid_amount_cents integer CHECK (paid_amount_cents BETWEEN 0 AND 100000000),
  paid_currency text CHECK (paid_currency ~ '^[A-Z]{3}$'),
  paid_method text CHECK (paid_method IN ('cash', 'transfer', 'card', 'other')),
  paid_note text CHECK (length(paid_note) <= 500),
  created_at timestamptz NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT credit_grants_remaining_check CHECK (0 <= remaining AND remaining <= sessions),
  CONSTRAINT credit_grants_paid_check CHECK (
    num_nulls(paid_amount_cents, paid_currency, paid_method) IN (0, 3)
    AND (paid_note IS NULL OR paid_method IS NOT NULL))
);
CREATE INDEX credit_grants_client_idx ON credit_grants (client_id, created_at);
CREATE INDEX credit_grants_trainer_idx ON credit_grants (trainer_id, created_at);
-- The balance read: a client's grants with credits left, a handful of rows however long
-- their history (and the same for all of a trainer's clients, for Today and statistics).
CREATE INDEX credit_grants_open_idx ON credit_grants (client_id) WHERE remaining > 0;
CREATE INDEX credit_grants_trainer_open_idx ON credit_grants (trainer_id) WHERE remaining > 0;

CREATE TABLE credit_ledger (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Order of writing, for entries of one transaction that share `at`.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  grant_id uuid NOT NULL REFERENCES credit_grants (id) ON DELETE CASCADE,
  -- Copied from the grant when the entry is written, for the client's and trainer's reads.
  client_id uuid NOT NULL,
  trainer_id uuid NOT NULL,
  at timestamptz NOT NULL,
  delta integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('granted', 'used', 'returned')),
  -- What used or returned the credit. No foreign key: the ledger outlives a deleted session.
  appointment_id uuid,
  class_id uuid,
  CONSTRAINT credit_ledger_entry_check CHECK (
    (kind = 'granted' AND delta > 0 AND appointment_id IS NULL AND class_id IS NULL)
    OR (kind = 'used' AND delta = -1 AND num_nonnulls(appointment_id, class_id) = 1)
    OR (kind = 'returned' AND delta = 1 AND num_nonnulls(appointment_id, class_id) = 1))
);
CREATE INDEX credit_ledger_grant_idx ON credit_ledger (grant_id);
CREATE INDEX credit_ledger_client_idx ON credit_ledger (client_id, seq);
CREATE INDEX credit_ledger_trainer_idx ON credit_ledger (trainer_id, at);
CREATE INDEX credit_ledger_appointment_idx ON credit_ledger (appointment_id)
  WHERE appointment_id IS NOT NULL;
CREATE INDEX credit_ledger_class_idx ON credit_ledger (class_id, client_id)
  WHERE class_id IS NOT NULL;

-- Append-only: an entry is never changed or removed, except together with its grant (a
-- client's or trainer's account being deleted takes the grant and its entries with it).
CREATE FUNCTION credit_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM credit_grants WHERE id = OLD.grant_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'credit_ledger is append-only' USING ERRCODE = '55000';
END $$;
CREATE TRIGGER credit_ledger_append_only BEFORE UPDATE OR DELETE ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION credit_ledger_append_only();

-- The grant that paid for a session or a seat (kept after its credit was returned, as the
-- contract's creditGrantId), and whether the credit went back to it.
ALTER TABLE appointments
  ADD COLUMN credit_grant_id uuid REFERENCES credit_grants (id) ON DELETE SET NULL,
  ADD COLUMN credit_returned boolean NOT NULL DEFAULT false;
ALTER TABLE class_seats
  ADD COLUMN credit_grant_id uuid REFERENCES credit_grants (id) ON DELETE SET NULL,
  ADD COLUMN credit_returned boolean NOT NULL DEFAULT false,
  -- false: the trainer took the place with {"useCredit": false}; its promotion pays nothing.
  ADD COLUMN use_credit boolean NOT NULL DEFAULT true;

ALTER TABLE notifications
  DROP CONSTRAINT notifications_kind_check,
  ADD CONSTRAINT notifications_kind_check CHECK (
    kind IN ('booked', 'reminder', 'cancelled', 'moved', 'confirmed', 'declined', 'promoted',
      'credits_low', 'passed_over'));
