package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// ErrTooLarge is the kind of a file or a quota that is over its limit.
var ErrTooLarge = errors.New("models: too large")

// TooLargeError says what is over which limit, in words for the user.
type TooLargeError struct{ Message string }

func (e *TooLargeError) Error() string        { return "models: too large: " + e.Message }
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// Attachment is a file posted with a message. Its type was decided from
// its content when it was uploaded, never from its name; an image was
// decoded and encoded again (which drops its metadata) and has a
// thumbnail. The bytes live in attachment_blobs, read only to serve them.
type Attachment struct {
	bun.BaseModel `bun:"table:attachments,alias:a"`

	ID          int64     `bun:"id,pk,autoincrement"`
	MessageID   int64     `bun:"message_id,notnull"`
	UserID      int64     `bun:"user_id,notnull"`
	Position    int       `bun:"position,notnull"`
	Name        string    `bun:"name,notnull"`
	Type        string    `bun:"type,notnull"`
	Size        int64     `bun:"size,notnull"`
	Width       int       `bun:"width,notnull"`
	Height      int       `bun:"height,notnull"`
	ThumbWidth  int       `bun:"thumb_width,notnull"`
	ThumbHeight int       `bun:"thumb_height,notnull"`
	CreatedAt   time.Time `bun:"created_at,notnull"`

	// The bytes, set only on a post's way in.
	Data  []byte `bun:"-"`
	Thumb []byte `bun:"-"` // nil: the file is its own thumbnail
}

// Image says the file is shown inline as a picture.
func (a *Attachment) Image() bool { return strings.HasPrefix(a.Type, "image/") }

type attachmentBlob struct {
	bun.BaseModel `bun:"table:attachment_blobs,alias:ab"`

	AttachmentID int64  `bun:"attachment_id,pk"`
	Data         []byte `bun:"data,notnull"`
	Thumb        []byte `bun:"thumb"`
}

// filesOf sums the sizes of a post's files.
func filesOf(m *Message) int64 {
	var n int64
	for i := range m.Attachments {
		n += m.Attachments[i].Size
	}
	return n
}

// checkQuotas refuses the posts of a batch whose files would take their
// author over quota (0: no quota), counting the files of the posts before
// them in the batch. On PostgreSQL the authors' rows are locked (in id
// order) so that two instances cannot both let a user past it.
func (s *Store) checkQuotas(ctx context.Context, tx bun.Tx, batch []*change, errs []error, heads map[int64]int64) error {
	var users []int64
	for i, c := range batch {
		if c.kind == post && errs[i] == nil && c.quota > 0 && len(c.msg.Attachments) > 0 && !slices.Contains(users, c.msg.UserID) {
			users = append(users, c.msg.UserID)
		}
	}
	if len(users) == 0 {
		return nil
	}
	slices.Sort(users)
	if s.isPostgres() {
		var ids []int64
		if err := tx.NewSelect().Model((*User)(nil)).Column("id").Where("id IN (?)", bun.List(users)).
			OrderExpr("id").For("UPDATE").Scan(ctx, &ids); err != nil {
			return fmt.Errorf("models: lock uploaders: %w", err)
		}
	}
	var rows []struct {
		UserID int64 `bun:"user_id"`
		Used   int64 `bun:"used"`
	}
	if err := tx.NewSelect().Model((*Attachment)(nil)).Column("user_id").ColumnExpr("SUM(size) AS used").
		Where("user_id IN (?)", bun.List(users)).Group("user_id").Scan(ctx, &rows); err != nil {
		return fmt.Errorf("models: sum uploads: %w", err)
	}
	used := make(map[int64]int64, len(users))
	for _, r := range rows {
		used[r.UserID] = r.Used
	}
	for i, c := range batch {
		if c.kind != post || errs[i] != nil || c.quota <= 0 || len(c.msg.Attachments) == 0 {
			continue
		}
		if _, ok := heads[c.roomID]; !ok {
			continue
		}
		size := filesOf(c.msg)
		if used[c.msg.UserID]+size > c.quota {
			errs[i] = &TooLargeError{Message: quotaMessage(used[c.msg.UserID], c.quota)}
			continue
		}
		used[c.msg.UserID] += size
	}
	return nil
}

func quotaMessage(used, quota int64) string {
	return fmt.Sprintf("These files would take you over your upload quota (%s of %s used). Delete some of your messages with files first.",
		ByteSize(used), ByteSize(quota))
}

// insertAttachments stores the files of new posts, whose ids are known.
func (s *Store) insertAttachments(ctx context.Context, tx bun.Tx, posts []*Message, now time.Time) error {
	for _, m := range posts {
		for i := range m.Attachments {
			a := &m.Attachments[i]
			a.MessageID, a.UserID, a.Position, a.CreatedAt = m.ID, m.UserID, i, now
			if _, err := tx.NewInsert().Model(a).Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("models: insert attachment: %w", err)
			}
			blob := &attachmentBlob{AttachmentID: a.ID, Data: a.Data, Thumb: a.Thumb}
			if _, err := tx.NewInsert().Model(blob).Exec(ctx); err != nil {
				return fmt.Errorf("models: insert attachment data: %w", err)
			}
		}
	}
	return nil
}

// deleteAttachments removes a message's files, bytes and all.
func deleteAttachments(ctx context.Context, tx bun.Tx, messageID int64) error {
	ids := tx.NewSelect().Model((*Attachment)(nil)).Column("id").Where("message_id = ?", messageID)
	if _, err := tx.NewDelete().Model((*attachmentBlob)(nil)).Where("attachment_id IN (?)", ids).Exec(ctx); err != nil {
		return fmt.Errorf("models: delete attachment data: %w", err)
	}
	if _, err := tx.NewDelete().Model((*Attachment)(nil)).Where("message_id = ?", messageID).Exec(ctx); err != nil {
		return fmt.Errorf("models: delete attachments: %w", err)
	}
	return nil
}

// loadAttachments fills in the Attachments of msgs (without their bytes)
// with one query.
func (s *Store) loadAttachments(ctx context.Context, db bun.IDB, msgs []Message) error {
	if len(msgs) == 0 {
		return nil
	}
	ids := make([]int64, len(msgs))
	for i := range msgs {
		ids[i] = msgs[i].ID
	}
	var rows []Attachment
	if err := db.NewSelect().Model(&rows).Where("a.message_id IN (?)", bun.List(ids)).
		OrderExpr("a.message_id, a.position").Scan(ctx); err != nil {
		return fmt.Errorf("models: load attachments: %w", err)
	}
	byMsg := make(map[int64][]Attachment)
	for _, a := range rows {
		byMsg[a.MessageID] = append(byMsg[a.MessageID], a)
	}
	for i := range msgs {
		msgs[i].Attachments = byMsg[msgs[i].ID]
	}
	return nil
}

// AttachmentFor reads a file, or its thumbnail, for userID: only if the
// message holding it is not deleted and its room is one userID may see
// (visibleTo, the rule every room read follows), checked on every read.
// Any other file is not found, exactly like one that does not exist.
func (s *Store) AttachmentFor(ctx context.Context, userID, id int64, thumb bool) (*Attachment, []byte, error) {
	a := new(Attachment)
	rooms := visibleTo(s.db.NewSelect().Model((*Room)(nil)).Column("r.id"), userID)
	err := s.db.NewSelect().Model(a).
		Join("JOIN messages AS m ON m.id = a.message_id").
		Where("a.id = ?", id).Where("m.deleted_at IS NULL").Where("m.room_id IN (?)", rooms).
		Scan(ctx)
	if err != nil {
		return nil, nil, lookup(err, &NotFoundError{What: "file", ID: id})
	}
	col := "data"
	if thumb {
		col = "COALESCE(thumb, data)"
	}
	var data []byte
	if err := s.db.NewSelect().Model((*attachmentBlob)(nil)).ColumnExpr(col).
		Where("attachment_id = ?", id).Scan(ctx, &data); err != nil {
		return nil, nil, lookup(err, &NotFoundError{What: "file", ID: id})
	}
	return a, data, nil
}

// UploadedBytes is how much of their quota a user's files use.
func (s *Store) UploadedBytes(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.db.NewSelect().Model((*Attachment)(nil)).ColumnExpr("COALESCE(SUM(size), 0)").
		Where("user_id = ?", userID).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("models: uploaded bytes: %w", err)
	}
	return n, nil
}

// ByteSize writes a size for people: 512 B, 1.5 KB, 10 MB (powers of 1024,
// as the size flags read them).
func ByteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, suffix := float64(n)/unit, "KB"
	for _, s := range []string{"MB", "GB", "TB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	if v >= 10 || v == float64(int64(v)) {
		return fmt.Sprintf("%.0f %s", v, suffix)
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}
