-- The same shape as migrations/sqlite, in PostgreSQL's types. BIGSERIAL ids
-- come from sequences: never reused after a delete, so a message id is a safe
-- resume cursor. Per-room commit order is kept equal to id order by the
-- message writer (see insertMessages), not by the sequence.
CREATE TABLE users (
    id            BIGSERIAL   PRIMARY KEY,
    username      TEXT        NOT NULL,
    username_key  TEXT        NOT NULL UNIQUE,
    password_hash TEXT        NOT NULL,
    is_staff      BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

--bun:split

CREATE TABLE user_sessions (
    token_hash TEXT        PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

--bun:split

CREATE INDEX user_sessions_user_id ON user_sessions (user_id);

--bun:split

CREATE TABLE rooms (
    id         BIGSERIAL   PRIMARY KEY,
    name       TEXT        NOT NULL,
    name_key   TEXT        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

--bun:split

CREATE TABLE messages (
    id         BIGSERIAL   PRIMARY KEY,
    room_id    BIGINT      NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content    TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

--bun:split

CREATE INDEX messages_room_id_id ON messages (room_id, id);
