package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

const adminMessages = 100

// showAdmin lists rooms, the latest messages and users for staff.
func (h *Handler) showAdmin(c *gin.Context) {
	ctx := c.Request.Context()
	rooms, err := h.store.ListRooms(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	stored, err := h.store.CountMessagesByRoom(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	counts := h.hub.OnlineCounts()
	adminRooms := make([]views.AdminRoom, len(rooms))
	for i, r := range rooms {
		adminRooms[i] = views.AdminRoom{ID: r.ID, Name: r.Name, Messages: stored[r.ID], Online: counts[r.ID]}
	}
	msgs, err := h.store.RecentMessages(ctx, adminMessages)
	if err != nil {
		h.fail(c, err)
		return
	}
	adminMsgs := make([]views.AdminMessage, len(msgs))
	for i := range msgs {
		adminMsgs[i] = views.AdminMessage{MessageView: messageView(&msgs[i])}
		if msgs[i].Room != nil {
			adminMsgs[i].Room = msgs[i].Room.Name
		}
	}
	users, err := h.store.ListUsers(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	adminUsers := make([]views.AdminUser, len(users))
	for i, u := range users {
		adminUsers[i] = views.AdminUser{Name: u.Username, IsStaff: u.IsStaff, Joined: u.CreatedAt.Format("2006-01-02")}
	}
	h.render(c, http.StatusOK, views.AdminPage(h.page(c, "Admin"), adminRooms, adminMsgs, adminUsers), nil)
}

func (h *Handler) deleteRoom(c *gin.Context) {
	id, ok := h.idParam(c)
	if !ok {
		return
	}
	if err := h.store.DeleteRoom(c.Request.Context(), id); err != nil {
		h.fail(c, err)
		return
	}
	h.hub.CloseRoom(id)
	c.Redirect(http.StatusSeeOther, "/admin/")
}

func (h *Handler) deleteMessage(c *gin.Context) {
	id, ok := h.idParam(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	msg, err := h.store.MessageByID(ctx, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	// The writer takes it off every open page.
	if err := h.writer.Delete(ctx, msg.RoomID, id); err != nil {
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/")
}

func (h *Handler) idParam(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(c, &models.InvalidError{Field: "id", Message: "That is not a valid id."})
		return 0, false
	}
	return id, true
}
