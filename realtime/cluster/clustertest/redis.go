// Package clustertest helps tests of any package run against the real
// Redis that CI provides, as models/modelstest does for PostgreSQL.
package clustertest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisURL is the test server: MINIDISCORD_TEST_REDIS, or the local one.
// It skips the test when the server cannot be reached, unless
// MINIDISCORD_REQUIRE_REDIS=1 makes that a failure.
func RedisURL(t testing.TB) string {
	t.Helper()
	Redis(t, "")
	return redisURL()
}

func redisURL() string {
	if u := os.Getenv("MINIDISCORD_TEST_REDIS"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// Redis connects to the test server with a connection pool of its own, as
// a separate instance would, closed after the test; name, if set, names
// its connections (CLIENT LIST shows it). It skips or fails as RedisURL.
func Redis(t testing.TB, name string) *redis.Client {
	t.Helper()
	addr := redisURL()
	opts, err := redis.ParseURL(addr)
	if err != nil {
		t.Fatalf("MINIDISCORD_TEST_REDIS: %v", err)
	}
	opts.ClientName = name
	rdb := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		if os.Getenv("MINIDISCORD_REQUIRE_REDIS") == "1" {
			t.Fatalf("Redis at %s: %v", addr, err)
		}
		t.Skipf("Redis not reachable at %s (%v); set MINIDISCORD_TEST_REDIS, or MINIDISCORD_REQUIRE_REDIS=1 to fail instead", addr, err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// Prefix is a key and channel prefix of the test's own, so tests can share
// one Redis; the keys under it are deleted after the test.
func Prefix(t testing.TB) string {
	t.Helper()
	rdb := Redis(t, "")
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "mdtest:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
	})
	return prefix
}
