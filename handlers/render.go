package handlers

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/views"
)

// isHTMX reports whether the request wants a bare partial: an HTMX request
// that is not a boosted navigation.
func isHTMX(c *gin.Context) bool { return wantsPartial(c.Request) }

func wantsPartial(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true"
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
	if currentUser(c) != nil {
		noStore(c.Writer.Header())
	}
	c.Status(status)
	if err := comp.Render(c.Request.Context(), c.Writer); err != nil {
		h.log.Error("render", "path", c.Request.URL.Path, "err", err)
	}
}

// page builds the common page data for the request.
func (h *Handler) page(c *gin.Context, title string) views.Page {
	return views.Page{Title: title, Viewer: viewer(c)}
}

// noStore keeps a page drawn for a logged-in user out of the browser's
// caches, the back/forward cache included: after logging out, Back must not
// show the user's name and messages (some perhaps deleted since) again.
func noStore(h http.Header) { h.Set("Cache-Control", "no-store") }
