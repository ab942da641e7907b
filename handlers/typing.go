package handlers

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/realtime"
)

// typingShown is how many typists an event names; past it the page only
// needs to know there are several.
const typingShown = 10

type typist struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// typingEvent is a room's set of typists on this instance: the page merges
// the sets of each instance (src) it hears, and drops its own reader.
type typingEvent struct {
	Src    string   `json:"src"`
	N      int      `json:"n"`
	Typing []typist `json:"typing"`
}

// startTyping is the page saying its reader is typing in a room (about
// every 3 s while they type). Nothing is stored: the room hears of the set
// of typists, gathered, from realtime.Typing.
func (h *Handler) startTyping(c *gin.Context) {
	u := currentUser(c)
	room, err := h.roomFromParam(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.allowTyping(c); err != nil {
		h.fail(c, err)
		return
	}
	h.typing.Start(room.ID, realtime.Member{UserID: u.ID, Name: u.Shown()})
	c.Status(http.StatusNoContent)
}

// announceTyping sends a room's typists to its streams (realtime.Typing
// calls it, at most once a second per room).
func (h *Handler) announceTyping(roomID int64, typists []realtime.Member) {
	h.hub.Publish(roomID, h.typingEvent(typists))
}

func (h *Handler) typingEvent(typists []realtime.Member) realtime.Event {
	ev := typingEvent{Src: h.instance, N: len(typists), Typing: make([]typist, 0, min(len(typists), typingShown))}
	for _, m := range typists[:min(len(typists), typingShown)] {
		ev.Typing = append(ev.Typing, typist{ID: m.UserID, Name: m.Name})
	}
	data, _ := json.Marshal(ev) // plain structs: cannot fail
	return realtime.Event{Name: eventTyping, Data: string(data)}
}
