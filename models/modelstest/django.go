package modelstest

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// The original app's databases, written by its own ORM
// (models/testdata/django/make_fixture.sh): every awkward name and password
// format `minidiscord import-django` must handle.

// DjangoUser is one account of the fixture with its password in clear.
type DjangoUser struct {
	Username string `json:"username"`
	Password string `json:"password"` // "": an unusable password
	Hasher   string `json:"hasher"`
	Staff    bool   `json:"staff"`
	Active   bool   `json:"active"`
}

func fixtureDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "django")
}

// DjangoUsers lists the fixture's accounts in source id order.
func DjangoUsers(t testing.TB) []DjangoUser {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir(), "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	var users []DjangoUser
	if err := json.Unmarshal(b, &users); err != nil {
		t.Fatal(err)
	}
	return users
}

// DjangoSQLite returns a copy of the original's SQLite database, in the
// test's temporary directory.
func DjangoSQLite(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir(), "fixture.sqlite3"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "db.sqlite3")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// DjangoPostgres loads the original's PostgreSQL database (the same data,
// written by Django's PostgreSQL backend and dumped by pg_dump) into a
// fresh schema and returns its URL. It skips as PostgresDSN does.
func DjangoPostgres(t testing.TB) string {
	t.Helper()
	dump, err := os.ReadFile(filepath.Join(fixtureDir(), "fixture.postgres.sql"))
	if err != nil {
		t.Fatal(err)
	}
	dsn := PostgresDSN(t)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// No arguments: pgx sends it as one simple query, statements and all.
	if _, err := db.Exec(string(dump)); err != nil {
		t.Fatalf("load fixture.postgres.sql: %v", err)
	}
	return dsn
}
