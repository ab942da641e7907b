package handlers

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// createMessage stores a post; subscribers hear of it from the writer once
// it is committed. HTMX gets a fresh form back; a plain form post is
// redirected to the room.
func (h *Handler) createMessage(c *gin.Context) {
	room, ok := h.roomFromParam(c)
	if !ok {
		return
	}
	raw, repeated := field(c, "message")
	text, msg := models.CleanMessage(raw)
	if repeated {
		msg = "Send one message at a time."
	}
	status := http.StatusBadRequest
	if tooFast, ok := h.allowMessage(c); !ok {
		msg, status = tooFast, http.StatusTooManyRequests
	}
	if msg != "" {
		draft := strings.ToValidUTF8(raw, "\uFFFD")
		if len(draft) > 4*models.MaxMessage {
			draft = ""
		}
		h.rejectMessage(c, status, room, draft, msg)
		return
	}
	start := time.Now()
	u := currentUser(c)
	m := &models.Message{RoomID: room.ID, UserID: u.ID, Content: text, CreatedAt: time.Now().UTC(), User: u}
	if err := h.writer.Post(c.Request.Context(), m); err != nil {
		if errors.Is(err, models.ErrWriterClosed) {
			h.fail(c, http.StatusServiceUnavailable, "The server is restarting; send it again in a moment.")
			return
		}
		h.failErr(c, err)
		return
	}
	h.metrics.posted.Inc()
	h.metrics.postDuration.Observe(time.Since(start).Seconds())
	if isHTMX(c) {
		h.render(c, http.StatusOK, views.MessageForm(room.Name, "", ""), nil)
		return
	}
	c.Redirect(http.StatusSeeOther, views.RoomURL(room.Name))
}

func (h *Handler) rejectMessage(c *gin.Context, status int, room *models.Room, draft, msg string) {
	if isHTMX(c) {
		h.render(c, status, views.MessageForm(room.Name, draft, msg), nil)
		return
	}
	h.renderRoom(c, status, room, draft, msg)
}
