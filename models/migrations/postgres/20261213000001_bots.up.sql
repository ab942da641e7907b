-- Bots (models/bot.go): accounts that post through the API or a room's
-- webhook. They have no usable password, so they never log in.
ALTER TABLE users ADD COLUMN is_bot BOOLEAN NOT NULL DEFAULT FALSE;

--bun:split

-- A webhook's bot posts only through its webhook: it never gets an API
-- token, even after the webhook is revoked or its room deleted.
ALTER TABLE users ADD COLUMN webhook_bot BOOLEAN NOT NULL DEFAULT FALSE;

--bun:split

-- The name a webhook post asked to be shown under ("" for everyone else).
ALTER TABLE messages ADD COLUMN bot_name TEXT NOT NULL DEFAULT '';

--bun:split

-- Only a hash of each secret is kept, as for sessions.
CREATE TABLE bot_tokens (
    token_hash TEXT        PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);

--bun:split

CREATE INDEX bot_tokens_user_id ON bot_tokens (user_id);

--bun:split

CREATE TABLE webhooks (
    id         BIGSERIAL   PRIMARY KEY,
    room_id    BIGINT      NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT        NOT NULL,
    created_by BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);

--bun:split

CREATE INDEX webhooks_room_id ON webhooks (room_id);
