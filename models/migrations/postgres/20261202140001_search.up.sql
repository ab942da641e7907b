-- Full-text search (models/search.go): messages.search, a tsvector the
-- database computes from the text (a generated column, so every insert,
-- edit and deletion keeps it in step), with a GIN index.
--
-- The configuration md_search is 'simple' (no stemming, no stop words:
-- chat is in many languages) behind unaccent, so "cafe" finds "café". The
-- unaccent extension ships with PostgreSQL (postgresql-contrib) and is
-- trusted, so a database owner may install it. It goes into the schema
-- public, not the migrating one, so that dropping one schema (as each test
-- does) never takes it from the others; if it cannot be installed the
-- search works without folding accents, and says so in a NOTICE.
DO $$
DECLARE
    ext_schema name;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
    EXCEPTION WHEN OTHERS THEN
        -- Installed meanwhile by a concurrent migration, or not available.
        RAISE NOTICE 'minidiscord: CREATE EXTENSION unaccent: %', SQLERRM;
    END;
    SELECT n.nspname INTO ext_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'unaccent';
    CREATE TEXT SEARCH CONFIGURATION md_search (COPY = pg_catalog.simple);
    IF ext_schema IS NULL THEN
        RAISE NOTICE 'minidiscord: unaccent is not available: search will not fold accents (café will not find cafe)';
    ELSE
        EXECUTE format('ALTER TEXT SEARCH CONFIGURATION md_search ALTER MAPPING FOR word, numword, hword, numhword, hword_part, hword_numpart WITH %I.unaccent, simple', ext_schema);
    END IF;
END
$$;

--bun:split

-- What is indexed: the text with ASCII punctuation made spaces (so
-- "example.com" and "e-mail" are words, as SQLite's index sees them, not
-- host names or hyphenated compounds), and each CJK character (the ranges
-- of models.cjkRanges) a word of its own: CJK text has no spaces between
-- words, and a search for it becomes a phrase of characters.
ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('md_search'::regconfig,
        regexp_replace(
            regexp_replace(content, '[[:punct:]]', ' ', 'g'),
            '([\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f])', ' \1 ', 'g'))
) STORED;

--bun:split

CREATE INDEX messages_search ON messages USING gin (search);

--bun:split

-- before: and after:. (from:name reads messages_user_id_id, which
-- 20261203120001_messages_by_author makes.)
CREATE INDEX messages_created_at ON messages (created_at);
