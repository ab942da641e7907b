package handlers

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// createMessage stores a post, with its files if any (a multipart form,
// limitUpload); subscribers hear of it from the writer once
// it is committed. HTMX gets a fresh form back; a plain form post is
// redirected to the room.
func (h *Handler) createMessage(c *gin.Context) {
	room, err := h.roomFromParam(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	raw, repeated := field(c, "message")
	uploads := uploadedFiles(c)
	var text string
	if len(uploads) == 0 || strings.TrimSpace(raw) != "" {
		text, err = models.CleanMessage(raw) // files may go without text
	}
	if repeated {
		err = &models.InvalidError{Field: "message", Message: "Send one message at a time."}
	}
	replyTo, badReply := replyField(c)
	if badReply != nil {
		err = badReply
	}
	if tooFast := h.allowMessage(c); tooFast != nil {
		err = tooFast
	}
	if until, muteErr := h.mutedUntil(c.Request.Context(), currentUser(c).ID, room); muteErr != nil {
		h.fail(c, muteErr)
		return
	} else if !until.IsZero() {
		err = mutedError(until)
	}
	var files []models.Attachment
	if err == nil && len(uploads) > 0 {
		if err = h.allowUpload(c); err == nil {
			files, err = h.vetFiles(c, uploads)
		}
	}
	if err != nil {
		draft := strings.ToValidUTF8(raw, "\uFFFD")
		if len(draft) > 4*models.MaxMessage {
			draft = ""
		}
		status, msg := h.formError(c, err)
		h.rejectMessage(c, status, room, draft, msg)
		return
	}
	start := time.Now()
	u := currentUser(c)
	m := &models.Message{RoomID: room.ID, UserID: u.ID, Content: text, CreatedAt: time.Now().UTC(), User: u, ReplyToID: replyTo, Attachments: files}
	if err := h.writer.PostFiles(c.Request.Context(), m, h.cfg.UploadQuota); err != nil {
		if replyGone(err) || errors.Is(err, models.ErrTooLarge) {
			status, msg := h.formError(c, err)
			h.rejectMessage(c, status, room, text, msg)
			return
		}
		h.fail(c, err)
		return
	}
	h.metrics.posted.Inc()
	h.metrics.postDuration.Observe(time.Since(start).Seconds())
	if isHTMX(c) {
		h.render(c, http.StatusOK, views.MessageForm(room.Name, "", ""), nil)
		return
	}
	c.Redirect(http.StatusSeeOther, views.RoomURL(room.Name))
}

func (h *Handler) rejectMessage(c *gin.Context, status int, room *models.Room, draft, msg string) {
	if isHTMX(c) {
		h.render(c, status, views.MessageForm(room.Name, draft, msg), nil)
		return
	}
	h.renderRoom(c, status, room, draft, msg)
}
