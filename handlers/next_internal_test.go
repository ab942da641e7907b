package handlers

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// escapeNonASCII is what http.Redirect does to a Location's bytes above
// 0x7f, and all it may change after the check.
func escapeNonASCII(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			fmt.Fprintf(&b, "%%%02x", s[i])
		} else {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// FuzzSafeNext checks the Location a login sends for any ?next=: it is the
// value safeNext returned (nothing is changed after the check), it stays on
// this site for a browser (no scheme, no host, no "//" or "/\" start, no
// backslash or control character that a browser would turn into one), and
// checking it again changes nothing.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{
		"/", "/chat/general/", "/chat/?q=1", "//evil.example", "/\\evil.example", "\\/evil.example",
		"https://evil.example/", "javascript:alert(1)", "/\t/evil.example", "/\r\nSet-Cookie: x=1",
		// Cleaned by the redirect into /\evil.example/phish (issue 10).
		"/../\\evil.example/phish", "/./\\evil.example/phish", "/a/../\\evil.example/phish",
		"/x#/../../\\evil.example", "/a/..//evil.example", "/./", "/..", "/chat/../admin/?x=/../\\y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		rec := httptest.NewRecorder()
		http.Redirect(rec, httptest.NewRequest(http.MethodPost, "/accounts/login/", nil), got, http.StatusSeeOther)
		loc := rec.Header().Get("Location")
		if loc != escapeNonASCII(got) {
			t.Fatalf("next %q: checked %q but the redirect sends %q", next, got, loc)
		}
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
			t.Fatalf("next %q: Location %q does not start with one slash", next, loc)
		}
		if strings.ContainsFunc(loc, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
			t.Fatalf("next %q: Location %q holds a backslash or control character", next, loc)
		}
		u, err := url.Parse(loc)
		if err != nil || u.Scheme != "" || u.Host != "" {
			t.Fatalf("next %q: Location %q leaves the site (%v)", next, loc, err)
		}
		if again := safeNext(got); again != got {
			t.Fatalf("next %q: safeNext(%q) = %q, not stable", next, got, again)
		}
	})
}

// TestPanicBecomesALogged500: a handler that panics answers the error page
// (a 500 that tells nothing of the cause) and is logged with it, instead of
// dropping the connection.
func TestPanicBecomesALogged500(t *testing.T) {
	var logs logBuffer
	h := &Handler{log: slog.New(slog.NewTextHandler(&logs, nil))}
	r := gin.New()
	r.Use(h.recoverPanics)
	r.GET("/x", func(*gin.Context) { panic("nil map in a handler") })
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	checkFailure(t, rec, true, http.StatusInternalServerError, errInternal)
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "nil map in a handler") {
		t.Errorf("the panic was not logged with its cause: %q", logs.String())
	}
}

// TestBodyDeadlineSparesSlowHandlers: the body's read deadline (boundReads)
// must not cancel a request whose handler simply takes longer than it:
// net/http reads the connection under that deadline while the handler
// runs, and a deadline passing there would cancel the request (an open
// stream, a page slowed by a busy database). Without a body there is none;
// with a form, it is lifted once the form is read.
func TestBodyDeadlineSparesSlowHandlers(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	const timeout = 100 * time.Millisecond
	h := &Handler{log: slog.New(slog.NewTextHandler(io.Discard, nil)), cfg: Config{ReadTimeout: timeout}}
	r := gin.New()
	slow := func(c *gin.Context) {
		select {
		case <-c.Request.Context().Done():
			c.String(http.StatusServiceUnavailable, "cancelled")
		case <-time.After(4 * timeout):
			c.String(http.StatusOK, "done")
		}
	}
	r.GET("/slow", slow)
	r.POST("/slow", h.limitBody, slow)
	srv := httptest.NewServer(h.boundReads(r))
	defer srv.Close()
	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodGet, srv.URL+"/slow", nil),
		httptest.NewRequest(http.MethodPost, srv.URL+"/slow", strings.NewReader("a=1")),
	} {
		req.RequestURI = ""
		if req.Method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "done" {
			t.Errorf("%s: %d %q, want the slow handler to finish", req.Method, resp.StatusCode, body)
		}
	}
}
