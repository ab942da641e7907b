package handlers

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/views"
)

// isHTMX reports whether the request wants a bare partial: an HTMX request
// that is not a boosted navigation.
func isHTMX(c *gin.Context) bool {
	return c.GetHeader("HX-Request") == "true" && c.GetHeader("HX-Boosted") != "true"
}

// render writes the full page, or the partial when HTMX asked for one.
// partial may be nil when the route has no partial form.
func (h *Handler) render(c *gin.Context, status int, page, partial templ.Component) {
	c.Header("Vary", "HX-Request")
	comp := page
	if partial != nil && isHTMX(c) {
		comp = partial
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := comp.Render(c.Request.Context(), c.Writer); err != nil {
		h.log.Error("render", "path", c.Request.URL.Path, "err", err)
	}
}

// page builds the common page data for the request.
func (h *Handler) page(c *gin.Context, title string) views.Page {
	return views.Page{Title: title, Viewer: viewer(c)}
}

// fail answers with an error page (or just the message for HTMX and
// streams) and stops the chain.
func (h *Handler) fail(c *gin.Context, status int, message string) {
	if isHTMX(c) || c.GetHeader("Accept") == "text/event-stream" {
		c.Header("Content-Type", "text/plain; charset=utf-8")
		c.String(status, message)
		c.Abort()
		return
	}
	h.render(c, status, views.ErrorPage(h.page(c, http.StatusText(status)), status, message), nil)
	c.Abort()
}

// failErr turns an unexpected error into a logged 500.
func (h *Handler) failErr(c *gin.Context, err error) {
	h.log.Error("request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	h.fail(c, http.StatusInternalServerError, "Something went wrong on our side. Please try again.")
}
