package models

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The records of an export (`minidiscord export`), one JSON object per
// line, documented in docs/operations.md. Password hashes are never part
// of one.

// ExportHeader is the first line.
type ExportHeader struct {
	Type       string    `json:"type"` // "minidiscord-export"
	Version    int       `json:"version"`
	ExportedAt time.Time `json:"exported_at"`
	// Room is set when one room was exported.
	Room string `json:"room,omitempty"`
}

// ExportRoom is a room.
type ExportRoom struct {
	Type      string    `json:"type"` // "room"
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportUser is a user: every user, or with one room, those who wrote in it.
type ExportUser struct {
	Type      string    `json:"type"` // "user"
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Staff     bool      `json:"staff"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportMessage is a message; room_id and user_id name records above it.
type ExportMessage struct {
	Type      string    `json:"type"` // "message"
	ID        int64     `json:"id"`
	RoomID    int64     `json:"room_id"`
	UserID    int64     `json:"user_id"`
	Content   string    `json:"content"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportAttachment describes a file of the message message_id names. The
// file's bytes are not exported (an export is the record people read and
// move elsewhere, and stays small); a backup holds them.
type ExportAttachment struct {
	Type        string    `json:"type"` // "attachment"
	ID          int64     `json:"id"`
	MessageID   int64     `json:"message_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	Width       int       `json:"width,omitempty"`
	Height      int       `json:"height,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// ExportEnd is the last line: a file without it was cut short.
type ExportEnd struct {
	Type     string `json:"type"` // "end"
	Rooms    int64  `json:"rooms"`
	Users    int64  `json:"users"`
	Messages int64  `json:"messages"`
	// Attachments counts the attachment records (files' descriptions).
	Attachments int64 `json:"attachments"`
}

// ExportFormatVersion changes when a record loses or changes a field.
const ExportFormatVersion = 1

// Export streams the database (or, with room not nil, one room) to emit,
// record by record, from one read snapshot, so the file is consistent
// while the server goes on serving and nothing is held in memory.
func (s *Store) Export(ctx context.Context, room *Room, emit func(record any) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.isPostgres() {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.DB.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("models: export: %w", err)
	}
	defer tx.Rollback()

	head := ExportHeader{Type: "minidiscord-export", Version: ExportFormatVersion, ExportedAt: time.Now().UTC()}
	filesQ := "SELECT a.id, a.message_id, a.name, a.type, a.size, a.width, a.height, a.created_at FROM attachments a ORDER BY a.id"
	roomsQ, usersQ, msgsQ := "SELECT id, name, created_at FROM rooms ORDER BY id",
		"SELECT id, username, is_staff, inactive, created_at FROM users ORDER BY id",
		"SELECT id, room_id, user_id, content, created_at FROM messages ORDER BY id"
	var args []any
	if room != nil {
		head.Room = room.Name
		roomsQ = "SELECT id, name, created_at FROM rooms WHERE id = $1"
		usersQ = "SELECT id, username, is_staff, inactive, created_at FROM users WHERE id IN (SELECT user_id FROM messages WHERE room_id = $1) ORDER BY id"
		msgsQ = "SELECT id, room_id, user_id, content, created_at FROM messages WHERE room_id = $1 ORDER BY id"
		filesQ = "SELECT a.id, a.message_id, a.name, a.type, a.size, a.width, a.height, a.created_at FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.room_id = $1 ORDER BY a.id"
		args = []any{room.ID}
	}
	if err := emit(head); err != nil {
		return err
	}
	var end ExportEnd
	end.Type = "end"
	each := func(query string, scan func(*sql.Rows) (any, error), n *int64) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("models: export: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			rec, err := scan(rows)
			if err != nil {
				return fmt.Errorf("models: export: %w", err)
			}
			if err := emit(rec); err != nil {
				return err
			}
			*n++
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("models: export: %w", err)
		}
		return nil
	}
	if err := each(roomsQ, func(rows *sql.Rows) (any, error) {
		r := ExportRoom{Type: "room"}
		err := rows.Scan(&r.ID, &r.Name, &r.CreatedAt)
		r.CreatedAt = r.CreatedAt.UTC()
		return r, err
	}, &end.Rooms); err != nil {
		return err
	}
	if err := each(usersQ, func(rows *sql.Rows) (any, error) {
		u := ExportUser{Type: "user"}
		var inactive bool
		err := rows.Scan(&u.ID, &u.Username, &u.Staff, &inactive, &u.CreatedAt)
		u.Active, u.CreatedAt = !inactive, u.CreatedAt.UTC()
		return u, err
	}, &end.Users); err != nil {
		return err
	}
	if err := each(msgsQ, func(rows *sql.Rows) (any, error) {
		m := ExportMessage{Type: "message"}
		err := rows.Scan(&m.ID, &m.RoomID, &m.UserID, &m.Content, &m.CreatedAt)
		m.CreatedAt = m.CreatedAt.UTC()
		return m, err
	}, &end.Messages); err != nil {
		return err
	}
	if err := each(filesQ, func(rows *sql.Rows) (any, error) {
		a := ExportAttachment{Type: "attachment"}
		err := rows.Scan(&a.ID, &a.MessageID, &a.Name, &a.ContentType, &a.Size, &a.Width, &a.Height, &a.CreatedAt)
		a.CreatedAt = a.CreatedAt.UTC()
		return a, err
	}, &end.Attachments); err != nil {
		return err
	}
	return emit(end)
}
