-- Deleting an account: people are deleted, not flagged. What a trainer's history needs of
-- a deleted client (their past sessions) moves to one anonymous "Former client" per
-- trainer: a users row with no e-mail of anyone's, no password and no sessions, and no
-- clients row (so no list of clients, picker or statistic of clients shows it).
ALTER TABLE users DROP CONSTRAINT users_role_check,
  ADD CONSTRAINT users_role_check CHECK (role IN ('trainer', 'client', 'former_client'));

CREATE TABLE former_clients (
  trainer_id uuid PRIMARY KEY REFERENCES trainers (user_id) ON DELETE CASCADE,
  user_id uuid NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE
);

-- A session belongs to a user, who is a client of the trainer or their Former client.
ALTER TABLE appointments DROP CONSTRAINT appointments_client_id_fkey,
  ADD CONSTRAINT appointments_client_id_fkey
    FOREIGN KEY (client_id) REFERENCES users (id) ON DELETE CASCADE;

-- When each account last downloaded its data: a trainer may close the business only
-- after downloading it.
CREATE TABLE account_exports (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  exported_at timestamptz NOT NULL
);
