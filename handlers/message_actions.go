package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// The actions on one message (edit, delete, react, reply) live under
// /messages/<id>/: a message's id names it for good, and its room comes
// with it. Each is a page or form that works without JavaScript and
// redirects back to the room; HTMX gets the partial or the message instead.

// errMayNotDelete refuses to delete someone else's message.
var errMayNotDelete = &statusError{http.StatusForbidden, "Only its author, the room's moderators or staff can delete a message."}

// mayDelete is who may delete a message: its author, the room's
// moderators and owner, and staff.
func (h *Handler) mayDelete(c *gin.Context, m *models.Message) bool {
	u := currentUser(c)
	if u == nil {
		return false
	}
	return u.ID == m.UserID || h.mayModerate(c, m.Room)
}

// messageFromParam loads the message named in the URL, with its room. A
// deleted one is not found, and so is one in a room the user may not see
// (the same answer: ids do not tell which rooms exist).
func (h *Handler) messageFromParam(c *gin.Context) (*models.Message, bool) {
	id, ok := h.idParam(c)
	if !ok {
		return nil, false
	}
	m, err := h.store.MessageByID(c.Request.Context(), id)
	if err == nil {
		var userID int64
		if u := currentUser(c); u != nil {
			userID = u.ID
		}
		if _, seen := h.store.RoomVisibleByID(c.Request.Context(), userID, m.RoomID); seen != nil {
			err = &models.NotFoundError{What: "message", ID: id, Err: seen}
		}
	}
	if err != nil {
		h.fail(c, err)
		return nil, false
	}
	return m, true
}

// backToMessage is where a form about m leads back to without JavaScript:
// the room at the message, on its latest page if it is there, else opened
// around it.
func (h *Handler) backToMessage(c *gin.Context, m *models.Message) (string, error) {
	newer, err := h.store.CountNewer(c.Request.Context(), m.RoomID, m.ID, h.cfg.HistorySize)
	if err != nil {
		return "", err
	}
	if newer < h.cfg.HistorySize {
		return views.RoomURL(m.Room.Name) + "#msg-" + strconv.FormatInt(m.ID, 10), nil
	}
	return views.AroundURL(m.Room.Name, m.ID), nil
}

// messageForm is the data of a form about m, for the reader.
func (h *Handler) messageForm(c *gin.Context, m *models.Message, draft, formError string) (views.MessageFormView, error) {
	mv := forViewer(c, []views.MessageView{messageView(m)}, 0)[0]
	f := views.MessageFormView{Message: mv, Room: m.Room.Name, Draft: draft, Error: formError, Live: isHTMX(c)}
	if f.Live {
		f.Back = views.RoomURL(m.Room.Name) // the script cancels in place
		return f, nil
	}
	back, err := h.backToMessage(c, m)
	f.Back = back
	return f, err
}

// changed answers a change made to m: HTMX gets m as it now is (the page's
// script puts it in place, as it would the stream's event); a browser
// without JavaScript is sent back to the room at the message.
func (h *Handler) changed(c *gin.Context, m *models.Message) {
	if isHTMX(c) {
		h.render(c, http.StatusOK, views.Message(messageView(m)), nil)
		return
	}
	back, err := h.backToMessage(c, m)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, back)
}

// withRoom is a copy of m with its room: the writer hands every caller
// whose change touched a message the same *Message, so it is not ours to
// change.
func withRoom(m *models.Message, room *models.Room) *models.Message {
	c := *m
	c.Room = room
	return &c
}

// showMessage is a message's permalink: the room opened around it.
func (h *Handler) showMessage(c *gin.Context) {
	m, ok := h.messageFromParam(c)
	if !ok {
		return
	}
	c.Redirect(http.StatusSeeOther, views.AroundURL(m.Room.Name, m.ID))
}

// replyToMessage is the Reply action without JavaScript: the room with the
// composer answering the message.
func (h *Handler) replyToMessage(c *gin.Context) {
	m, ok := h.messageFromParam(c)
	if !ok {
		return
	}
	c.Redirect(http.StatusSeeOther, views.ReplyURL(m.Room.Name, m.ID))
}
