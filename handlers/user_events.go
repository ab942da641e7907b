package handlers

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
)

// streamUserEvents is the stream of a page that shows no conversation (the
// rooms list): the reader's sidebar and the rooms' activity, nothing of any
// one room. A room page never opens it; its room stream carries the same.
func (h *Handler) streamUserEvents(c *gin.Context) {
	ctx := c.Request.Context()
	start := time.Now()
	u := currentUser(c)
	sub, err := h.hub.SubscribeUser(onlineMember(u), models.SessionID(currentToken(c)))
	if err != nil {
		h.fail(c, err)
		return
	}
	handedOver := false
	defer func() {
		if !handedOver {
			sub.Close()
		}
	}()
	w := h.startStream(c.Writer, c.Request)
	runAside(func() bool { h.writeSidebar(ctx, w, u.ID, 0); return true })
	if w.flush() != nil {
		return
	}
	handedOver = true
	h.detach(c, w, sub, nil, start)
}
