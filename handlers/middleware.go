package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path"
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

// logRequests logs one line per request; a stream logs once, when it ends
// (one served off net/http logs itself: detachedStream.write).
func (h *Handler) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	if c.GetBool(ctxDetached) {
		return
	}
	method := c.Request.Method
	if isHead(c.Request) {
		method = http.MethodHead
	}
	user := ""
	if u := currentUser(c); u != nil {
		user = u.Username
	}
	h.logRequest(method, c.Request.URL.Path, c.Writer.Status(), time.Since(start), user)
}

func (h *Handler) logRequest(method, path string, status int, dur time.Duration, user string) {
	attrs := []any{"method", method, "path", path, "status", status, "dur", dur.Round(time.Microsecond)}
	if user != "" {
		attrs = append(attrs, "user", user)
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
		if errors.Is(err, os.ErrDeadlineExceeded) {
			// Trickled past boundReads' deadline; the connection is closed
			// after this answer.
			h.fail(c, errSlowBody)
			return
		}
		h.fail(c, errBadForm)
		return
	}
	bodyRead(c.Writer)
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
		// For the user's list of sessions; a write at most once a minute.
		if err := h.store.SeenSession(c.Request.Context(), token, u.SessionSeen); err != nil {
			h.log.Warn("note a session seen", "err", err)
		}
	}
	c.Next()
}

// passwordFirst keeps a user whose password staff set (a one-time password)
// on the form that replaces it: every other page sends them there, and
// everything else is refused, until they have chosen their own.
func (h *Handler) passwordFirst(c *gin.Context) {
	u := currentUser(c)
	if u == nil || !u.MustChangePassword {
		c.Next()
		return
	}
	p := c.Request.URL.Path
	if p == changePasswordPath || p == "/accounts/logout/" || p == "/favicon.ico" || p == "/healthz" || strings.HasPrefix(p, "/static/") {
		c.Next()
		return
	}
	if (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) && !isHTMX(c) && !strings.HasSuffix(p, "/events") {
		c.Redirect(http.StatusSeeOther, changePasswordPath)
		c.Abort()
		return
	}
	if isHTMX(c) {
		c.Header("HX-Redirect", changePasswordPath)
	}
	h.fail(c, errChangePassword)
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
	return views.Viewer{UserID: u.ID, Name: u.Username, IsStaff: u.IsStaff, LoggedIn: true, Avatar: u.Avatar()}
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

// afterLogin is where a login without a ?next= (or with one elsewhere)
// lands: the rooms.
const afterLogin = "/chat/"

// safeNext keeps a ?next= target on this site. It checks the value the
// redirect will send: http.Redirect cleans the path ("/../\\x" becomes
// "/\\x", which browsers read as "//x"), so the path is cleaned here the
// same way first, and that is what is checked and returned. Backslashes and
// control characters are refused anywhere: browsers treat "\\" as "/" and
// drop tabs and newlines from addresses.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsFunc(next, func(r rune) bool {
		return r == '\\' || r < 0x20 || r == 0x7f
	}) {
		return afterLogin
	}
	p, query, _ := strings.Cut(next, "?")
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && !strings.HasSuffix(clean, "/") {
		clean += "/"
	}
	if query != "" || strings.HasSuffix(next, "?") {
		clean += "?" + query
	}
	if strings.HasPrefix(clean, "//") {
		return afterLogin
	}
	if u, err := url.Parse(clean); err != nil || u.Host != "" || u.Scheme != "" || u.Opaque != "" {
		return afterLogin
	}
	return clean
}
