package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
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
