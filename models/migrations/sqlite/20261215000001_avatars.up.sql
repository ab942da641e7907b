-- Avatars (issue 13): a user's picture, already made small and square.
-- users.avatar_version is 0 without one, else it changes with every
-- upload, so the picture's URL can be cached for good; it is read with
-- the user (and so with each message's author) while the bytes stay in
-- their own table.
ALTER TABLE users ADD COLUMN avatar_version INTEGER NOT NULL DEFAULT 0;

--bun:split

CREATE TABLE user_avatars (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    type    TEXT    NOT NULL,
    data    BLOB    NOT NULL
);
