package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestBadMessagesAreRefused(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	a.createRoom(c, "general")
	tests := []struct {
		name, path, body string
		status           int
		want             string
	}{
		{"empty", "/chat/general/messages", "message=", 400, "Write a message first."},
		{"only spaces", "/chat/general/messages", "message=+%20%0A%09", 400, "Write a message first."},
		{"missing field", "/chat/general/messages", "other=1", 400, "Write a message first."},
		{"513 characters", "/chat/general/messages", "message=" + strings.Repeat("é", 513), 400, "at most 512"},
		{"invalid UTF-8", "/chat/general/messages", "message=%ff%fe", 400, "not valid UTF-8"},
		{"NUL byte", "/chat/general/messages", "message=a%00b", 400, "control characters"},
		{"escape sequence", "/chat/general/messages", "message=a%1b%5b2Jb", 400, "control characters"},
		{"repeated field", "/chat/general/messages", "message=a&message=b", 400, "one message"},
		{"bad room name", "/chat/two%20words/messages", "message=hi", 400, "only letters, digits"},
		{"room name too long", "/chat/" + strings.Repeat("r", 101) + "/messages", "message=hi", 400, "at most 100"},
		{"unknown room", "/chat/nowhere/messages", "message=hi", 404, "no room called nowhere"},
		{"body over 64 KiB", "/chat/general/messages", "message=" + strings.Repeat("a", 70<<10), 413, "too large"},
	}
	for _, tt := range tests {
		for _, htmx := range []bool{true, false} {
			resp := a.postRaw(c, tt.path, tt.body, htmx)
			body := readBody(resp)
			if resp.StatusCode != tt.status {
				t.Errorf("%s (htmx=%v): status %d, want %d", tt.name, htmx, resp.StatusCode, tt.status)
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("%s (htmx=%v): answer lacks %q: %.300s", tt.name, htmx, tt.want, body)
			}
		}
	}
	if n := a.countMessages("general"); n != 0 {
		t.Errorf("%d bad messages stored", n)
	}

	// Exactly 512 characters is fine.
	resp := a.postForm(c, "/chat/general/messages", url.Values{"message": {strings.Repeat("é", 512)}}, true)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("512 characters: status %d", resp.StatusCode)
	}
}

func TestBadRoomAddresses(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	for _, path := range []string{"/chat/two%20words/", "/chat/%3Cscript%3E/", "/chat/" + strings.Repeat("x", 10000) + "/", "/chat/%ff/"} {
		resp := a.get(c, path)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %.40s: status %d, want 400", path, resp.StatusCode)
		}
		if body := readBody(resp); strings.Contains(body, "<script>") {
			t.Errorf("GET %.40s echoes markup", path)
		}
	}
	if resp := a.get(c, "/chat/nowhere/events"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("stream of an unknown room: status %d, want 404", resp.StatusCode)
	}
	rooms, _ := a.store.ListRooms(t.Context())
	if len(rooms) != 0 {
		t.Errorf("%d rooms created by bad addresses", len(rooms))
	}
}

func TestWrongMethods(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	req, _ := http.NewRequest(http.MethodDelete, a.srv.URL+"/chat/", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE /chat/: status %d, want 405", resp.StatusCode)
	}
	if resp := a.get(c, "/accounts/logout/"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET logout: status %d, want 405 (logging out changes state, so it is POST only)", resp.StatusCode)
	}
}
