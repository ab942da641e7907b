package handlers_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/ratelimit"
)

// TestLoginThrottleAcrossInstances guesses passwords on two instances in
// turn: the budget is one for both.
func TestLoginThrottleAcrossInstances(t *testing.T) {
	cl := newCluster(t)
	// Each instance's limiters are on the cluster's Redis, as NewApp
	// makes them for an app with a broker.
	limits := withConfig(func(c *handlers.Config) {
		c.RateLimits = handlers.RateLimits{LoginPerAccount: ratelimit.Limit{Events: 5, Per: time.Hour}}
	})
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
