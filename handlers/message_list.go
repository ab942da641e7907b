package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// listOlderMessages is one page of history before a message (keyset by id),
// for "Load older messages". HTMX gets the page's messages and the control
// for the page before them; a browser without JavaScript gets a page of
// history of its own.
func (h *Handler) listOlderMessages(c *gin.Context) {
	room, err := h.roomFromParam(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	before, err := strconv.ParseInt(c.Query("before"), 10, 64)
	if err != nil || before <= 0 {
		h.fail(c, &models.InvalidError{Field: "before", Message: "Say which message to read before, as ?before=<message id>."})
		return
	}
	// One more than a page tells whether there is a page before this one.
	msgs, err := h.store.MessagesBefore(c.Request.Context(), room.ID, before, views.OlderPageSize+1)
	if err != nil {
		h.fail(c, err)
		return
	}
	more := len(msgs) > views.OlderPageSize
	if more {
		msgs = msgs[1:]
	}
	mv := forViewer(c, messageViews(msgs), 0)
	h.render(c, http.StatusOK,
		views.OlderPage(h.page(c, "#"+room.Name+": earlier messages"), room.Name, mv, more),
		views.OlderMessages(room.Name, mv, more))
}
