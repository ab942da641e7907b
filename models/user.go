package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// User is an account.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID           int64     `bun:"id,pk,autoincrement"`
	Username     string    `bun:"username,notnull"`
	UsernameKey  string    `bun:"username_key,notnull"`
	PasswordHash string    `bun:"password_hash,notnull"`
	IsStaff      bool      `bun:"is_staff,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
	// Inactive and LoginNotice come from an imported Django account: an
	// inactive one cannot log in, and the notice (why its name changed) is
	// shown once, at the first login (import_django.go).
	Inactive    bool   `bun:"inactive,notnull"`
	LoginNotice string `bun:"login_notice,notnull"`
	// DisplayName is shown in place of the username where people are
	// named ("" shows the username); the @username stays the handle.
	DisplayName string `bun:"display_name,notnull"`
	// MustChangePassword is set when staff gave a one-time password: the
	// user chooses their own before anything else (account.go).
	MustChangePassword bool `bun:"must_change_password,notnull"`
	// SessionSeen is when the session a request came with was last seen
	// (SessionUser only).
	SessionSeen time.Time `bun:"session_seen,scanonly"`
	// SessionExpires is when that session ends (SessionUser only).
	SessionExpires time.Time `bun:"session_expires,scanonly"`
	// IsBot marks an account that posts through the API or a webhook
	// (bot.go); it has no usable password, so it never logs in.
	IsBot bool `bun:"is_bot,notnull"`
	// WebhookBot marks the bot behind a webhook, which never gets an API
	// token.
	WebhookBot bool `bun:"webhook_bot,notnull"`
	// AvatarVersion changes with each avatar upload and goes in the
	// picture's URL; 0 or less is no avatar (avatar.go).
	AvatarVersion int64 `bun:"avatar_version,notnull"`
}

// Avatar is the version of the user's picture, 0 without one.
func (u *User) Avatar() int64 {
	if u == nil || u.AvatarVersion < 0 {
		return 0
	}
	return u.AvatarVersion
}

// Shown is the name shown for the user: their display name, else their
// username.
func (u *User) Shown() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// CreateUser stores a new user; the username must already be valid. A name
// in use already (case ignored) is a *TakenError.
//
// A name that looks like one in use (LooksLike) is a *TakenError too.
func (s *Store) CreateUser(ctx context.Context, username, passwordHash string, staff bool) (*User, error) {
	u := &User{Username: username, PasswordHash: passwordHash, IsStaff: staff}
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return s.insertUser(ctx, tx, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// insertUser stores u (a person or a bot) under the rules of CreateUser.
func (s *Store) insertUser(ctx context.Context, db bun.IDB, u *User) error {
	if other, err := s.lookalikeUsername(ctx, u.Username); err != nil {
		return err
	} else if other != "" {
		return &TakenError{Field: "username", Message: "That username looks too much like “" + other + "”, which is taken. Pick one that looks different."}
	}
	u.UsernameKey = FoldKey(u.Username)
	u.CreatedAt = time.Now().UTC()
	if _, err := db.NewInsert().Model(u).Returning("id").Exec(ctx); err != nil {
		if violationOf(err) == uniqueViolation {
			return &TakenError{Field: "username", Message: "A user with that username already exists.", Err: err}
		}
		return fmt.Errorf("models: create user: %w", err)
	}
	return addSkeletons(ctx, db, skelUsername, u.ID, u.Username)
}

// SetPassword replaces a user's password hash and ends all their sessions
// (minidiscord changepassword).
func (s *Store) SetPassword(ctx context.Context, userID int64, passwordHash string) error {
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", passwordHash).Where("id = ?", userID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("models: set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("models: user %d: %w", userID, ErrNotFound)
		}
		if _, err := tx.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return fmt.Errorf("models: end sessions: %w", err)
		}
		return nil
	})
	if err == nil {
		s.changed(userID)
	}
	return err
}

// UserByUsername finds a user by name, ignoring case.
func (s *Store) UserByUsername(ctx context.Context, username string) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("username_key = ?", FoldKey(username)).Scan(ctx)
	if err != nil {
		return nil, lookup(err, &NotFoundError{What: "user", Name: username})
	}
	return u, nil
}

// ListUsers returns every user by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	var users []User
	if err := s.db.NewSelect().Model(&users).OrderExpr("username_key").Scan(ctx); err != nil {
		return nil, fmt.Errorf("models: list users: %w", err)
	}
	return users, nil
}

// Session is a logged-in browser. Only a hash of its token is stored, so a
// leaked database does not hand out live sessions.
type Session struct {
	bun.BaseModel `bun:"table:user_sessions"`

	TokenHash string    `bun:"token_hash,pk"`
	UserID    int64     `bun:"user_id,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
	// UserAgent is what the browser called itself at login; LastSeenAt
	// is updated at most once a minute (zero: not since it was made).
	UserAgent  string    `bun:"user_agent,notnull"`
	LastSeenAt time.Time `bun:"last_seen_at,nullzero"`
}

// ID is the session's non-secret name (SessionID of its token).
func (s *Session) ID() string { return s.TokenHash[:16] }

// CreateSession starts a session for userID and returns its secret token.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	return s.CreateSessionFrom(ctx, userID, ttl, "")
}

// CreateSessionFrom is CreateSession for a browser that calls itself
// userAgent (cut to 512 bytes), for the user's list of sessions.
func (s *Store) CreateSessionFrom(ctx context.Context, userID int64, ttl time.Duration, userAgent string) (string, error) {
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	now := time.Now().UTC()
	sess := &Session{TokenHash: hashToken(token), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(ttl), UserAgent: cutUTF8(userAgent, 512)}
	if _, err := s.w.NewInsert().Model(sess).Exec(ctx); err != nil {
		return "", fmt.Errorf("models: create session: %w", err)
	}
	return token, nil
}

// SessionUser returns the user of a live session, or a *NotFoundError. The
// user is the caller's own copy. A session seen before is served from
// memory (session_cache.go) until it expires or its user changes.
func (s *Store) SessionUser(ctx context.Context, token string) (*User, error) {
	key := tokenKey(token)
	now := s.sessions.now()
	if u, ok := s.sessions.get(key, now); ok {
		return u, nil
	}
	gen := s.sessions.generation()
	u := new(User)
	err := s.db.NewSelect().Model(u).ColumnExpr("u.*").
		ColumnExpr("COALESCE(s.last_seen_at, s.created_at) AS session_seen").
		ColumnExpr("s.expires_at AS session_expires").
		Join("JOIN user_sessions AS s ON s.user_id = u.id").
		Where("s.token_hash = ?", hex.EncodeToString(key[:])).
		Where("s.expires_at > ?", now.UTC()).
		Where("NOT u.inactive").
		Scan(ctx)
	if err != nil {
		return nil, lookup(err, &NotFoundError{What: "session"})
	}
	s.sessions.put(key, u, u.SessionExpires, gen, now)
	return u, nil
}

// DeleteSession ends a session; ending one that does not exist is not an error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	var users []int64
	if _, err := s.w.NewDelete().Model((*Session)(nil)).Where("token_hash = ?", hashToken(token)).Returning("user_id").Exec(ctx, &users); err != nil {
		return fmt.Errorf("models: delete session: %w", err)
	}
	for _, id := range users {
		s.changed(id)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their lifetime. (The session
// cache checks expiry itself: nothing cached changes here.)
// DeleteExpiredSessions removes sessions past their lifetime.
func (s *Store) DeleteExpiredSessions(ctx context.Context) error {
	if _, err := s.w.NewDelete().Model((*Session)(nil)).Where("expires_at <= ?", time.Now().UTC()).Exec(ctx); err != nil {
		return fmt.Errorf("models: delete expired sessions: %w", err)
	}
	return nil
}

// SessionID is a non-secret name for a session token, used to find its streams.
func SessionID(token string) string { return hashToken(token)[:16] }

// tokenKey is the SHA-256 of a token, without allocating for one of the
// usual length.
func tokenKey(token string) [32]byte {
	var buf [64]byte
	if len(token) <= len(buf) {
		return sha256.Sum256(append(buf[:0], token...))
	}
	return sha256.Sum256([]byte(token))
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
