-- The same as migrations/sqlite/20261216000001_name_skeletons.
CREATE TABLE name_skeletons (
    kind     TEXT    NOT NULL CHECK (kind IN ('username', 'display', 'room')),
    skeleton TEXT    NOT NULL,
    user_id  BIGINT  REFERENCES users (id) ON DELETE CASCADE,
    room_id  BIGINT  REFERENCES rooms (id) ON DELETE CASCADE,
    CHECK ((user_id IS NULL) <> (room_id IS NULL))
);

--bun:split

CREATE INDEX name_skeletons_lookup ON name_skeletons (kind, skeleton);

--bun:split

CREATE INDEX name_skeletons_user ON name_skeletons (user_id) WHERE user_id IS NOT NULL;

--bun:split

CREATE INDEX name_skeletons_room ON name_skeletons (room_id) WHERE room_id IS NOT NULL;
