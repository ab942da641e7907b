package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/ratelimit"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func withLimits(l handlers.RateLimits, trustedProxies ...string) appOption {
	return withConfig(func(c *handlers.Config) {
		c.RateLimits = l
		c.TrustedProxies = trustedProxies
	})
}

// login posts the login form, from the address xff when the app trusts the
// proxy.
func (a *testApp) login(c *http.Client, username, password, xff string) *http.Response {
	a.t.Helper()
	hdr := map[string]string{}
	if xff != "" {
		hdr["X-Forwarded-For"] = xff
	}
	return a.send(c, http.MethodPost, "/accounts/login/", url.Values{"username": {username}, "password": {password}}.Encode(), hdr)
}

func retryAfter(t *testing.T, resp *http.Response) int {
	t.Helper()
	n, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Errorf("429 without a usable Retry-After: %q", resp.Header.Get("Retry-After"))
	}
	return n
}

// TestLoginLimitedPerAddress: the 11th attempt from one address is refused
// with 429, whichever accounts it tries, and the login form says so; another
// address is not affected. (10 an hour here, not 10 per 3 minutes: the
// attempts must not refill while a slow -race run makes them.)
func TestLoginLimitedPerAddress(t *testing.T) {
	a := newApp(t, withLimits(handlers.RateLimits{LoginPerIP: ratelimit.Limit{Events: 10, Per: time.Hour}}, "127.0.0.1"))
	for _, name := range []string{"alice", "bob", "carol"} {
		a.user(name)
	}
	c := a.client()
	for i := range 10 {
		name := []string{"bob", "carol"}[i%2]
		if resp := a.login(c, name, "wrong password", "203.0.113.7"); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("attempt %d: status %d, want 400 (wrong password)", i+1, resp.StatusCode)
		}
	}
	resp := a.login(c, "alice", "correct horse alice", "203.0.113.7")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("11th attempt: status %d, want 429", resp.StatusCode)
	}
	if s := retryAfter(t, resp); s > 360 {
		t.Errorf("Retry-After %d s, want at most 360 (one attempt per 6 minutes)", s)
	}
	doc := parse(t, resp)
	if msg := doc.Find("#login-form [data-testid=form-error]").Text(); !strings.Contains(msg, "Too many login attempts") || !strings.Contains(msg, "Try again in") {
		t.Errorf("login form shows %q", msg)
	}
	if ck := setCookieFor(resp, "minidiscord_session"); ck != nil {
		t.Error("a refused login set a session cookie")
	}
	// Another address has its own budget.
	if resp := a.login(c, "alice", "correct horse alice", "198.51.100.1"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("login from another address: status %d", resp.StatusCode)
	}
}

// TestLoginLimitedPerAccount: attempts on one account from many addresses
// are limited too, case-insensitively; other accounts are not affected.
func TestLoginLimitedPerAccount(t *testing.T) {
	a := newApp(t, withLimits(handlers.RateLimits{LoginPerAccount: ratelimit.Limit{Events: 10, Per: time.Hour}}, "127.0.0.1"))
	a.user("alice") // one attempt, which counts too
	a.user("bob")
	for i := range 9 {
		name := "alice"
		if i%2 == 1 {
			name = "ALICE"
		}
		if resp := a.login(a.client(), name, "wrong password", fmt.Sprintf("203.0.113.%d", i)); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("attempt %d: status %d", i+1, resp.StatusCode)
		}
	}
	resp := a.login(a.client(), "alice", "correct horse alice", "198.51.100.99")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("11th attempt on alice: status %d, want 429", resp.StatusCode)
	}
	retryAfter(t, resp)
	if resp := a.login(a.client(), "bob", "correct horse bob", "198.51.100.99"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("bob's login: status %d", resp.StatusCode)
	}
}

// TestClientAddressNotTakenFromHeaders: unless a proxy is trusted, a client
// cannot pick a fresh X-Forwarded-For to escape its limit.
func TestClientAddressNotTakenFromHeaders(t *testing.T) {
	a := newApp(t, withLimits(handlers.RateLimits{LoginPerIP: ratelimit.Limit{Events: 3, Per: time.Hour}}))
	a.user("alice") // the first attempt
	c := a.client()
	for i := range 2 {
		a.login(c, "alice", "wrong password", fmt.Sprintf("203.0.113.%d", i))
	}
	for _, h := range []string{"X-Forwarded-For", "X-Real-IP"} {
		resp := a.send(c, http.MethodPost, "/accounts/login/", "username=alice&password=x", map[string]string{h: "198.51.100.1"})
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("with %s: status %d, want 429 (the header must not be believed)", h, resp.StatusCode)
		}
	}
}

// TestSignupLimitedPerAddress: accounts made from one address are limited;
// the signup form says why. Refused and invalid forms make no account.
func TestSignupLimitedPerAddress(t *testing.T) {
	a := newApp(t, withLimits(handlers.RateLimits{SignupPerIP: ratelimit.Limit{Events: 2, Per: time.Hour}}))
	signup := func(name string) *http.Response {
		pw := "correct horse " + name
		return a.postForm(a.client(), "/user/signup/", url.Values{"username": {name}, "password1": {pw}, "password2": {pw}}, false)
	}
	// A form with errors costs nothing.
	a.postForm(a.client(), "/user/signup/", url.Values{"username": {"bad name"}}, false)
	for _, name := range []string{"one", "two"} {
		if resp := signup(name); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("signup %s: status %d", name, resp.StatusCode)
		}
	}
	resp := signup("three")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third signup: status %d, want 429", resp.StatusCode)
	}
	if s := retryAfter(t, resp); s < 60 || s > 1800 {
		t.Errorf("Retry-After %d s, want about half an hour", s)
	}
	doc := parse(t, resp)
	if msg := doc.Find("#signup-form [data-testid=errors-form]").Text(); !strings.Contains(msg, "Too many accounts") {
		t.Errorf("signup form shows %q", msg)
	}
	if v, _ := doc.Find("#id_username").Attr("value"); v != "three" {
		t.Errorf("signup form lost the username: %q", v)
	}
	if _, err := a.store.UserByUsername(t.Context(), "three"); err == nil {
		t.Error("a refused signup made an account")
	}
}

// TestMessagesLimitedPerUser: a burst of 10, then the composer says to slow
// down (HTMX) or the room page does (no JavaScript), keeping the draft;
// another user is not affected. (10 an hour, so no token comes back while a
// slow -race run posts; the ratelimit package tests the refill.)
func TestMessagesLimitedPerUser(t *testing.T) {
	a := newApp(t, withLimits(handlers.RateLimits{MessagePerUser: ratelimit.Limit{Events: 10, Per: time.Hour}}))
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(bob, "general") // one of bob's 10
	for i := range 10 {
		if resp := a.postForm(alice, "/chat/general/messages", url.Values{"message": {fmt.Sprint("m", i)}}, true); resp.StatusCode != http.StatusOK {
			t.Fatalf("message %d: status %d", i+1, resp.StatusCode)
		}
	}
	resp := a.postForm(alice, "/chat/general/messages", url.Values{"message": {"one too many"}}, true)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("11th message: status %d, want 429", resp.StatusCode)
	}
	retryAfter(t, resp)
	doc := parse(t, resp)
	if msg := doc.Find("#message-form [data-testid=message-error]").Text(); !strings.Contains(msg, "too fast") {
		t.Errorf("composer shows %q", msg)
	}
	if draft := doc.Find("#message-input").Text(); draft != "one too many" {
		t.Errorf("composer lost the draft: %q", draft)
	}
	resp = a.postForm(alice, "/chat/general/messages", url.Values{"message": {"no js"}}, false)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("plain post: status %d, want 429", resp.StatusCode)
	}
	doc = parse(t, resp)
	if msg := doc.Find("#message-form [data-testid=message-error]").Text(); !strings.Contains(msg, "too fast") {
		t.Errorf("room page shows %q", msg)
	}
	if resp := a.postForm(bob, "/chat/general/messages", url.Values{"message": {"bob"}}, true); resp.StatusCode != http.StatusOK {
		t.Errorf("bob: status %d", resp.StatusCode)
	}
	if n := a.countMessages("general"); n != 11 {
		t.Errorf("%d stored, want alice's 10 and bob's 1", n)
	}

	// Making a room is a write too: alice may join rooms, not make them.
	resp = a.postForm(alice, "/chat/", url.Values{"room": {"another"}}, false)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("alice makes a room: status %d, want 429", resp.StatusCode)
	}
	retryAfter(t, resp)
	if msg := parse(t, resp).Find("[data-testid=room-error]").Text(); !strings.Contains(msg, "too fast") {
		t.Errorf("room form shows %q", msg)
	}
	if _, err := a.store.RoomByName(t.Context(), "another"); err == nil {
		t.Error("the refused room was made")
	}
	if resp := a.postForm(alice, "/chat/", url.Values{"room": {"general"}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("alice joins a room: status %d, want 303", resp.StatusCode)
	}
}

// TestRateLimitsOff: with no limits, many posts, logins and signups from
// one address all go through (what MINIDISCORD_RATE_LIMITS=off gives).
func TestRateLimitsOff(t *testing.T) {
	a := newApp(t, withLimits(handlers.RateLimits{}))
	var cs []*http.Client
	for i := range 12 {
		cs = append(cs, a.user(fmt.Sprint("user", i)))
	}
	a.createRoom(cs[0], "general")
	for i := range 30 {
		if resp := a.postForm(cs[0], "/chat/general/messages", url.Values{"message": {fmt.Sprint(i)}}, true); resp.StatusCode != http.StatusOK {
			t.Fatalf("post %d: status %d", i, resp.StatusCode)
		}
	}
}

// TestDefaultRateLimits are the documented ones.
func TestDefaultRateLimits(t *testing.T) {
	d := handlers.DefaultRateLimits()
	for name, tc := range map[string]struct {
		got  ratelimit.Limit
		want string
	}{
		"login per IP":      {d.LoginPerIP, "10/3m0s"},
		"login per account": {d.LoginPerAccount, "10/3m0s"},
		"signup per IP":     {d.SignupPerIP, "10/1h0m0s"},
		"message per user":  {d.MessagePerUser, "10/3s"},
		"webhook per hook":  {d.WebhookPerHook, "10/3s"},
		"search per user":   {d.SearchPerUser, "60/1m0s"},
	} {
		if tc.got.String() != tc.want {
			t.Errorf("%s: %s, want %s", name, tc.got, tc.want)
		}
	}
}

// failingLimiter stands in for a shared limiter whose store is down.
type failingLimiter struct{}

func (failingLimiter) Allow(context.Context, string) (bool, time.Duration, error) {
	return false, 0, fmt.Errorf("connection refused")
}

// countingLimiter records which limiters were asked, by name.
type countingLimiter struct {
	mu    *sync.Mutex
	names map[string]int
	name  string
}

func (l countingLimiter) Allow(context.Context, string) (bool, time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.names[l.name]++
	return true, 0, nil
}

// TestLimiterIsPluggable: Config.NewLimiter replaces the in-memory limiter
// (for one shared by several instances); a limiter that fails lets the
// request through and logs the error.
func TestLimiterIsPluggable(t *testing.T) {
	var mu sync.Mutex
	names := map[string]int{}
	a := newApp(t, withConfig(func(c *handlers.Config) {
		c.RateLimits = handlers.DefaultRateLimits()
		c.NewLimiter = func(name string, _ ratelimit.Limit) ratelimit.Limiter {
			return countingLimiter{mu: &mu, names: names, name: name}
		}
	}))
	c := a.user("alice")
	a.createRoom(c, "general")
	a.postForm(c, "/chat/general/messages", url.Values{"message": {"hi"}}, true)
	mu.Lock()
	// Making the room and posting both count as writes.
	if names["login-ip"] != 1 || names["login-account"] != 1 || names["signup-ip"] != 1 || names["message-user"] != 2 {
		t.Errorf("limiters asked: %v", names)
	}
	mu.Unlock()

	var logs syncBuffer
	store := openStore(t, t.TempDir()+"/f.db")
	b := startApp(t, store, func(c *handlers.AppConfig) {
		c.Log = slog.New(slog.NewTextHandler(&logs, nil))
		c.Handler.RateLimits = handlers.DefaultRateLimits()
		c.Handler.NewLimiter = func(string, ratelimit.Limit) ratelimit.Limiter { return failingLimiter{} }
	})
	b.user("alice") // signup and login, each asking the failing limiter
	if !strings.Contains(logs.String(), "rate limiter failed") {
		t.Errorf("the limiter's failure was not logged: %s", logs.String())
	}
}
