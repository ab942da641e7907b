package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

const (
	sessionCookie = "minidiscord_session"
	sessionToken  = "token"
	ctxUser       = "user"
	ctxToken      = "token"
	maxBody       = 64 << 10
	writeTimeout  = 30 * time.Second
)

// logRequests logs one line per request; a stream logs once, when it ends.
func (h *Handler) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	status := c.Writer.Status()
	attrs := []any{"method", c.Request.Method, "path", c.Request.URL.Path, "status", status, "dur", time.Since(start).Round(time.Microsecond)}
	if u := currentUser(c); u != nil {
		attrs = append(attrs, "user", u.Username)
	}
	if status >= 500 {
		h.log.Error("request", attrs...)
	} else {
		h.log.Info("request", attrs...)
	}
}

// boundWrites gives every response writeTimeout to be written: the server
// has no WriteTimeout, so that streams can stay open, and a stream lifts
// this bound for itself (streamRoomEvents).
func (h *Handler) boundWrites(c *gin.Context) {
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(writeTimeout))
	c.Next()
}

// recoverPanics turns a panic into a logged 500 page instead of a dropped
// connection.
func (h *Handler) recoverPanics(c *gin.Context) {
	defer func() {
		if rec := recover(); rec != nil {
			if err, ok := rec.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(rec)
			}
			err := fmt.Errorf("panic: %v", rec)
			if c.Writer.Written() {
				h.log.Error("request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
				c.Abort()
				return
			}
			h.fail(c, err)
		}
	}()
	c.Next()
}

// limitBody refuses bodies over 64 KiB with a 413 instead of reading them.
func (h *Handler) limitBody(c *gin.Context) {
	if c.Request.ContentLength > maxBody {
		h.fail(c, errTooLarge)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.fail(c, errTooLarge)
			return
		}
		h.fail(c, errBadForm)
		return
	}
	c.Next()
}

// loadUser finds the logged-in user from the session cookie, if any.
func (h *Handler) loadUser(c *gin.Context) {
	sess := sessions.Default(c)
	token, _ := sess.Get(sessionToken).(string)
	if token == "" {
		c.Next()
		return
	}
	u, err := h.store.SessionUser(c.Request.Context(), token)
	switch {
	case errors.Is(err, models.ErrNotFound):
		// Logged out or expired elsewhere: forget the stale cookie.
		sess.Clear()
		sess.Options(h.expiredCookie())
		_ = sess.Save()
	case err != nil:
		h.fail(c, err)
		return
	default:
		c.Set(ctxUser, u)
		c.Set(ctxToken, token)
	}
	c.Next()
}

func currentUser(c *gin.Context) *models.User {
	u, _ := c.Get(ctxUser)
	user, _ := u.(*models.User)
	return user
}

func currentToken(c *gin.Context) string { return c.GetString(ctxToken) }

func viewer(c *gin.Context) views.Viewer {
	u := currentUser(c)
	if u == nil {
		return views.Viewer{}
	}
	return views.Viewer{UserID: u.ID, Name: u.Username, IsStaff: u.IsStaff, LoggedIn: true}
}

// requireUser sends anonymous visitors of a page to the login page.
func (h *Handler) requireUser(c *gin.Context) {
	if currentUser(c) != nil {
		c.Next()
		return
	}
	next := c.Request.URL.RequestURI()
	if c.Request.Method != http.MethodGet {
		next = c.Request.URL.Path
	}
	if isHTMX(c) {
		c.Header("HX-Redirect", "/accounts/login/?next="+url.QueryEscape(next))
		h.fail(c, errLogIn)
		return
	}
	c.Redirect(http.StatusSeeOther, "/accounts/login/?next="+url.QueryEscape(next))
	c.Abort()
}

// requireUserAPI answers 401 to anonymous posts and streams.
func (h *Handler) requireUserAPI(c *gin.Context) {
	if currentUser(c) != nil {
		c.Next()
		return
	}
	h.fail(c, errLogIn)
}

// requireStaff answers 403 to users who are not staff.
func (h *Handler) requireStaff(c *gin.Context) {
	if u := currentUser(c); u != nil && u.IsStaff {
		c.Next()
		return
	}
	h.fail(c, errStaffOnly)
}

// afterLogin is where a login without a ?next= lands: the rooms.
const afterLogin = "/chat/"

// safeNext keeps a ?next= target on this site; without one, or with one
// elsewhere, a login lands on the rooms.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return afterLogin
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return afterLogin
	}
	if strings.ContainsAny(next, "\r\n\x00") {
		return afterLogin
	}
	return next
}
