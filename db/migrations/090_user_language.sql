-- What each user reads: pages, e-mails and Telegram messages are written in it (a notice in
-- its recipient's language, not its sender's). Set at sign-up from the browser's
-- Accept-Language or the API's `language` field, changed on the profile page.
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'en'
  CHECK (language IN ('en', 'de', 'es', 'ru'));
