package models

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Room is a named chat room.
type Room struct {
	bun.BaseModel `bun:"table:rooms,alias:r"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Name      string    `bun:"name,notnull"`
	NameKey   string    `bun:"name_key,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	// Kind is RoomPublic, RoomPrivate or RoomDM (access.go); OwnerID is
	// nil for a room made before rooms had owners (staff manage those).
	Kind    string `bun:"kind,notnull,default:'public'"`
	OwnerID *int64 `bun:"owner_id"`
}

// Private says only members (and, but for a DM, staff) may see the room.
func (r *Room) Private() bool { return r.Kind == RoomPrivate || r.Kind == RoomDM }

// GetOrCreateRoom returns the room with that name (case ignored), creating it
// if needed, as the seed's get_or_create. The name must already be valid. A
// new name that looks like an existing room's (LooksLike) is a *TakenError.
func (s *Store) GetOrCreateRoom(ctx context.Context, name string) (*Room, error) {
	if r, err := s.RoomByName(ctx, name); err == nil {
		return r, nil
	}
	if other, err := s.lookalikeRoom(ctx, name); err != nil {
		return nil, err
	} else if other != "" {
		return nil, &TakenError{Field: "room", Message: "That name looks too much like #" + other + ", which exists: join it, or pick a name that looks different."}
	}
	r := &Room{Name: name, NameKey: FoldKey(name), CreatedAt: time.Now().UTC()}
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := insertRoom(ctx, tx, r) // made meanwhile: found below
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: create room: %w", err)
	}
	return s.RoomByName(ctx, name)
}

// RoomByName finds a room by name, ignoring case.
func (s *Store) RoomByName(ctx context.Context, name string) (*Room, error) {
	r := new(Room)
	if err := s.db.NewSelect().Model(r).Where("name_key = ?", FoldKey(name)).Scan(ctx); err != nil {
		return nil, lookup(err, &NotFoundError{What: "room", Name: name})
	}
	return r, nil
}

// RoomByID finds a room by id.
func (s *Store) RoomByID(ctx context.Context, id int64) (*Room, error) {
	r := new(Room)
	if err := s.db.NewSelect().Model(r).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, lookup(err, &NotFoundError{What: "room", ID: id})
	}
	return r, nil
}

// ListRooms returns every room by name.
func (s *Store) ListRooms(ctx context.Context) ([]Room, error) {
	var rooms []Room
	if err := s.db.NewSelect().Model(&rooms).OrderExpr("name_key").Scan(ctx); err != nil {
		return nil, fmt.Errorf("models: list rooms: %w", err)
	}
	return rooms, nil
}

// DeleteRoom deletes a room and, by cascade, its messages.
func (s *Store) DeleteRoom(ctx context.Context, id int64) error {
	res, err := s.w.NewDelete().Model((*Room)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("models: delete room: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &NotFoundError{What: "room", ID: id}
	}
	return nil
}
