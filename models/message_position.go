package models

import (
	"context"
	"fmt"
)

// CountNewer counts the messages of a room after id, up to limit: enough
// to tell whether a message is on the room's latest page.
func (s *Store) CountNewer(ctx context.Context, roomID, id int64, limit int) (int, error) {
	newer := s.db.NewSelect().Model((*Message)(nil)).Column("id").
		Where("room_id = ?", roomID).Where("deleted_at IS NULL").Where("id > ?", id).
		Limit(int64(limit))
	n, err := s.db.NewSelect().TableExpr("(?) AS newer", newer).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("models: count newer than %d: %w", id, err)
	}
	return int(n), nil
}
