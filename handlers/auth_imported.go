package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// Logins of accounts imported from the original Django app
// (minidiscord import-django): they keep Django's password hash until the
// first good login, may be known by their old name, may be inactive or
// have no usable password.

const (
	msgWrongLogin   = "Please enter a correct username and password. Note that the password is case-sensitive."
	msgNoPassword   = "This account has no password here yet. Please ask a staff member to set a new one for you."
	msgInactiveUser = "This account is inactive. Please ask a staff member if you think it should not be."
)

// checkLogin finds the account a login form names and checks its
// password. The name may be an imported account's old name (exact, as
// Django's were case-sensitive); it is tried first, then the account of
// that name here, so a name both mean logs in whichever the password fits.
// It returns the user, or the message to show.
func (h *Handler) checkLogin(ctx context.Context, username, password string) (*models.User, string, error) {
	var candidates []*models.User
	if u, err := h.store.UserByAlias(ctx, username); err == nil {
		candidates = append(candidates, u)
	} else if !errors.Is(err, models.ErrNotFound) {
		return nil, "", err
	}
	// No account can have an invalid name, and the database need not see
	// it (Bun inlines arguments, and a NUL byte breaks SQLite's parser).
	if models.ValidateUsername(username) == nil {
		u, err := h.store.UserByUsername(ctx, username)
		if err == nil && (len(candidates) == 0 || candidates[0].ID != u.ID) {
			candidates = append(candidates, u)
		} else if err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, "", err
		}
	}
	if len(candidates) == 0 {
		models.CheckPassword(h.dummyHash(), password) // as slow as a wrong password
		return nil, msgWrongLogin, nil
	}
	for _, u := range candidates {
		if !models.UsablePassword(u.PasswordHash) {
			continue
		}
		ok, rehash := models.VerifyPassword(u.PasswordHash, password)
		if !ok {
			continue
		}
		if u.Inactive {
			return nil, msgInactiveUser, nil
		}
		if rehash || u.LoginNotice != "" {
			// First good login: one UPDATE re-hashes with our scheme and
			// forgets the notice, which the caller shows this once.
			var hash string
			if rehash {
				var err error
				if hash, err = models.HashPassword(password, h.cfg.PasswordCost); err != nil {
					return nil, "", err
				}
			}
			if err := h.store.CompleteFirstLogin(ctx, u.ID, u.PasswordHash, hash); err != nil {
				return nil, "", err
			}
		}
		return u, "", nil
	}
	if !models.UsablePassword(candidates[0].PasswordHash) {
		return nil, msgNoPassword, nil
	}
	return nil, msgWrongLogin, nil
}

// showLoginNotice tells an imported account, once (checkLogin has
// forgotten the notice), why its name changed, then sends it on.
func (h *Handler) showLoginNotice(c *gin.Context, u *models.User, next string) {
	p := views.Page{Title: "Your new username", Viewer: views.Viewer{UserID: u.ID, Name: u.Username, IsStaff: u.IsStaff, LoggedIn: true}}
	h.render(c, http.StatusOK, views.LoginNoticePage(p, u.LoginNotice, next), nil)
}

// redirectRoomAlias sends the original's address of a renamed room,
// /chat/<old name>/, to the room's page here. The old name is only looked
// up, never shown, and the target is always a room page on this site.
// It reports whether it answered.
func (h *Handler) redirectRoomAlias(c *gin.Context, oldName string) bool {
	room, err := h.store.RoomByAlias(c.Request.Context(), oldName)
	if err != nil {
		if !errors.Is(err, models.ErrNotFound) {
			h.fail(c, err)
			return true
		}
		return false
	}
	c.Redirect(http.StatusMovedPermanently, views.RoomURL(room.Name))
	c.Abort()
	return true
}

// oldRoomAddress reads the room name out of a GET of /chat/<name>/ that no
// route matched.
func oldRoomAddress(c *gin.Context) (string, bool) {
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		return "", false
	}
	rest, ok := strings.CutPrefix(c.Request.URL.Path, "/chat/")
	if !ok {
		return "", false
	}
	name, ok := strings.CutSuffix(rest, "/")
	return name, ok && name != ""
}
