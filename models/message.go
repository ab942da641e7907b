package models

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Message is one chat line. Its id increases with every insert and is never
// reused, so it doubles as the resume cursor of a room's stream.
type Message struct {
	bun.BaseModel `bun:"table:messages,alias:m"`

	ID        int64     `bun:"id,pk,autoincrement"`
	RoomID    int64     `bun:"room_id,notnull"`
	UserID    int64     `bun:"user_id,notnull"`
	Content   string    `bun:"content,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`

	// Prev is the id of the room's message before this one when it was
	// stored (0: none), set by the writer; it is not a column.
	Prev int64 `bun:"-"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
	Room *Room `bun:"rel:belongs-to,join:room_id=id"`
}

// Author is the name shown beside the message.
func (m *Message) Author() string {
	if m.User == nil {
		return ""
	}
	return m.User.Username
}

// insertMessages stores msgs in one transaction, filling in their ids (and
// Prev) in order. roomHeads keeps each room's ids committing in id order.
func (s *Store) insertMessages(ctx context.Context, msgs []*Message) error {
	return s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		heads, err := s.roomHeads(ctx, tx, msgs)
		if err != nil {
			return err
		}
		if s.isPostgres() {
			return s.insertPostgres(ctx, tx, msgs, heads)
		}
		for _, m := range msgs {
			m.Prev = heads[m.RoomID]
			if _, err := tx.NewInsert().Model(m).Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("models: insert message: %w", err)
			}
			heads[m.RoomID] = m.ID
		}
		return nil
	})
}

// LatestMessages returns the last limit messages of a room, oldest first.
func (s *Store) LatestMessages(ctx context.Context, roomID int64, limit int) ([]Message, error) {
	return s.MessagesBefore(ctx, roomID, 0, limit)
}

// MessagesBefore returns up to limit messages with id < beforeID (0: no bound),
// oldest first: one page of history, keyset-paginated by id.
func (s *Store) MessagesBefore(ctx context.Context, roomID, beforeID int64, limit int) ([]Message, error) {
	var msgs []Message
	q := s.db.NewSelect().Model(&msgs).Relation("User").
		Where("m.room_id = ?", roomID).OrderExpr("m.id DESC").Limit(int64(limit))
	if beforeID > 0 {
		q = q.Where("m.id < ?", beforeID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("models: messages before %d: %w", beforeID, err)
	}
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	return msgs, nil
}

// MessagesAfter returns up to limit messages with id > afterID, oldest first:
// what a reconnecting stream missed.
func (s *Store) MessagesAfter(ctx context.Context, roomID, afterID int64, limit int) ([]Message, error) {
	var msgs []Message
	err := s.db.NewSelect().Model(&msgs).Relation("User").
		Where("m.room_id = ?", roomID).Where("m.id > ?", afterID).
		OrderExpr("m.id ASC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: messages after %d: %w", afterID, err)
	}
	return msgs, nil
}

// LastMessageID returns the id of the newest message in a room, or 0.
func (s *Store) LastMessageID(ctx context.Context, roomID int64) (int64, error) {
	var id int64
	err := s.db.NewSelect().Model((*Message)(nil)).ColumnExpr("COALESCE(MAX(id), 0)").
		Where("room_id = ?", roomID).Scan(ctx, &id)
	if err != nil {
		return 0, fmt.Errorf("models: last message id: %w", err)
	}
	return id, nil
}

// CountMessages counts the messages of a room.
func (s *Store) CountMessages(ctx context.Context, roomID int64) (int, error) {
	n, err := s.db.NewSelect().Model((*Message)(nil)).Where("room_id = ?", roomID).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("models: count messages: %w", err)
	}
	return int(n), nil
}

// CountMessagesByRoom counts every room's messages in one query, by room id;
// a room without messages is absent (counts as 0).
func (s *Store) CountMessagesByRoom(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		RoomID int64 `bun:"room_id"`
		N      int   `bun:"n"`
	}
	err := s.db.NewSelect().Model((*Message)(nil)).
		Column("room_id").ColumnExpr("COUNT(*) AS n").Group("room_id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("models: count messages by room: %w", err)
	}
	counts := make(map[int64]int, len(rows))
	for _, r := range rows {
		counts[r.RoomID] = r.N
	}
	return counts, nil
}

// RecentMessages lists the newest messages over all rooms, for the admin.
func (s *Store) RecentMessages(ctx context.Context, limit int) ([]Message, error) {
	var msgs []Message
	err := s.db.NewSelect().Model(&msgs).Relation("User").Relation("Room").
		OrderExpr("m.id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: recent messages: %w", err)
	}
	return msgs, nil
}

// DeleteMessage deletes one message.
func (s *Store) DeleteMessage(ctx context.Context, id int64) error {
	res, err := s.w.NewDelete().Model((*Message)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("models: delete message: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("models: message %d: %w", id, ErrNotFound)
	}
	return nil
}

// MessageByID finds one message.
func (s *Store) MessageByID(ctx context.Context, id int64) (*Message, error) {
	m := new(Message)
	if err := s.db.NewSelect().Model(m).Relation("User").Where("m.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("models: message %d: %w", id, notFound(err))
	}
	return m, nil
}
