package handlers_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/models"
)

// fuzzServer is the whole app on a real server for a fuzz target, with a
// logged-in user in room "general". (The test harness takes a *testing.T;
// a fuzz target sets up with a *testing.F.)
type fuzzServer struct {
	srv    *httptest.Server
	store  *models.Store
	client *http.Client
	room   *models.Room
}

func newFuzzServer(f *testing.F) *fuzzServer {
	f.Helper()
	ctx := context.Background()
	store, err := models.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	app, err := handlers.NewApp(ctx, handlers.AppConfig{
		Log:     discardLogger(),
		Store:   store,
		Handler: handlers.Config{SessionKey: []byte(strings.Repeat("k", 32)), PasswordCost: 4},
	})
	if err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer(app.Routes())
	f.Cleanup(func() { app.Hub.Close(); srv.Close(); app.Close(); store.Close() })

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: srv.Client().Transport, Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	pw := "correct horse fuzz"
	for _, step := range []struct{ path, body string }{
		{"/user/signup/", url.Values{"username": {"fuzz"}, "password1": {pw}, "password2": {pw}}.Encode()},
		{"/accounts/login/", url.Values{"username": {"fuzz"}, "password": {pw}}.Encode()},
	} {
		resp, err := c.Post(srv.URL+step.path, "application/x-www-form-urlencoded", strings.NewReader(step.body))
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			f.Fatalf("%s: %v %v", step.path, resp, err)
		}
		resp.Body.Close()
	}
	room, err := store.GetOrCreateRoom(ctx, "general")
	if err != nil {
		f.Fatal(err)
	}
	return &fuzzServer{srv: srv, store: store, client: c, room: room}
}

func (s *fuzzServer) post(t *testing.T, path, body string, htmx bool) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("POST %s %.80q: %v", path, body, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// FuzzPostMessage posts arbitrary bodies to the message form: the answer is
// never a 5xx, a success stores exactly one message holding exactly the
// cleaned text, and a refusal stores nothing.
func FuzzPostMessage(f *testing.F) {
	for _, s := range []string{
		"message=hello", "message=", "message=%00", "message=%ff", "message=a&message=b", "message=%zz",
		"message=" + url.QueryEscape("<script>alert(1)</script>"), "message=" + url.QueryEscape("a\r\n\r\nevent: x\rid: 9"),
		"message=+%20padded%20+", "other=1", "message=a;b", "", "&&&", "message=" + strings.Repeat("é", 513),
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	s := newFuzzServer(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, body string, htmx bool) {
		before, err := s.store.CountMessages(ctx, s.room.ID)
		if err != nil {
			t.Fatal(err)
		}
		status := s.post(t, "/chat/general/messages", body, htmx)
		if status >= 500 {
			t.Fatalf("body %q: status %d", body, status)
		}
		after, err := s.store.CountMessages(ctx, s.room.ID)
		if err != nil {
			t.Fatal(err)
		}
		if status >= 400 {
			if after != before {
				t.Fatalf("body %q refused with %d but %d messages stored", body, status, after-before)
			}
			return
		}
		if after != before+1 {
			t.Fatalf("body %q: status %d and %d messages stored", body, status, after-before)
		}
		vals, err := url.ParseQuery(body)
		if err != nil || len(vals["message"]) != 1 {
			t.Fatalf("body %q accepted (status %d), but it is not a form with one message: %v", body, status, err)
		}
		want, err := models.CleanMessage(vals["message"][0])
		if err != nil {
			t.Fatalf("body %q accepted though the text is refused: %v", body, err)
		}
		latest, err := s.store.LatestMessages(ctx, s.room.ID, 1)
		if err != nil || len(latest) != 1 {
			t.Fatal(latest, err)
		}
		if latest[0].Content != want {
			t.Fatalf("body %q stored %q, want %q", body, latest[0].Content, want)
		}
	})
}

// FuzzCreateRoom posts arbitrary bodies to the create-or-join form: never a
// 5xx, and a success means a room with exactly the valid name asked for,
// once cleaned ("#a b" is a-b).
func FuzzCreateRoom(f *testing.F) {
	for _, s := range []string{"room=lobby", "room=", "room=two+words", "room=%23general", "room=+%23+", "room=%ff", "room=a&room=b", "room=..", "room=%2e%2e%2fadmin", "room=" + strings.Repeat("r", 101), "room=caf%C3%A9"} {
		f.Add(s, false)
	}
	s := newFuzzServer(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, body string, htmx bool) {
		status := s.post(t, "/chat/", body, htmx)
		if status >= 500 {
			t.Fatalf("body %q: status %d", body, status)
		}
		if status >= 400 {
			return
		}
		vals, err := url.ParseQuery(body)
		if err != nil || len(vals["room"]) != 1 {
			t.Fatalf("body %q accepted (status %d) without one room name", body, status)
		}
		name := models.CleanRoomName(vals["room"][0])
		if err := models.ValidateRoomName(name); err != nil {
			t.Fatalf("room %q accepted: %v", name, err)
		}
		if _, err := s.store.RoomByName(ctx, name); err != nil {
			t.Fatalf("room %q accepted but not there: %v", name, err)
		}
	})
}
