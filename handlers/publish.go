package handlers

import (
	"context"
	"strings"

	"github.com/a-h/templ"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/views"
)

// SSE event names the room page listens for.
const (
	eventMessage  = "message"
	eventPresence = "presence"
	eventUpdate   = "update"
)

// publishMessages runs on the writer after each commit: each message is
// rendered once, by the same component as history, and fanned out.
func (h *Handler) publishMessages(msgs []*models.Message) {
	for _, m := range msgs {
		h.hub.Publish(roomKey(m.RoomID), messageEvent(m))
	}
}

// messageEvent is a message as it now is, numbered by the room's change it
// is: ids are stream cursors, and a room's changes are numbered without
// gaps, so the change before is Seq-1.
func messageEvent(m *models.Message) realtime.Event {
	return realtime.Event{Name: eventMessage, ID: m.Seq, Prev: m.Seq - 1, Data: renderString(views.Message(messageView(m)))}
}

// PresenceRenderer renders the hub's presence events as the room page's
// out-of-band swaps.
type PresenceRenderer struct{}

// Snapshot is the full online list.
func (PresenceRenderer) Snapshot(_ string, online []realtime.Member) realtime.Event {
	return realtime.Event{Name: eventPresence, Data: renderString(views.OnlineSnapshot(memberViews(online)))}
}

// Delta adds and removes entries and sets the count.
func (PresenceRenderer) Delta(_ string, joined, left []realtime.Member, count int) realtime.Event {
	return realtime.Event{Name: eventPresence, Data: renderString(views.PresenceDelta(memberViews(joined), memberViews(left), count))}
}

func memberViews(ms []realtime.Member) []views.Member {
	out := make([]views.Member, len(ms))
	for i, m := range ms {
		out[i] = views.Member{UserID: m.UserID, Name: m.Name}
	}
	return out
}

// renderString renders a component to a string. Components render into
// memory, so the only error would be a bug in a component.
func renderString(c templ.Component) string {
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		panic("views: " + err.Error())
	}
	return b.String()
}
