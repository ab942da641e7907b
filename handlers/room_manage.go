package handlers

import (
	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
)

// mayManageRoom says whether the current user may manage room (its
// webhooks). For now only site staff may; the room's owner joins them when
// rooms get owners and roles (issue 13), which replaces this file.
func (h *Handler) mayManageRoom(c *gin.Context, room *models.Room) bool {
	_ = room
	u := currentUser(c)
	return u != nil && u.IsStaff
}
