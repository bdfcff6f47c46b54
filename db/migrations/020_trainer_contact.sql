-- How a trainer's clients can reach them: a phone and/or an e-mail the trainer chooses to
-- show (empty = not shown). Clients see it wherever they are told to contact their trainer.
ALTER TABLE trainers
  ADD COLUMN contact_phone text NOT NULL DEFAULT ''
    CHECK (contact_phone ~ '^[+0-9 ()./-]{0,40}$'),
  ADD COLUMN contact_email text NOT NULL DEFAULT ''
    CHECK (length(contact_email) <= 254);
