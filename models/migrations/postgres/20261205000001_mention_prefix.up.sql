-- "@an" suggests people whose name starts with "an": a range over the name
-- key in byte order (models.Store.MentionCandidates). SQLite's unique index
-- on username_key is in byte order already; PostgreSQL's follows the
-- database's collation, so the search gets an index in the "C" collation.
CREATE INDEX users_username_key_c ON users (username_key COLLATE "C");
