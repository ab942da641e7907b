package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// mentionRow is one unread mention of a user.
type mentionRow struct {
	bun.BaseModel `bun:"table:mentions,alias:mn"`

	UserID    int64 `bun:"user_id,pk"`
	RoomID    int64 `bun:"room_id,pk"`
	MessageID int64 `bun:"message_id,pk"`
}

// recordAttention keeps, in the writer's transaction, what a batch changed
// for people rather than for the room:
//   - a post marks the room read, for its author, up to the post (as in
//     Discord and Slack: you have read what you answer);
//   - a post, an edit or a deletion puts each message's stored mentions in
//     line with its text as it now is. A mention an edit adds counts like a
//     new one; one an edit removes, or a deletion takes away, is gone.
//
// It fills in each changed message's Posted, NewlyMentioned and Unmentioned for
// the subscribers. A message without "@" costs nothing here. Only people
// who may see the room are mentioned (mayMention, the access rule).
func (s *Store) recordAttention(ctx context.Context, tx bun.Tx, batch []*change, errs []error, changed []*Message, now time.Time) error {
	var marks []readMark
	posted := make(map[int64]bool)
	rewritten := make(map[int64]bool) // edited or deleted
	for i, c := range batch {
		switch {
		case errs[i] != nil:
		case c.kind == post:
			c.msg.Posted = true
			posted[c.msg.ID] = true
			marks = append(marks, readMark{userID: c.msg.UserID, roomID: c.msg.RoomID, lastID: c.msg.ID})
		case c.kind == edit || c.kind == remove:
			rewritten[c.messageID] = true
		}
	}
	if err := s.saveReads(ctx, tx, marks, now); err != nil {
		return err
	}

	// What each message should mention now, and what it did before.
	var keys []string
	var before []int64
	for _, m := range changed {
		if !posted[m.ID] && !rewritten[m.ID] {
			continue
		}
		if !m.Deleted() {
			keys = append(keys, MentionedKeys(m.Content)...)
		}
		if rewritten[m.ID] && !posted[m.ID] {
			before = append(before, m.ID)
		}
	}
	users, err := usersByKey(ctx, tx, keys)
	if err != nil {
		return err
	}
	had := make(map[int64][]int64)
	if len(before) > 0 {
		var rows []mentionRow
		if err := tx.NewSelect().Model(&rows).Where("message_id IN (?)", bun.List(before)).Scan(ctx); err != nil {
			return fmt.Errorf("models: read mentions: %w", err)
		}
		for _, r := range rows {
			had[r.MessageID] = append(had[r.MessageID], r.UserID)
		}
	}

	var add []mentionRow
	for _, m := range changed {
		m.NewlyMentioned, m.Unmentioned = nil, nil // a batch that failed may have set them
		if !posted[m.ID] && !rewritten[m.ID] {
			continue
		}
		var want []int64
		if !m.Deleted() {
			for _, k := range MentionedKeys(m.Content) {
				if id, ok := users[k]; ok && id != m.UserID && !slices.Contains(want, id) {
					want = append(want, id)
				}
			}
		}
		if len(want) > 0 {
			// Only those who may see the room are mentioned.
			may, err := mayMention(ctx, tx, m.RoomID, want)
			if err != nil {
				return err
			}
			want = slices.DeleteFunc(want, func(id int64) bool { return !may[id] })
		}
		for _, id := range want {
			if !slices.Contains(had[m.ID], id) {
				m.NewlyMentioned = append(m.NewlyMentioned, id)
				add = append(add, mentionRow{UserID: id, RoomID: m.RoomID, MessageID: m.ID})
			}
		}
		for _, id := range had[m.ID] {
			if !slices.Contains(want, id) {
				m.Unmentioned = append(m.Unmentioned, id)
			}
		}
		if len(m.Unmentioned) > 0 {
			_, err := tx.NewDelete().Model((*mentionRow)(nil)).
				Where("message_id = ?", m.ID).Where("user_id IN (?)", bun.List(m.Unmentioned)).Exec(ctx)
			if err != nil {
				return fmt.Errorf("models: remove mentions: %w", err)
			}
		}
	}
	if len(add) > 0 {
		if _, err := tx.NewInsert().Model(&add).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("models: store mentions: %w", err)
		}
	}
	return nil
}

// usersByKey maps the name keys (FoldKey) that belong to users to their ids.
func usersByKey(ctx context.Context, db bun.IDB, keys []string) (map[string]int64, error) {
	out := make(map[string]int64)
	if len(keys) == 0 {
		return out, nil
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var rows []struct {
		ID  int64  `bun:"id"`
		Key string `bun:"username_key"`
	}
	err := db.NewSelect().Model((*User)(nil)).Column("id", "username_key").
		Where("username_key IN (?)", bun.List(keys)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("models: users mentioned: %w", err)
	}
	for _, r := range rows {
		out[r.Key] = r.ID
	}
	return out, nil
}
