package models

import (
	"context"
	"fmt"
)

// LastMessageIDs maps each room that has messages to the id of its newest
// one, so a room list can tell the reader which rooms moved since their last
// visit. One grouped read over the (room_id, id) index.
func (s *Store) LastMessageIDs(ctx context.Context) (map[int64]int64, error) {
	var rows []struct {
		RoomID int64 `bun:"room_id"`
		LastID int64 `bun:"last_id"`
	}
	err := s.db.NewSelect().Model((*Message)(nil)).
		Column("room_id").ColumnExpr("MAX(id) AS last_id").
		Group("room_id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("models: last message ids: %w", err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.RoomID] = r.LastID
	}
	return out, nil
}
