package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// Look-alike names (LooksLike) are found through name_skeletons: each
// username, display name and room name's skeletons, indexed, so a sign-up
// costs one lookup however many users there are (reading every name made
// 19,000 sign-ups take minutes). Every path that stores a name adds its
// rows in the same transaction; fillSkeletons catches up with names
// stored otherwise (before the table, by import-django, by hand). Two
// look-alikes created at the same instant can both pass; exact duplicates
// never can (unique indexes).

// Kinds of name_skeletons rows.
const (
	skelUsername = "username"
	skelDisplay  = "display"
	skelRoom     = "room"
)

type nameSkeleton struct {
	bun.BaseModel `bun:"table:name_skeletons"`

	Kind     string `bun:"kind"`
	Skeleton string `bun:"skeleton"`
	UserID   *int64 `bun:"user_id"`
	RoomID   *int64 `bun:"room_id"`
}

// skeletonRows are the rows for name, of a user (skelUsername,
// skelDisplay) or a room (skelRoom): one per distinct skeleton.
func skeletonRows(kind string, id int64, name string) []nameSkeleton {
	if name == "" {
		return nil
	}
	var rows []nameSkeleton
	sk := skeletons(name)
	for i, s := range sk {
		if slices.Contains(sk[:i], s) {
			continue
		}
		row := nameSkeleton{Kind: kind, Skeleton: s}
		if kind == skelRoom {
			row.RoomID = &id
		} else {
			row.UserID = &id
		}
		rows = append(rows, row)
	}
	return rows
}

// addSkeletons stores name's skeletons; db is the transaction that stores
// the name.
func addSkeletons(ctx context.Context, db bun.IDB, kind string, id int64, name string) error {
	rows := skeletonRows(kind, id, name)
	if len(rows) == 0 {
		return nil
	}
	if _, err := db.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("models: store name skeletons: %w", err)
	}
	return nil
}

func skeletonList(name string) []string {
	sk := skeletons(name)
	return sk[:]
}

// lookalikeUsername returns a username that looks like name without being
// it (case ignored; the unique index refuses that one), or "".
func (s *Store) lookalikeUsername(ctx context.Context, name string) (string, error) {
	return s.lookalikeOf(ctx, skelUsername, "users", "user_id", "username", "username_key", name)
}

// lookalikeRoom returns a room's name that looks like name without being
// it, or "".
func (s *Store) lookalikeRoom(ctx context.Context, name string) (string, error) {
	return s.lookalikeOf(ctx, skelRoom, "rooms", "room_id", "name", "name_key", name)
}

// lookalikeOf returns the name in nameCol of the first row of table with a
// skeleton of kind in common with name, other than name itself (keyCol).
func (s *Store) lookalikeOf(ctx context.Context, kind, table, idCol, nameCol, keyCol, name string) (string, error) {
	return s.lookalikeOne(ctx, s.lookalikeQuery(kind, table, idCol, nameCol, keyCol, name))
}

func (s *Store) lookalikeQuery(kind, table, idCol, nameCol, keyCol, name string) *bun.SelectQuery {
	return s.db.NewSelect().
		ColumnExpr("t.?", bun.Ident(nameCol)).
		TableExpr("name_skeletons AS s").
		Join("JOIN ? AS t ON t.id = s.?", bun.Ident(table), bun.Ident(idCol)).
		Where("s.kind = ?", kind).
		Where("s.skeleton IN (?)", bun.List(skeletonList(name))).
		Where("t.? <> ?", bun.Ident(keyCol), FoldKey(name)).
		OrderExpr("t.id").Limit(1)
}

// lookalikeName returns another user's username or display name that
// looks like name, or "".
func (s *Store) lookalikeName(ctx context.Context, userID int64, name string) (string, error) {
	return s.lookalikeOne(ctx, s.db.NewSelect().
		ColumnExpr("CASE s.kind WHEN ? THEN u.display_name ELSE u.username END", skelDisplay).
		TableExpr("name_skeletons AS s").
		Join("JOIN users AS u ON u.id = s.user_id").
		Where("s.kind IN (?)", bun.List([]string{skelUsername, skelDisplay})).
		Where("s.skeleton IN (?)", bun.List(skeletonList(name))).
		Where("s.user_id <> ?", userID).
		OrderExpr("u.id").Limit(1))
}

func (s *Store) lookalikeOne(ctx context.Context, q *bun.SelectQuery) (string, error) {
	var other string
	if err := q.Scan(ctx, &other); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		return "", fmt.Errorf("models: look-alike names: %w", err)
	}
	return other, nil
}

// fillSkeletons adds the rows of every name that has none, and returns how
// many names that was: on start, and after an import.
func (s *Store) fillSkeletons(ctx context.Context) (int, error) {
	filled := 0
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		missing := func(kind, table, idCol, nameCol string) ([]nameSkeleton, error) {
			var found []struct {
				ID   int64  `bun:"id"`
				Name string `bun:"name"`
			}
			err := tx.NewSelect().
				ColumnExpr("t.id, t.? AS name", bun.Ident(nameCol)).
				TableExpr("? AS t", bun.Ident(table)).
				Where("t.? <> ''", bun.Ident(nameCol)).
				Where("NOT EXISTS (SELECT 1 FROM name_skeletons AS s WHERE s.? = t.id AND s.kind = ?)", bun.Ident(idCol), kind).
				Scan(ctx, &found)
			if err != nil {
				return nil, err
			}
			var rows []nameSkeleton
			for _, f := range found {
				rows = append(rows, skeletonRows(kind, f.ID, f.Name)...)
			}
			filled += len(found)
			return rows, nil
		}
		var all []nameSkeleton
		for _, k := range []struct{ kind, table, idCol, nameCol string }{
			{skelUsername, "users", "user_id", "username"},
			{skelDisplay, "users", "user_id", "display_name"},
			{skelRoom, "rooms", "room_id", "name"},
		} {
			rows, err := missing(k.kind, k.table, k.idCol, k.nameCol)
			if err != nil {
				return err
			}
			all = append(all, rows...)
		}
		for len(all) > 0 {
			n := min(len(all), 500)
			batch := all[:n]
			if _, err := tx.NewInsert().Model(&batch).Exec(ctx); err != nil {
				return err
			}
			all = all[n:]
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("models: fill name skeletons: %w", err)
	}
	return filled, nil
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
