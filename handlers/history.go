package handlers

import (
	"context"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
)

// MessageHistory is the cluster.History of a hub linked to other
// instances: it reads a room's stored messages back as the same events the
// writer publishes, so an instance can catch up on what Redis missed.
type MessageHistory struct {
	Store *models.Store
}

// LastID is the id of the room's newest message.
func (m MessageHistory) LastID(ctx context.Context, roomID int64) (int64, error) {
	return m.Store.LastMessageID(ctx, roomID)
}

// After returns the room's messages after an id, rendered.
func (m MessageHistory) After(ctx context.Context, roomID, after int64, limit int) ([]realtime.Event, error) {
	msgs, err := m.Store.MessagesAfter(ctx, roomID, after, limit)
	if err != nil {
		return nil, err
	}
	evs := make([]realtime.Event, len(msgs))
	for i := range msgs {
		evs[i] = messageEvent(&msgs[i])
	}
	return evs, nil
}
