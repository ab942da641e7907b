package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
)

// sessionCookie is the session cookie the server last set for c.
func (a *testApp) sessionCookie(c *http.Client) *http.Cookie {
	a.t.Helper()
	u, _ := url.Parse(a.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "minidiscord_session" {
			return ck
		}
	}
	return nil
}

// withCookie is a fresh client holding only ck.
func (a *testApp) withCookie(ck *http.Cookie) *http.Client {
	c := a.client()
	u, _ := url.Parse(a.srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value}})
	return c
}

func (a *testApp) whoami(c *http.Client) string {
	a.t.Helper()
	return strings.TrimSpace(a.page(c, "/").Find("[data-testid=whoami]").Text())
}

// setCookieFor returns the named cookie from a response's Set-Cookie.
func setCookieFor(resp *http.Response, name string) *http.Cookie {
	for _, ck := range resp.Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// TestNoSessionFixation plants a cookie in the victim's browser before she
// logs in (here, the attacker's own live session, as a sibling site could):
// her login gets a new cookie, and the planted one never becomes hers.
func TestNoSessionFixation(t *testing.T) {
	a := newApp(t)
	mallory := a.user("mallory")
	planted := a.sessionCookie(mallory)
	signup := a.client()
	pw := "correct horse alice"
	a.postForm(signup, "/user/signup/", url.Values{"username": {"alice"}, "password1": {pw}, "password2": {pw}}, false)

	victim := a.withCookie(planted)
	if who := a.whoami(victim); who != "mallory" {
		t.Fatalf("planted cookie: whoami %q", who)
	}
	resp := a.postForm(victim, "/accounts/login/", url.Values{"username": {"alice"}, "password": {pw}}, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", resp.StatusCode)
	}
	after := setCookieFor(resp, "minidiscord_session")
	if after == nil || after.Value == planted.Value {
		t.Fatalf("login kept the planted cookie")
	}
	if who := a.whoami(victim); who != "alice" {
		t.Errorf("victim is %q after login, want alice", who)
	}
	if who := a.whoami(a.withCookie(planted)); who != "anonymous" {
		t.Errorf("the planted cookie is %q after the victim's login, want anonymous", who)
	}

	// A visitor who never logged in has no session cookie to fix.
	anon := a.client()
	a.get(anon, "/accounts/login/")
	a.postForm(anon, "/accounts/login/", url.Values{"username": {"alice"}, "password": {"wrong password"}}, false)
	if ck := a.sessionCookie(anon); ck != nil {
		t.Errorf("an anonymous visitor got a session cookie: %v", ck)
	}
}

// TestSessionCookieFlags: HttpOnly, SameSite=Lax, a bounded Max-Age, and
// Secure when the server is told it is behind TLS.
func TestSessionCookieFlags(t *testing.T) {
	for _, secure := range []bool{false, true} {
		a := newApp(t, withConfig(func(c *handlers.Config) {
			c.SecureCookies = secure
			c.SessionTTL = 90 * time.Minute
		}))
		c := a.client()
		pw := "correct horse alice"
		a.postForm(c, "/user/signup/", url.Values{"username": {"alice"}, "password1": {pw}, "password2": {pw}}, false)
		resp := a.postForm(c, "/accounts/login/", url.Values{"username": {"alice"}, "password": {pw}}, false)
		ck := setCookieFor(resp, "minidiscord_session")
		if ck == nil {
			t.Fatalf("secure=%v: login set no session cookie", secure)
		}
		if ck.Secure != secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.MaxAge != 90*60 || ck.Path != "/" {
			t.Errorf("secure=%v: cookie %q", secure, resp.Header.Get("Set-Cookie"))
		}
		resp = a.postForm(c, "/accounts/logout/", nil, false)
		if ck := setCookieFor(resp, "minidiscord_session"); ck == nil || ck.MaxAge >= 0 || ck.Secure != secure || !ck.HttpOnly {
			t.Errorf("secure=%v: logout cookie %q, want it deleted with the same flags", secure, resp.Header.Get("Set-Cookie"))
		}
	}
}

// TestExpiredSessionIsAnonymous: a session past its lifetime logs no one in,
// on pages, posts and streams, even with a cookie the browser still sends.
func TestExpiredSessionIsAnonymous(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	a.createRoom(c, "general")
	stale := a.sessionCookie(c)
	if _, err := a.store.DB().NewUpdate().Table("user_sessions").Set("expires_at = ?", time.Now().UTC().Add(-time.Second)).Where("1 = 1").Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	a.store.ForgetUser(0) // written behind the store's back
	replay := a.withCookie(stale)
	if resp := a.get(replay, "/chat/general/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("page with an expired session: status %d, want a redirect to login", resp.StatusCode)
	}
	if resp := a.postForm(a.withCookie(stale), "/chat/general/messages", url.Values{"message": {"hi"}}, true); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("post with an expired session: status %d, want 401", resp.StatusCode)
	}
	if resp := a.send(a.withCookie(stale), http.MethodGet, "/chat/general/events", "", map[string]string{"Accept": "text/event-stream", "Last-Event-ID": "0"}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("stream with an expired session: status %d, want 401", resp.StatusCode)
	}
	if who := a.whoami(c); who != "anonymous" {
		t.Errorf("expired session shows %q", who)
	}
	if n := a.countMessages("general"); n != 0 {
		t.Errorf("%d messages stored with an expired session", n)
	}
	// The expired row is cleaned up and the stale cookie told to go.
	if err := a.store.DeleteExpiredSessions(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.store.DB().NewSelect().Table("user_sessions").Count(t.Context()); n != 0 {
		t.Errorf("%d expired sessions left", n)
	}
}

// TestStreamAuthorizedOnOpenAndResume: logging out ends the open stream,
// and the reconnect EventSource makes with Last-Event-ID (or the page's
// ?after=) gets 401, not the messages posted since.
func TestStreamAuthorizedOnOpenAndResume(t *testing.T) {
	a := newApp(t)
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	s := a.openStream(alice, "general", "", "")
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"first"}}, true)
	seen := s.next("message").ID
	stolen := a.sessionCookie(alice)

	if resp := a.postForm(alice, "/accounts/logout/", nil, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: status %d", resp.StatusCode)
	}
	for range s.events { // the server ends it
	}
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"secret"}}, true)

	for _, tc := range []struct{ name, query, lastID string }{
		{"Last-Event-ID", "", seen},
		{"?after=", "after=" + seen, ""},
		{"fresh", "", ""},
	} {
		hdr := map[string]string{"Accept": "text/event-stream"}
		if tc.lastID != "" {
			hdr["Last-Event-ID"] = tc.lastID
		}
		path := "/chat/general/events"
		if tc.query != "" {
			path += "?" + tc.query
		}
		resp := a.send(a.withCookie(stolen), http.MethodGet, path, "", hdr)
		body := readBody(resp)
		if resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, "secret") {
			t.Errorf("resume (%s) after logout: status %d: %.200s", tc.name, resp.StatusCode, body)
		}
	}
	// Bob's stream still resumes.
	s2 := a.openStream(bob, "general", "", seen)
	if got := s2.next("message"); !strings.Contains(got.Data, "secret") {
		t.Errorf("bob resumed with %q", got.Data)
	}
}
