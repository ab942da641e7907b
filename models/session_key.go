package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// SessionKey returns the secret that signs session cookies, made on first
// use: in the settings table of a PostgreSQL database, where every
// instance finds the same one, or in a file beside an SQLite database
// (<db>.secret), so a copy of the database alone cannot forge logins.
func (s *Store) SessionKey(ctx context.Context) ([]byte, error) {
	if s.path == "" {
		v, err := s.Setting(ctx, "session_key", newSessionKey)
		if err != nil {
			return nil, err
		}
		key, err := hex.DecodeString(v)
		if err != nil || len(key) < 32 {
			return nil, errors.New("models: the session_key setting in the database is damaged; delete its row to make a new one (everyone will be logged out)")
		}
		return key, nil
	}
	path := s.path + ".secret"
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(key) < 32 {
			return nil, fmt.Errorf("models: session key file %s is damaged; delete it to make a new one (everyone will be logged out)", path)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("models: read session key: %w", err)
	}
	v := newSessionKey()
	if err := os.WriteFile(path, []byte(v+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("models: keep session key: %w", err)
	}
	return hex.DecodeString(v)
}

func newSessionKey() string {
	key := make([]byte, 64)
	rand.Read(key)
	return hex.EncodeToString(key)
}
