-- Housekeeping deletes what has expired; these let it find that without a full scan.
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX telegram_link_tokens_expires_idx ON telegram_link_tokens (expires_at);
