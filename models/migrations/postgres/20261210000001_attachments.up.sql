-- The same as migrations/sqlite/20261210000001_attachments.
CREATE TABLE attachments (
    id           BIGSERIAL   PRIMARY KEY,
    message_id   BIGINT      NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id      BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position     INTEGER     NOT NULL DEFAULT 0,
    name         TEXT        NOT NULL,
    type         TEXT        NOT NULL,
    size         BIGINT      NOT NULL,
    width        INTEGER     NOT NULL DEFAULT 0,
    height       INTEGER     NOT NULL DEFAULT 0,
    thumb_width  INTEGER     NOT NULL DEFAULT 0,
    thumb_height INTEGER     NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

--bun:split

CREATE INDEX attachments_message_id ON attachments (message_id);

--bun:split

CREATE INDEX attachments_user_id ON attachments (user_id);

--bun:split

CREATE TABLE attachment_blobs (
    attachment_id BIGINT PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
    data          BYTEA  NOT NULL,
    thumb         BYTEA
);
