-- The admin pages a room's or an author's messages, newest first.
CREATE INDEX messages_user_id_id ON messages (user_id, id);
