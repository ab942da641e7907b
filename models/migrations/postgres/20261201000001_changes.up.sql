-- The same as migrations/sqlite/20261201000001_changes: a per-room change
-- sequence, tombstones for deleted messages, replies and reactions.
ALTER TABLE rooms ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;

--bun:split

ALTER TABLE messages ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;

--bun:split

ALTER TABLE messages ADD COLUMN reply_to_id BIGINT REFERENCES messages (id) ON DELETE SET NULL;

--bun:split

ALTER TABLE messages ADD COLUMN edited_at TIMESTAMPTZ;

--bun:split

ALTER TABLE messages ADD COLUMN deleted_at TIMESTAMPTZ;

--bun:split

UPDATE messages SET seq = numbered.n
FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY room_id ORDER BY id) AS n FROM messages) AS numbered
WHERE numbered.id = messages.id;

--bun:split

UPDATE rooms SET seq = (SELECT COUNT(*) FROM messages WHERE messages.room_id = rooms.id);

--bun:split

CREATE INDEX messages_room_id_seq ON messages (room_id, seq);

--bun:split

CREATE TABLE reactions (
    message_id BIGINT      NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (message_id, emoji, user_id)
);
