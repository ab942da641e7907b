package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// IsPostgres reports whether a -db setting names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than an SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// migrationLockKey is the first half of the advisory lock that serializes
// migrations when several instances start at once; the second half is the
// schema, so databases (and test schemas) do not wait on each other.
const migrationLockKey = 0x6d64 // "md"

// openPostgres opens a PostgreSQL database through pgx's database/sql
// driver and Bun's pg dialect and runs the PostgreSQL migrations. The rest
// of the Store is the same code for both databases.
func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	sqldb, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("models: open postgres: %w", err)
	}
	// Bounded, so N instances stay well under max_connections (100 by
	// default): the single message writer needs one, requests a few each.
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(10)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db := bun.NewDB(sqldb, pgdialect.New())
	s := &Store{db: db, w: db, sessions: newSessionCache()}
	if err := s.migrateLocked(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.prepareStmts(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// migrateLocked runs the migrations under a session advisory lock: the
// first instance to start migrates, the others wait and then find nothing
// to do.
func (s *Store) migrateLocked(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("models: connect postgres: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?, hashtext(current_schema()))", migrationLockKey); err != nil {
		return fmt.Errorf("models: lock migrations: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?, hashtext(current_schema()))", migrationLockKey)
	return s.migrate(ctx, "migrations/postgres")
}

func (s *Store) isPostgres() bool { return s.db.Dialect().Name() == dialect.PG }

// Setting is the server-wide setting name, shared by every instance that
// uses this database. If it is not set yet, it is set to create() first;
// when several instances start at once, one value wins and all read it.
func (s *Store) Setting(ctx context.Context, name string, create func() string) (string, error) {
	if _, err := s.db.NewRaw("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, create()).
		Exec(ctx); err != nil {
		return "", fmt.Errorf("models: set %s: %w", name, err)
	}
	var value string
	if err := s.db.NewRaw("SELECT value FROM settings WHERE name = ?", name).Scan(ctx, &value); err != nil {
		return "", fmt.Errorf("models: read %s: %w", name, err)
	}
	return value, nil
}
