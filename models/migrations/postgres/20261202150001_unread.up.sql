-- The same as migrations/sqlite/20261202140001_unread: how far each user
-- has read each room, and the mentions they have not read yet.
CREATE TABLE room_reads (
    user_id      BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_id      BIGINT      NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    last_read_id BIGINT      NOT NULL DEFAULT 0,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, room_id)
);

--bun:split

CREATE INDEX room_reads_room_id ON room_reads (room_id);

--bun:split

CREATE TABLE mentions (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_id    BIGINT NOT NULL,
    message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, room_id, message_id)
);

--bun:split

CREATE INDEX mentions_message_id ON mentions (message_id);
