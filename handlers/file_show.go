package handlers

import (
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
)

// fileSecurityPolicy is the CSP of a served file: nothing in it may run,
// load or be framed, and it is sandboxed (no scripts, no same origin) even
// if a browser were to render it as a document.
const fileSecurityPolicy = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"

// showFile serves a file, or with thumb its thumbnail, to someone who may
// see its room right now: the store checks that on every request (a
// cached copy is revalidated, never reused unchecked). Images are shown
// inline; every other file is a download. The type is the one decided
// from the content at upload, never the name's.
func (h *Handler) showFile(thumb bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil || id <= 0 {
			h.fail(c, errNoPage)
			return
		}
		a, data, err := h.store.AttachmentFor(c.Request.Context(), currentUser(c).ID, id, thumb)
		if err != nil {
			h.fail(c, err)
			return
		}
		hdr := c.Writer.Header()
		// A file never changes under its id; the tag lets a browser keep
		// it and still ask (and be checked) each time.
		etag := `"f` + strconv.FormatInt(a.ID, 10)
		if thumb {
			etag += "t"
		}
		etag += `"`
		hdr.Set("ETag", etag)
		hdr.Set("Cache-Control", "private, no-cache")
		hdr.Set("Content-Security-Policy", fileSecurityPolicy)
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Cross-Origin-Resource-Policy", "same-origin")
		hdr.Set("Content-Disposition", disposition(a))
		if c.GetHeader("If-None-Match") == etag {
			c.Status(http.StatusNotModified)
			return
		}
		// A big file on a slow link needs longer than a page.
		_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(writeTimeout + time.Duration(len(data)>>16)*time.Second))
		c.Data(http.StatusOK, a.Type, data)
	}
}

// disposition is inline for an image and attachment for anything else,
// with the file's name (RFC 6266; mime quotes it, or encodes it as
// RFC 2231 when it is not plain ASCII, so no name can break the header).
func disposition(a *models.Attachment) string {
	kind := "attachment"
	if a.Image() {
		kind = "inline"
	}
	if v := mime.FormatMediaType(kind, map[string]string{"filename": a.Name}); v != "" {
		return v
	}
	return kind
}
