-- The request that wrote each outbox row (its X-Request-Id), so a notification can be
-- traced back to the request and its log line. NULL for rows a job wrote.
ALTER TABLE notifications ADD COLUMN request_id text;
