-- Group classes with capacity and a waitlist.
--
-- Every change to a class or a seat runs under the trainer's advisory lock (lockTrainer in
-- db/appointments.ts, the one lock key); the constraints below are the last guard, so that an
-- oversold class, a repeated waitlist position or an overlap cannot be written even by a
-- writer that forgot the lock:
-- * capacity: `booked` and `waitlisted` are counters kept by a trigger on class_seats in the
--   same statement as the seat's write; CHECK (booked <= capacity) refuses the seat that would
--   oversell (and the row update serialises concurrent seat writes of one class).
-- * positions: unique (class_id, position) among waitlisted rows (booked rows have none),
--   checked at the end of each statement so a renumbering UPDATE can shift everyone at once.
-- * class against class: an exclusion constraint, as for appointments.
-- * class against appointment: an exclusion constraint cannot see another table, so a trigger
--   on each side takes the same advisory lock (re-entrant for writers that already hold it,
--   serialising any that do not) and then looks at the other table with a fresh snapshot;
--   an overlap raises 23P01, the exclusion constraint's SQLSTATE, which the code already
--   answers as `slot_taken`. The lock in the trigger is what makes it a guard under
--   concurrency: without it, two transactions could each miss the other's uncommitted row.
CREATE TABLE classes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trainer_id uuid NOT NULL REFERENCES trainers (user_id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  capacity integer NOT NULL CHECK (capacity BETWEEN 2 AND 50),
  booked integer NOT NULL DEFAULT 0,
  waitlisted integer NOT NULL DEFAULT 0 CHECK (waitlisted >= 0),
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
  cancellation_reason text,
  cancelled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT classes_length_check
    CHECK (ends_at - starts_at BETWEEN interval '15 minutes' AND interval '240 minutes'),
  CONSTRAINT classes_booked_check CHECK (booked BETWEEN 0 AND capacity),
  CONSTRAINT classes_no_overlap EXCLUDE USING gist (
    trainer_id WITH =, tstzrange(starts_at, ends_at) WITH &&
  ) WHERE (status = 'scheduled')
);
CREATE INDEX classes_trainer_start_idx ON classes (trainer_id, starts_at);

CREATE TABLE class_seats (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  class_id uuid NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
  client_id uuid NOT NULL REFERENCES clients (user_id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('booked', 'waitlisted')),
  position integer,
  joined_at timestamptz NOT NULL,
  booked_at timestamptz,
  -- joining order where the clock gives ties
  seq bigint GENERATED ALWAYS AS IDENTITY,
  CONSTRAINT class_seats_state_check CHECK (
    (status = 'booked' AND position IS NULL AND booked_at IS NOT NULL)
    OR (status = 'waitlisted' AND position >= 1 AND booked_at IS NULL)
  ),
  CONSTRAINT class_seats_client_key UNIQUE (class_id, client_id),
  CONSTRAINT class_seats_position_key UNIQUE (class_id, position) DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX class_seats_client_idx ON class_seats (client_id);

CREATE FUNCTION class_seats_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE classes SET booked = booked - (OLD.status = 'booked')::int,
      waitlisted = waitlisted - (OLD.status = 'waitlisted')::int
    WHERE id = OLD.class_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE classes SET booked = booked + (NEW.status = 'booked')::int,
      waitlisted = waitlisted + (NEW.status = 'waitlisted')::int
    WHERE id = NEW.class_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER class_seats_count AFTER INSERT OR DELETE OR UPDATE OF status, class_id
  ON class_seats FOR EACH ROW EXECUTE FUNCTION class_seats_count();

CREATE FUNCTION class_overlap_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('trainer:' || NEW.trainer_id::text, 0));
  IF TG_TABLE_NAME = 'classes' THEN
    IF EXISTS (SELECT 1 FROM appointments a
               WHERE a.trainer_id = NEW.trainer_id AND a.status IN ('scheduled', 'pending')
                 AND tstzrange(a.starts_at, a.ends_at) && tstzrange(NEW.starts_at, NEW.ends_at)) THEN
      RAISE EXCEPTION 'class overlaps a live session of its trainer' USING ERRCODE = '23P01';
    END IF;
  ELSIF EXISTS (SELECT 1 FROM classes c
                WHERE c.trainer_id = NEW.trainer_id AND c.status = 'scheduled'
                  AND tstzrange(c.starts_at, c.ends_at) && tstzrange(NEW.starts_at, NEW.ends_at)) THEN
    RAISE EXCEPTION 'session overlaps a class of its trainer' USING ERRCODE = '23P01';
  END IF;
  RETURN NULL;
END $$;
-- Only writes that make time live or move it are checked (a confirm, a completion or a
-- cancellation never creates an overlap).
CREATE TRIGGER classes_overlap_guard AFTER INSERT OR UPDATE OF starts_at, ends_at, status
  ON classes FOR EACH ROW
  WHEN (NEW.status = 'scheduled') EXECUTE FUNCTION class_overlap_guard();
CREATE TRIGGER appointments_class_guard AFTER INSERT ON appointments FOR EACH ROW
  WHEN (NEW.status IN ('scheduled', 'pending')) EXECUTE FUNCTION class_overlap_guard();
CREATE TRIGGER appointments_class_guard_move AFTER UPDATE OF starts_at, ends_at, status
  ON appointments FOR EACH ROW
  WHEN (NEW.status IN ('scheduled', 'pending') AND (
    OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.ends_at IS DISTINCT FROM NEW.ends_at
    OR OLD.status NOT IN ('scheduled', 'pending')))
  EXECUTE FUNCTION class_overlap_guard();

-- Outbox rows about a class: exactly one of appointment_id and class_id is set.
ALTER TABLE notifications
  ALTER COLUMN appointment_id DROP NOT NULL,
  ADD COLUMN class_id uuid REFERENCES classes (id) ON DELETE CASCADE,
  ADD CONSTRAINT notifications_subject_check CHECK (num_nonnulls(appointment_id, class_id) = 1),
  DROP CONSTRAINT notifications_kind_check,
  ADD CONSTRAINT notifications_kind_check CHECK (
    kind IN ('booked', 'reminder', 'cancelled', 'moved', 'confirmed', 'declined', 'promoted'));
CREATE INDEX notifications_class_idx ON notifications (class_id) WHERE class_id IS NOT NULL;
