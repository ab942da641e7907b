package ratelimit_test

import (
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/minidiscord/minidiscord/ratelimit"
	"github.com/minidiscord/minidiscord/realtime/cluster/clustertest"
)

// TestRedisIsShared: two instances, each with its own connection, draw on
// one bucket per key: a burst of 3, then a wait of at most the second one
// token takes, and refused requests cost nothing.
func TestRedisIsShared(t *testing.T) {
	prefix := clustertest.Prefix(t)
	limit := ratelimit.Limit{Events: 3, Per: 3 * time.Second}
	a := ratelimit.NewRedis(clustertest.Redis(t, ""), prefix, limit)
	b := ratelimit.NewRedis(clustertest.Redis(t, ""), prefix, limit)
	ctx := t.Context()
	for i, l := range []*ratelimit.Redis{a, b, a} {
		if ok, _, err := l.Allow(ctx, "ip:192.0.2.1"); !ok || err != nil {
			t.Fatalf("request %d refused: %v", i+1, err)
		}
	}
	var first time.Duration
	for i, l := range []*ratelimit.Redis{a, b, a, b} {
		ok, wait, err := l.Allow(ctx, "ip:192.0.2.1")
		if ok || err != nil {
			t.Fatalf("request %d past the burst allowed (err %v)", i+4, err)
		}
		if wait <= 0 || wait > time.Second {
			t.Fatalf("retry after %v, want within the 1s a token takes", wait)
		}
		if i == 0 {
			first = wait
		} else if wait > first {
			t.Fatalf("retry after %v, then %v: a refused request cost a token", first, wait)
		}
	}
	if ok, _, err := b.Allow(ctx, "ip:192.0.2.2"); !ok || err != nil {
		t.Fatalf("another key refused: %v", err)
	}
	other := ratelimit.NewRedis(clustertest.Redis(t, ""), clustertest.Prefix(t), limit)
	if ok, _, err := other.Allow(ctx, "ip:192.0.2.1"); !ok || err != nil {
		t.Fatalf("the same key under another prefix refused: %v", err)
	}
}

// TestRedisDownIsAnError: a limiter that cannot reach Redis says so, rather
// than refusing (the caller lets the request through and logs it).
func TestRedisDownIsAnError(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	rdb.Close()
	l := ratelimit.NewRedis(rdb, clustertest.Prefix(t), ratelimit.Limit{Events: 1, Per: time.Hour})
	if ok, _, err := l.Allow(t.Context(), "k"); err == nil || ok {
		t.Fatalf("with Redis closed: ok=%v err=%v, want an error", ok, err)
	}
}
