package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/views"
)

// logBuffer is a log sink safe to read while handlers write it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestFailMapsEveryError: whatever fails, the user gets the status that
// says what kind of failure it was and words for it: the error page for a
// plain request, the bare words for htmx (which swaps them in) and for a
// stream. Only what nobody expected (the 500) is logged, with its cause.
func TestFailMapsEveryError(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	cause := errors.New("disk on fire")
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		words      string
		retryAfter string
	}{
		{"not found", fmt.Errorf("show room: %w", &models.NotFoundError{What: "room", Name: "nowhere"}), 404, "There is no room called nowhere.", ""},
		{"gone by id", &models.NotFoundError{What: "room", ID: 7}, 404, "That room does not exist any more.", ""},
		{"message gone", &models.NotFoundError{What: "message", ID: 7}, 404, "That message does not exist any more.", ""},
		{"invalid", models.ValidateRoomName("two words"), 400, "Room names may contain only letters, digits, _ and -.", ""},
		{"several problems", models.ValidatePassword("1234567", "x"), 400, "This password is too short. It must contain at least 8 characters. This password is too common. This password is entirely numeric.", ""},
		{"taken", fmt.Errorf("signup: %w", &models.TakenError{Field: "username", Message: "A user with that username already exists."}), 409, "A user with that username already exists.", ""},
		{"too many requests", &rateLimitError{Reason: "You are sending messages too fast.", RetryAfter: 1500 * time.Millisecond}, 429, "You are sending messages too fast. Try again in 2 seconds.", "2"},
		{"writer closed", fmt.Errorf("post: %w", models.ErrWriterClosed), 503, "The server is restarting; send it again in a moment.", ""},
		{"hub closed", realtime.ErrClosed, 503, "The server is restarting; reconnect in a moment.", ""},
		{"anything else", fmt.Errorf("models: list rooms: %w", cause), 500, "Something went wrong on our side. Please try again.", ""},
	} {
		for _, kind := range []string{"plain", "htmx", "stream"} {
			t.Run(tc.name+"/"+kind, func(t *testing.T) {
				var logs logBuffer
				h := &Handler{log: slog.New(slog.NewTextHandler(&logs, nil))}
				r := gin.New()
				r.GET("/x", func(c *gin.Context) { h.fail(c, tc.err) })
				req := httptest.NewRequest(http.MethodGet, "/x", nil)
				switch kind {
				case "htmx":
					req.Header.Set("HX-Request", "true")
				case "stream":
					req.Header.Set("Accept", "text/event-stream")
				}
				rec := httptest.NewRecorder()
				r.ServeHTTP(rec, req)

				if rec.Code != tc.status {
					t.Errorf("status %d, want %d", rec.Code, tc.status)
				}
				if got := rec.Header().Get("Retry-After"); got != tc.retryAfter {
					t.Errorf("Retry-After %q, want %q", got, tc.retryAfter)
				}
				checkFailure(t, rec, kind == "plain", tc.status, tc.words)

				logged := logs.String()
				if tc.status == 500 {
					if !strings.Contains(logged, "level=ERROR") || !strings.Contains(logged, "disk on fire") {
						t.Errorf("a 500 not logged with its cause: %q", logged)
					}
				} else if logged != "" {
					t.Errorf("a %d was logged: %q", tc.status, logged)
				}
			})
		}
	}
}

// checkFailure reads a failure as the user sees it: the error page, titled
// with the status, or just the words.
func checkFailure(t *testing.T, rec *httptest.ResponseRecorder, page bool, status int, words string) {
	t.Helper()
	if !page {
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("Content-Type %q, want text/plain", ct)
		}
		if body := rec.Body.String(); body != words {
			t.Errorf("body %q, want %q", body, words)
		}
		return
	}
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Find("[data-testid=error-message]").Text(); got != words {
		t.Errorf("error page says %q, want %q", got, words)
	}
	if got := doc.Find("h1").Text(); got != http.StatusText(status) {
		t.Errorf("error page titled %q, want %q", got, http.StatusText(status))
	}
}

// TestCrossOriginRefusalRendersLikeFail: the refusal of a cross-site form,
// which happens before gin, looks like every other failure.
func TestCrossOriginRefusalRendersLikeFail(t *testing.T) {
	const words = "This form was sent from another site, so it was refused. Go back to Mini Discord and send it from there."
	h := &Handler{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, htmx := range []bool{false, true} {
		req := httptest.NewRequest(http.MethodPost, "/chat/", nil)
		if htmx {
			req.Header.Set("HX-Request", "true")
		}
		rec := httptest.NewRecorder()
		h.refuseCrossOrigin(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("htmx=%v: status %d, want 403", htmx, rec.Code)
		}
		checkFailure(t, rec, !htmx, http.StatusForbidden, words)
	}
}

// TestRenderFailureLeavesTheServerUp: a component that fails (or panics)
// while the writer goroutine publishes is logged and counted, that one
// event is not sent, and the next one is: the process is still serving.
func TestRenderFailureLeavesTheServerUp(t *testing.T) {
	var logs logBuffer
	app, err := NewApp(t.Context(), AppConfig{
		Log:     slog.New(slog.NewTextHandler(&logs, nil)),
		DB:      filepath.Join(t.TempDir(), "test.db"),
		Handler: Config{SessionKey: []byte(strings.Repeat("k", 32)), PasswordCost: 4},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	h, hub := app.Handler, app.Hub

	sub, err := hub.Subscribe(t.Context(), 1, realtime.Member{UserID: 1, Name: "alice"}, "s")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	failing := templ.ComponentFunc(func(context.Context, io.Writer) error { return errors.New("template bug") })
	panicking := templ.ComponentFunc(func(context.Context, io.Writer) error { panic("nil map") })
	good := views.Message(views.MessageView{ID: 3, AuthorID: 1, Author: "alice", Content: "still here", At: time.Now()})
	// On a goroutine with no recover, like the writer's: a panic that got
	// out would end the test binary.
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.publish(1, eventMessage, 1, 0, failing)
		h.publish(1, eventMessage, 2, 1, panicking)
		h.publish(1, eventMessage, 3, 2, good)
	}()
	<-done

	deadline := time.After(5 * time.Second)
	for got := false; !got; {
		select {
		case ev := <-sub.C():
			if ev.Name == eventPresence {
				continue // the online list every new stream gets first
			}
			if ev.ID != 3 || !strings.Contains(ev.Data, "still here") {
				t.Errorf("first message event %+v, want message 3", ev)
			}
			got = true
		case <-deadline:
			t.Fatal("the message after the failures was not published")
		}
	}

	rec := httptest.NewRecorder()
	h.metricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(rec.Body.String(), "minidiscord_render_errors_total 2") {
		t.Errorf("render errors not counted:\n%s", grepLines(rec.Body.String(), "render_errors"))
	}
	for _, w := range []string{"template bug", "panic: nil map", "id=1", "id=2"} {
		if !strings.Contains(logs.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, logs.String())
		}
	}
}

func grepLines(s, sub string) string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		if strings.Contains(line, sub) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
