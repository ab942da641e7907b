package models

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// keysPerQuery bounds the names one lookup sends (Bun inlines arguments).
const keysPerQuery = 500

// loadMentions fills in the Mentioned of msgs: the users their text names
// with @name (FindMentions), found with one query for the whole batch, and
// none at all when no message mentions anyone. A name that is no one's is
// left out, so it shows as plain text.
func (s *Store) loadMentions(ctx context.Context, db bun.IDB, msgs []*Message) error {
	var keys []string
	perMsg := make([][]string, len(msgs))
	seen := map[string]bool{}
	for i, m := range msgs {
		m.Mentioned = nil
		if !strings.Contains(m.Content, "@") {
			continue
		}
		perMsg[i] = MentionedKeys(m.Content)
		for _, k := range perMsg[i] {
			if !seen[k] && lookupable(k) {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	byKey := make(map[string]Member, len(keys))
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), keysPerQuery)]
		keys = keys[len(chunk):]
		var rows []struct {
			ID          int64  `bun:"id"`
			Username    string `bun:"username"`
			UsernameKey string `bun:"username_key"`
			DisplayName string `bun:"display_name"`
		}
		err := db.NewSelect().Model((*User)(nil)).Column("id", "username", "username_key", "display_name").
			Where("username_key IN (?)", bun.List(chunk)).Scan(ctx, &rows)
		if err != nil {
			return fmt.Errorf("models: look up mentioned users: %w", err)
		}
		for _, r := range rows {
			byKey[r.UsernameKey] = Member{UserID: r.ID, Name: r.Username, Display: r.DisplayName}
		}
	}
	for i, m := range msgs {
		for _, k := range perMsg[i] {
			if u, ok := byKey[k]; ok {
				m.Mentioned = append(m.Mentioned, u)
			}
		}
	}
	return nil
}

// loadMentionsOf is loadMentions for a slice of messages.
func (s *Store) loadMentionsOf(ctx context.Context, db bun.IDB, msgs []Message) error {
	ptrs := make([]*Message, len(msgs))
	for i := range msgs {
		ptrs[i] = &msgs[i]
	}
	return s.loadMentions(ctx, db, ptrs)
}

// recentPosters is how far back in a room "people who have posted here"
// looks: its latest messages, so the lookup stays small in any room.
const recentPosters = 1000

// MentionCandidates suggests up to limit people for "@" plus prefix in a
// room: first those of online (the room's online list, already filtered by
// the caller) in the order given, then those who posted among the room's
// recent messages, latest first, then anyone else by name. Each comes
// once; except is left out (the person asking). Names match by their key
// (FoldKey) beginning with the prefix's.
func (s *Store) MentionCandidates(ctx context.Context, roomID int64, prefix string, online []Member, except int64, limit int) ([]Member, error) {
	key := FoldKey(prefix)
	if (key != "" && !lookupable(key)) || limit <= 0 {
		return nil, nil
	}
	out := make([]Member, 0, limit)
	seen := map[int64]bool{except: true}
	add := func(ms []Member) {
		for _, m := range ms {
			if len(out) < limit && !seen[m.UserID] && strings.HasPrefix(FoldKey(m.Name), key) {
				seen[m.UserID] = true
				out = append(out, m)
			}
		}
	}
	add(online)
	if len(out) == limit {
		return out, nil
	}

	var posters []Member
	recent := s.db.NewSelect().TableExpr("messages").Column("user_id", "id").
		Where("room_id = ?", roomID).Where("deleted_at IS NULL").
		OrderExpr("id DESC").Limit(recentPosters)
	q := s.db.NewSelect().TableExpr("(?) AS r", recent).
		ColumnExpr("u.id AS user_id, u.username AS name").
		Join("JOIN users AS u ON u.id = r.user_id").
		Join("JOIN rooms AS rr ON rr.id = ?", roomID).
		Where("NOT u.inactive").Where(seeRuleOn("rr"), bun.Safe("u.id")).
		GroupExpr("u.id, u.username").OrderExpr("MAX(r.id) DESC").Limit(int64(limit + len(seen)))
	if key != "" {
		q = s.wherePrefix(q, key)
	}
	if err := q.Scan(ctx, &posters); err != nil {
		return nil, fmt.Errorf("models: recent posters: %w", err)
	}
	add(posters)
	if len(out) == limit {
		return out, nil
	}

	var anyone []Member
	q = s.db.NewSelect().Model((*User)(nil)).ColumnExpr("u.id AS user_id, u.username AS name").
		Join("JOIN rooms AS r ON r.id = ?", roomID).
		Where("NOT u.inactive").Where(seeRule, bun.Safe("u.id")).Limit(int64(limit + len(seen)))
	if key != "" {
		q = s.wherePrefix(q, key)
	}
	if s.isPostgres() {
		q = q.OrderExpr(`u.username_key COLLATE "C"`)
	} else {
		q = q.OrderExpr("u.username_key")
	}
	if err := q.Scan(ctx, &anyone); err != nil {
		return nil, fmt.Errorf("models: users by name: %w", err)
	}
	add(anyone)
	return out, nil
}

// wherePrefix keeps the users (alias u) whose name key starts with key, as
// a range over the index on username_key: byte order, which is SQLite's
// and PostgreSQL's "C" collation (migrations/postgres adds that index).
func (s *Store) wherePrefix(q *bun.SelectQuery, key string) *bun.SelectQuery {
	col := "u.username_key"
	if s.isPostgres() {
		col = `u.username_key COLLATE "C"`
	}
	// Every name beginning with key sorts before key + the last code point.
	return q.Where(col+" >= ?", key).Where(col+" < ?", key+"\U0010FFFF")
}
