package models

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrBackupPostgres: a PostgreSQL database is backed up with pg_dump.
var ErrBackupPostgres = errors.New("models: PostgreSQL databases are backed up with pg_dump")

// Backup writes a consistent copy of the SQLite database to path, which
// must not exist yet, while the server goes on serving: VACUUM INTO reads
// one snapshot (a read transaction, which WAL lets run beside the writer),
// so every message committed before it began is in the copy. The copy is
// synced to disk before Backup returns.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.isPostgres() {
		return ErrBackupPostgres
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("models: backup: %s exists already; choose a new file", path)
	}
	// Bound, not inlined: the path may hold any character.
	if _, err := s.db.DB.ExecContext(ctx, "VACUUM INTO $1", path); err != nil {
		return fmt.Errorf("models: backup to %s: %w", path, err)
	}
	for _, p := range []string{path, filepath.Dir(path)} {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("models: backup: %w", err)
		}
		err = f.Sync()
		f.Close()
		if err != nil {
			return fmt.Errorf("models: backup: sync %s: %w", p, err)
		}
	}
	return nil
}
