-- Full-text search (models/search.go). Two FTS5 indexes and a table of
-- day bounds, kept in step with every insert, edit and deletion of a
-- message by the triggers below, in the same transaction as the change.
--
-- messages_fts indexes every message's words (content), and its room and
-- author as one token each (room "r<id>", author "u<id>"), so a search
-- with in: or from: is one index query however rare the room or the
-- person. It holds no copy of the text: its content table is the view
-- messages_search_source, which FTS5 reads only to check or rebuild it.
-- unicode61 with remove_diacritics 2 folds case and accents, so "cafe"
-- finds "café". A tombstone's text is '', so a deleted message's words
-- leave the index (its room and author stay, and search skips it).
--
-- messages_cjk indexes, by trigrams, only the messages that hold Chinese,
-- Japanese or Korean text, which has no spaces between words: any run of
-- three characters or more is found through the index, and shorter ones by
-- scanning these messages alone. The GLOB class is models.cjkRanges,
-- written with char() because an editor may rewrite some of these
-- characters as others (U+F900 is canonically U+8C48).
--
-- message_days holds each day's (UTC) first and last message id, so that
-- before: and after: become a range of ids, which the indexes seek to.
CREATE VIEW messages_search_source AS
SELECT id, content, 'r' || room_id AS room, 'u' || user_id AS author FROM messages;

--bun:split

CREATE VIRTUAL TABLE messages_fts USING fts5 (
    content, room, author,
    content = 'messages_search_source',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    columnsize = 0 -- results are by date, never ranked: no sizes to keep
);

--bun:split

-- Merge index segments eight at a time rather than four: about a third
-- less merging on each post, for a few more segments to look in on each
-- search (docs/benchmarks.md, "Search").
INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', 8);

--bun:split

INSERT INTO messages_fts (rowid, content, room, author) SELECT id, content, room, author FROM messages_search_source;

--bun:split

CREATE VIRTUAL TABLE messages_cjk USING fts5 (content, tokenize = 'trigram');

--bun:split

INSERT INTO messages_cjk (rowid, content)
SELECT id, content FROM messages WHERE content GLOB '*[' || char(0x3005, 0x2d, 0x3007, 0x3040, 0x2d, 0x30ff, 0x3400, 0x2d, 0x4dbf, 0x4e00, 0x2d, 0x9fff, 0xac00, 0x2d, 0xd7af, 0xf900, 0x2d, 0xfaff, 0xff66, 0x2d, 0xff9f, 0x20000, 0x2d, 0x3134f) || ']*';

--bun:split

CREATE TABLE message_days (
    day      TEXT    PRIMARY KEY, -- YYYY-MM-DD, UTC, as created_at begins
    first_id INTEGER NOT NULL,
    last_id  INTEGER NOT NULL
) WITHOUT ROWID;

--bun:split

INSERT INTO message_days (day, first_id, last_id)
SELECT substr(created_at, 1, 10), min(id), max(id) FROM messages GROUP BY 1;

--bun:split

CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content, room, author) VALUES (new.id, new.content, 'r' || new.room_id, 'u' || new.user_id);
    INSERT INTO messages_cjk (rowid, content)
    SELECT new.id, new.content WHERE new.content GLOB '*[' || char(0x3005, 0x2d, 0x3007, 0x3040, 0x2d, 0x30ff, 0x3400, 0x2d, 0x4dbf, 0x4e00, 0x2d, 0x9fff, 0xac00, 0x2d, 0xd7af, 0xf900, 0x2d, 0xfaff, 0xff66, 0x2d, 0xff9f, 0x20000, 0x2d, 0x3134f) || ']*';
    INSERT INTO message_days (day, first_id, last_id) VALUES (substr(new.created_at, 1, 10), new.id, new.id)
    ON CONFLICT (day) DO UPDATE SET first_id = min(first_id, excluded.first_id), last_id = max(last_id, excluded.last_id);
END;

--bun:split

-- An external-content index forgets a row by being told its old values.
-- (A day's bounds stay: they only ever need to hold the day's messages.)
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, room, author) VALUES ('delete', old.id, old.content, 'r' || old.room_id, 'u' || old.user_id);
    DELETE FROM messages_cjk WHERE rowid = old.id;
END;

--bun:split

-- Edits set the text; deletions set it to ''. Reactions leave it alone.
CREATE TRIGGER messages_search_update AFTER UPDATE OF content ON messages WHEN new.content IS NOT old.content BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, room, author) VALUES ('delete', old.id, old.content, 'r' || old.room_id, 'u' || old.user_id);
    INSERT INTO messages_fts (rowid, content, room, author) VALUES (new.id, new.content, 'r' || new.room_id, 'u' || new.user_id);
    DELETE FROM messages_cjk WHERE rowid = old.id;
    INSERT INTO messages_cjk (rowid, content)
    SELECT new.id, new.content WHERE new.content GLOB '*[' || char(0x3005, 0x2d, 0x3007, 0x3040, 0x2d, 0x30ff, 0x3400, 0x2d, 0x4dbf, 0x4e00, 0x2d, 0x9fff, 0xac00, 0x2d, 0xd7af, 0xf900, 0x2d, 0xfaff, 0xff66, 0x2d, 0xff9f, 0x20000, 0x2d, 0x3134f) || ']*';
END;
