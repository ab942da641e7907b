package models_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestSessionsKeepOnlyAHash: a session token is 256 random bits, and the
// database keeps only its SHA-256, so a copy of the database hands out no
// live session.
func TestSessionsKeepOnlyAHash(t *testing.T) {
	ctx := t.Context()
	s := openStore(t, filepath.Join(t.TempDir(), "sessions.db"))
	u, err := s.CreateUser(ctx, "alice", "x", false)
	if err != nil {
		t.Fatal(err)
	}
	token, err := s.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(raw) != 32 {
		t.Errorf("token %q: %d bytes (%v), want 32 random bytes", token, len(raw), err)
	}
	other, _ := s.CreateSession(ctx, u.ID, time.Hour)
	if other == token {
		t.Error("two sessions got the same token")
	}
	var stored []string
	if err := s.DB().NewRaw("SELECT token_hash FROM user_sessions").Scan(ctx, &stored); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(token))
	if !slices.Contains(stored, hex.EncodeToString(sum[:])) || slices.Contains(stored, token) {
		t.Errorf("stored %q, want the token's SHA-256 and never the token", stored)
	}
}

// TestSessionKeyKeptBesideTheDatabase: with SQLite the cookie-signing key
// is made on first use and kept in <db>.secret, readable by its owner
// only, and the same key is read back after.
func TestSessionKeyKeptBesideTheDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "chat.db")
	s := openStore(t, db)
	key, err := s.SessionKey(t.Context())
	if err != nil || len(key) < 32 {
		t.Fatalf("key of %d bytes: %v", len(key), err)
	}
	fi, err := os.Stat(db + ".secret")
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("%s has mode %o, want 600", fi.Name(), mode)
	}
	again, err := s.SessionKey(t.Context())
	if err != nil || string(again) != string(key) {
		t.Error("the key changed between two reads")
	}
}
