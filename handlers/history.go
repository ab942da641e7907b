package handlers

import (
	"context"
	"fmt"
	"strconv"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
)

// MessageHistory is the realtime.History of a hub linked to other
// instances: it reads a room's stored messages back as the same events the
// writer publishes, so an instance can catch up on what its broker missed.
type MessageHistory struct {
	Store *models.Store
}

// LastID is the id of the room's newest message.
func (m MessageHistory) LastID(ctx context.Context, room string) (int64, error) {
	id, err := roomIDOf(room)
	if err != nil {
		return 0, err
	}
	return m.Store.RoomSeq(ctx, id)
}

// After returns the room's messages after an id, rendered.
func (m MessageHistory) After(ctx context.Context, room string, after int64, limit int) ([]realtime.Event, error) {
	id, err := roomIDOf(room)
	if err != nil {
		return nil, err
	}
	msgs, err := m.Store.ChangesAfter(ctx, id, after, limit)
	if err != nil {
		return nil, err
	}
	evs := make([]realtime.Event, len(msgs))
	for i := range msgs {
		evs[i] = messageEvent(&msgs[i])
	}
	return evs, nil
}

// roomIDOf reads a roomKey back.
func roomIDOf(key string) (int64, error) {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("handlers: room key %q: %w", key, err)
	}
	return id, nil
}
