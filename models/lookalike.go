package models

import (
	"context"
	"fmt"
)

// lookalike returns a name in column of table (users.username,
// rooms.name) that looks like name (LooksLike) without being it (case
// ignored; the unique index refuses that one), or "".
//
// It reads every name: fine for the few thousand users and rooms a
// self-hosted chat has (signups are rate-limited, and the rooms list is
// read whole on every room page anyway). Two look-alikes created at the
// same instant can both pass; exact duplicates never can.
func (s *Store) lookalike(ctx context.Context, table, column, name string) (string, error) {
	var names []string
	if err := s.db.NewSelect().Table(table).Column(column).Scan(ctx, &names); err != nil {
		return "", fmt.Errorf("models: read %s: %w", table, err)
	}
	key, skel := FoldKey(name), skeletons(name)
	for _, n := range names {
		if FoldKey(n) != key && overlap(skel, skeletons(n)) {
			return n, nil
		}
	}
	return "", nil
}

func overlap(a, b [3]string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}
