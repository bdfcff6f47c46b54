-- A class's version grows each time its trainer changes its time or title: the notices and
-- reminders planned for an older version are stale, and each change tells its seats once.
ALTER TABLE classes ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
