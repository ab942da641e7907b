package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// noteAdmin is what the admin page says after a delete.
const noteAdmin = "admin"

// confirmDeleteRoom asks before a room and its messages go: a page of its
// own, whose button posts the delete, so it works without JavaScript.
func (h *Handler) confirmDeleteRoom(c *gin.Context) {
	room, ok := h.adminRoom(c)
	if !ok {
		return
	}
	h.render(c, http.StatusOK, views.AdminDeleteRoomPage(h.page(c, "Delete #"+room.Name+"?"), room, adminBack(c.Query("back"))), nil)
}

func (h *Handler) deleteRoom(c *gin.Context) {
	room, ok := h.adminRoom(c)
	if !ok {
		return
	}
	if err := h.store.DeleteRoom(c.Request.Context(), room.ID); err != nil {
		h.fail(c, err)
		return
	}
	h.hub.CloseRoom(room.ID)
	// Every open sidebar and rooms list drops it (its id says nothing more).
	h.broadcast(eventRoomRemoved, accessEvent{Room: room.ID})
	h.audit(c, "delete room", nil, 0, "#"+room.Name)
	h.leaveNote(c, noteAdmin, "Deleted #"+room.Name+" and its "+views.Plural(room.Messages, "message")+".")
	back, _ := field(c, "back")
	c.Redirect(http.StatusSeeOther, adminBack(back))
}

// confirmDeleteMessage asks before a message goes.
func (h *Handler) confirmDeleteMessage(c *gin.Context) {
	msg, _, ok := h.adminMessage(c)
	if !ok {
		return
	}
	h.render(c, http.StatusOK, views.AdminDeleteMessagePage(h.page(c, "Delete this message?"), msg, adminBack(c.Query("back"))), nil)
}

func (h *Handler) deleteMessage(c *gin.Context) {
	msg, roomID, ok := h.adminMessage(c)
	if !ok {
		return
	}
	// The writer takes it off every open page.
	if err := h.writer.Delete(c.Request.Context(), roomID, msg.ID); err != nil {
		h.fail(c, err)
		return
	}
	h.audit(c, "delete message", &models.Room{ID: roomID}, msg.AuthorID, excerpt(msg.Content, 80))
	h.leaveNote(c, noteAdmin, "Deleted a message by "+msg.Author+" in #"+msg.Room+".")
	back, _ := field(c, "back")
	c.Redirect(http.StatusSeeOther, adminBack(back))
}

// adminRoom loads the room the URL names, with its counts.
func (h *Handler) adminRoom(c *gin.Context) (views.AdminRoom, bool) {
	id, ok := h.idParam(c)
	if !ok {
		return views.AdminRoom{}, false
	}
	rooms, err := h.adminRooms(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return views.AdminRoom{}, false
	}
	for _, r := range rooms {
		if r.ID == id {
			return r, true
		}
	}
	h.fail(c, &models.NotFoundError{What: "room", ID: id})
	return views.AdminRoom{}, false
}

// adminMessage loads the message the URL names, with its room's name and id.
func (h *Handler) adminMessage(c *gin.Context) (views.AdminMessage, int64, bool) {
	id, ok := h.idParam(c)
	if !ok {
		return views.AdminMessage{}, 0, false
	}
	ctx := c.Request.Context()
	m, err := h.store.MessageByID(ctx, id)
	if err != nil {
		h.fail(c, err)
		return views.AdminMessage{}, 0, false
	}
	room, err := h.store.RoomByID(ctx, m.RoomID)
	if err != nil {
		h.fail(c, err)
		return views.AdminMessage{}, 0, false
	}
	return views.AdminMessage{MessageView: messageView(m), Room: room.Name}, room.ID, true
}

func (h *Handler) idParam(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(c, &models.InvalidError{Field: "id", Message: "That is not a valid id."})
		return 0, false
	}
	return id, true
}
