package handlers

import (
	"context"
	"fmt"
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
		// Ids number the room's changes without gaps: the one before is Seq-1.
		h.publish(m.RoomID, eventMessage, m.Seq, m.Seq-1, views.Message(messageView(m)))
	}
	h.noteAttention(msgs)
}

// publish renders c once and sends it to everyone in the room. A component
// that fails to render is logged and counted instead, and the server goes
// on: this runs on the writer goroutine, which has no recover, and the
// change is stored, so a reload shows it.
func (h *Handler) publish(roomID int64, name string, id, prev int64, c templ.Component) {
	data, err := renderString(c)
	if err != nil {
		h.renderFailed(roomID, id, err)
		return
	}
	h.hub.Publish(roomID, realtime.Event{Name: name, ID: id, Prev: prev, Data: data})
}

// renderFailed logs and counts an event that could not be rendered.
func (h *Handler) renderFailed(roomID, id int64, err error) {
	h.metrics.renderErrors.Inc()
	h.log.Error("render event; not sent live", "room_id", roomID, "id", id, "err", err)
}

// messageEvent is a message as it now is, numbered by the room's change it
// is, for a stream's replay and a catch-up.
func messageEvent(m *models.Message) (realtime.Event, error) {
	data, err := renderString(views.Message(messageView(m)))
	return realtime.Event{Name: eventMessage, ID: m.Seq, Prev: m.Seq - 1, Data: data}, err
}

// presenceRenderer renders the hub's presence events as the room page's
// out-of-band swaps. One that fails to render is logged and counted, and
// goes out empty: a browser ignores an event without data, and the next
// change brings the list.
type presenceRenderer struct{ h *Handler }

// Snapshot is the full online list.
func (p presenceRenderer) Snapshot(room int64, online []realtime.Member) realtime.Event {
	return p.event(room, views.OnlineSnapshot(memberViews(online...)))
}

// Delta adds and removes entries and sets the count. The new count goes to
// every sidebar too, with the next broadcast of the rooms' activity.
func (p presenceRenderer) Delta(room int64, joined, left []realtime.Member, count int) realtime.Event {
	p.h.activity.online(room, count)
	return p.event(room, views.PresenceDelta(memberViews(joined...), memberViews(left...), count))
}

func (p presenceRenderer) event(room int64, c templ.Component) realtime.Event {
	data, err := renderString(c)
	if err != nil {
		p.h.renderFailed(room, 0, err)
	}
	return realtime.Event{Name: eventPresence, Data: data}
}

// onlineMember is u as online lists show them.
func onlineMember(u *models.User) realtime.Member {
	return realtime.Member{UserID: u.ID, Name: u.Shown(), Avatar: u.Avatar(), Bot: u.IsBot}
}

// refreshMember redraws the user's entry in the online lists they are on
// here (and, through the hub's relay, elsewhere) after the store changed
// them (a display name, a picture; the App hooks it to every change): read
// back, so the lists show what a reload would. A change that does not show
// there (a session ended) redraws nothing.
func (h *Handler) refreshMember(ctx context.Context, userID int64) {
	if !h.hub.UserHere(userID) {
		return
	}
	u, err := h.store.UserByID(ctx, userID)
	if err != nil {
		h.log.Warn("refresh an online entry", "user", userID, "err", err)
		return
	}
	h.hub.UpdateMember(onlineMember(u))
}

func memberViews(ms ...realtime.Member) []views.Member {
	out := make([]views.Member, len(ms))
	for i, m := range ms {
		out[i] = views.Member{UserID: m.UserID, Name: m.Name, Avatar: m.Avatar, Bot: m.Bot}
	}
	return out
}

// renderString renders a component to a string. Components render into
// memory, so an error (or a panic) is a bug in a component; it is returned
// rather than raised, because the callers run where no one recovers.
func renderString(c templ.Component) (s string, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			s, err = "", fmt.Errorf("views: panic: %v", rec)
		}
	}()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		return "", fmt.Errorf("views: %w", err)
	}
	return b.String(), nil
}
