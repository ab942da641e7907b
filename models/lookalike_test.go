package models_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/models/modelstest"
)

// TestLookalikeIndexKeepsUp: the indexed look-alike check follows every
// change of a name, on SQLite and PostgreSQL: a display name given up no
// longer blocks others, a deleted room's name is free for a look-alike,
// and names stored before the index (or by hand) are found after a start.
func TestLookalikeIndexKeepsUp(t *testing.T) {
	for name, dsn := range map[string]func(testing.TB) string{
		"sqlite":   func(t testing.TB) string { return filepath.Join(t.TempDir(), "names.db") },
		"postgres": modelstest.PostgresDSN,
	} {
		t.Run(name, func(t *testing.T) { lookalikeIndexKeepsUp(t, dsn(t)) })
	}
}

func wantTaken(t *testing.T, what string, err error, field, naming string) {
	t.Helper()
	var taken *models.TakenError
	if !errors.As(err, &taken) || taken.Field != field || !strings.Contains(taken.Message, naming) {
		t.Errorf("%s: %v, want taken, naming %q", what, err, naming)
	}
}

func lookalikeIndexKeepsUp(t *testing.T, dsn string) {
	ctx := t.Context()
	s := openStore(t, dsn)
	admin, err := s.CreateUser(ctx, "admin", "x", false)
	if err != nil {
		t.Fatal(err)
	}
	carol, err := s.CreateUser(ctx, "carol", "x", false)
	if err != nil {
		t.Fatal(err)
	}

	// Display names against usernames and display names, never one's own.
	if err := s.SetDisplayName(ctx, admin.ID, "Boss"); err != nil {
		t.Fatal(err)
	}
	wantTaken(t, "carol as B0ss", s.SetDisplayName(ctx, carol.ID, "B0ss"), "display_name", "Boss")
	wantTaken(t, "carol as Admin", s.SetDisplayName(ctx, carol.ID, "Аdmin"), "display_name", "admin") // Cyrillic А
	if err := s.SetDisplayName(ctx, carol.ID, "CAROL"); err != nil {
		t.Errorf("carol as CAROL: %v", err)
	}
	if err := s.SetDisplayName(ctx, admin.ID, "Chief"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDisplayName(ctx, carol.ID, "B0ss"); err != nil {
		t.Errorf("carol as B0ss once admin gave Boss up: %v", err)
	}
	wantTaken(t, "admin as Boss now", s.SetDisplayName(ctx, admin.ID, "Boss"), "display_name", "B0ss")

	// A deleted room's name no longer blocks a look-alike.
	general, err := s.GetOrCreateRoom(ctx, "general")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.GetOrCreateRoom(ctx, "genera1")
	wantTaken(t, "genera1", err, "room", "#general")
	_, err = s.CreateRoomFor(ctx, "gеneral", models.RoomPrivate, carol.ID) // Cyrillic е
	wantTaken(t, "private gеneral", err, "room", "#general")
	if err := s.DeleteRoom(ctx, general.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetOrCreateRoom(ctx, "genera1"); err != nil {
		t.Errorf("genera1 once general is gone: %v", err)
	}

	// Names stored without their rows (before the index existed, or by
	// hand) are found once the server has started again.
	db := s.DB()
	if _, err := db.ExecContext(ctx, "DELETE FROM name_skeletons"); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateUser(ctx, "adrnin", "x", false)
	if err != nil {
		t.Fatalf("with the index emptied the check cannot see admin (so this test can fail): %v", err)
	}
	s2 := openStore(t, dsn)
	_, err = s2.CreateUser(ctx, "аdmin", "x", false) // Cyrillic а
	wantTaken(t, "аdmin after a restart", err, "username", "admin")
	wantTaken(t, "carol as Chіef after a restart", s2.SetDisplayName(ctx, carol.ID, "Chіef"), "display_name", "Chief") // Cyrillic і
	_, err = s2.GetOrCreateRoom(ctx, "genеra1")                                                                        // Cyrillic е
	wantTaken(t, "genеra1 after a restart", err, "room", "#genera1")
}
