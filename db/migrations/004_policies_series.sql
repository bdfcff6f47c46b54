-- Booking policies (optional; the defaults change nothing) and recurring weekly series.
ALTER TABLE trainers
  ADD COLUMN min_notice_minutes integer NOT NULL DEFAULT 0
    CHECK (min_notice_minutes BETWEEN 0 AND 10080),
  ADD COLUMN horizon_days integer CHECK (horizon_days BETWEEN 1 AND 365),
  ADD COLUMN buffer_minutes integer NOT NULL DEFAULT 0
    CHECK (buffer_minutes BETWEEN 0 AND 60),
  ADD COLUMN cancel_notice_minutes integer NOT NULL DEFAULT 0
    CHECK (cancel_notice_minutes BETWEEN 0 AND 10080);

CREATE TABLE series (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trainer_id uuid NOT NULL REFERENCES trainers (user_id) ON DELETE CASCADE,
  client_id uuid NOT NULL REFERENCES clients (user_id) ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 240),
  weeks integer NOT NULL CHECK (weeks BETWEEN 2 AND 52),
  until date NOT NULL,
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX series_trainer_idx ON series (trainer_id);

ALTER TABLE appointments ADD COLUMN series_id uuid REFERENCES series (id) ON DELETE SET NULL;
CREATE INDEX appointments_series_idx ON appointments (series_id) WHERE series_id IS NOT NULL;
