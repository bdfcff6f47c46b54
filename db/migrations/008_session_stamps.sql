-- A session stamp per trainer, next to the calendar counter (007): it moves whenever a
-- session of the trainer or of one of their clients is signed out or changed, or such a
-- user's own row changes (name, e-mail, Telegram chat). An app process remembers a
-- session it has read together with the stamp it was read with (routes/middleware.ts);
-- while the stamp has not moved, the next request checks only the trainer's one row of
-- calendar_versions (stamp and counter, one index lookup) instead of reading the
-- session, user and client again. Any change moves the stamp in the same commit, in
-- whichever process made it, so a signed-out session is refused everywhere from then on.

-- Whose calendar a session sees: the client's trainer, or the trainer themself. Set by the
-- database on insert; a client's trainer never changes.
ALTER TABLE sessions ADD COLUMN trainer_id uuid REFERENCES trainers (user_id) ON DELETE CASCADE;
UPDATE sessions s SET trainer_id = COALESCE(
  (SELECT c.trainer_id FROM clients c WHERE c.user_id = s.user_id), s.user_id);
ALTER TABLE sessions ALTER COLUMN trainer_id SET NOT NULL;
CREATE INDEX sessions_trainer_idx ON sessions (trainer_id);

CREATE FUNCTION session_calendar_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.trainer_id := COALESCE(
    (SELECT c.trainer_id FROM clients c WHERE c.user_id = NEW.user_id), NEW.user_id);
  RETURN NEW;
END $$;
CREATE TRIGGER sessions_calendar_owner BEFORE INSERT OR UPDATE OF user_id, trainer_id
  ON sessions FOR EACH ROW EXECUTE FUNCTION session_calendar_owner();

ALTER TABLE calendar_versions ADD COLUMN sessions_stamp bigint NOT NULL DEFAULT 0;

-- One UPDATE per statement (a sweep of expired sessions moves each trainer's stamp once).
CREATE FUNCTION sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'sessions' THEN
    UPDATE calendar_versions SET sessions_stamp = sessions_stamp + 1
    WHERE trainer_id IN (SELECT trainer_id FROM changed);
  ELSE
    UPDATE calendar_versions SET sessions_stamp = sessions_stamp + 1
    WHERE trainer_id IN (
      SELECT s.trainer_id FROM sessions s JOIN changed u ON u.id = s.user_id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions
  REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sessions_changed();
CREATE TRIGGER sessions_updated AFTER UPDATE ON sessions
  REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sessions_changed();
CREATE TRIGGER users_updated AFTER UPDATE ON users
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sessions_changed();
