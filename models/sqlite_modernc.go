// The SQLite driver sqliteshim registers on these platforms, unless built
// with the cgosqlite tag (same constraint as sqliteshim's modernc.go).

//go:build !cgosqlite && ((darwin && amd64) || (darwin && arm64) || (linux && 386) || (linux && amd64) || (linux && arm) || (linux && arm64) || (windows && amd64))

package models

import (
	"errors"

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
