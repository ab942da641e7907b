package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// showReactPicker offers the reactions for a message: the picker for
// HTMX, which opens beside the message, or a page without JavaScript.
func (h *Handler) showReactPicker(c *gin.Context) {
	m, ok := h.messageFromParam(c)
	if !ok {
		return
	}
	f, err := h.messageForm(c, m, "", "")
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK,
		views.ReactPage(h.page(c, "React"), f, models.ReactionEmoji),
		views.ReactPicker(m.ID, models.ReactionEmoji, true))
}

// toggleReaction adds the reader's emoji to a message, or takes it back.
// Reactions count against the posting budget; the writer folds a burst of
// them on one message into a few updates.
func (h *Handler) toggleReaction(c *gin.Context) {
	m, ok := h.messageFromParam(c)
	if !ok {
		return
	}
	if err := h.allowMessage(c); err != nil {
		h.fail(c, err)
		return
	}
	emoji, repeated := field(c, "emoji")
	if repeated || !models.ValidReaction(emoji) {
		h.fail(c, &models.InvalidError{Field: "emoji", Message: "Pick one of the reactions on offer."})
		return
	}
	reacted, err := h.writer.React(c.Request.Context(), m.RoomID, m.ID, currentUser(c).ID, emoji)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.changed(c, withRoom(reacted, m.Room))
}
