// sqliteshim falls back to github.com/mattn/go-sqlite3 with cgo where
// modernc.org/sqlite does not run, and uses it anywhere when built with the
// cgosqlite tag (same constraint as sqliteshim's mattn.go).

//go:build cgo && (cgosqlite || !((darwin && amd64) || (darwin && arm64) || (linux && 386) || (linux && amd64) || (linux && arm) || (linux && arm64) || (windows && amd64)))

package models

import (
	"errors"
	"net/url"

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

// sqliteDSN is sqlite_modernc.go's, in go-sqlite3's spelling: it reads
// neither _pragma nor its function syntax, and without these foreign keys
// would be off (no cascade, no foreign-key violations).
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Set("_foreign_keys", "1")
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}
