// sqliteshim falls back to github.com/mattn/go-sqlite3 with cgo where
// modernc.org/sqlite does not run, and uses it anywhere when built with the
// cgosqlite tag (same constraint as sqliteshim's mattn.go).

//go:build cgo && (cgosqlite || !((darwin && amd64) || (darwin && arm64) || (linux && 386) || (linux && amd64) || (linux && arm) || (linux && arm64) || (windows && amd64)))

package models

import (
	"errors"

	"github.com/mattn/go-sqlite3"
)

// sqliteViolation reads go-sqlite3's extended result code.
func sqliteViolation(err error) violation {
	var e sqlite3.Error
	if !errors.As(err, &e) {
		return noViolation
	}
	switch e.ExtendedCode {
	case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
		return uniqueViolation
	case sqlite3.ErrConstraintForeignKey:
		return foreignKeyViolation
	}
	return noViolation
}
