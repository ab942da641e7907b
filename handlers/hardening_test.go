package handlers_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
)

// TestHeadAnswersLikeGet: every address that answers GET answers HEAD with
// the same status and headers and no body (RFC 9110; health checkers use
// HEAD). HEAD on a room's stream checks the login and the room as the
// stream does, then ends at once without joining the online list: it is
// how a page asks why its stream was refused.
func TestHeadAnswersLikeGet(t *testing.T) {
	a := newApp(t)
	admin, alice := a.staff("admin"), a.user("alice")
	a.createRoom(alice, "general")
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"hello"}}, true)
	anon := a.client()
	for _, tc := range []struct {
		path   string
		client *http.Client
	}{
		{"/", anon}, {"/", alice}, {"/healthz", anon}, {"/chat/", anon}, {"/chat/", alice},
		{"/accounts/login/", anon}, {"/user/signup/", anon}, {"/chat/general/", alice}, {"/chat/general/", anon},
		{"/chat/general/messages?before=999", alice}, {"/admin/", admin}, {"/admin/", alice},
		{"/static/css/app.css", anon}, {"/nowhere", anon}, {"/chat/nowhere/events", alice},
		{"/chat/general/events", anon}, {"/accounts/logout/", alice},
	} {
		get := a.send(tc.client, http.MethodGet, tc.path, "", nil)
		getBody := readBody(get)
		head := a.send(tc.client, http.MethodHead, tc.path, "", nil)
		if head.StatusCode != get.StatusCode {
			t.Errorf("HEAD %s: status %d, GET gives %d", tc.path, head.StatusCode, get.StatusCode)
		}
		if h, g := head.Header.Get("Content-Type"), get.Header.Get("Content-Type"); h != g {
			t.Errorf("HEAD %s: Content-Type %q, GET gives %q", tc.path, h, g)
		}
		if body := readBody(head); body != "" {
			t.Errorf("HEAD %s: a body of %d bytes", tc.path, len(body))
		}
		if get.StatusCode == http.StatusOK && getBody == "" {
			t.Errorf("GET %s: empty", tc.path)
		}
	}
	if resp := a.send(alice, http.MethodHead, "/healthz", "", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("HEAD /healthz: %d", resp.StatusCode)
	}

	// The stream: HEAD answers at once with the stream's headers and does
	// not put alice online.
	room, err := a.store.RoomByName(t.Context(), "general")
	if err != nil {
		t.Fatal(err)
	}
	resp := a.send(alice, http.MethodHead, "/chat/general/events", "", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("HEAD stream: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if online := a.hub.Online(room.ID); len(online) != 0 {
		t.Errorf("HEAD on the stream put %v online", online)
	}
}

// TestCursorBeyondNewestStartsFromNow: a stream whose cursor is ahead of
// the room's latest change (made up, or from another database) is treated
// as "from now" and delivers what is posted next, instead of skipping it
// forever.
func TestCursorBeyondNewestStartsFromNow(t *testing.T) {
	for _, how := range []string{"after", "Last-Event-ID"} {
		t.Run(how, func(t *testing.T) {
			a := newApp(t)
			alice, bob := a.user("alice"), a.user("bob")
			a.createRoom(alice, "general")
			a.postForm(alice, "/chat/general/messages", url.Values{"message": {"before"}}, true)
			const far = "9223372036854775807"
			var s *stream
			if how == "after" {
				s = a.openStream(bob, "general", "after="+far, "")
			} else {
				s = a.openStream(bob, "general", "", far)
			}
			s.quiet("message", 50*time.Millisecond) // nothing replayed
			a.postForm(alice, "/chat/general/messages", url.Values{"message": {"after the cursor"}}, true)
			ev := s.next("message")
			if !strings.Contains(ev.Data, "after the cursor") {
				t.Errorf("first message event after a far cursor: %q", ev.Data)
			}
		})
	}
}

// TestSlowBodyIsCutOff: a client that announces a body and trickles it a
// byte at a time is answered 408 and disconnected once the read timeout
// passes, on a route that reads the form before any login or rate limit
// (login), on one that refuses the request without reading it (a cross-site
// post, whose body net/http discards), and on an address with no route. A
// stream, which sends no body, outlives the timeout.
func TestSlowBodyIsCutOff(t *testing.T) {
	const timeout = 300 * time.Millisecond
	a := newApp(t, withConfig(func(c *handlers.Config) { c.ReadTimeout = timeout }))
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	host := strings.TrimPrefix(a.srv.URL, "http://")
	for _, tc := range []struct{ what, head string }{
		{"login", "POST /accounts/login/ HTTP/1.1\r\n"},
		{"cross-site post", "POST /chat/ HTTP/1.1\r\nSec-Fetch-Site: cross-site\r\n"},
		{"no route", "POST /nowhere HTTP/1.1\r\n"},
	} {
		t.Run(tc.what, func(t *testing.T) {
			conn, err := net.Dial("tcp", host)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "%sHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n", tc.head, host)
			// One byte every 50 ms: the whole body would take 50 s.
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				tick := time.NewTicker(50 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
						if _, err := conn.Write([]byte("a")); err != nil {
							return
						}
					}
				}
			}()
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			br := bufio.NewReader(conn)
			resp, err := http.ReadResponse(br, nil)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if tc.what == "login" && resp.StatusCode != http.StatusRequestTimeout {
					t.Errorf("status %d, want 408", resp.StatusCode)
				}
			}
			// Whatever the answer, the connection must end, not wait for
			// the rest of the body.
			if _, err := br.ReadByte(); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("the connection is still open 10 s into a 50 s trickle (%v)", err)
			}
		})
	}

	s := a.openStream(bob, "general", "", "")
	s.quiet("message", 3*timeout)
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"still streaming"}}, true)
	if ev := s.next("message"); !strings.Contains(ev.Data, "still streaming") {
		t.Errorf("stream after the read timeout: %q", ev.Data)
	}
}

// TestSignedInPagesAreNotKept: every page drawn for a logged-in user says
// Cache-Control: no-store, so that after logging out the browser's Back
// button cannot show it again (from its cache or its back/forward cache) with
// the user's name and messages that may since have been deleted.
func TestSignedInPagesAreNotKept(t *testing.T) {
	a := newApp(t)
	admin, alice := a.staff("admin"), a.user("alice")
	a.createRoom(alice, "general")
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"hello"}}, true)
	for _, tc := range []struct {
		what string
		resp *http.Response
	}{
		{"home", a.get(alice, "/")},
		{"rooms", a.get(alice, "/chat/")},
		{"room", a.get(alice, "/chat/general/")},
		{"older messages", a.get(alice, "/chat/general/messages?before=999")},
		{"older messages partial", a.send(alice, http.MethodGet, "/chat/general/messages?before=999", "", map[string]string{"HX-Request": "true"})},
		{"admin", a.get(admin, "/admin/")},
		{"error page", a.get(alice, "/nowhere")},
		{"refused post", a.postForm(alice, "/chat/general/messages", url.Values{"message": {""}}, true)},
	} {
		if got := tc.resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s (status %d): Cache-Control %q, want no-store", tc.what, tc.resp.StatusCode, got)
		}
	}
}

// TestMetricsNotOnTheSite: /metrics is not served on the site, not even to
// loopback (behind a reverse proxy on the same host, everyone is
// loopback); cmd/minidiscord serves it on -metrics-addr
// (TestMetricsOnTheirOwnAddress).
func TestMetricsNotOnTheSite(t *testing.T) {
	a := newApp(t)
	for _, c := range []*http.Client{a.client(), a.user("alice")} {
		resp := a.get(c, "/metrics")
		if body := readBody(resp); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "minidiscord_") {
			t.Errorf("GET /metrics: %d %.100q", resp.StatusCode, body)
		}
	}
	rec := httptest.NewRecorder()
	a.app.Metrics().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(rec.Body.String(), "minidiscord_messages_posted_total") {
		t.Errorf("App.Metrics: %.200q", rec.Body.String())
	}
}

// TestPostRacingRoomDeletion: two people post as fast as they can while
// staff delete the room, many times over. Every post is answered 200
// (stored before the deletion) or 404 saying the room is gone, never a
// 5xx; nothing is left half-stored (no message, reaction or change without
// its room); and the writer goes on serving other rooms. It runs on
// SQLite, and on PostgreSQL with MINIDISCORD_TEST_DB=postgres.
func TestPostRacingRoomDeletion(t *testing.T) {
	a := newApp(t)
	admin := a.staff("admin")
	posters := []*http.Client{a.user("alice"), a.user("bob")}
	a.createRoom(posters[0], "lobby")
	const trials = 15
	for trial := range trials {
		name := fmt.Sprintf("race-%d", trial)
		a.createRoom(posters[0], name)
		room, err := a.store.RoomByName(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		started := make(chan struct{}, len(posters))
		for i, c := range posters {
			wg.Go(func() {
				for n := 0; n < 10_000; n++ {
					resp := a.postForm(c, "/chat/"+name+"/messages", url.Values{"message": {fmt.Sprintf("%d from %d", n, i)}}, true)
					body := readBody(resp)
					switch resp.StatusCode {
					case http.StatusOK:
						if n == 2 {
							started <- struct{}{}
						}
						continue
					case http.StatusNotFound:
						if !strings.Contains(body, "room") {
							t.Errorf("trial %d: 404 %q does not say the room is gone", trial, body)
						}
					default:
						t.Errorf("trial %d: post answered %d: %s", trial, resp.StatusCode, body)
					}
					if n <= 2 {
						started <- struct{}{}
					}
					return
				}
				t.Errorf("trial %d: 10,000 posts and the room is still there", trial)
			})
		}
		for range posters {
			<-started
		}
		if resp := a.postForm(admin, "/admin/rooms/"+itoa(room.ID)+"/delete", nil, false); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("trial %d: delete room: %d", trial, resp.StatusCode)
		}
		wg.Wait()
		if t.Failed() {
			return
		}
	}

	for table, q := range map[string]string{
		"messages":  "SELECT count(*) FROM messages WHERE room_id NOT IN (SELECT id FROM rooms)",
		"reactions": "SELECT count(*) FROM reactions WHERE message_id NOT IN (SELECT id FROM messages)",
	} {
		var n int
		if err := a.store.DB().NewRaw(q).Scan(t.Context(), &n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if n != 0 {
			t.Errorf("%d %s left without their room", n, table)
		}
	}
	if rooms, err := a.store.ListRooms(t.Context()); err != nil || len(rooms) != 1 {
		t.Errorf("rooms left: %v (%v), want only lobby", rooms, err)
	}
	if resp := a.postForm(posters[1], "/chat/lobby/messages", url.Values{"message": {"still working"}}, true); resp.StatusCode != http.StatusOK {
		t.Errorf("a post to another room after the races: %d", resp.StatusCode)
	}
}

// TestLookalikeAndInvisibleNames: through the forms, a username made of an
// invisible filler or looking like one in use is refused beside the field;
// a full-width one is made ordinary (Ｚed signs up as Zed); a room name
// looking like an existing room's is refused in the create form, naming it.
func TestLookalikeAndInvisibleNames(t *testing.T) {
	a := newApp(t)
	alice := a.user("admin")
	a.createRoom(alice, "general")
	pw := "Xk3-plover-77"
	for _, tt := range []struct{ name, want string }{
		{"\u3164", "may contain only"},
		{"a\u3164b", "may contain only"},
		{"аdmin", "looks too much like “admin”"},
		{"Ａdmin", "already exists"},
	} {
		resp := a.postForm(a.client(), "/user/signup/", url.Values{"username": {tt.name}, "password1": {pw}, "password2": {pw}}, false)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("signup %q: status %d, want 400", tt.name, resp.StatusCode)
			continue
		}
		if got := parse(t, resp).Find("[data-testid=errors-username]").Text(); !strings.Contains(got, tt.want) {
			t.Errorf("signup %q: %q, want %q", tt.name, got, tt.want)
		}
	}
	if resp := a.postForm(a.client(), "/user/signup/", url.Values{"username": {"Ｚed"}, "password1": {pw}, "password2": {pw}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("signup Ｚed: status %d", resp.StatusCode)
	}
	if _, err := a.store.UserByUsername(t.Context(), "Zed"); err != nil {
		t.Errorf("Ｚed was not made Zed: %v", err)
	}

	resp := a.postForm(alice, "/chat/", url.Values{"room": {"gеneral"}}, false) // Cyrillic е
	if body := readBody(resp); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "looks too much like #general") {
		t.Errorf("room gеneral: %d %.300q", resp.StatusCode, body)
	}
	if rooms, _ := a.store.ListRooms(t.Context()); len(rooms) != 1 {
		t.Errorf("rooms: %v", rooms)
	}
}

// TestHiddenCharactersDoNotMakeLinks: a posted address holding a bidi
// override or a zero-width space is stored as typed but shown as text,
// not as a link; a plain address beside an override still is one.
func TestHiddenCharactersDoNotMakeLinks(t *testing.T) {
	a := newApp(t)
	alice := a.user("alice")
	a.createRoom(alice, "general")
	for text, links := range map[string]int{
		"https://example.com/\u202egnp.exe":  0,
		"see https://exa\u200bmple.com/ now": 0,
		"\u202e see https://example.com/ ok": 1,
	} {
		a.postForm(alice, "/chat/general/messages", url.Values{"message": {text}}, true)
		doc := a.page(alice, "/chat/general/")
		last := doc.Find("[data-testid=message-content]").Last()
		if last.Text() != text {
			t.Errorf("%q shown as %q", text, last.Text())
		}
		if n := last.Find("a").Length(); n != links {
			t.Errorf("%q: %d links, want %d", text, n, links)
		}
	}
}

// TestWhatAnonymousVisitorsSee: as in the original app, the home page, the
// rooms list, login and signup are public (the rooms list names the rooms
// and how many people are in each); a room, its history and its stream,
// posting and the admin pages need a login.
func TestWhatAnonymousVisitorsSee(t *testing.T) {
	a := newApp(t)
	a.createRoom(a.user("alice"), "general")
	anon := a.client()
	for _, p := range []string{"/", "/chat/", "/accounts/login/", "/user/signup/", "/healthz"} {
		if resp := a.get(anon, p); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s anonymously: %d, want 200 (public)", p, resp.StatusCode)
		}
	}
	if !strings.Contains(readBody(a.get(anon, "/chat/")), "general") {
		t.Error("the public rooms list does not name the rooms")
	}
	for p, want := range map[string]int{
		"/chat/general/":                   http.StatusSeeOther,
		"/chat/general/messages?before=99": http.StatusSeeOther,
		"/admin/":                          http.StatusSeeOther,
		"/chat/general/events":             http.StatusUnauthorized,
	} {
		if resp := a.get(anon, p); resp.StatusCode != want {
			t.Errorf("GET %s anonymously: %d, want %d", p, resp.StatusCode, want)
		}
	}
}

// TestAuthorIsTheSessionsUser: a post's author is whoever is logged in,
// whatever names or ids the form adds.
func TestAuthorIsTheSessionsUser(t *testing.T) {
	a := newApp(t)
	alice := a.user("alice")
	a.user("bob")
	a.createRoom(alice, "general")
	b, err := a.store.UserByUsername(t.Context(), "bob")
	if err != nil {
		t.Fatal(err)
	}
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"who wrote this?"}, "user_id": {itoa(b.ID)}, "author": {"bob"}, "username": {"bob"}}, true)
	room, _ := a.store.RoomByName(t.Context(), "general")
	msgs, err := a.store.LatestMessages(t.Context(), room.ID, 1)
	if err != nil || len(msgs) != 1 {
		t.Fatal(msgs, err)
	}
	if msgs[0].Author() != "alice" {
		t.Errorf("stored as written by %q, want alice", msgs[0].Author())
	}
}
