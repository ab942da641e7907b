package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// failure is what a user is shown when a request fails: the status, and
// the words on the error page (plain request) or alone (htmx, stream).
func (a *testApp) failure(c *http.Client, method, path string, form url.Values, kind string) (int, string) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		a.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	switch kind {
	case "htmx":
		req.Header.Set("HX-Request", "true")
	case "stream":
		req.Header.Set("Accept", "text/event-stream")
	}
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if kind != "plain" {
		return resp.StatusCode, readBody(resp)
	}
	doc := parse(a.t, resp)
	if got, want := doc.Find("h1").Text(), http.StatusText(resp.StatusCode); got != want {
		a.t.Errorf("%s %s: error page titled %q, want %q", method, path, got, want)
	}
	return resp.StatusCode, doc.Find("[data-testid=error-message]").Text()
}

// TestFailuresAsUsersSeeThem: through the real routes, each kind of failure
// answers its status with the same words, as a page or as a fragment.
func TestFailuresAsUsersSeeThem(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	a.createRoom(c, "general")
	for _, tc := range []struct {
		name, path string
		status     int
		words      string
	}{
		{"unknown room", "/chat/nowhere/messages?before=5", 404, "There is no room called nowhere."},
		{"unknown page", "/nothing/here", 404, "There is no page at this address."},
		{"bad room name", "/chat/two%20words/messages?before=5", 400, "Room names may contain only letters, digits, _ and -."},
		{"bad cursor", "/chat/general/messages?before=soon", 400, "Say which message to read before, as ?before=<message id>."},
	} {
		for _, kind := range []string{"plain", "htmx"} {
			status, words := a.failure(c, http.MethodGet, tc.path, nil, kind)
			if status != tc.status || words != tc.words {
				t.Errorf("%s (%s): %d %q, want %d %q", tc.name, kind, status, words, tc.status, tc.words)
			}
		}
	}
}

// TestFailuresWhileShuttingDown: once the writer has stopped, a post is
// refused with 503 and asked to come again; once the hub has closed, so is
// a stream.
func TestFailuresWhileShuttingDown(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	a.createRoom(c, "general")
	a.app.Close()
	for _, kind := range []string{"plain", "htmx"} {
		status, words := a.failure(c, http.MethodPost, "/chat/general/messages", url.Values{"message": {"hi"}}, kind)
		if status != 503 || words != "The server is restarting; send it again in a moment." {
			t.Errorf("post (%s): %d %q", kind, status, words)
		}
	}
	a.hub.Close()
	status, words := a.failure(c, http.MethodGet, "/chat/general/events", nil, "stream")
	if status != 503 || words != "The server is restarting; reconnect in a moment." {
		t.Errorf("stream: %d %q", status, words)
	}
}

// TestUnexpectedFailure: when the database is gone, the user gets a 500
// that says it is our fault, page or fragment, and nothing of the cause.
func TestUnexpectedFailure(t *testing.T) {
	a := newApp(t)
	c := a.client()
	a.store.Close()
	for _, kind := range []string{"plain", "htmx"} {
		status, words := a.failure(c, http.MethodGet, "/chat/", nil, kind)
		if status != 500 || words != "Something went wrong on our side. Please try again." {
			t.Errorf("%s: %d %q", kind, status, words)
		}
	}
}
