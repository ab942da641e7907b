package models

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// MessageFilter picks messages for the admin: from one room and by one
// author (0: any), and before or after a message id (0: no bound).
type MessageFilter struct {
	RoomID, UserID int64
	Before, After  int64
}

func (f MessageFilter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	q = q.Where("m.deleted_at IS NULL")
	if f.RoomID != 0 {
		q = q.Where("m.room_id = ?", f.RoomID)
	}
	if f.UserID != 0 {
		q = q.Where("m.user_id = ?", f.UserID)
	}
	if f.Before != 0 {
		q = q.Where("m.id < ?", f.Before)
	}
	if f.After != 0 {
		q = q.Where("m.id > ?", f.After)
	}
	return q
}

// FilterMessages returns up to limit messages that match f, newest first,
// with their room and author: one page, keyset-paginated by id. With After
// set, it is the page just above After (the next newer one).
func (s *Store) FilterMessages(ctx context.Context, f MessageFilter, limit int) ([]Message, error) {
	var msgs []Message
	q := f.apply(s.db.NewSelect().Model(&msgs).Relation("User").Relation("Room")).Limit(int64(limit))
	if f.After != 0 && f.Before == 0 {
		q = q.OrderExpr("m.id ASC")
	} else {
		q = q.OrderExpr("m.id DESC")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("models: filter messages: %w", err)
	}
	if f.After != 0 && f.Before == 0 {
		for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
			msgs[i], msgs[j] = msgs[j], msgs[i]
		}
	}
	return msgs, s.loadAttachments(ctx, s.db, msgs)
}

// AnyMessage reports whether a message matches f: whether a page has a
// newer or an older one.
func (s *Store) AnyMessage(ctx context.Context, f MessageFilter) (bool, error) {
	ok, err := f.apply(s.db.NewSelect().Model((*Message)(nil))).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("models: any message: %w", err)
	}
	return ok, nil
}
