-- The same as migrations/sqlite/20261215000001_avatars.
ALTER TABLE users ADD COLUMN avatar_version BIGINT NOT NULL DEFAULT 0;

--bun:split

CREATE TABLE user_avatars (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    type    TEXT   NOT NULL,
    data    BYTEA  NOT NULL
);
