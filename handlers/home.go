package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/views"
)

func (h *Handler) showHome(c *gin.Context) {
	h.render(c, http.StatusOK, views.HomePage(h.page(c, "Home")), nil)
}
