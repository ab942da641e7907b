// Package models holds the Bun models, the Store that reads and writes them,
// and the embedded migrations that shape the database.
package models

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"
	"github.com/uptrace/bun/migrate"
)

//go:embed migrations
var migrationFiles embed.FS

// Store reads and writes everything the app keeps.
type Store struct {
	db *bun.DB
	// w is the handle writes go through. On SQLite it is one connection,
	// so writers queue in Go instead of polling SQLite's busy lock (which
	// under load let some wait past busy_timeout); on PostgreSQL it is db.
	w *bun.DB
	// path is the SQLite file ("" for PostgreSQL); the session key is
	// kept beside it.
	path string
	// sessions caches SessionUser (session_cache.go); onUserChange, if
	// set, tells the other instances what changed here.
	sessions     *sessionCache
	onUserChange func(userID int64)

	// stmts are the prepared statements of the hot queries (stmt.go).
	stmts [numStmts]*sql.Stmt
}

// Open opens (creating if needed) the SQLite database at path and runs the
// migrations. path may be ":memory:"-free only: tests use a file in a temp dir.
//
// A path starting with postgres:// or postgresql:// opens that PostgreSQL
// database instead (see postgres.go).
func Open(ctx context.Context, path string) (*Store, error) {
	if IsPostgres(path) {
		return openPostgres(ctx, path)
	}
	sqldb, err := sql.Open(sqliteshim.ShimName, sqliteDSN(path))
	if err != nil {
		return nil, fmt.Errorf("models: open %s: %w", path, err)
	}
	// database/sql keeps 2 idle connections by default; every other query
	// would open and set up a new SQLite connection and tear it down after.
	sqldb.SetMaxOpenConns(16)
	sqldb.SetMaxIdleConns(16)
	wdb, err := sql.Open(sqliteshim.ShimName, sqliteDSN(path))
	if err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("models: open %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxIdleTime(0)
	db := bun.NewDB(sqldb, sqlitedialect.New())
	s := &Store{db: db, w: bun.NewDB(wdb, sqlitedialect.New()), path: path, sessions: newSessionCache()}
	if err := s.migrate(ctx, "migrations/sqlite"); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.prepareStmts(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context, dir string) error {
	sub, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return fmt.Errorf("models: migrations: %w", err)
	}
	migrations := migrate.NewMigrations()
	if err := migrations.Discover(sub); err != nil {
		return fmt.Errorf("models: discover migrations: %w", err)
	}
	m := migrate.NewMigrator(s.db, migrations, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("models: init migrations: %w", err)
	}
	if _, err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("models: migrate: %w", err)
	}
	_, err = s.fillSkeletons(ctx)
	return err
}

// Close closes the database.
func (s *Store) Close() error {
	s.closeStmts()
	if s.w != s.db {
		s.w.Close()
	}
	return s.db.Close()
}

// OnUserChange sets f to be called after every change this Store makes to
// a user or their sessions (logout, password, deactivation, display name,
// avatar...), once it has committed: the App sends it to the other
// instances, which call ForgetUser. Set it before serving.
func (s *Store) OnUserChange(f func(userID int64)) { s.onUserChange = f }

// ForgetUser drops what this Store has cached of a user's sessions: for a
// change another instance made. userID 0 forgets every user, for changes
// that may have been missed (a lost link to the others) or made to the
// database directly.
func (s *Store) ForgetUser(userID int64) {
	if userID == 0 {
		s.sessions.forgetAll()
		return
	}
	s.sessions.forgetUser(userID)
}

// changed is called by every method that changes a users or user_sessions
// row, after the change has committed.
func (s *Store) changed(userID int64) {
	s.sessions.forgetUser(userID)
	if s.onUserChange != nil {
		s.onUserChange(userID)
	}
}

// DB exposes the Bun handle for tests and admin tooling. A write made
// through it to users or user_sessions must be followed by ForgetUser.
func (s *Store) DB() *bun.DB { return s.db }
