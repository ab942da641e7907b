-- Settings every instance must share (see migrations/postgres). The SQLite
-- build keeps its session key in a file beside the database, as before; the
-- table is here so both databases have the same shape.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
