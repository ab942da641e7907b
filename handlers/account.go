package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/views"
)

// The settings page and what its forms post to. /accounts/password/ and
// /accounts/sessions/ show the same page.
const (
	accountPath        = "/accounts/"
	changePasswordPath = "/accounts/password/"
	noteAccount        = "account" // what the last change on the settings page did
)

func (h *Handler) showAccount(c *gin.Context) {
	v := views.AccountView{Notice: h.takeNote(c, noteAccount)}
	h.renderAccount(c, http.StatusOK, v)
}

// renderAccount fills in what the settings page always shows.
func (h *Handler) renderAccount(c *gin.Context, status int, v views.AccountView) {
	u := currentUser(c)
	v.Username, v.MustChange = u.Username, u.MustChangePassword
	v.UserID, v.Avatar, v.MaxAvatar = u.ID, u.Avatar(), models.ByteSize(h.cfg.MaxFileSize)
	if v.Errors["display_name"] == nil {
		v.DisplayName = u.DisplayName
	}
	if !v.MustChange {
		list, err := h.store.UserSessions(c.Request.Context(), u.ID)
		if err != nil {
			h.fail(c, err)
			return
		}
		here := models.SessionID(currentToken(c))
		for _, s := range list {
			seen := s.LastSeenAt
			if seen.IsZero() {
				seen = s.CreatedAt
			}
			v.Sessions = append(v.Sessions, views.SessionView{ID: s.ID(), Device: device(s.UserAgent), Created: s.CreatedAt, LastSeen: seen, Current: s.ID() == here})
		}
	}
	h.render(c, status, views.AccountPage(h.page(c, "Settings"), v), nil)
}

// doneAccount goes back to the settings page, which says what was done.
func (h *Handler) doneAccount(c *gin.Context, note string) {
	h.leaveNote(c, noteAccount, note)
	c.Redirect(http.StatusSeeOther, accountPath)
}

func (h *Handler) setDisplayName(c *gin.Context) {
	u := currentUser(c)
	name, rep := field(c, "display_name")
	name = models.NormalizeDisplayName(name)
	errs := views.FieldErrors{}
	if rep {
		errs["__all__"] = append(errs["__all__"], "Each field may be sent only once.")
	}
	if err := h.allowAccount(c); err != nil {
		h.fail(c, err)
		return
	}
	addProblems(errs, "display_name", models.ValidateDisplayName(name))
	if len(errs) == 0 {
		err := h.store.SetDisplayName(c.Request.Context(), u.ID, name)
		var taken *models.TakenError
		switch {
		case errors.As(err, &taken):
			errs["display_name"] = append(errs["display_name"], taken.Message)
		case err != nil:
			h.fail(c, err)
			return
		case name == "":
			h.doneAccount(c, "Your display name is cleared: your username is shown.")
			return
		default:
			h.doneAccount(c, "Your display name is now “"+name+"”.")
			return
		}
	}
	if len(name) > models.MaxDisplayName*4 {
		name = ""
	}
	h.renderAccount(c, http.StatusBadRequest, views.AccountView{DisplayName: name, Errors: errs})
}

// changePassword is a user choosing a new password, the current one
// given. Their other sessions end, with their streams; this one stays.
func (h *Handler) changePassword(c *gin.Context) {
	u := currentUser(c)
	current, rep1 := field(c, "current")
	password1, rep2 := field(c, "password1")
	password2, rep3 := field(c, "password2")
	errs := views.FieldErrors{}
	refuse := func(status int) {
		h.renderAccount(c, status, views.AccountView{Errors: errs})
	}
	if rep1 || rep2 || rep3 {
		errs["__all__"] = append(errs["__all__"], "Each field may be sent only once.")
		refuse(http.StatusBadRequest)
		return
	}
	if current == "" {
		errs["current"] = append(errs["current"], "Enter your current password.")
		refuse(http.StatusBadRequest)
		return
	}
	// Checking the current password is a login attempt on the account.
	if err := h.allowPassword(c); err != nil {
		status, msg := h.formError(c, err)
		errs["__all__"] = append(errs["__all__"], msg)
		refuse(status)
		return
	}
	if ok, _ := models.VerifyPassword(u.PasswordHash, current); !ok {
		errs["current"] = append(errs["current"], "That is not your current password.")
		refuse(http.StatusBadRequest)
		return
	}
	switch {
	case password1 == "":
		errs["password1"] = append(errs["password1"], "This field is required.")
	case password1 != password2:
		errs["password2"] = append(errs["password2"], "The two password fields didn’t match.")
	case u.MustChangePassword && password1 == current:
		errs["password1"] = append(errs["password1"], "Choose a password of your own, not the one-time one.")
	default:
		addProblems(errs, "password1", models.ValidatePassword(password1, u.Username))
	}
	if len(errs) > 0 {
		refuse(http.StatusBadRequest)
		return
	}
	hash, err := models.HashPassword(password1, h.cfg.PasswordCost)
	if err != nil {
		h.fail(c, err)
		return
	}
	ended, err := h.store.ChangePassword(c.Request.Context(), u.ID, hash, currentToken(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.endSessions(ended)
	h.audit(c, "change password", nil, u.ID, "")
	note := "Your password is changed."
	switch len(ended) {
	case 0:
	case 1:
		note += " Your one other session was ended."
	default:
		note += " Your " + strconv.Itoa(len(ended)) + " other sessions were ended."
	}
	h.doneAccount(c, note)
}

// endSessions closes the streams of ended sessions, on every instance.
func (h *Handler) endSessions(ids []string) {
	for _, id := range ids {
		h.hub.End(realtime.Ending{Session: id})
	}
}

// endSession ends one of the user's sessions; ending this one logs out.
func (h *Handler) endSession(c *gin.Context) {
	u := currentUser(c)
	if err := h.allowAccount(c); err != nil {
		h.fail(c, err)
		return
	}
	id := c.Param("id")
	if id == models.SessionID(currentToken(c)) {
		h.logout(c)
		return
	}
	if err := h.store.EndUserSession(c.Request.Context(), u.ID, id); err != nil {
		h.fail(c, err)
		return
	}
	h.hub.End(realtime.Ending{Session: id})
	h.doneAccount(c, "That session is ended: it was logged out.")
}

// endOtherSessions ends every session of the user but this one.
func (h *Handler) endOtherSessions(c *gin.Context) {
	u := currentUser(c)
	if err := h.allowAccount(c); err != nil {
		h.fail(c, err)
		return
	}
	ended, err := h.store.EndOtherSessions(c.Request.Context(), u.ID, currentToken(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.endSessions(ended)
	h.doneAccount(c, "Every other session is ended ("+strconv.Itoa(len(ended))+").")
}
