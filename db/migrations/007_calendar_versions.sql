-- A counter per trainer that moves whenever anything a calendar page shows changes:
-- the trainer's settings and holidays, sessions, classes and their seats, and the names of the
-- trainer and their clients. A rendered calendar is kept by the app under the counter it
-- was read with (routes/render_cache.ts), so a page is rebuilt only after a change.
-- The triggers are deferred: the counter row is locked only at commit, after every
-- advisory lock the transaction takes, and moves in the same commit as the data.
CREATE TABLE calendar_versions (
  trainer_id uuid PRIMARY KEY REFERENCES trainers (user_id) ON DELETE CASCADE,
  version bigint NOT NULL DEFAULT 0
);
INSERT INTO calendar_versions (trainer_id) SELECT user_id FROM trainers;

CREATE FUNCTION calendar_version_of_trainer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO calendar_versions (trainer_id) VALUES (NEW.user_id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER trainers_calendar_version AFTER INSERT ON trainers
  FOR EACH ROW EXECUTE FUNCTION calendar_version_of_trainer();

CREATE FUNCTION bump_calendar_version(trainer uuid) RETURNS void LANGUAGE sql AS $$
  UPDATE calendar_versions SET version = version + 1 WHERE trainer_id = trainer;
$$;

CREATE FUNCTION calendar_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'trainers' THEN
    PERFORM bump_calendar_version(NEW.user_id);
  ELSIF TG_TABLE_NAME IN ('appointments', 'classes') THEN
    IF TG_OP = 'DELETE' THEN
      PERFORM bump_calendar_version(OLD.trainer_id);
    ELSE
      PERFORM bump_calendar_version(NEW.trainer_id);
    END IF;
  ELSIF TG_TABLE_NAME = 'users' THEN
    -- A trainer's own name, or a client's as their trainer's calendar shows it.
    PERFORM bump_calendar_version(NEW.id);
    PERFORM bump_calendar_version(c.trainer_id) FROM clients c WHERE c.user_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER trainers_calendar_changed AFTER UPDATE ON trainers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_changed();
CREATE CONSTRAINT TRIGGER appointments_calendar_changed
  AFTER INSERT OR UPDATE OR DELETE ON appointments
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_changed();
-- Every change to a seat updates its class's counts (006), so classes cover seats too.
CREATE CONSTRAINT TRIGGER classes_calendar_changed
  AFTER INSERT OR UPDATE OR DELETE ON classes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_changed();
CREATE CONSTRAINT TRIGGER users_calendar_changed AFTER UPDATE OF name ON users
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_changed();
