package handlers_test

import (
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/minidiscord/minidiscord/models/modelstest"
)

// The real PostgreSQL the cluster tests (and, with
// MINIDISCORD_TEST_DB=postgres, the whole suite) run against; the test
// Redis is realtime/cluster/clustertest's.

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
