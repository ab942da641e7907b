package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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
	s := &Store{db: db, w: db}
	if err := s.migrateLocked(ctx); err != nil {
		db.Close()
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

// roomHeads prepares a transaction to insert messages into the rooms of
// msgs and returns the id of each room's newest message (0 for none).
//
// Ids double as resume cursors, so within a room they must become visible
// in id order: a reader that has seen id 11 must never later find a 10. On
// SQLite that holds by itself (one write transaction at a time). On
// PostgreSQL ids come from a sequence, and two transactions (two instances,
// or the writer and an admin tool) can draw 10 and 11 and commit 11 first.
// So on PostgreSQL the transaction first locks the rooms' rows (FOR UPDATE,
// in id order so two writers cannot deadlock). A room's ids are drawn only
// while its row is locked and the lock is held to commit, so the next
// transaction into that room draws larger ids and commits after: per room,
// commit order is id order. Different rooms still commit in parallel.
//
// The heads let each message carry the id of the one before it in its room
// (Message.Prev), which lets an instance receiving messages from others
// tell a message that is next in line from one that arrived early.
func (s *Store) roomHeads(ctx context.Context, tx bun.Tx, msgs []*Message) (map[int64]int64, error) {
	ids := make([]int64, 0, 1)
	for _, m := range msgs {
		if !slices.Contains(ids, m.RoomID) {
			ids = append(ids, m.RoomID)
		}
	}
	slices.Sort(ids)
	var rows []struct {
		RoomID int64 `bun:"room_id"`
		LastID int64 `bun:"last_id"`
	}
	if s.isPostgres() {
		// Two statements, not one: a statement that waited for a row lock
		// still reads with the snapshot it started with, so the newest id
		// must be read by the next statement, which sees what the previous
		// holder of the lock committed.
		var locked []int64
		if err := tx.NewSelect().Model((*Room)(nil)).Column("id").
			Where("id IN (?)", bun.List(ids)).OrderExpr("id").For("UPDATE").
			Scan(ctx, &locked); err != nil {
			return nil, fmt.Errorf("models: lock rooms: %w", err)
		}
	}
	if err := tx.NewSelect().Model((*Message)(nil)).
		Column("room_id").ColumnExpr("MAX(id) AS last_id").
		Where("room_id IN (?)", bun.List(ids)).Group("room_id").
		Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("models: room heads: %w", err)
	}
	heads := make(map[int64]int64, len(ids))
	for _, r := range rows {
		heads[r.RoomID] = r.LastID
	}
	return heads, nil
}

// insertPostgres inserts msgs with one statement. PostgreSQL draws a
// multi-row INSERT's ids in the order of its rows and returns them in that
// order, which Bun relies on to fill in the ids.
func (s *Store) insertPostgres(ctx context.Context, tx bun.Tx, msgs []*Message, heads map[int64]int64) error {
	if _, err := tx.NewInsert().Model(&msgs).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("models: insert messages: %w", err)
	}
	for _, m := range msgs {
		m.Prev = heads[m.RoomID]
		heads[m.RoomID] = m.ID
	}
	return nil
}

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
