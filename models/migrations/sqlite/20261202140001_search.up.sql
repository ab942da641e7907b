-- Full-text search (models/search.go). Two FTS5 indexes, kept in step with
-- every insert, edit and deletion of a message by the triggers below, in
-- the same transaction as the change:
--
-- messages_fts indexes every message's words. It holds no copy of the text
-- (content='messages'), only the index. unicode61 with remove_diacritics 2
-- folds case and accents, so "cafe" finds "café".
--
-- messages_cjk indexes, by trigrams, only the messages that hold Chinese,
-- Japanese or Korean text, which has no spaces between words: any run of
-- three characters or more is found through the index, and shorter ones by
-- scanning these messages alone. The GLOB class is models.cjkRanges,
-- written with char() because an editor may rewrite some of these
-- characters as others (U+F900 is canonically U+8C48).
--
-- A tombstone's text is '', so a deleted message leaves both indexes.
-- (messages_fts still has a row for it, with no words: an external-content
-- index holds one row per row of its table, or its integrity check fails.)
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    content,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

--bun:split

INSERT INTO messages_fts (rowid, content) SELECT id, content FROM messages;

--bun:split

CREATE VIRTUAL TABLE messages_cjk USING fts5 (content, tokenize = 'trigram');

--bun:split

INSERT INTO messages_cjk (rowid, content)
SELECT id, content FROM messages WHERE content GLOB '*[' || char(0x3005, 0x2d, 0x3007, 0x3040, 0x2d, 0x30ff, 0x3400, 0x2d, 0x4dbf, 0x4e00, 0x2d, 0x9fff, 0xac00, 0x2d, 0xd7af, 0xf900, 0x2d, 0xfaff, 0xff66, 0x2d, 0xff9f, 0x20000, 0x2d, 0x3134f) || ']*';

--bun:split

CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
    INSERT INTO messages_cjk (rowid, content)
    SELECT new.id, new.content WHERE new.content GLOB '*[' || char(0x3005, 0x2d, 0x3007, 0x3040, 0x2d, 0x30ff, 0x3400, 0x2d, 0x4dbf, 0x4e00, 0x2d, 0x9fff, 0xac00, 0x2d, 0xd7af, 0xf900, 0x2d, 0xfaff, 0xff66, 0x2d, 0xff9f, 0x20000, 0x2d, 0x3134f) || ']*';
END;

--bun:split

-- An external-content index forgets a row by being told its old text.
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    DELETE FROM messages_cjk WHERE rowid = old.id;
END;

--bun:split

-- Edits set the text; deletions set it to ''. Reactions leave it alone.
CREATE TRIGGER messages_search_update AFTER UPDATE OF content ON messages WHEN new.content IS NOT old.content BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
    DELETE FROM messages_cjk WHERE rowid = old.id;
    INSERT INTO messages_cjk (rowid, content)
    SELECT new.id, new.content WHERE new.content GLOB '*[' || char(0x3005, 0x2d, 0x3007, 0x3040, 0x2d, 0x30ff, 0x3400, 0x2d, 0x4dbf, 0x4e00, 0x2d, 0x9fff, 0xac00, 0x2d, 0xd7af, 0xf900, 0x2d, 0xfaff, 0xff66, 0x2d, 0xff9f, 0x20000, 0x2d, 0x3134f) || ']*';
END;

--bun:split

-- from:name, newest first.
CREATE INDEX messages_user_id_id ON messages (user_id, id);
