package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// Prepared statements for the queries every post (and every request about
// a room) runs. Bun writes argument values into the SQL text, so each of
// its queries is a statement SQLite has never seen and parses from
// scratch: a quarter of the server's CPU while posting went to parsing.
// These are prepared once when the Store opens and then only bound and run;
// database/sql prepares each again on any other pooled connection the first
// time it runs there, and Tx.StmtContext reuses it inside a transaction.
// Neither the driver (modernc.org/sqlite v1.46.1) nor Bun (v1.3.0) has a
// statement cache to switch on instead.
//
// The SQL is written once with $1, $2… (PostgreSQL's placeholders), which
// become ?1, ?2… (SQLite's numbered ones, bound by position) on SQLite.

type stmtID int

const (
	stmtRoomVisible stmtID = iota
	stmtMemberOf
	stmtRoomSeq
	stmtRoomStates
	stmtRoomStateOf
	stmtRoomHead // this one and those below run on Store.w, those above on Store.db
	stmtAdvanceRoom
	stmtMarkRead
	stmtClearMentionsRead
	stmtInsertPosts // SQLite only
	numStmts
)

// stmtSQL is each statement's text.
var stmtSQL = [numStmts]string{
	// seeRule (access.go) is the access rule, the same text Bun queries use.
	stmtRoomVisible: `SELECT r.id, r.name, r.name_key, r.created_at, r.kind, r.owner_id FROM rooms AS r
		WHERE r.name_key = $2 AND ` + seeOf1,
	stmtMemberOf: `SELECT rm.room_id, rm.user_id, rm.role, rm.muted_until, rm.added_at FROM room_members AS rm
		WHERE rm.room_id = $1 AND rm.user_id = $2`,
	stmtRoomSeq: `SELECT seq FROM rooms WHERE id = $1`,
	// Every stream opened reads the reader's sidebar with these.
	stmtRoomStates:  roomStatesSQL + seeOf1 + ` ORDER BY r.name_key`,
	stmtRoomStateOf: roomStatesSQL + seeOf1 + ` AND r.id = $2 ORDER BY r.name_key`,
	stmtRoomHead:    `SELECT seq FROM rooms WHERE id = $1`,
	stmtAdvanceRoom: `UPDATE rooms SET seq = $1 WHERE id = $2 AND seq < $1`,
	stmtMarkRead: `INSERT INTO room_reads AS rr (user_id, room_id, last_read_id, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, room_id) DO UPDATE SET last_read_id = EXCLUDED.last_read_id, updated_at = EXCLUDED.updated_at
		WHERE rr.last_read_id < EXCLUDED.last_read_id`,
	stmtClearMentionsRead: `DELETE FROM mentions WHERE user_id = $1 AND room_id = $2 AND message_id <= $3`,
	// A batch's posts as one JSON array of postRow (insertPosts).
	stmtInsertPosts: `INSERT INTO messages (room_id, user_id, content, created_at, seq, reply_to_id, edited_at, deleted_at, bot_name)
		SELECT p.value->>'r', p.value->>'u', p.value->>'c', p.value->>'t', p.value->>'s', p.value->>'p', p.value->>'e', p.value->>'d', p.value->>'b'
		FROM json_each($1) AS p
		RETURNING id, room_id, seq`,
}

// seeOf1 is seeRule (access.go) for the user in $1.
var seeOf1 = strings.ReplaceAll(seeRule, "?0", "$1")

// sqliteOnly are statements PostgreSQL does otherwise.
func sqliteOnly(id stmtID) bool { return id == stmtRoomHead || id == stmtInsertPosts }

// stmtText is id's SQL for the database at hand.
func stmtText(id stmtID, pg bool) string {
	if pg {
		return stmtSQL[id]
	}
	// $N → ?N: the same parameter by number, in SQLite's own syntax.
	return strings.ReplaceAll(stmtSQL[id], "$", "?")
}

// prepareStmts prepares every statement; it runs once the schema is in place.
func (s *Store) prepareStmts(ctx context.Context) error {
	pg := s.isPostgres()
	for id := range numStmts {
		if pg && sqliteOnly(id) {
			continue
		}
		db := s.w
		if id < stmtRoomHead {
			db = s.db
		}
		st, err := db.PrepareContext(ctx, stmtText(id, pg))
		if err != nil {
			return fmt.Errorf("models: prepare statement %d: %w", id, err)
		}
		s.stmts[id] = st.Stmt
	}
	return nil
}

// closeStmts closes the prepared statements, before the databases close;
// a closed one answers an error, as a closed database does.
func (s *Store) closeStmts() {
	for _, st := range s.stmts {
		if st != nil {
			st.Close()
		}
	}
}

// stmtIn is statement id for use in tx.
func (s *Store) stmtIn(ctx context.Context, tx bun.Tx, id stmtID) *sql.Stmt {
	return tx.StmtContext(ctx, s.stmts[id])
}

// scanOne runs a prepared query and scans its first row into the Bun model
// dest the way Bun would; no row is sql.ErrNoRows.
func (s *Store) scanOne(ctx context.Context, st *sql.Stmt, dest any, args ...any) error {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := s.db.ScanRow(ctx, rows, dest); err != nil {
		return err
	}
	return rows.Close()
}
