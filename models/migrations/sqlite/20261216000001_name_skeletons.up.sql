-- Look-alike names (models/lookalike.go): each username, display name and
-- room name's confusable skeletons (as typed, lower case, upper case), so
-- a new name is checked with one indexed lookup instead of reading every
-- name. The server fills the rows of names stored before this table (or
-- by hand) when it starts.
CREATE TABLE name_skeletons (
    kind     TEXT    NOT NULL CHECK (kind IN ('username', 'display', 'room')),
    skeleton TEXT    NOT NULL,
    user_id  INTEGER REFERENCES users (id) ON DELETE CASCADE,
    room_id  INTEGER REFERENCES rooms (id) ON DELETE CASCADE,
    CHECK ((user_id IS NULL) <> (room_id IS NULL))
);

--bun:split

CREATE INDEX name_skeletons_lookup ON name_skeletons (kind, skeleton);

--bun:split

CREATE INDEX name_skeletons_user ON name_skeletons (user_id) WHERE user_id IS NOT NULL;

--bun:split

CREATE INDEX name_skeletons_room ON name_skeletons (room_id) WHERE room_id IS NOT NULL;
