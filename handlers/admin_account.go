package handlers

import (
	"crypto/rand"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/views"
)

var errSelf = &models.InvalidError{Field: "user", Message: "Staff cannot do this to their own account here: use Settings."}

// adminUser is the user a staff action names in the path (/admin/users/:id/...).
func (h *Handler) adminUser(c *gin.Context) (*models.User, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, &models.NotFoundError{What: "user"}
	}
	u, err := h.store.UserByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if u.ID == currentUser(c).ID {
		return nil, errSelf
	}
	return u, nil
}

// setUserActive deactivates (active=0) or reactivates (active=1) a user.
// Deactivating ends every session of theirs and closes every stream they
// hold, on every instance; their pages say they were logged out.
func (h *Handler) setUserActive(c *gin.Context) {
	if err := h.allowAccount(c); err != nil {
		h.fail(c, err)
		return
	}
	u, err := h.adminUser(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	active := c.PostForm("active") == "1"
	if c.PostForm("active") != "0" && !active {
		h.fail(c, &models.InvalidError{Field: "active", Message: "Say active=1 to reactivate or active=0 to deactivate."})
		return
	}
	if err := h.store.SetActive(c.Request.Context(), u.ID, active); err != nil {
		h.fail(c, err)
		return
	}
	if active {
		h.audit(c, "reactivate", nil, u.ID, "")
		h.leaveNote(c, noteAdmin, u.Username+" is active again and can log in.")
	} else {
		h.hub.End(realtime.Ending{User: u.ID})
		h.audit(c, "deactivate", nil, u.ID, "")
		h.leaveNote(c, noteAdmin, u.Username+" is deactivated: logged out everywhere, and cannot log in.")
	}
	c.Redirect(http.StatusSeeOther, "/admin/")
}

// setOneTimePassword gives a user who forgot their password a new one, shown
// to staff this once. The user's sessions end, and at their next login they
// must choose their own (passwordFirst).
func (h *Handler) setOneTimePassword(c *gin.Context) {
	if err := h.allowAccount(c); err != nil {
		h.fail(c, err)
		return
	}
	u, err := h.adminUser(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	password := oneTimePassword()
	hash, err := models.HashPassword(password, h.cfg.PasswordCost)
	if err != nil {
		h.fail(c, err)
		return
	}
	if _, err := h.store.SetOneTimePassword(c.Request.Context(), u.ID, hash); err != nil {
		h.fail(c, err)
		return
	}
	h.hub.End(realtime.Ending{User: u.ID})
	h.audit(c, "set one-time password", nil, u.ID, "")
	c.Header("Cache-Control", "no-store")
	h.render(c, http.StatusOK, views.AdminOneTimePasswordPage(h.page(c, "One-time password"), u.Username, password), nil)
}

// oneTimePassword is 16 letters and digits easy to read out (no 0/O, 1/l),
// about 80 bits.
func oneTimePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 16)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12]) + "-" + string(b[12:])
}
