package handlers_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/realtime/cluster/clustertest"
)

func TestRedisLimiterIsShared(t *testing.T) {
	prefix := clustertest.Prefix(t)
	limit := handlers.RateLimit{Events: 3, Per: 3 * time.Second}
	// Two instances, each with its own connection.
	a := handlers.NewRedisLimiter(clustertest.Redis(t, ""), prefix, limit)
	b := handlers.NewRedisLimiter(clustertest.Redis(t, ""), prefix, limit)
	ctx := t.Context()
	for i, l := range []*handlers.RedisLimiter{a, b, a} {
		if ok, _, err := l.Allow(ctx, "ip:192.0.2.1"); !ok || err != nil {
			t.Fatalf("request %d refused: %v", i+1, err)
		}
	}
	for _, l := range []*handlers.RedisLimiter{a, b} {
		ok, wait, err := l.Allow(ctx, "ip:192.0.2.1")
		if ok || err != nil {
			t.Fatalf("4th request allowed (err %v)", err)
		}
		if wait <= 0 || wait > time.Second {
			t.Fatalf("retry after %v, want within the 1s a token takes", wait)
		}
	}
	if ok, _, err := b.Allow(ctx, "ip:192.0.2.2"); !ok || err != nil {
		t.Fatalf("another key refused: %v", err)
	}
}

// TestLoginThrottleAcrossInstances guesses passwords on two instances in
// turn: the budget is one for both.
func TestLoginThrottleAcrossInstances(t *testing.T) {
	cl := newCluster(t)
	limits := func(o *realtime.Options, c *handlers.Config) {
		rdb := clustertest.Redis(t, "")
		c.RateLimits = handlers.RateLimits{LoginPerAccount: handlers.RateLimit{Events: 5, Per: time.Hour}}
		c.NewLimiter = func(name string, l handlers.RateLimit) handlers.Limiter {
			return handlers.NewRedisLimiter(rdb, cl.prefix+"rl:"+name+":", l)
		}
	}
	a, b := cl.start(limits), cl.start(limits)
	a.user("alice") // logs in once: 4 attempts left
	guess := url.Values{"username": {"alice"}, "password": {"not her password"}}
	for i, n := range []*node{a, b, a, b} {
		if resp := n.postForm(n.client(), "/accounts/login/", guess, false); resp.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("attempt %d refused already", i+1)
		}
	}
	for _, n := range []*node{a, b} {
		if resp := n.postForm(n.client(), "/accounts/login/", guess, false); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("5th attempt on %s: status %d, want 429", n.srv.URL, resp.StatusCode)
		}
	}
}
