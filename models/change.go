package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// applyChanges commits a batch of changes in one transaction. It returns
// the changed messages in change order, each once and in its final state,
// and one error per change for those refused (a room or message that is
// gone, someone else's message); err is a failure of the whole batch.
//
// Numbering. Each room's row holds the number of its latest change. The
// batch reads it, gives each message it touches the next number at its
// first touch (Message.Seq), and writes the new head back. On PostgreSQL
// the rooms' rows are locked first (FOR UPDATE, in id order so two writers
// cannot deadlock) and held to commit, so per room the numbers, and the
// message ids drawn after the lock, become visible in order: a stream that
// has seen change 11 never later finds a 10. On SQLite one writer does
// that by itself. Numbers have no gaps, so a message's predecessor in its
// room's stream is simply Seq-1.
func (s *Store) applyChanges(ctx context.Context, batch []*change, now time.Time) (changed []*Message, errs []error, err error) {
	errs = make([]error, len(batch))
	err = s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		changed = changed[:0]
		clear(errs)
		heads, err := s.lockRooms(ctx, tx, batch)
		if err != nil {
			return err
		}
		touched := make(map[int64]int64) // message id: its number in this batch
		var order []*Message             // changed messages, in change order
		var posts []*Message
		touch := func(c *change) int64 {
			if seq, ok := touched[c.messageID]; ok {
				return seq
			}
			heads[c.roomID]++
			touched[c.messageID] = heads[c.roomID]
			order = append(order, &Message{ID: c.messageID})
			return heads[c.roomID]
		}
		if err := s.checkQuotas(ctx, tx, batch, errs, heads); err != nil {
			return err
		}
		for i, c := range batch {
			if errs[i] != nil {
				continue // over quota
			}
			if _, ok := heads[c.roomID]; !ok {
				errs[i] = &NotFoundError{What: "room", ID: c.roomID}
				continue
			}
			if c.kind == post {
				if c.msg.ReplyToID != 0 {
					if _, err := s.target(ctx, tx, c.roomID, c.msg.ReplyToID, true); err != nil {
						errs[i] = err
						continue
					}
				}
				heads[c.roomID]++
				c.msg.Seq = heads[c.roomID]
				posts = append(posts, c.msg)
				order = append(order, c.msg)
				continue
			}
			t, err := s.target(ctx, tx, c.roomID, c.messageID, false)
			if err != nil {
				errs[i] = err
				continue
			}
			if c.kind == edit && t.UserID != c.userID {
				errs[i] = ErrNotAuthor
				continue
			}
			if err := s.applyOne(ctx, tx, c, touch(c), now); err != nil {
				return err
			}
		}
		if err := s.insertPosts(ctx, tx, posts); err != nil {
			return err
		}
		if err := s.insertAttachments(ctx, tx, posts, now); err != nil {
			return err
		}
		advance := s.stmtIn(ctx, tx, stmtAdvanceRoom)
		for room, seq := range heads {
			if _, err := advance.ExecContext(ctx, seq, room); err != nil {
				return fmt.Errorf("models: advance room %d: %w", room, err)
			}
		}
		loaded, err := s.loadChanged(ctx, tx, order, posts)
		if err != nil {
			return err
		}
		if err := s.loadMentions(ctx, tx, loaded); err != nil {
			return err
		}
		changed = loaded
		return s.recordAttention(ctx, tx, batch, errs, changed, now)
	})
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[int64]*Message, len(changed))
	for _, m := range changed {
		byID[m.ID] = m
	}
	for i, c := range batch {
		if c.kind != post && errs[i] == nil {
			c.msg = byID[c.messageID]
		}
	}
	return changed, errs, nil
}

// lockRooms reads (and on PostgreSQL locks) the rooms of a batch and
// returns each one's latest change number. A room that no longer exists is
// missing from the map.
func (s *Store) lockRooms(ctx context.Context, tx bun.Tx, batch []*change) (map[int64]int64, error) {
	ids := make([]int64, 0, 1)
	for _, c := range batch {
		if !slices.Contains(ids, c.roomID) {
			ids = append(ids, c.roomID)
		}
	}
	slices.Sort(ids)
	if s.isPostgres() {
		// One round trip for all, rather than one per room.
		var rows []struct {
			ID  int64 `bun:"id"`
			Seq int64 `bun:"seq"`
		}
		q := tx.NewSelect().Model((*Room)(nil)).Column("id", "seq").Where("id IN (?)", bun.List(ids)).OrderExpr("id").For("UPDATE")
		if err := q.Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("models: lock rooms: %w", err)
		}
		heads := make(map[int64]int64, len(rows))
		for _, r := range rows {
			heads[r.ID] = r.Seq
		}
		return heads, nil
	}
	// SQLite is in process: a prepared statement per room costs less than
	// parsing a new IN list at every commit.
	lock := s.stmtIn(ctx, tx, stmtRoomHead)
	heads := make(map[int64]int64, len(ids))
	for _, id := range ids {
		var seq int64
		err := lock.QueryRowContext(ctx, id).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("models: lock room %d: %w", id, err)
		}
		heads[id] = seq
	}
	return heads, nil
}

// target reads the message a change is about. It must be in room and, unless
// tombstones are acceptable (a reply to a message deleted meanwhile), not
// deleted.
func (s *Store) target(ctx context.Context, tx bun.Tx, roomID, messageID int64, tombstoneOK bool) (*Message, error) {
	m := new(Message)
	err := tx.NewSelect().Model(m).Column("id", "room_id", "user_id", "deleted_at").Where("id = ?", messageID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (m.RoomID != roomID || m.Deleted() && !tombstoneOK) {
		return nil, &NotFoundError{What: "message", ID: messageID}
	}
	if err != nil {
		return nil, fmt.Errorf("models: message %d: %w", messageID, err)
	}
	return m, nil
}

// applyOne makes an edit, a deletion or a reaction, numbering the message seq.
func (s *Store) applyOne(ctx context.Context, tx bun.Tx, c *change, seq int64, now time.Time) error {
	q := tx.NewUpdate().Model((*Message)(nil)).Set("seq = ?", seq).Where("id = ?", c.messageID)
	switch c.kind {
	case edit:
		q = q.Set("content = ?", c.content).Set("edited_at = ?", now)
	case remove:
		q = q.Set("content = ''").Set("deleted_at = ?", now)
		if _, err := tx.NewDelete().Model((*reactionRow)(nil)).Where("message_id = ?", c.messageID).Exec(ctx); err != nil {
			return fmt.Errorf("models: delete reactions: %w", err)
		}
		if err := deleteAttachments(ctx, tx, c.messageID); err != nil {
			return err
		}
	case react:
		res, err := tx.NewDelete().Model((*reactionRow)(nil)).
			Where("message_id = ?", c.messageID).Where("emoji = ?", c.emoji).Where("user_id = ?", c.userID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("models: toggle reaction: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			row := &reactionRow{MessageID: c.messageID, Emoji: c.emoji, UserID: c.userID, CreatedAt: now}
			if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
				return fmt.Errorf("models: add reaction: %w", err)
			}
		}
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("models: change message %d: %w", c.messageID, err)
	}
	return nil
}

// insertPosts stores new messages, filling in their ids, in one statement.
// PostgreSQL draws a multi-row INSERT's ids in the order of its rows and
// returns them in that order, which Bun relies on.
func (s *Store) insertPosts(ctx context.Context, tx bun.Tx, posts []*Message) error {
	if len(posts) == 0 {
		return nil
	}
	if s.isPostgres() {
		if _, err := tx.NewInsert().Model(&posts).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("models: insert messages: %w", err)
		}
		return nil
	}
	// SQLite too takes them in one statement: each statement opens a
	// savepoint, at which the search index (FTS5) writes out what it holds
	// as a segment of its own, so a row per statement meant a segment per
	// message and far more merging. The rows go as one JSON argument to a
	// prepared statement (stmtInsertPosts): a VALUES list as long as the
	// batch would be a new statement to parse at almost every commit.
	// SQLite returns the rows in no promised order, so each id is matched
	// by (room, seq), unique within a batch.
	prows := make([]postRow, len(posts))
	for i, m := range posts {
		prows[i] = postRow{Room: m.RoomID, User: m.UserID, Content: m.Content, Created: s.timeArg(m.CreatedAt).(string),
			Seq: m.Seq, ReplyTo: m.ReplyToID, Edited: s.timeText(m.EditedAt), Deleted: s.timeText(m.DeletedAt), Bot: m.BotName}
	}
	arg, err := json.Marshal(prows)
	if err != nil {
		return fmt.Errorf("models: insert messages: %w", err)
	}
	rows, err := s.stmtIn(ctx, tx, stmtInsertPosts).QueryContext(ctx, string(arg))
	if err != nil {
		return fmt.Errorf("models: insert messages: %w", err)
	}
	defer rows.Close()
	type key struct{ room, seq int64 }
	ids := make(map[key]int64, len(posts))
	for rows.Next() {
		var id int64
		var k key
		if err := rows.Scan(&id, &k.room, &k.seq); err != nil {
			return fmt.Errorf("models: insert messages: %w", err)
		}
		ids[k] = id
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("models: insert messages: %w", err)
	}
	for _, m := range posts {
		if m.ID = ids[key{m.RoomID, m.Seq}]; m.ID == 0 {
			return fmt.Errorf("models: insert messages: no id came back for room %d change %d", m.RoomID, m.Seq)
		}
	}
	return nil
}

// postRow is a new message as stmtInsertPosts reads it; a zero reply or
// time is left out, so it is stored as NULL (Bun's nullzero).
type postRow struct {
	Room    int64  `json:"r"`
	User    int64  `json:"u"`
	Content string `json:"c"`
	Created string `json:"t"`
	Seq     int64  `json:"s"`
	ReplyTo int64  `json:"p,omitempty"`
	Edited  string `json:"e,omitempty"`
	Deleted string `json:"d,omitempty"`
	Bot     string `json:"b"`
}

// timeText is t as Bun stores it on SQLite ("" for the zero time).
func (s *Store) timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return s.timeArg(t).(string)
}

// loadChanged reads back, inside the transaction, the messages a batch
// edited, deleted or reacted to (in order as placeholders holding only
// their id), and the messages new posts reply to, and returns every changed
// message in change order.
func (s *Store) loadChanged(ctx context.Context, tx bun.Tx, order, posts []*Message) ([]*Message, error) {
	var ids []int64
	for _, m := range order {
		if m.Seq == 0 {
			ids = append(ids, m.ID) // a placeholder
		}
	}
	for _, m := range posts {
		if m.ReplyToID != 0 {
			ids = append(ids, m.ReplyToID)
		}
	}
	byID := make(map[int64]*Message)
	if len(ids) > 0 {
		var msgs []Message
		if err := selectMessages(tx, &msgs).Where("m.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
			return nil, fmt.Errorf("models: read changed messages: %w", err)
		}
		if err := s.loadReactions(ctx, tx, msgs); err != nil {
			return nil, err
		}
		if err := s.loadAttachments(ctx, tx, msgs); err != nil {
			return nil, err
		}
		for i := range msgs {
			byID[msgs[i].ID] = &msgs[i]
		}
	}
	for _, m := range posts {
		if m.ReplyToID != 0 {
			m.ReplyTo = byID[m.ReplyToID]
		}
	}
	out := make([]*Message, 0, len(order))
	for _, m := range order {
		if m.Seq == 0 {
			m = byID[m.ID]
		}
		if m != nil {
			out = append(out, m)
		}
	}
	return out, nil
}
