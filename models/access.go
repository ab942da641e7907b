package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Room kinds (rooms.kind).
const (
	RoomPublic  = "public"  // anyone may see it, unless banned from it
	RoomPrivate = "private" // its members only (and site staff)
	RoomDM      = "dm"      // a direct message: its members only
)

// Roles in a room (room_members.role).
const (
	RoleOwner     = "owner"
	RoleModerator = "moderator"
	RoleMember    = "member"
)

// The access rule, in SQL over a room aliased r, for the user user (a
// value, or bun.Safe naming a column):
//   - a public room, unless the user is banned from it;
//   - any room the user is a member of (private rooms and DMs need it);
//   - a private room, for site staff, who moderate everywhere. DMs stay
//     their members' own.
//
// visibleTo and mayMention use it in Bun queries, and seeOf1 (stmt.go) in
// the prepared statements (a room by name, the sidebar's room states);
// nothing else decides it.
const seeRule = `((r.kind = 'public' AND NOT EXISTS (SELECT 1 FROM room_bans AS rb WHERE rb.room_id = r.id AND rb.user_id = ?0))
	OR EXISTS (SELECT 1 FROM room_members AS rm WHERE rm.room_id = r.id AND rm.user_id = ?0)
	OR (r.kind = 'private' AND EXISTS (SELECT 1 FROM users AS su WHERE su.id = ?0 AND su.is_staff)))`

// seeRuleOn is seeRule for a room aliased alias rather than r.
func seeRuleOn(alias string) string {
	return strings.NewReplacer("r.kind", alias+".kind", "r.id", alias+".id").Replace(seeRule)
}

// RoomMember is one user's place in a room.
type RoomMember struct {
	bun.BaseModel `bun:"table:room_members,alias:rm"`

	RoomID     int64      `bun:"room_id,pk"`
	UserID     int64      `bun:"user_id,pk"`
	Role       string     `bun:"role,notnull"`
	MutedUntil *time.Time `bun:"muted_until"`
	AddedAt    time.Time  `bun:"added_at,notnull"`

	// Name is the user's name, when listed (RoomMembers).
	Name string `bun:"name,scanonly"`
}

// MutedAt reports whether the member may not post at t.
func (m *RoomMember) MutedAt(t time.Time) bool {
	return m != nil && m.MutedUntil != nil && m.MutedUntil.After(t)
}

// RoomBan is a user banned from a public room.
type RoomBan struct {
	bun.BaseModel `bun:"table:room_bans,alias:rb"`

	RoomID   int64     `bun:"room_id,pk"`
	UserID   int64     `bun:"user_id,pk"`
	BannedBy *int64    `bun:"banned_by"`
	BannedAt time.Time `bun:"banned_at,notnull"`

	Name string `bun:"name,scanonly"`
}

// AuditEntry is one moderation or staff action.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log,alias:al"`

	ID           int64     `bun:"id,pk,autoincrement"`
	At           time.Time `bun:"at,notnull"`
	ActorID      int64     `bun:"actor_id,nullzero"`
	Action       string    `bun:"action,notnull"`
	RoomID       int64     `bun:"room_id,nullzero"`
	TargetUserID int64     `bun:"target_user_id,nullzero"`
	Detail       string    `bun:"detail,notnull"`

	// Names as they are now, when listed (AuditLog); empty if gone.
	Actor  string `bun:"actor,scanonly"`
	Room   string `bun:"room,scanonly"`
	Target string `bun:"target,scanonly"`
}

// RoomVisibleByID finds a room by id that userID may see; one they may
// not see is not found, exactly like one that does not exist.
func (s *Store) RoomVisibleByID(ctx context.Context, userID, id int64) (*Room, error) {
	r := new(Room)
	q := s.db.NewSelect().Model(r).Where("r.id = ?", id)
	if err := visibleTo(q, userID).Scan(ctx); err != nil {
		return nil, lookup(err, &NotFoundError{What: "room", ID: id})
	}
	return r, nil
}

// CreateRoomFor makes a room of kind (RoomPublic or RoomPrivate) owned by
// ownerID, who becomes its first member. A name in use, by a room the
// user may see or not, is a *TakenError; one that looks like another is
// too (as GetOrCreateRoom).
func (s *Store) CreateRoomFor(ctx context.Context, name, kind string, ownerID int64) (*Room, error) {
	if kind != RoomPublic && kind != RoomPrivate {
		return nil, invalid("kind", "A room is public or private.")
	}
	if strings.HasPrefix(FoldKey(name), dmPrefix) {
		return nil, &TakenError{Field: "room", Message: "Names starting with “dm-” are kept for direct messages: pick another."}
	}
	if other, err := s.lookalikeRoom(ctx, name); err != nil {
		return nil, err
	} else if other != "" {
		if _, err := s.RoomVisibleTo(ctx, ownerID, other); err != nil {
			// Not theirs to see: not named either.
			return nil, &TakenError{Field: "room", Message: "That name is taken, or looks too much like one that is: pick another."}
		}
		return nil, &TakenError{Field: "room", Message: "That name looks too much like #" + other + ", which exists: join it, or pick a name that looks different."}
	}
	now := time.Now().UTC()
	r := &Room{Name: name, NameKey: FoldKey(name), CreatedAt: now, Kind: kind, OwnerID: &ownerID}
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		created, err := insertRoom(ctx, tx, r)
		if err != nil {
			return err
		}
		if !created {
			return &TakenError{Field: "room", Message: "That name is taken: pick another."}
		}
		_, err = tx.NewInsert().Model(&RoomMember{RoomID: r.ID, UserID: ownerID, Role: RoleOwner, AddedAt: now}).Exec(ctx)
		return err
	})
	if err != nil {
		var taken *TakenError
		if errors.As(err, &taken) {
			return nil, err
		}
		return nil, fmt.Errorf("models: create room: %w", err)
	}
	return r, nil
}

// insertRoom stores r, with the rows of its name's look-alike check
// (name_skeletons), and reads it back, in the caller's transaction; if a
// room of that name (case ignored) exists already, it stores nothing,
// leaves r as it is and says created false.
func insertRoom(ctx context.Context, tx bun.Tx, r *Room) (created bool, err error) {
	res, err := tx.NewInsert().Model(r).On("CONFLICT (name_key) DO NOTHING").Returning("NULL").Exec(ctx)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if err := tx.NewSelect().Model(r).Where("r.name_key = ?", r.NameKey).Scan(ctx); err != nil {
		return false, err
	}
	return true, addSkeletons(ctx, tx, skelRoom, r.ID, r.Name)
}

// dmPrefix starts every DM's name, which no other room may take.
const dmPrefix = "dm-"

// DMName is the internal name of the direct message between two users: the
// same whoever opens it.
func DMName(a, b int64) string {
	a, b = min(a, b), max(a, b)
	return dmPrefix + strconv.FormatInt(a, 10) + "-" + strconv.FormatInt(b, 10)
}

// OpenDM returns the direct message between a and b, making it (with both
// as members) the first time. created says it is new.
func (s *Store) OpenDM(ctx context.Context, a, b int64) (room *Room, created bool, err error) {
	if a == b {
		return nil, false, invalid("user", "Pick someone else to write to.")
	}
	name := DMName(a, b)
	now := time.Now().UTC()
	r := &Room{Name: name, NameKey: FoldKey(name), CreatedAt: now, Kind: RoomDM}
	err = s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if created, err = insertRoom(ctx, tx, r); err != nil {
			return err
		}
		if !created {
			if err := tx.NewSelect().Model(r).Where("r.name_key = ?", r.NameKey).Scan(ctx); err != nil {
				return err
			}
		}
		if r.Kind != RoomDM { // a room named so before DMs existed
			return &TakenError{Field: "room", Message: "That conversation cannot be opened."}
		}
		rows := []RoomMember{{RoomID: r.ID, UserID: a, Role: RoleMember, AddedAt: now}, {RoomID: r.ID, UserID: b, Role: RoleMember, AddedAt: now}}
		_, err = tx.NewInsert().Model(&rows).On("CONFLICT DO NOTHING").Exec(ctx)
		return err
	})
	if err != nil {
		var taken *TakenError
		if errors.As(err, &taken) {
			return nil, false, err
		}
		return nil, false, fmt.Errorf("models: open dm: %w", err)
	}
	return r, created, nil
}

// MemberOf is userID's row in roomID, or nil if they have none.
func (s *Store) MemberOf(ctx context.Context, roomID, userID int64) (*RoomMember, error) {
	m := new(RoomMember)
	err := s.scanOne(ctx, s.stmts[stmtMemberOf], m, roomID, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("models: member: %w", err)
	}
	return m, nil
}

// RoomMembers lists a room's member rows with names, owner first, then
// moderators, then by name.
func (s *Store) RoomMembers(ctx context.Context, roomID int64) ([]RoomMember, error) {
	var out []RoomMember
	err := s.db.NewSelect().Model(&out).ColumnExpr("rm.*, u.username AS name").
		Join("JOIN users AS u ON u.id = rm.user_id").Where("rm.room_id = ?", roomID).
		OrderExpr("CASE rm.role WHEN 'owner' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, u.username_key").
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: members: %w", err)
	}
	return out, nil
}

// MemberIDs lists the ids of each of roomIDs' members, for the rooms that
// are not public (whose news goes to their members only).
func (s *Store) MemberIDs(ctx context.Context, roomIDs []int64) (map[int64][]int64, error) {
	out := make(map[int64][]int64)
	if len(roomIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		RoomID int64 `bun:"room_id"`
		UserID int64 `bun:"user_id"`
	}
	err := s.db.NewSelect().TableExpr("room_members AS rm").Column("rm.room_id", "rm.user_id").
		Join("JOIN rooms AS r ON r.id = rm.room_id").
		Where("rm.room_id IN (?)", bun.List(roomIDs)).Where("r.kind <> 'public'").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("models: member ids: %w", err)
	}
	for _, r := range rows {
		out[r.RoomID] = append(out[r.RoomID], r.UserID)
	}
	return out, nil
}

// PrivateRoomIDs returns which of roomIDs are not public.
func (s *Store) PrivateRoomIDs(ctx context.Context, roomIDs []int64) (map[int64]bool, error) {
	out := make(map[int64]bool)
	if len(roomIDs) == 0 {
		return out, nil
	}
	var ids []int64
	err := s.db.NewSelect().Model((*Room)(nil)).Column("r.id").
		Where("r.id IN (?)", bun.List(roomIDs)).Where("r.kind <> 'public'").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("models: private rooms: %w", err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// RoomBans lists a room's bans with the banned users' names.
func (s *Store) RoomBans(ctx context.Context, roomID int64) ([]RoomBan, error) {
	var out []RoomBan
	err := s.db.NewSelect().Model(&out).ColumnExpr("rb.*, u.username AS name").
		Join("JOIN users AS u ON u.id = rb.user_id").Where("rb.room_id = ?", roomID).
		OrderExpr("u.username_key").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: bans: %w", err)
	}
	return out, nil
}

// AddMember makes userID a member of roomID with role (a new row, or a new
// role for an existing one). A banned user's ban goes.
func (s *Store) AddMember(ctx context.Context, roomID, userID int64, role string) error {
	return s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*RoomBan)(nil)).Where("room_id = ?", roomID).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return fmt.Errorf("models: unban: %w", err)
		}
		row := &RoomMember{RoomID: roomID, UserID: userID, Role: role, AddedAt: time.Now().UTC()}
		_, err := tx.NewInsert().Model(row).On("CONFLICT (room_id, user_id) DO UPDATE").Set("role = EXCLUDED.role").Exec(ctx)
		if err != nil {
			return fmt.Errorf("models: add member: %w", err)
		}
		return nil
	})
}

// RemoveMember takes userID out of roomID (their role and mute go too).
func (s *Store) RemoveMember(ctx context.Context, roomID, userID int64) error {
	_, err := s.w.NewDelete().Model((*RoomMember)(nil)).Where("room_id = ?", roomID).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("models: remove member: %w", err)
	}
	return nil
}

// Mute keeps userID from posting in roomID until until (zero: unmuted). In
// a public room a user without a row gets one, as a member.
func (s *Store) Mute(ctx context.Context, roomID, userID int64, until time.Time) error {
	var v *time.Time
	if !until.IsZero() {
		u := until.UTC()
		v = &u
	}
	row := &RoomMember{RoomID: roomID, UserID: userID, Role: RoleMember, MutedUntil: v, AddedAt: time.Now().UTC()}
	_, err := s.w.NewInsert().Model(row).On("CONFLICT (room_id, user_id) DO UPDATE").Set("muted_until = EXCLUDED.muted_until").Exec(ctx)
	if err != nil {
		return fmt.Errorf("models: mute: %w", err)
	}
	return nil
}

// Ban keeps userID out of roomID until unbanned; their membership goes.
func (s *Store) Ban(ctx context.Context, roomID, userID, by int64) error {
	return s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*RoomMember)(nil)).Where("room_id = ?", roomID).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return fmt.Errorf("models: ban: %w", err)
		}
		row := &RoomBan{RoomID: roomID, UserID: userID, BannedBy: &by, BannedAt: time.Now().UTC()}
		if _, err := tx.NewInsert().Model(row).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("models: ban: %w", err)
		}
		return nil
	})
}

// Unban lets userID see roomID again.
func (s *Store) Unban(ctx context.Context, roomID, userID int64) error {
	_, err := s.w.NewDelete().Model((*RoomBan)(nil)).Where("room_id = ?", roomID).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("models: unban: %w", err)
	}
	return nil
}

// Audit records one action.
func (s *Store) Audit(ctx context.Context, e *AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	if _, err := s.w.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("models: audit: %w", err)
	}
	return nil
}

// AuditLog lists the latest limit actions, newest first, with names.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.db.NewSelect().Model(&out).
		ColumnExpr("al.*").
		ColumnExpr("COALESCE(ua.username, '') AS actor").
		ColumnExpr("COALESCE(r.name, '') AS room").
		ColumnExpr("COALESCE(ut.username, '') AS target").
		Join("LEFT JOIN users AS ua ON ua.id = al.actor_id").
		Join("LEFT JOIN rooms AS r ON r.id = al.room_id").
		Join("LEFT JOIN users AS ut ON ut.id = al.target_user_id").
		OrderExpr("al.id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: audit log: %w", err)
	}
	return out, nil
}

// DMPeers maps each DM room of userID to the other member's name.
func (s *Store) DMPeers(ctx context.Context, userID int64) (map[int64]string, error) {
	var rows []struct {
		RoomID int64  `bun:"room_id"`
		Name   string `bun:"username"`
	}
	err := s.db.NewSelect().TableExpr("room_members AS me").
		ColumnExpr("me.room_id, u.username").
		Join("JOIN rooms AS r ON r.id = me.room_id AND r.kind = 'dm'").
		Join("JOIN room_members AS o ON o.room_id = me.room_id AND o.user_id <> me.user_id").
		Join("JOIN users AS u ON u.id = o.user_id").
		Where("me.user_id = ?", userID).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("models: dm peers: %w", err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.RoomID] = r.Name
	}
	return out, nil
}

// mayMention keeps, of userIDs, those who may see roomID: a mention of
// anyone else notifies nobody.
func mayMention(ctx context.Context, db bun.IDB, roomID int64, userIDs []int64) (map[int64]bool, error) {
	out := make(map[int64]bool)
	if len(userIDs) == 0 {
		return out, nil
	}
	var ids []int64
	err := db.NewSelect().TableExpr("users AS u").Column("u.id").
		Join("JOIN rooms AS r ON r.id = ?", roomID).
		Where("u.id IN (?)", bun.List(userIDs)).
		Where(seeRule, bun.Safe("u.id")).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("models: who may be mentioned: %w", err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
