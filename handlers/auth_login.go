package handlers

import (
	"net/http"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

func (h *Handler) showLogin(c *gin.Context) {
	form := views.LoginForm{Next: safeNext(c.Query("next")), Ended: c.Query("ended") == "1"}
	if name := h.takeNote(c, noteAccountCreated); name != "" {
		form.Username, form.Created = name, true
	}
	h.render(c, http.StatusOK, views.LoginPage(h.page(c, "Log in"), form), nil)
}

func (h *Handler) login(c *gin.Context) {
	username, rep1 := field(c, "username")
	password, rep2 := field(c, "password")
	next, _ := field(c, "next")
	form := views.LoginForm{Username: username, Next: safeNext(next)}
	nameErr := models.ValidateUsername(username)
	if nameErr != nil {
		form.Username = ""
	}
	refuse := func(status int, msg string) {
		form.Error = msg
		h.render(c, status, views.LoginPage(h.page(c, "Log in"), form), nil)
	}
	switch {
	case rep1 || rep2:
		refuse(http.StatusBadRequest, "Each field may be sent only once.")
		return
	case username == "" || password == "":
		refuse(http.StatusBadRequest, "Enter both your username and your password.")
		return
	}
	if err := h.allowLogin(c, username); err != nil {
		refuse(h.formError(c, err))
		return
	}
	u, problem, err := h.checkLogin(c.Request.Context(), username, password)
	if err != nil {
		h.fail(c, err)
		return
	}
	if problem != "" {
		refuse(http.StatusBadRequest, problem)
		return
	}

	// A fresh token on every login: a cookie planted before login is worth
	// nothing after it (no session fixation).
	sess := sessions.Default(c)
	if old := currentToken(c); old != "" {
		_ = h.store.DeleteSession(c.Request.Context(), old)
		h.hub.CloseSession(models.SessionID(old))
	}
	token, err := h.store.CreateSessionFrom(c.Request.Context(), u.ID, h.cfg.SessionTTL, c.Request.UserAgent())
	if err != nil {
		h.fail(c, err)
		return
	}
	sess.Clear()
	sess.Set(sessionToken, token)
	if err := sess.Save(); err != nil {
		h.fail(c, err)
		return
	}
	if u.LoginNotice != "" {
		h.showLoginNotice(c, u, form.Next)
		return
	}
	c.Redirect(http.StatusSeeOther, form.Next)
}

func (h *Handler) logout(c *gin.Context) {
	if token := currentToken(c); token != "" {
		if err := h.store.DeleteSession(c.Request.Context(), token); err != nil {
			h.fail(c, err)
			return
		}
		h.hub.CloseSession(models.SessionID(token))
	}
	sess := sessions.Default(c)
	sess.Clear()
	sess.Options(h.expiredCookie())
	_ = sess.Save()
	c.Redirect(http.StatusSeeOther, "/")
}

// expiredCookie are the options that delete the session cookie, with the same
// flags it was set with.
func (h *Handler) expiredCookie() sessions.Options {
	return sessions.Options{Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode}
}
