package handlers_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
)

// testApp is the whole app on a real HTTP server and a real SQLite file.
type testApp struct {
	t     *testing.T
	srv   *httptest.Server
	app   *handlers.App
	store *models.Store
	hub   *realtime.Hub
}

// appOption changes how one test's app is built.
type appOption func(*handlers.AppConfig)

// smallSendBuffers makes the test server's sockets buffer little, as on a
// congested network, so a client that stops reading is felt quickly.
type smallSendBuffers struct{ net.Listener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}

func withLeaveGrace(d time.Duration) appOption {
	return func(c *handlers.AppConfig) { c.Hub.LeaveGrace = d }
}

// withQueueSize bounds each stream's queue at exactly n events: no backlog.
func withQueueSize(n int) appOption {
	return func(c *handlers.AppConfig) { c.Hub.QueueSize, c.Hub.Backlog = n, -1 }
}

func newApp(t *testing.T, opts ...appOption) *testApp {
	t.Helper()
	store := openStore(t, filepath.Join(t.TempDir(), "test.db"))
	return startApp(t, store, opts...)
}

func openStore(t *testing.T, path string) *models.Store {
	t.Helper()
	path = storeDSN(t, path) // PostgreSQL with MINIDISCORD_TEST_DB=postgres (services_test.go)
	store, err := models.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// startApp serves store with the app as handlers.NewApp builds it, with
// presence changes gathered for 10 ms instead of 100.
func startApp(t *testing.T, store *models.Store, opts ...appOption) *testApp {
	t.Helper()
	cfg := handlers.AppConfig{
		Store:   store,
		Hub:     realtime.Options{Coalesce: 10 * time.Millisecond},
		Handler: handlers.Config{SessionKey: []byte(strings.Repeat("k", 32)), PasswordCost: 4},
		Log:     discardLogger(),
	}
	for _, o := range opts {
		o(&cfg)
	}
	app, err := handlers.NewApp(t.Context(), cfg)
	if err != nil {
		t.Fatalf("build the app: %v", err)
	}
	srv := httptest.NewUnstartedServer(app.Routes())
	srv.Listener = smallSendBuffers{srv.Listener}
	srv.Config.RegisterOnShutdown(app.Hub.Close)
	srv.Start()
	a := &testApp{t: t, srv: srv, app: app, store: store, hub: app.Hub}
	t.Cleanup(a.stop)
	return a
}

func (a *testApp) stop() {
	a.hub.Close()
	a.srv.Close()
	a.app.Close()
}

// client is a browser without JavaScript: it keeps cookies and shows us
// redirects instead of following them. Its connections are this server's
// own (srv.Client's transport): in the shared default pool, a connection
// left by an earlier test's server whose port this one got again could be
// picked for a POST and answer EOF.
func (a *testApp) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Transport:     a.srv.Client().Transport,
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// user signs up and logs in a new user through the forms and returns their
// client.
func (a *testApp) user(name string) *http.Client {
	a.t.Helper()
	c := a.client()
	pw := "correct horse " + name
	resp := a.postForm(c, "/user/signup/", url.Values{"username": {name}, "password1": {pw}, "password2": {pw}}, false)
	if resp.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("signup %s: status %d: %s", name, resp.StatusCode, readBody(resp))
	}
	resp = a.postForm(c, "/accounts/login/", url.Values{"username": {name}, "password": {pw}}, false)
	if resp.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("login %s: status %d: %s", name, resp.StatusCode, readBody(resp))
	}
	return c
}

func (a *testApp) postForm(c *http.Client, path string, form url.Values, htmx bool) *http.Response {
	a.t.Helper()
	return a.postRaw(c, path, form.Encode(), htmx)
}

func (a *testApp) postRaw(c *http.Client, path, body string, htmx bool) *http.Response {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatalf("POST %s: %v", path, err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (a *testApp) get(c *http.Client, path string) *http.Response {
	a.t.Helper()
	resp, err := c.Get(a.srv.URL + path)
	if err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// page GETs path, expects 200 and parses the HTML.
func (a *testApp) page(c *http.Client, path string) *goquery.Document {
	a.t.Helper()
	resp := a.get(c, path)
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("GET %s: status %d: %s", path, resp.StatusCode, readBody(resp))
	}
	return parse(a.t, resp)
}

func parse(t *testing.T, resp *http.Response) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

func readBody(resp *http.Response) string {
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// countMessages counts what is stored in a room (0 if it does not exist).
func (a *testApp) countMessages(room string) int {
	a.t.Helper()
	r, err := a.store.RoomByName(context.Background(), room)
	if err != nil {
		return 0
	}
	n, err := a.store.CountMessages(context.Background(), r.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return n
}

// sseEvent is one parsed server-sent event.
type sseEvent struct {
	Name, ID, Data string
}

// stream is an open SSE connection read by a goroutine.
type stream struct {
	t      *testing.T
	resp   *http.Response
	cancel context.CancelFunc
	events chan sseEvent
	retry  chan string
}

// openStream opens room's event stream; query is added to the URL and
// lastEventID, if set, sent as the Last-Event-ID header.
func (a *testApp) openStream(c *http.Client, room, query, lastEventID string) *stream {
	a.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	u := a.srv.URL + "/chat/" + url.PathEscape(room) + "/events"
	if query != "" {
		u += "?" + query
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	req.Header.Set("Accept", "text/event-stream")
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	sc := *c
	sc.Timeout = 0
	resp, err := sc.Do(req)
	if err != nil {
		cancel()
		a.t.Fatalf("open stream: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		cancel()
		a.t.Fatalf("open stream: status %d: %s", resp.StatusCode, readBody(resp))
	}
	s := &stream{t: a.t, resp: resp, cancel: cancel, events: make(chan sseEvent, 1024), retry: make(chan string, 16)}
	go s.read()
	a.t.Cleanup(s.close)
	return s
}

func (s *stream) read() {
	defer close(s.events)
	br := bufio.NewReader(s.resp.Body)
	var ev sseEvent
	var data []string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if ev.Name != "" || len(data) > 0 {
				ev.Data = strings.Join(data, "\n")
				s.events <- ev
			}
			ev, data = sseEvent{}, nil
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "retry: "):
			select {
			case s.retry <- strings.TrimPrefix(line, "retry: "):
			default:
			}
		case strings.HasPrefix(line, "id: "):
			ev.ID = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "event: "):
			ev.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = append(data, strings.TrimPrefix(line, "data: "))
		default:
			ev.Name = "!unexpected line: " + line
		}
	}
}

func (s *stream) close() {
	s.cancel()
	s.resp.Body.Close()
}

// next waits for the next event named name, skipping others.
func (s *stream) next(name string) sseEvent {
	s.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				s.t.Fatalf("stream ended while waiting for a %q event", name)
			}
			if strings.HasPrefix(ev.Name, "!") {
				s.t.Fatalf("bad stream: %s", ev.Name)
			}
			if ev.Name == name {
				return ev
			}
		case <-deadline:
			s.t.Fatalf("no %q event within 5s", name)
		}
	}
}

// messages reads n message events and returns their ids.
func (s *stream) messages(n int) []int64 {
	s.t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ev := s.next("message")
		id, err := strconv.ParseInt(ev.ID, 10, 64)
		if err != nil {
			s.t.Fatalf("message event without a numeric id: %+v", ev)
		}
		ids[i] = id
	}
	return ids
}

// quiet asserts no event named name arrives within d.
func (s *stream) quiet(name string, d time.Duration) {
	s.t.Helper()
	deadline := time.After(d)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				return
			}
			if ev.Name == name {
				s.t.Fatalf("unexpected %q event: %s", name, ev.Data)
			}
		case <-deadline:
			return
		}
	}
}

// fragment parses an event's HTML data.
func fragment(t *testing.T, data string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// createRoom makes a room as a person would, with the create-or-join form,
// and returns its page. Tests make rooms this way rather than by visiting
// them, so that how a room comes to be can change in one place.
func (a *testApp) createRoom(c *http.Client, name string) *http.Response {
	a.t.Helper()
	resp := a.postForm(c, "/chat/", url.Values{"room": {name}}, false)
	if want := "/chat/" + url.PathEscape(name) + "/"; resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		a.t.Fatalf("create room %s: status %d to %q, want 303 to %s", name, resp.StatusCode, resp.Header.Get("Location"), want)
	}
	resp = a.get(c, resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("create room %s: the room page answers %d", name, resp.StatusCode)
	}
	return resp
}
