-- Every change to a room (a new message, an edit, a deletion, a reaction)
-- takes the room's next sequence number; a message keeps the number of its
-- latest change. A stream's cursor is that number, so a resume replays
-- every kind of change, not only new messages. A deleted message stays as
-- a tombstone (deleted_at set, text cleared) so a resume can remove it.
ALTER TABLE rooms ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;

--bun:split

ALTER TABLE messages ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;

--bun:split

ALTER TABLE messages ADD COLUMN reply_to_id INTEGER REFERENCES messages (id) ON DELETE SET NULL;

--bun:split

ALTER TABLE messages ADD COLUMN edited_at TIMESTAMP;

--bun:split

ALTER TABLE messages ADD COLUMN deleted_at TIMESTAMP;

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
    message_id INTEGER   NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    INTEGER   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji      TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (message_id, emoji, user_id)
);
