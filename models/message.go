package models

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Message is one chat line. Its id is never reused and names it for good
// (permalinks, replies). Seq is the room's change number of its latest
// change (see Writer): it orders what a stream resumes, so a reconnecting
// page sees edits, deletions and reactions as well as new messages.
type Message struct {
	bun.BaseModel `bun:"table:messages,alias:m"`

	ID        int64     `bun:"id,pk,autoincrement"`
	RoomID    int64     `bun:"room_id,notnull"`
	UserID    int64     `bun:"user_id,notnull"`
	Content   string    `bun:"content,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	Seq       int64     `bun:"seq,notnull"`
	ReplyToID int64     `bun:"reply_to_id,nullzero"`
	EditedAt  time.Time `bun:"edited_at,nullzero"`
	// DeletedAt is set on a tombstone: the text is gone, the row stays so
	// that a resuming stream can take the message off its page.
	DeletedAt time.Time `bun:"deleted_at,nullzero"`
	// BotName is the name a webhook post asked to be shown under; the
	// poster is still its webhook's bot (UserID).
	BotName string `bun:"bot_name,notnull"`

	User    *User    `bun:"rel:belongs-to,join:user_id=id"`
	Room    *Room    `bun:"rel:belongs-to,join:room_id=id"`
	ReplyTo *Message `bun:"rel:belongs-to,join:reply_to_id=id"`
	// Reactions are loaded beside the message (loadReactions).
	Reactions []Reaction `bun:"-"`
	// Mentioned are the users the text names with @name, each once, loaded
	// beside it (loadMentions); a name that is no one's is not here.
	Mentioned []Member `bun:"-"`
	// Attachments are the files posted with it, in order, loaded beside
	// it (loadAttachments) without their bytes.
	Attachments []Attachment `bun:"-"`

	// What a commit did, for its subscribers (set by the Writer, never
	// stored): Posted says the change made the message; NewlyMentioned and
	// Unmentioned are the ids of the users it now mentions and did not, or
	// no longer mentions (attention.go).
	Posted         bool    `bun:"-"`
	NewlyMentioned []int64 `bun:"-"`
	Unmentioned    []int64 `bun:"-"`
}

// Author is the name shown beside the message.
func (m *Message) Author() string {
	if m.BotName != "" {
		return m.BotName
	}
	if m.User == nil {
		return ""
	}
	return m.User.Shown()
}

// AuthorHandle is the author's @username.
func (m *Message) AuthorHandle() string {
	if m.User == nil {
		return ""
	}
	return m.User.Username
}

// ByBot reports whether a bot (an API bot or a webhook) posted the message.
func (m *Message) ByBot() bool { return m.User != nil && m.User.IsBot }

// Deleted reports whether the message is a tombstone.
func (m *Message) Deleted() bool { return !m.DeletedAt.IsZero() }

// selectMessages starts a query for messages with everything a rendering
// needs: the author, and the message replied to with its author.
func selectMessages(db bun.IDB, msgs *[]Message) *bun.SelectQuery {
	return db.NewSelect().Model(msgs).
		Relation("User").Relation("ReplyTo").Relation("ReplyTo.User")
}

// loadBeside loads what a rendering needs besides the rows: the reactions,
// the files and the people mentioned.
func (s *Store) loadBeside(ctx context.Context, db bun.IDB, msgs []Message) error {
	if err := s.loadReactions(ctx, db, msgs); err != nil {
		return err
	}
	if err := s.loadAttachments(ctx, db, msgs); err != nil {
		return err
	}
	return s.loadMentionsOf(ctx, db, msgs)
}

// LatestMessages returns the last limit messages of a room, oldest first.
func (s *Store) LatestMessages(ctx context.Context, roomID int64, limit int) ([]Message, error) {
	return s.MessagesBefore(ctx, roomID, 0, limit)
}

// MessagesBefore returns up to limit messages with id < beforeID (0: no bound),
// oldest first: one page of history, keyset-paginated by id.
func (s *Store) MessagesBefore(ctx context.Context, roomID, beforeID int64, limit int) ([]Message, error) {
	var msgs []Message
	q := selectMessages(s.db, &msgs).
		Where("m.room_id = ?", roomID).Where("m.deleted_at IS NULL").
		OrderExpr("m.id DESC").Limit(int64(limit))
	if beforeID > 0 {
		q = q.Where("m.id < ?", beforeID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("models: messages before %d: %w", beforeID, err)
	}
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	return msgs, s.loadBeside(ctx, s.db, msgs)
}

// MessagesAfterID returns up to limit messages with id > afterID, oldest
// first: the history below a message (a permalink's lower half).
func (s *Store) MessagesAfterID(ctx context.Context, roomID, afterID int64, limit int) ([]Message, error) {
	var msgs []Message
	err := selectMessages(s.db, &msgs).
		Where("m.room_id = ?", roomID).Where("m.deleted_at IS NULL").Where("m.id > ?", afterID).
		OrderExpr("m.id ASC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: messages after %d: %w", afterID, err)
	}
	return msgs, s.loadBeside(ctx, s.db, msgs)
}

// ChangesAfter returns, in change order, up to limit messages of a room
// whose latest change is numbered above seq, tombstones included: what a
// stream that has seen the room up to seq must be told.
func (s *Store) ChangesAfter(ctx context.Context, roomID, seq int64, limit int) ([]Message, error) {
	var msgs []Message
	err := selectMessages(s.db, &msgs).
		Where("m.room_id = ?", roomID).Where("m.seq > ?", seq).
		OrderExpr("m.seq ASC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: changes after %d: %w", seq, err)
	}
	return msgs, s.loadBeside(ctx, s.db, msgs)
}

// RoomSeq returns the number of the room's latest change (0: none).
func (s *Store) RoomSeq(ctx context.Context, roomID int64) (int64, error) {
	var seq int64
	err := s.stmts[stmtRoomSeq].QueryRowContext(ctx, roomID).Scan(&seq)
	if err != nil {
		return 0, lookup(err, &NotFoundError{What: "room", ID: roomID})
	}
	return seq, nil
}

// LastMessageID returns the id of the newest message in a room, or 0.
func (s *Store) LastMessageID(ctx context.Context, roomID int64) (int64, error) {
	var id int64
	err := s.db.NewSelect().Model((*Message)(nil)).ColumnExpr("COALESCE(MAX(id), 0)").
		Where("room_id = ?", roomID).Where("deleted_at IS NULL").Scan(ctx, &id)
	if err != nil {
		return 0, fmt.Errorf("models: last message id: %w", err)
	}
	return id, nil
}

// CountMessages counts the messages of a room.
func (s *Store) CountMessages(ctx context.Context, roomID int64) (int, error) {
	n, err := s.db.NewSelect().Model((*Message)(nil)).
		Where("room_id = ?", roomID).Where("deleted_at IS NULL").Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("models: count messages: %w", err)
	}
	return int(n), nil
}

// CountMessagesByRoom counts every room's messages in one query, by room id;
// a room without messages is absent (counts as 0).
func (s *Store) CountMessagesByRoom(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		RoomID int64 `bun:"room_id"`
		N      int   `bun:"n"`
	}
	err := s.db.NewSelect().Model((*Message)(nil)).
		Column("room_id").ColumnExpr("COUNT(*) AS n").Where("deleted_at IS NULL").Group("room_id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("models: count messages by room: %w", err)
	}
	counts := make(map[int64]int, len(rows))
	for _, r := range rows {
		counts[r.RoomID] = r.N
	}
	return counts, nil
}

// MessageByID finds one message that is not deleted, with its room.
func (s *Store) MessageByID(ctx context.Context, id int64) (*Message, error) {
	var msgs []Message
	err := selectMessages(s.db, &msgs).Relation("Room").Where("m.id = ?", id).Where("m.deleted_at IS NULL").Scan(ctx)
	if err != nil {
		return nil, lookup(err, &NotFoundError{What: "message", ID: id})
	}
	if len(msgs) == 0 {
		return nil, &NotFoundError{What: "message", ID: id}
	}
	if err := s.loadBeside(ctx, s.db, msgs); err != nil {
		return nil, err
	}
	return &msgs[0], nil
}
