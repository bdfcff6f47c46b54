-- The trainer's other calendars (a secret iCalendar address each) and the busy time read
-- from them. A sync replaces a calendar's busy time in one transaction under the trainer's
-- advisory lock, so a booking sees all of one fetch or none of it.
CREATE TABLE busy_calendars (
  id uuid PRIMARY KEY,
  trainer_id uuid NOT NULL REFERENCES trainers (user_id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
  status text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'error')),
  error text,
  -- busy intervals in force (kept after a failed fetch)
  events integer NOT NULL DEFAULT 0,
  last_synced_at timestamptz,
  -- validators of the last good answer, sent back as If-None-Match / If-Modified-Since
  etag text,
  last_modified text,
  -- a digest of the busy time in force: an unchanged feed rewrites nothing
  busy_digest text,
  -- the round claim: a process moves this forward before it fetches (FOR UPDATE SKIP LOCKED)
  next_sync_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX busy_calendars_trainer ON busy_calendars (trainer_id, created_at);
CREATE INDEX busy_calendars_due ON busy_calendars (next_sync_at);

CREATE TABLE busy_times (
  calendar_id uuid NOT NULL REFERENCES busy_calendars (id) ON DELETE CASCADE,
  trainer_id uuid NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  summary text NOT NULL DEFAULT ''
);
CREATE INDEX busy_times_calendar ON busy_times (calendar_id);
CREATE INDEX busy_times_range ON busy_times
  USING gist (trainer_id, tstzrange(starts_at, ends_at));

-- Fetches a trainer asked for (adding a calendar, "Sync now"): a budget, so the app cannot
-- be made to fetch without end. Rounds do not count.
CREATE TABLE calendar_fetch_requests (
  trainer_id uuid NOT NULL REFERENCES trainers (user_id) ON DELETE CASCADE,
  at timestamptz NOT NULL
);
CREATE INDEX calendar_fetch_requests_trainer ON calendar_fetch_requests (trainer_id, at);

-- Moves whenever a trainer's busy time elsewhere changes (a sync that found other busy
-- time, a calendar removed): a process keeps the busy time it read under this number.
ALTER TABLE calendar_versions ADD COLUMN busy_version bigint NOT NULL DEFAULT 0;
