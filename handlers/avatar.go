package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/media"
	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// avatarPolicy is the CSP of a served avatar: the same sandbox as a file.
const avatarPolicy = fileSecurityPolicy

// limitAvatar reads the avatar form: one file of at most -max-file-size.
func (h *Handler) limitAvatar(c *gin.Context) {
	h.limitMultipart(c, h.cfg.MaxFileSize+maxBody, h.errAvatarTooLarge())
}

func (h *Handler) errAvatarTooLarge() error {
	return &statusError{http.StatusRequestEntityTooLarge, fmt.Sprintf("An avatar image may be up to %s.", models.ByteSize(h.cfg.MaxFileSize))}
}

// setAvatar takes an uploaded picture as the user's avatar: vetted as any
// shared image is (media), cropped square and made small. Messages drawn
// from now on show it, live, on reload and on resume alike, since each
// reads the author's avatar version with the message.
func (h *Handler) setAvatar(c *gin.Context) {
	u := currentUser(c)
	if err := h.allowAccount(c); err != nil {
		h.fail(c, err)
		return
	}
	fhs := uploadedFiles(c)
	refuse := func(err error) {
		status, msg := h.formError(c, err)
		h.renderAccount(c, status, views.AccountView{Errors: views.FieldErrors{"avatar": {msg}}})
	}
	switch {
	case len(fhs) == 0:
		refuse(&models.InvalidError{Field: "file", Message: "Choose an image to upload."})
		return
	case len(fhs) > 1:
		refuse(&models.InvalidError{Field: "file", Message: "Choose one image."})
		return
	}
	fh := fhs[0]
	if fh.Size > h.cfg.MaxFileSize {
		refuse(h.errAvatarTooLarge())
		return
	}
	data, err := readPart(fh)
	if err != nil {
		h.fail(c, err)
		return
	}
	select {
	case h.decoding <- struct{}{}:
	case <-c.Request.Context().Done():
		h.fail(c, c.Request.Context().Err())
		return
	}
	pic, typ, err := media.Avatar(fh.Filename, data)
	<-h.decoding
	if err != nil {
		refuse(err)
		return
	}
	if _, err := h.store.SetAvatar(c.Request.Context(), u.ID, typ, pic); err != nil {
		h.fail(c, err)
		return
	}
	h.doneAccount(c, "Your avatar is set: it shows on your messages from now on.")
}

// removeAvatar takes the user's picture away; the initial letter is back.
func (h *Handler) removeAvatar(c *gin.Context) {
	if err := h.allowAccount(c); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.store.RemoveAvatar(c.Request.Context(), currentUser(c).ID); err != nil {
		h.fail(c, err)
		return
	}
	h.doneAccount(c, "Your avatar is removed: your initial is shown again.")
}

// showAvatar serves a user's picture to anyone logged in: avatars are
// not secret within the site. The URL carries the version, so the version
// asked for is cached for a year; any other is served uncached.
func (h *Handler) showAvatar(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(c, errNoPage)
		return
	}
	a, err := h.store.AvatarOf(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	hdr := c.Writer.Header()
	if c.Query("v") == strconv.FormatInt(a.Version, 10) {
		hdr.Set("Cache-Control", "private, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "private, no-cache")
	}
	hdr.Set("ETag", `"a`+strconv.FormatInt(id, 10)+"-"+strconv.FormatInt(a.Version, 10)+`"`)
	hdr.Set("Content-Security-Policy", avatarPolicy)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Cross-Origin-Resource-Policy", "same-origin")
	hdr.Set("Content-Disposition", "inline")
	c.Data(http.StatusOK, a.Type, a.Data)
}
