package handlers

import (
	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"
)

// Notes go with a redirect to the page after it, in the session cookie
// (a flash), so they work without JavaScript and show once.
const (
	noteAccountCreated = "account-created" // the new username, for the login form
	noteRoomName       = "room-name"       // what a typed room name became
)

// leaveNote keeps value for the next page that takes key.
func (h *Handler) leaveNote(c *gin.Context, key, value string) {
	sess := sessions.Default(c)
	sess.AddFlash(value, key)
	if err := sess.Save(); err != nil {
		h.log.Warn("keep a note for the next page", "note", key, "err", err)
	}
}

// takeNote returns the note left under key, or "", and forgets it.
func (h *Handler) takeNote(c *gin.Context, key string) string {
	sess := sessions.Default(c)
	if sess.Get(key) == nil { // no flash: nothing to save
		return ""
	}
	var note string
	for _, v := range sess.Flashes(key) {
		if s, ok := v.(string); ok {
			note = s
		}
	}
	if err := sess.Save(); err != nil {
		h.log.Warn("forget a note", "note", key, "err", err)
	}
	return note
}
