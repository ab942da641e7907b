package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
)

// markRoomRead is the page saying its reader has seen a room up to a
// message (last=<id>): they reached the bottom with the tab in view. The
// mark moves forward only and never past the room's newest message; the
// reader's other tabs and devices hear of it at once. (Without JavaScript,
// loading the room's page is what reads it.)
func (h *Handler) markRoomRead(c *gin.Context) {
	room, err := h.roomFromParam(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	raw, repeated := field(c, "last")
	last, perr := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if repeated || perr != nil || last < 0 {
		h.fail(c, &models.InvalidError{Field: "last", Message: "Say which message was read last, by its number."})
		return
	}
	if err := h.allowRead(c); err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	newest, err := h.store.LastMessageID(ctx, room.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	if _, err := h.markRead(ctx, currentUser(c).ID, room.ID, min(last, newest)); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
