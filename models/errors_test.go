package models_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/models/modelstest"
)

// stores runs test against a fresh SQLite store and, when reachable, a
// fresh PostgreSQL one: the errors must not depend on the database.
func stores(t *testing.T, test func(t *testing.T, s *models.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := models.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		test(t, s)
	})
	t.Run("postgres", func(t *testing.T) { test(t, openPostgres(t, modelstest.PostgresDSN(t))) })
}

// TestStoreErrors: each failure a caller must tell apart comes back typed,
// matches its kind with errors.Is, and keeps the models: prefix.
func TestStoreErrors(t *testing.T) {
	stores(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		u, err := s.CreateUser(ctx, "Alice", "hash", false)
		if err != nil {
			t.Fatal(err)
		}

		_, err = s.CreateUser(ctx, "ALICE", "hash", false)
		var taken *models.TakenError
		if !errors.As(err, &taken) || !errors.Is(err, models.ErrTaken) {
			t.Fatalf("second ALICE: %v, want a *TakenError", err)
		}
		if taken.Field != "username" || taken.Message != "A user with that username already exists." {
			t.Errorf("taken: %+v", taken)
		}

		_, err = s.RoomByName(ctx, "nowhere")
		var nf *models.NotFoundError
		if !errors.As(err, &nf) || !errors.Is(err, models.ErrNotFound) || nf.What != "room" || nf.Name != "nowhere" {
			t.Fatalf("missing room: %#v", err)
		}
		if _, err := s.UserByUsername(ctx, "nobody"); !errors.As(err, &nf) || nf.What != "user" {
			t.Errorf("missing user: %v", err)
		}
		if _, err := s.SessionUser(ctx, "no-such-token"); !errors.As(err, &nf) || nf.What != "session" {
			t.Errorf("missing session: %v", err)
		}
		if err := s.DeleteRoom(ctx, 999); !errors.As(err, &nf) || nf.What != "room" || nf.ID != 999 {
			t.Errorf("delete a missing room: %v", err)
		}
		if _, err := s.MessageByID(ctx, 999); !errors.As(err, &nf) || nf.What != "message" || nf.ID != 999 {
			t.Errorf("missing message: %v", err)
		}

		// A post that races its room's deletion: the room is found, then
		// deleted, then the post is written. The foreign key refuses it,
		// and the poster learns the room is gone.
		room, err := s.GetOrCreateRoom(ctx, "doomed")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteRoom(ctx, room.ID); err != nil {
			t.Fatal(err)
		}
		w := s.NewWriter(func([]*models.Message) { t.Error("a post into a deleted room was published") })
		defer w.Close()
		err = w.Post(ctx, &models.Message{RoomID: room.ID, UserID: u.ID, Content: "hi", CreatedAt: time.Now().UTC(), User: u})
		if !errors.As(err, &nf) || !errors.Is(err, models.ErrNotFound) || nf.What != "room" || nf.ID != room.ID {
			t.Fatalf("post into a deleted room: %v, want a *NotFoundError for room %d", err, room.ID)
		}

		for _, err := range []error{taken, nf} {
			if !strings.HasPrefix(err.Error(), "models: ") {
				t.Errorf("%q lacks the models: prefix", err)
			}
		}
	})
}

// TestValidationErrors: validators return *InvalidError with the field and
// the user's words; the password check reports each problem on its own.
func TestValidationErrors(t *testing.T) {
	for _, tc := range []struct {
		err          error
		field, words string
	}{
		{models.ValidateUsername("bob smith"), "username", "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."},
		{models.ValidateRoomName(""), "room", "Enter a room name."},
		{func() error { _, err := models.CleanMessage(" \n"); return err }(), "message", "Write a message first."},
		{models.ValidatePassword("\xff", "x"), "password", "The password is not valid UTF-8 text."},
	} {
		var inv *models.InvalidError
		if !errors.As(tc.err, &inv) || !errors.Is(tc.err, models.ErrInvalid) || inv.Field != tc.field || inv.Message != tc.words {
			t.Errorf("%v: want an *InvalidError for %s saying %q", tc.err, tc.field, tc.words)
		}
		if !strings.HasPrefix(tc.err.Error(), "models: ") {
			t.Errorf("%q lacks the models: prefix", tc.err)
		}
	}

	err := models.ValidatePassword("1234567", "x")
	var got []string
	for _, p := range models.Problems(err) {
		if p.Field != "password" {
			t.Errorf("problem for %q, want password", p.Field)
		}
		got = append(got, p.Message)
	}
	want := []string{"This password is too short. It must contain at least 8 characters.", "This password is too common.", "This password is entirely numeric."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("problems %q, want %q", got, want)
	}
	if err := models.ValidatePassword("Xk3-plover-77", "alice"); err != nil || models.Problems(err) != nil {
		t.Errorf("a good password: %v", err)
	}
}
