package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/views"
)

// showStyleguide renders every component with sample data, for designers.
// Routes registers it only when Config.Dev is set.
func (h *Handler) showStyleguide(c *gin.Context) {
	h.render(c, http.StatusOK, views.StyleguidePage(h.page(c, "Styleguide"), views.SampleStyleguide()), nil)
}
