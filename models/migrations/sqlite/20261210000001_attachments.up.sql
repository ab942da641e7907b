-- Files attached to messages. The row describes the file (its type was
-- decided from its content); the bytes live in attachment_blobs so that
-- listing a room's attachments never reads them. Both go with their
-- message: deleting the message row or its room deletes the files.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    name         TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    thumb_width  INTEGER NOT NULL DEFAULT 0,
    thumb_height INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

--bun:split

CREATE INDEX attachments_message_id ON attachments (message_id);

--bun:split

-- A user's quota sums their files.
CREATE INDEX attachments_user_id ON attachments (user_id);

--bun:split

CREATE TABLE attachment_blobs (
    attachment_id INTEGER PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
    data          BLOB    NOT NULL,
    -- NULL: the file is small enough to be its own thumbnail.
    thumb         BLOB
);
