-- Unread state on the server (issue 12). A room_reads row says how far one
-- user has read one room: the id of the newest message they have read. No
-- row: they have never opened it.
CREATE TABLE room_reads (
    user_id      INTEGER   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_id      INTEGER   NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    last_read_id INTEGER   NOT NULL DEFAULT 0,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, room_id)
);

--bun:split

CREATE INDEX room_reads_room_id ON room_reads (room_id);

--bun:split

-- A mention of a user in a message they have not read yet: written with
-- the message (or the edit that adds it), removed when they read the room,
-- or when an edit takes it out or the message is deleted. room_id copies
-- the message's, so a user's badges are one index range per room.
CREATE TABLE mentions (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, room_id, message_id)
);

--bun:split

CREATE INDEX mentions_message_id ON mentions (message_id);
