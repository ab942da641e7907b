-- Settings every instance must share, such as the key that signs session
-- cookies. A row is created once (INSERT ... ON CONFLICT DO NOTHING) and
-- read by every instance after.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
