-- The same as migrations/sqlite/20261211000001_spaces: room kinds and
-- owners, members with roles and mutes, bans, and the audit log.
ALTER TABLE rooms ADD COLUMN kind TEXT NOT NULL DEFAULT 'public' CHECK (kind IN ('public', 'private', 'dm'));

--bun:split

ALTER TABLE rooms ADD COLUMN owner_id BIGINT REFERENCES users (id) ON DELETE SET NULL;

--bun:split

CREATE TABLE room_members (
    room_id     BIGINT      NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id     BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT        NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'moderator', 'member')),
    muted_until TIMESTAMPTZ,
    added_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (room_id, user_id)
);

--bun:split

CREATE INDEX room_members_user_id ON room_members (user_id);

--bun:split

CREATE TABLE room_bans (
    room_id BIGINT      NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    banned_by BIGINT      REFERENCES users (id) ON DELETE SET NULL,
    banned_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (room_id, user_id)
);

--bun:split

CREATE TABLE audit_log (
    id             BIGSERIAL   PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL,
    actor_id       BIGINT,
    action         TEXT        NOT NULL,
    room_id        BIGINT,
    target_user_id BIGINT,
    detail         TEXT        NOT NULL DEFAULT ''
);

--bun:split

CREATE INDEX audit_log_at ON audit_log (at);
