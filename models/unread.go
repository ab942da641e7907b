package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// UnreadCap is where counts of unread messages and mentions stop: a room
// shows "99+" from there, and counting a room read long ago costs at most
// this many index steps, however many messages it holds.
const UnreadCap = 100

// RoomState is a room as one user's sidebar shows it.
type RoomState struct {
	ID   int64  `bun:"id"`
	Name string `bun:"name"`
	Kind string `bun:"kind"`
	// Opened says the user has opened the room (or posted in it) at least
	// once; Read is the newest message they have read there.
	Opened bool  `bun:"opened"`
	Read   int64 `bun:"read_id"`
	// Last is the id of the room's newest message, deleted or not: every
	// message up to it is accounted for in Unread.
	Last int64 `bun:"last_id"`
	// Unread counts others' messages after Read, and Mentions the unread
	// mentions of the user; both stop at UnreadCap.
	Unread   int `bun:"unread"`
	Mentions int `bun:"mentions"`
}

// New says the room has messages but the user never opened it: it is
// marked without a count, so that joining a busy server does not show a
// wall of numbers.
func (r RoomState) New() bool { return !r.Opened && r.Last > 0 }

// visibleTo narrows a query over "rooms AS r" to the rooms userID may see
// (0: someone not logged in). The rule itself is seeRule (access.go):
// public rooms but those the user is banned from, rooms they are a member
// of, and for staff every private room. The prepared statements of
// RoomVisibleTo and RoomStates apply the same text (seeOf1).
func visibleTo(q *bun.SelectQuery, userID int64) *bun.SelectQuery {
	return q.Where(seeRule, userID)
}

// RoomVisibleTo finds a room by name (case ignored) that userID may see.
// One they may not see is not found, exactly like one that does not exist.
func (s *Store) RoomVisibleTo(ctx context.Context, userID int64, name string) (*Room, error) {
	key := FoldKey(name)
	if strings.IndexByte(key, 0) >= 0 || !utf8.ValidString(key) {
		return nil, &NotFoundError{What: "room", Name: name} // no room is named so
	}
	r := new(Room)
	if err := s.scanOne(ctx, s.stmts[stmtRoomVisible], r, userID, key); err != nil {
		return nil, lookup(err, &NotFoundError{What: "room", Name: name})
	}
	return r, nil
}

// RoomStates lists the rooms userID may see, by name, each with the
// user's unread state (userID 0: nobody's, every count 0).
func (s *Store) RoomStates(ctx context.Context, userID int64) ([]RoomState, error) {
	return s.roomStates(ctx, userID, 0)
}

// RoomStateOf is one room's unread state for userID; a room they may not
// see is not found.
func (s *Store) RoomStateOf(ctx context.Context, userID, roomID int64) (RoomState, error) {
	states, err := s.roomStates(ctx, userID, roomID)
	if err != nil {
		return RoomState{}, err
	}
	if len(states) == 0 {
		return RoomState{}, &NotFoundError{What: "room", ID: roomID}
	}
	return states[0], nil
}

// unreadWindow bounds how many messages after a read mark an unread count
// looks at, so that a run of the reader's own or deleted messages (which do
// not count) cannot make it scan a whole room.
const unreadWindow = 10 * UnreadCap

// roomStates reads every visible room (or one) in one query. Per room it
// costs an index seek for the newest id, and for the unread count about
// UnreadCap index steps (at most unreadWindow), for mentions at most
// UnreadCap.
func (s *Store) roomStates(ctx context.Context, userID, roomID int64) ([]RoomState, error) {
	var out []RoomState
	rows, err := s.roomStateRows(ctx, userID, roomID)
	if err == nil {
		err = s.db.ScanRows(ctx, rows, &out)
	}
	if err != nil {
		return nil, fmt.Errorf("models: room states: %w", err)
	}
	return out, nil
}

func (s *Store) roomStateRows(ctx context.Context, userID, roomID int64) (*sql.Rows, error) {
	if roomID == 0 {
		return s.stmts[stmtRoomStates].QueryContext(ctx, userID)
	}
	return s.stmts[stmtRoomStateOf].QueryContext(ctx, userID, roomID)
}

// roomStatesSQL is roomStates' query for the user in $1, up to its WHERE.
// The limits are written in, not bound: SQLite prepares a statement again
// at every run when a subquery's LIMIT is a parameter.
var roomStatesSQL = strings.NewReplacer("$WINDOW", strconv.Itoa(unreadWindow), "$CAP", strconv.Itoa(UnreadCap)).Replace(`SELECT r.id, r.name, r.kind,
	rr.user_id IS NOT NULL AS opened,
	COALESCE(rr.last_read_id, 0) AS read_id,
	COALESCE((SELECT MAX(m.id) FROM messages AS m WHERE m.room_id = r.id), 0) AS last_id,
	(SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT m.user_id, m.deleted_at FROM messages AS m
		WHERE m.room_id = r.id AND m.id > rr.last_read_id ORDER BY m.id LIMIT $WINDOW) AS w
		WHERE w.user_id <> $1 AND w.deleted_at IS NULL LIMIT $CAP) AS u) AS unread,
	(SELECT COUNT(*) FROM (SELECT 1 FROM mentions AS mn
		WHERE mn.user_id = $1 AND mn.room_id = r.id LIMIT $CAP) AS x) AS mentions
	FROM rooms AS r
	LEFT JOIN room_reads AS rr ON rr.room_id = r.id AND rr.user_id = $1
	WHERE `)

// readMark says userID has read roomID up to message lastID. A room_reads
// row holds the id of the newest message a user has read in a room; a
// user without a row for a room never opened it.
type readMark struct {
	userID, roomID, lastID int64
}

// saveReads stores read marks in tx: a mark only ever moves forward, and
// the mentions it covers are cleared. Several marks of one user in one
// room keep the furthest.
func (s *Store) saveReads(ctx context.Context, tx bun.Tx, marks []readMark, now time.Time) error {
	furthest := make(map[[2]int64]int64, len(marks))
	var order [][2]int64
	for _, m := range marks {
		k := [2]int64{m.userID, m.roomID}
		if prev, ok := furthest[k]; !ok {
			order = append(order, k)
			furthest[k] = m.lastID
		} else {
			furthest[k] = max(prev, m.lastID)
		}
	}
	if len(order) == 0 {
		return nil
	}
	mark, clearMentions := s.stmtIn(ctx, tx, stmtMarkRead), s.stmtIn(ctx, tx, stmtClearMentionsRead)
	at := s.timeArg(now)
	for _, k := range order {
		_, err := mark.ExecContext(ctx, k[0], k[1], furthest[k], at)
		if violationOf(err) == foreignKeyViolation {
			return &NotFoundError{What: "room", ID: k[1], Err: err} // deleted meanwhile
		}
		if err != nil {
			return fmt.Errorf("models: mark room %d read: %w", k[1], err)
		}
		_, err = clearMentions.ExecContext(ctx, k[0], k[1], furthest[k])
		if err != nil {
			return fmt.Errorf("models: clear mentions read: %w", err)
		}
	}
	return nil
}
