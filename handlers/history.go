package handlers

import (
	"context"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
)

// MessageHistory is the cluster.History of a hub linked to other
// instances: it reads a room's stored changes back as the same events the
// writer publishes, so an instance can catch up on what Redis missed.
type MessageHistory struct {
	Store *models.Store
}

// LastID is the number of the room's latest change.
func (m MessageHistory) LastID(ctx context.Context, roomID int64) (int64, error) {
	return m.Store.RoomSeq(ctx, roomID)
}

// After returns the room's changes after a number, rendered.
func (m MessageHistory) After(ctx context.Context, roomID, after int64, limit int) ([]realtime.Event, error) {
	msgs, err := m.Store.ChangesAfter(ctx, roomID, after, limit)
	if err != nil {
		return nil, err
	}
	evs := make([]realtime.Event, 0, len(msgs))
	for i := range msgs {
		// One that fails to render is skipped, as on the instance that
		// stored it, which logged and counted the failure.
		if ev, err := messageEvent(&msgs[i]); err == nil {
			evs = append(evs, ev)
		}
	}
	return evs, nil
}
