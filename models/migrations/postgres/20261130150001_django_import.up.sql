-- What `minidiscord import-django` brings from the original app (see
-- models/import_django.go). A Django account may be inactive, and one whose
-- name had to change is told so once, at its first login here.
ALTER TABLE users ADD COLUMN inactive BOOLEAN NOT NULL DEFAULT FALSE;

--bun:split

ALTER TABLE users ADD COLUMN login_notice TEXT NOT NULL DEFAULT '';

--bun:split

-- Old names that had to change: a login by the old username, and the old
-- address /chat/<old name>/, still find the account and the room. Names
-- are exact (Django's were case-sensitive).
CREATE TABLE user_aliases (
    name    TEXT    PRIMARY KEY,
    user_id BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE
);

--bun:split

CREATE TABLE room_aliases (
    name    TEXT    PRIMARY KEY,
    room_id BIGINT  NOT NULL REFERENCES rooms (id) ON DELETE CASCADE
);

--bun:split

-- One row per source database: the highest source message id imported,
-- advanced in the same transaction as each batch of messages, so a run
-- stopped at any point (even by kill -9) carries on where it stopped.
CREATE TABLE django_imports (
    source          TEXT      PRIMARY KEY,
    last_message_id BIGINT      NOT NULL DEFAULT 0,
    updated_at      TIMESTAMPTZ NOT NULL
);

--bun:split

-- Which user or room here each source user or room became. No foreign key:
-- a room staff deleted since stays mapped, so a later run does not bring
-- it back.
CREATE TABLE django_import_ids (
    source    TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    source_id BIGINT  NOT NULL,
    target_id BIGINT  NOT NULL,
    PRIMARY KEY (source, kind, source_id)
);
