package models_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/models"
)

// TestAttachmentsBackupAndExport: a file posted with a message is in a
// backup, bytes and all, and described (without its bytes) in an export.
func TestAttachmentsBackupAndExport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := models.Open(ctx, filepath.Join(dir, "chat.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ann, err := s.CreateUser(ctx, "ann", "hash", false)
	if err != nil {
		t.Fatal(err)
	}
	room, err := s.GetOrCreateRoom(ctx, "general")
	if err != nil {
		t.Fatal(err)
	}
	w := s.NewWriter(func([]*models.Message) {})
	defer w.Close()
	data := bytes.Repeat([]byte("notes "), 100)
	m := &models.Message{RoomID: room.ID, UserID: ann.ID, User: ann, CreatedAt: time.Now().UTC(),
		Attachments: []models.Attachment{{Name: "notes.txt", Type: "text/plain; charset=utf-8", Size: int64(len(data)), Data: data}}}
	if err := w.PostFiles(ctx, m, 1<<20); err != nil {
		t.Fatal(err)
	}
	// Over quota: refused whole, nothing stored.
	over := &models.Message{RoomID: room.ID, UserID: ann.ID, User: ann, CreatedAt: time.Now().UTC(),
		Attachments: []models.Attachment{{Name: "more.txt", Type: "text/plain; charset=utf-8", Size: int64(len(data)), Data: data}}}
	if err := w.PostFiles(ctx, over, int64(len(data))+1); !errors.Is(err, models.ErrTooLarge) {
		t.Fatalf("over quota: %v, want ErrTooLarge", err)
	}
	if n, _ := s.CountMessages(ctx, room.ID); n != 1 {
		t.Fatalf("%d messages after a post over quota, want 1", n)
	}

	backup := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	b, err := models.Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	a, got, err := b.AttachmentFor(ctx, ann.ID, m.Attachments[0].ID, false)
	if err != nil || !bytes.Equal(got, data) || a.Name != "notes.txt" {
		t.Fatalf("the backup's file: %v %+v %d bytes", err, a, len(got))
	}

	var recs []any
	if err := s.Export(ctx, nil, func(r any) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	var found *models.ExportAttachment
	for _, r := range recs {
		if e, ok := r.(models.ExportAttachment); ok {
			found = &e
		}
	}
	end := recs[len(recs)-1].(models.ExportEnd)
	if found == nil || found.MessageID != m.ID || found.Name != "notes.txt" || found.Size != int64(len(data)) || end.Attachments != 1 {
		t.Fatalf("export: attachment %+v, end %+v", found, end)
	}
}
