package handlers_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"

	"github.com/minidiscord/minidiscord/models/modelstest"
)

// The real PostgreSQL and Redis the cluster tests (and, with
// MINIDISCORD_TEST_DB=postgres, the whole suite) run against. A test whose
// service is down is skipped, unless MINIDISCORD_REQUIRE_POSTGRES=1 or
// MINIDISCORD_REQUIRE_REDIS=1 says it must run (as .ci/run does).

func testRedisURL() string {
	if v := os.Getenv("MINIDISCORD_TEST_REDIS"); v != "" {
		return v
	}
	return "redis://127.0.0.1:6379/0"
}

func unreachable(t *testing.T, what, require, addr string, err error) {
	t.Helper()
	if os.Getenv(require) == "1" {
		t.Fatalf("%s at %s: %v", what, addr, err)
	}
	t.Skipf("%s not reachable at %s (%v); %s=1 makes this a failure", what, addr, err, require)
}

var schemas sync.Map // "test name\x00path" → DSN, so one test reopening a path gets the same schema

// storeDSN is what openStore opens for path: the path itself (SQLite), or
// with MINIDISCORD_TEST_DB=postgres one fresh schema per test and path.
func storeDSN(t *testing.T, path string) string {
	t.Helper()
	if os.Getenv("MINIDISCORD_TEST_DB") != "postgres" {
		return path
	}
	key := t.Name() + "\x00" + path
	if dsn, ok := schemas.Load(key); ok {
		return dsn.(string)
	}
	dsn := modelstest.PostgresDSN(t)
	schemas.Store(key, dsn)
	t.Cleanup(func() { schemas.Delete(key) })
	return dsn
}

// redisClient connects to the test Redis with a connection pool of its
// own, as a separate instance would; name, if set, names its connections.
func redisClient(t *testing.T, name string) *redis.Client {
	t.Helper()
	addr := testRedisURL()
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
		unreachable(t, "Redis", "MINIDISCORD_REQUIRE_REDIS", addr, err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// redisPrefix is a key prefix of the test's own, so tests can share Redis.
func redisPrefix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "mdtest:" + hex.EncodeToString(b) + ":"
}
