package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/views"
)

// showDeleteMessage asks before deleting a message: in its place for
// HTMX, a page of its own without JavaScript.
func (h *Handler) showDeleteMessage(c *gin.Context) {
	m, ok := h.messageFromParam(c)
	if !ok {
		return
	}
	if !h.mayDelete(c, m) {
		h.fail(c, errMayNotDelete)
		return
	}
	f, err := h.messageForm(c, m, "", "")
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, views.DeleteMessagePage(h.page(c, "Delete message"), f), views.MessageDeleting(f))
}

// removeMessage deletes a message as its author, a moderator or staff (the admin page
// has its own, deleteMessage). The writer takes it off every open page and
// turns the quotes of its replies into "deleted message".
func (h *Handler) removeMessage(c *gin.Context) {
	m, ok := h.messageFromParam(c)
	if !ok {
		return
	}
	if !h.mayDelete(c, m) {
		h.fail(c, errMayNotDelete)
		return
	}
	if err := h.allowMessage(c); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.writer.Delete(c.Request.Context(), m.RoomID, m.ID); err != nil {
		h.fail(c, err)
		return
	}
	if m.UserID != currentUser(c).ID {
		h.audit(c, "delete message", m.Room, m.UserID, excerpt(m.Content, 80))
	}
	if isHTMX(c) {
		h.render(c, http.StatusOK, views.MessageGone(m.ID), nil)
		return
	}
	c.Redirect(http.StatusSeeOther, views.RoomURL(m.Room.Name))
}
