-- Private spaces and moderation (issue 13). A room is public (anyone may
-- see it unless banned), private (members only) or a direct message
-- (members only, named by its members' ids). owner_id is empty for rooms
-- made before this: site staff manage those.
ALTER TABLE rooms ADD COLUMN kind TEXT NOT NULL DEFAULT 'public' CHECK (kind IN ('public', 'private', 'dm'));

--bun:split

ALTER TABLE rooms ADD COLUMN owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL;

--bun:split

-- Who is in a room and with what role. In a public room only the owner
-- and moderators (and muted members) have a row; in a private room or a
-- DM a row is what lets a user see it. muted_until: they may read but not
-- post before then.
CREATE TABLE room_members (
    room_id     INTEGER   NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id     INTEGER   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT      NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'moderator', 'member')),
    muted_until TIMESTAMP,
    added_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (room_id, user_id)
);

--bun:split

CREATE INDEX room_members_user_id ON room_members (user_id);

--bun:split

-- A user banned from a public room may not open it or its stream.
CREATE TABLE room_bans (
    room_id INTEGER   NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id INTEGER   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    banned_by INTEGER   REFERENCES users (id) ON DELETE SET NULL,
    banned_at TIMESTAMP NOT NULL,
    PRIMARY KEY (room_id, user_id)
);

--bun:split

-- Every moderation and staff action: who, what, where, whom, when. Rows
-- outlive the rooms and users they name (no foreign keys): detail keeps
-- the names as they were.
CREATE TABLE audit_log (
    id             INTEGER   PRIMARY KEY AUTOINCREMENT,
    at             TIMESTAMP NOT NULL,
    actor_id       INTEGER,
    action         TEXT      NOT NULL,
    room_id        INTEGER,
    target_user_id INTEGER,
    detail         TEXT      NOT NULL DEFAULT ''
);
