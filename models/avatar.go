package models

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Avatar is a user's picture, vetted and made small before it is stored
// (media.Avatar).
type Avatar struct {
	bun.BaseModel `bun:"table:user_avatars,alias:av"`

	UserID  int64  `bun:"user_id,pk"`
	Version int64  `bun:"version,notnull"`
	Type    string `bun:"type,notnull"`
	Data    []byte `bun:"data,notnull"`
}

// SetAvatar stores a user's picture in place of any earlier one and
// returns its version, which is new: a cached copy of the old one is
// never taken for it.
func (s *Store) SetAvatar(ctx context.Context, userID int64, typ string, data []byte) (int64, error) {
	var version int64
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// A removed picture left its version negated (RemoveAvatar).
		var old int64
		if err := tx.NewSelect().Model((*User)(nil)).Column("avatar_version").Where("id = ?", userID).Scan(ctx, &old); err != nil {
			return lookup(err, &NotFoundError{What: "user"})
		}
		version = max(old, -old) + 1
		if _, err := tx.NewDelete().Model((*Avatar)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return fmt.Errorf("models: replace avatar: %w", err)
		}
		if _, err := tx.NewInsert().Model(&Avatar{UserID: userID, Version: version, Type: typ, Data: data}).Exec(ctx); err != nil {
			return fmt.Errorf("models: store avatar: %w", err)
		}
		_, err := tx.NewUpdate().Model((*User)(nil)).Set("avatar_version = ?", version).Where("id = ?", userID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("models: set avatar version: %w", err)
		}
		return nil
	})
	if err == nil {
		s.changed(userID)
	}
	return version, err
}

// RemoveAvatar takes a user's picture away: the initial letter shows
// again. The removed version's number is kept aside (negated) so that a
// later upload still gets a version never used before.
func (s *Store) RemoveAvatar(ctx context.Context, userID int64) error {
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var old int64
		if err := tx.NewSelect().Model((*User)(nil)).Column("avatar_version").Where("id = ?", userID).Scan(ctx, &old); err != nil {
			return lookup(err, &NotFoundError{What: "user"})
		}
		if _, err := tx.NewDelete().Model((*Avatar)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return fmt.Errorf("models: remove avatar: %w", err)
		}
		if old > 0 {
			old = -old
		}
		if _, err := tx.NewUpdate().Model((*User)(nil)).Set("avatar_version = ?", old).Where("id = ?", userID).Exec(ctx); err != nil {
			return fmt.Errorf("models: clear avatar version: %w", err)
		}
		return nil
	})
	if err == nil {
		s.changed(userID)
	}
	return err
}

// AvatarOf is a user's picture; NotFoundError without one.
func (s *Store) AvatarOf(ctx context.Context, userID int64) (*Avatar, error) {
	a := new(Avatar)
	if err := s.db.NewSelect().Model(a).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return nil, lookup(err, &NotFoundError{What: "avatar", ID: userID})
	}
	return a, nil
}
