package models

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Old names of imported accounts and rooms (import_django.go): the name a
// person typed at the original's login, and the original's room addresses,
// still lead to the account and the room they became.

// maxAliasBytes bounds an alias lookup: the original's names have at most
// 200 characters.
const maxAliasBytes = 200 * utf8.UTFMax

// lookupable reports whether name can be an alias at all; anything else is
// not looked up (Bun inlines arguments, and a NUL byte breaks SQLite's
// parser and is refused by PostgreSQL).
func lookupable(name string) bool {
	return name != "" && len(name) <= maxAliasBytes && utf8.ValidString(name) && !strings.ContainsRune(name, 0)
}

// UserByAlias finds the account whose old (imported) username was exactly
// name, or ErrNotFound.
func (s *Store) UserByAlias(ctx context.Context, name string) (*User, error) {
	if !lookupable(name) {
		return nil, fmt.Errorf("models: user alias: %w", ErrNotFound)
	}
	u := new(User)
	err := s.db.NewSelect().Model(u).
		Join("JOIN user_aliases AS a ON a.user_id = u.id").
		Where("a.name = ?", name).Scan(ctx)
	if err != nil {
		return nil, lookup(err, &NotFoundError{What: "user alias", Name: name})
	}
	return u, nil
}

// RoomByAlias finds the room an imported room's old name leads to, or
// ErrNotFound. A room called exactly name, if one exists now, wins over the
// alias: the alias only ever stands for a name no room here has.
func (s *Store) RoomByAlias(ctx context.Context, name string) (*Room, error) {
	if !lookupable(name) {
		return nil, fmt.Errorf("models: room alias: %w", ErrNotFound)
	}
	r := new(Room)
	err := s.db.NewSelect().Model(r).
		Join("JOIN room_aliases AS a ON a.room_id = r.id").
		Where("a.name = ?", name).
		Where("NOT EXISTS (SELECT 1 FROM rooms AS x WHERE x.name_key = ? AND x.name = ?)", FoldKey(name), name).
		Scan(ctx)
	if err != nil {
		return nil, lookup(err, &NotFoundError{What: "room alias", Name: name})
	}
	return r, nil
}

// CompleteFirstLogin is the one write after an imported account's first
// good login: it forgets the login notice, and replaces the Django hash
// oldHash with newHash ("" keeps the hash) unless the hash has changed
// meanwhile (staff set a new password).
func (s *Store) CompleteFirstLogin(ctx context.Context, userID int64, oldHash, newHash string) error {
	q := s.w.NewUpdate().Model((*User)(nil)).Set("login_notice = ''").Where("id = ?", userID)
	if newHash != "" {
		q = q.Set("password_hash = CASE WHEN password_hash = ? THEN ? ELSE password_hash END", oldHash, newHash)
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("models: complete first login: %w", err)
	}
	s.changed(userID)
	return nil
}
