-- One send budget per channel, shared by every app process: the next instant the
-- channel may send (a virtual schedule, GCRA), and each Telegram chat's next instant.
-- reserve_send() takes a slot under the channel row's lock, so two processes never
-- hand out the same slot and their sends together stay within the rate.
CREATE TABLE send_budgets (
  channel text PRIMARY KEY CHECK (channel IN ('telegram', 'email')),
  next_at timestamptz NOT NULL DEFAULT '-infinity',
  -- Telegram answered 429 retry_after: nothing is sent before this
  paused_until timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO send_budgets (channel) VALUES ('telegram'), ('email');

CREATE TABLE send_chat_pace (
  chat_id bigint PRIMARY KEY,
  next_at timestamptz NOT NULL
);
CREATE INDEX send_chat_pace_next_idx ON send_chat_pace (next_at);

-- A slot for one message of `p_channel` (and to `p_chat`, when given), on the database's
-- clock. Either it is taken (ok, wait_ms until it comes) or nothing changes and the
-- message is to be tried again at `retry_at`: when the chat's own slot is later than
-- the channel's (taking it would leave the channel idle until then), or when the
-- channel's slot lies more than `p_max_wait_ms` ahead.
CREATE FUNCTION reserve_send(
  p_channel text, p_interval_ms double precision, p_chat bigint,
  p_chat_interval_ms double precision, p_max_wait_ms double precision,
  OUT ok boolean, OUT wait_ms double precision, OUT retry_at timestamptz
) LANGUAGE plpgsql AS $$
DECLARE
  t timestamptz := clock_timestamp();
  free timestamptz;
  chat_free timestamptz;
BEGIN
  SELECT greatest(next_at, paused_until, t) INTO free FROM send_budgets
    WHERE channel = p_channel FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no send budget for channel %', p_channel;
  END IF;
  IF p_chat IS NOT NULL THEN
    SELECT next_at INTO chat_free FROM send_chat_pace WHERE chat_id = p_chat FOR UPDATE;
    IF chat_free > free THEN
      ok := false; retry_at := chat_free; RETURN;
    END IF;
  END IF;
  IF free > t + make_interval(secs => p_max_wait_ms / 1000) THEN
    ok := false; retry_at := free; RETURN;
  END IF;
  UPDATE send_budgets SET next_at = free + make_interval(secs => p_interval_ms / 1000)
    WHERE channel = p_channel;
  IF p_chat IS NOT NULL THEN
    INSERT INTO send_chat_pace (chat_id, next_at)
    VALUES (p_chat, free + make_interval(secs => p_chat_interval_ms / 1000))
    ON CONFLICT (chat_id) DO UPDATE SET next_at = excluded.next_at;
  END IF;
  ok := true;
  wait_ms := extract(epoch FROM free - t) * 1000;
END $$;
