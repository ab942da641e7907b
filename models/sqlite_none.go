// Without cgo where modernc.org/sqlite does not run, sqliteshim has no
// SQLite driver at all (same constraint as sqliteshim's other.go).

//go:build !cgo && (cgosqlite || !((darwin && amd64) || (darwin && arm64) || (linux && 386) || (linux && amd64) || (linux && arm) || (linux && arm64) || (windows && amd64)))

package models

func sqliteViolation(error) violation { return noViolation }

// sqliteDSN is any: the shim's stand-in driver refuses every DSN.
func sqliteDSN(path string) string { return path }
