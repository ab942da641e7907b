package handlers_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// chunked is a body of n bytes sent without a Content-Length.
type chunked struct{ n int }

func (c *chunked) Read(p []byte) (int, error) {
	if c.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), c.n)
	for i := range k {
		p[i] = 'a'
	}
	c.n -= k
	return k, nil
}

// TestHostileInputGetsA4xx sends what browsers never would, to every
// route: each answer is the 4xx that says what is wrong, never a 500, a
// panic or a hang, and nothing is stored.
func TestHostileInputGetsA4xx(t *testing.T) {
	a := newApp(t)
	admin, alice := a.staff("admin"), a.user("alice")
	a.createRoom(alice, "general")
	before := a.snapshot()
	long := strings.Repeat("x", 10_000)
	big := strings.Repeat("a", 70<<10)
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	anon := a.client()
	type tc struct {
		name, method, path, body string
		hdr                      map[string]string
		client                   *http.Client
		status                   int
	}
	// A page HTMX asks for anonymously gets 401 and HX-Redirect instead.
	htmxStatus := map[string]int{"forged session cookie": 401}
	cases := []tc{
		// Bodies over 64 KiB.
		{"big signup", "POST", "/user/signup/", "username=" + big, nil, anon, 413},
		{"big login", "POST", "/accounts/login/", "password=" + big, nil, anon, 413},
		{"big logout", "POST", "/accounts/logout/", "x=" + big, nil, alice, 413},
		{"big room", "POST", "/chat/", "room=" + big, nil, alice, 413},
		{"big message", "POST", "/chat/general/messages", "message=" + big, nil, alice, 413},
		{"big admin delete", "POST", "/admin/messages/1/delete", "x=" + big, nil, admin, 413},
		// Invalid UTF-8, NUL and control characters.
		{"signup name not UTF-8", "POST", "/user/signup/", "username=%ff%fe&password1=correct+horse+x&password2=correct+horse+x", nil, anon, 400},
		{"signup name with NUL", "POST", "/user/signup/", "username=a%00b&password1=correct+horse+x&password2=correct+horse+x", nil, anon, 400},
		{"signup name with escape", "POST", "/user/signup/", "username=a%1b%5b2J&password1=correct+horse+x&password2=correct+horse+x", nil, anon, 400},
		{"signup name with markup", "POST", "/user/signup/", form("username", "<script>", "password1", "correct horse x", "password2", "correct horse x"), nil, anon, 400},
		{"signup password not UTF-8", "POST", "/user/signup/", "username=zed&password1=%ff%ff%ff%ff%ff%ff%ff%ff&password2=%ff%ff%ff%ff%ff%ff%ff%ff", nil, anon, 400},
		{"login name not UTF-8", "POST", "/accounts/login/", "username=%ff&password=x", nil, anon, 400},
		{"login name with NUL", "POST", "/accounts/login/", "username=alice%00&password=correct+horse+alice", nil, anon, 400},
		{"room not UTF-8", "POST", "/chat/", "room=%ff", nil, alice, 400},
		{"room with NUL", "POST", "/chat/", "room=a%00", nil, alice, 400},
		{"room with newline", "POST", "/chat/", "room=a%0d%0aSet-Cookie:x", nil, alice, 400},
		{"message not UTF-8", "POST", "/chat/general/messages", "message=%c3%28", nil, alice, 400},
		{"message with NUL", "POST", "/chat/general/messages", "message=a%00", nil, alice, 400},
		{"message with DEL", "POST", "/chat/general/messages", "message=a%7f", nil, alice, 400},
		{"message with line separator", "POST", "/chat/general/messages", form("message", "a\u2028b"), nil, alice, 400},
		// 10,000 characters.
		{"long username", "POST", "/user/signup/", form("username", long, "password1", "correct horse x", "password2", "correct horse x"), nil, anon, 400},
		{"long login", "POST", "/accounts/login/", form("username", long, "password", long), nil, anon, 400},
		{"long password", "POST", "/user/signup/", form("username", "zed", "password1", long, "password2", long), nil, anon, 400},
		{"long room", "POST", "/chat/", form("room", long), nil, alice, 400},
		{"long message", "POST", "/chat/general/messages", form("message", long), nil, alice, 400},
		{"long room URL", "GET", "/chat/" + long + "/", "", nil, alice, 400},
		{"long room URL stream", "GET", "/chat/" + long + "/events", "", nil, alice, 400},
		{"long room URL post", "POST", "/chat/" + long + "/messages", "message=hi", nil, alice, 400},
		{"long path", "GET", "/" + long, "", nil, alice, 404},
		{"long query", "GET", "/chat/?q=" + long, "", nil, alice, 200},
		{"long next", "GET", "/accounts/login/?next=/" + long, "", nil, anon, 200},
		// Unknown things.
		{"unknown room post", "POST", "/chat/nowhere/messages", "message=hi", nil, alice, 404},
		{"unknown room stream", "GET", "/chat/nowhere/events", "", nil, alice, 404},
		{"unknown message", "POST", "/admin/messages/999999/delete", "", nil, admin, 404},
		{"unknown room id", "POST", "/admin/rooms/999999/delete", "", nil, admin, 404},
		{"id not a number", "POST", "/admin/messages/abc/delete", "", nil, admin, 400},
		{"id negative", "POST", "/admin/rooms/-1/delete", "", nil, admin, 400},
		{"id zero", "POST", "/admin/rooms/0/delete", "", nil, admin, 400},
		{"id overflows", "POST", "/admin/messages/99999999999999999999999/delete", "", nil, admin, 400},
		{"unknown page", "GET", "/wp-login.php", "", nil, anon, 404},
		{"dot dot", "GET", "/static/../go.mod", "", nil, anon, 404},
		{"encoded dot dot", "GET", "/static/%2e%2e/handlers/routes.go", "", nil, anon, 404},
		// Missing and repeated fields.
		{"signup empty", "POST", "/user/signup/", "", nil, anon, 400},
		{"login empty", "POST", "/accounts/login/", "", nil, anon, 400},
		{"room empty", "POST", "/chat/", "", nil, alice, 400},
		{"message empty", "POST", "/chat/general/messages", "", nil, alice, 400},
		{"signup repeated", "POST", "/user/signup/", "username=zed&username=zoe&password1=correct+horse+x&password2=correct+horse+x", nil, anon, 400},
		{"login repeated", "POST", "/accounts/login/", "username=alice&username=bob&password=correct+horse+alice", nil, anon, 400},
		{"room repeated", "POST", "/chat/", "room=a&room=b", nil, alice, 400},
		{"message repeated", "POST", "/chat/general/messages", "message=a&message=b", nil, alice, 400},
		// Bodies that are not forms.
		{"bad percent-encoding", "POST", "/chat/general/messages", "message=%zz", nil, alice, 400},
		{"JSON body", "POST", "/chat/general/messages", `{"message":"hi"}`, map[string]string{"Content-Type": "application/json"}, alice, 400},
		{"multipart without boundary", "POST", "/chat/general/messages", "message=hi", map[string]string{"Content-Type": "multipart/form-data"}, alice, 400},
		{"bad content type", "POST", "/chat/", "room=x", map[string]string{"Content-Type": "application/x-www-form-urlencoded; ==="}, alice, 400},
		// Wrong methods.
		{"PUT message", "PUT", "/chat/general/messages", "message=hi", nil, alice, 405},
		{"DELETE room", "DELETE", "/chat/general/", "", nil, alice, 405},
		{"PATCH signup", "PATCH", "/user/signup/", "", nil, anon, 405},
		{"POST stream", "POST", "/chat/general/events", "", nil, alice, 405},
		{"POST home", "POST", "/", "", nil, alice, 405},
		{"PUT admin delete", "PUT", "/admin/rooms/1/delete", "", nil, admin, 405},
		{"confirm deleting no room", "GET", "/admin/rooms/999/delete", "", nil, admin, 404},
		{"confirm deleting no message", "GET", "/admin/messages/999/delete", "", nil, admin, 404},
		{"confirm deleting a bad id", "GET", "/admin/messages/x/delete", "", nil, admin, 400},
		{"admin page from a bad id", "GET", "/admin/?before=x", "", nil, admin, 400},
		{"admin page from a negative id", "GET", "/admin/?after=-1", "", nil, admin, 400},
		{"admin filter by no one", "GET", "/admin/?author=%ff%00&room=%3Cb%3E", "", nil, admin, 200},
		{"OPTIONS login", "OPTIONS", "/accounts/login/", "", nil, anon, 405},
		{"TRACE", "TRACE", "/", "", nil, anon, 405},
		// Odd cookies and cursors.
		{"garbage session cookie", "GET", "/chat/", "", map[string]string{"Cookie": "minidiscord_session=garbage"}, a.client(), 200},
		{"forged session cookie", "GET", "/chat/general/", "", map[string]string{"Cookie": "minidiscord_session=MTcwMDAwMDAwMHxEdi1CQkFFQ180SUFBUkFCRUFBQUpQLUNBQUVHYzNSeWFXNW5EQVlBQkhSdmEyVnVCbk4wY21sdVp3d0dBQVJtWVd0bHxmYWtl"}, a.client(), 303},
		{"60 KB cookie", "GET", "/", "", map[string]string{"Cookie": "minidiscord_session=" + strings.Repeat("A", 60_000)}, a.client(), 200},
		{"many cookies", "GET", "/", "", map[string]string{"Cookie": strings.Repeat("a=b; ", 5000)}, a.client(), 200},
		{"bad Last-Event-ID", "GET", "/chat/general/events", "", map[string]string{"Accept": "text/event-stream", "Last-Event-ID": "99999999999999999999999"}, alice, 200},
		{"negative Last-Event-ID", "GET", "/chat/general/events?after=-5", "", map[string]string{"Accept": "text/event-stream", "Last-Event-ID": "-1"}, alice, 200},
		{"text Last-Event-ID", "GET", "/chat/general/events?after=%ff", "", map[string]string{"Accept": "text/event-stream", "Last-Event-ID": "<script>"}, alice, 200},
	}
	for _, c := range cases {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		req, err := http.NewRequestWithContext(ctx, c.method, a.srv.URL+c.path, strings.NewReader(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if c.body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for k, v := range c.hdr {
			req.Header.Set(k, v)
		}
		for _, htmx := range []bool{false, true} {
			r := req.Clone(ctx)
			r.Body = io.NopCloser(strings.NewReader(c.body))
			if htmx {
				r.Header.Set("HX-Request", "true")
			}
			resp, err := c.client.Do(r)
			if err != nil {
				t.Errorf("%s (htmx=%v): %v", c.name, htmx, err)
				continue
			}
			want := c.status
			if s, ok := htmxStatus[c.name]; ok && htmx {
				want = s
			}
			if resp.StatusCode != want {
				t.Errorf("%s (htmx=%v): status %d, want %d", c.name, htmx, resp.StatusCode, want)
			}
			if resp.StatusCode >= 400 && resp.Header.Get("Content-Type") == "" {
				t.Errorf("%s: a %d without a Content-Type", c.name, resp.StatusCode)
			}
			if strings.Contains(resp.Header.Get("Content-Type"), "event-stream") {
				resp.Body.Close() // a stream: its status is all we wanted
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 400 && resp.StatusCode != 405 && len(strings.TrimSpace(string(body))) == 0 {
				t.Errorf("%s: a %d that says nothing", c.name, resp.StatusCode)
			}
		}
		cancel()
	}

	// Over 64 KiB with no Content-Length: refused while reading. (200 KiB:
	// little enough that the server reads the rest before it answers, so
	// the client sees the answer rather than a reset.)
	for _, path := range []string{"/chat/general/messages", "/user/signup/", "/accounts/login/"} {
		req, _ := http.NewRequest(http.MethodPost, a.srv.URL+path, &chunked{n: 200 << 10})
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := alice.Do(req)
		if err != nil {
			t.Errorf("chunked %s: %v", path, err)
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked 200 KiB to %s: status %d, want 413", path, resp.StatusCode)
		}
	}

	if after := a.snapshot(); after != before {
		t.Errorf("hostile input changed the state: before %+v, after %+v", before, after)
	}
	// The server is still fine.
	if resp := a.postForm(alice, "/chat/general/messages", url.Values{"message": {"still here"}}, true); resp.StatusCode != http.StatusOK {
		t.Errorf("a good post afterwards: status %d", resp.StatusCode)
	}
}
