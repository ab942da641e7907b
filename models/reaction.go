package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// ReactionEmoji are the reactions on offer, in the order they are shown.
var ReactionEmoji = []string{"👍", "❤️", "😂", "🎉", "😮", "😢", "🙏", "👀"}

// ValidReaction reports whether emoji is one of ReactionEmoji.
func ValidReaction(emoji string) bool { return slices.Contains(ReactionEmoji, emoji) }

// reactionRow is one person's reaction to a message.
type reactionRow struct {
	bun.BaseModel `bun:"table:reactions,alias:rx"`

	MessageID int64     `bun:"message_id,pk"`
	Emoji     string    `bun:"emoji,pk"`
	UserID    int64     `bun:"user_id,pk"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// Reaction is one emoji on a message with who chose it, first first.
type Reaction struct {
	Emoji string
	Users []Member
}

// Member names a user where a message shows them.
type Member struct {
	UserID int64
	Name   string
	// Display is the display name, where it was read ("" shows Name).
	Display string
}

// loadReactions fills in the Reactions of msgs with one query, in the
// order of ReactionEmoji.
func (s *Store) loadReactions(ctx context.Context, db bun.IDB, msgs []Message) error {
	if len(msgs) == 0 {
		return nil
	}
	ids := make([]int64, len(msgs))
	for i := range msgs {
		ids[i] = msgs[i].ID
	}
	var rows []struct {
		MessageID int64  `bun:"message_id"`
		Emoji     string `bun:"emoji"`
		UserID    int64  `bun:"user_id"`
		Username  string `bun:"username"`
	}
	err := db.NewSelect().TableExpr("reactions AS rx").
		ColumnExpr("rx.message_id, rx.emoji, rx.user_id, COALESCE(NULLIF(u.display_name, ''), u.username) AS username").
		Join("JOIN users AS u ON u.id = rx.user_id").
		Where("rx.message_id IN (?)", bun.List(ids)).
		OrderExpr("rx.message_id, rx.created_at, rx.user_id").
		Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("models: load reactions: %w", err)
	}
	byMsg := make(map[int64]map[string][]Member)
	for _, r := range rows {
		if byMsg[r.MessageID] == nil {
			byMsg[r.MessageID] = make(map[string][]Member)
		}
		byMsg[r.MessageID][r.Emoji] = append(byMsg[r.MessageID][r.Emoji], Member{UserID: r.UserID, Name: r.Username})
	}
	for i := range msgs {
		msgs[i].Reactions = nil
		for _, e := range ReactionEmoji {
			if users := byMsg[msgs[i].ID][e]; len(users) > 0 {
				msgs[i].Reactions = append(msgs[i].Reactions, Reaction{Emoji: e, Users: users})
			}
		}
	}
	return nil
}
