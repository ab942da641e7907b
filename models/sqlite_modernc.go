// The SQLite driver sqliteshim registers on these platforms, unless built
// with the cgosqlite tag (same constraint as sqliteshim's modernc.go).

//go:build !cgosqlite && ((darwin && amd64) || (darwin && arm64) || (linux && 386) || (linux && amd64) || (linux && arm) || (linux && arm64) || (windows && amd64))

package models

import (
	"errors"
	"net/url"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteViolation reads modernc.org/sqlite's extended result code (the
// driver turns extended codes on for every connection).
func sqliteViolation(err error) violation {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return noViolation
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return uniqueViolation
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return foreignKeyViolation
	}
	return noViolation
}

// sqliteDSN puts every pragma in the DSN so each pooled connection gets it.
// WAL lets readers run beside the single writer; synchronous(FULL) makes a
// commit durable before it is acknowledged; _txlock=immediate takes the write
// lock at BEGIN so a transaction never fails half way with SQLITE_BUSY.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}
