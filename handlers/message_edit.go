package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// showEditMessage is the box that edits a message, for its author only:
// in the message's place for HTMX, a page of its own without JavaScript.
func (h *Handler) showEditMessage(c *gin.Context) {
	m, ok := h.messageFromParam(c)
	if !ok {
		return
	}
	if m.UserID != currentUser(c).ID {
		h.fail(c, models.ErrNotAuthor)
		return
	}
	h.renderEditForm(c, http.StatusOK, m, m.Content, "")
}

// editMessage saves a new text for a message; the writer tells every open
// page. Only the author may, and edits count against the posting budget.
func (h *Handler) editMessage(c *gin.Context) {
	m, ok := h.messageFromParam(c)
	if !ok {
		return
	}
	u := currentUser(c)
	if m.UserID != u.ID {
		h.fail(c, models.ErrNotAuthor)
		return
	}
	raw, repeated := field(c, "message")
	text, err := models.CleanMessage(raw)
	if repeated {
		err = &models.InvalidError{Field: "message", Message: "Send one text at a time."}
	}
	if tooFast := h.allowMessage(c); tooFast != nil {
		err = tooFast
	}
	edited := m
	if err == nil && text != m.Content { // the same text again is no edit
		edited, err = h.writer.Edit(c.Request.Context(), m.RoomID, m.ID, u.ID, text)
	}
	if err != nil {
		draft := strings.ToValidUTF8(raw, "\uFFFD")
		if len(draft) > 4*models.MaxMessage {
			draft = ""
		}
		status, msg := h.formError(c, err)
		h.renderEditForm(c, status, m, draft, msg)
		return
	}
	h.changed(c, withRoom(edited, m.Room))
}

func (h *Handler) renderEditForm(c *gin.Context, status int, m *models.Message, draft, formError string) {
	f, err := h.messageForm(c, m, draft, formError)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, views.EditMessagePage(h.page(c, "Edit message"), f), views.MessageEditing(f))
}
