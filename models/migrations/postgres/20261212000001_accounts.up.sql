-- Accounts (issue 13): a name to show beside the @handle, a password staff
-- set that must be changed at the next login, and what a user's list of
-- their sessions shows. Deactivation reuses users.inactive.
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';

--bun:split

ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

--bun:split

ALTER TABLE user_sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';

--bun:split

-- NULL: not seen since it was made (created_at stands for it).
ALTER TABLE user_sessions ADD COLUMN last_seen_at TIMESTAMPTZ;
