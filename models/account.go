package models

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"golang.org/x/text/secure/bidirule"
	"golang.org/x/text/secure/precis"
	"golang.org/x/text/unicode/bidi"
)

// MaxDisplayName bounds a display name, in characters.
const MaxDisplayName = 50

// seenEvery is how stale a session's last-seen time may get: a request
// writes it only when it is older than this.
const seenEvery = time.Minute

// NormalizeDisplayName maps a typed display name as PRECIS's Nickname
// profile does (RFC 8266): spaces of every kind become one ASCII space,
// none at either end, compatibility forms become ordinary letters. A name
// it cannot map comes back trimmed, for the validator to refuse.
func NormalizeDisplayName(name string) string {
	if n, err := precis.Nickname.String(name); err == nil {
		return n
	}
	return strings.TrimSpace(name)
}

// ValidateDisplayName checks a display name ("" clears it): at most
// MaxDisplayName characters of the PRECIS Nickname profile, which refuses
// invisible and format characters (zero-width joiners, bidi controls) and
// control characters, and, for a name with right-to-left letters, the Bidi
// Rule, so it cannot reorder what is shown around it. A refusal is an *InvalidError for the
// field "display_name".
func ValidateDisplayName(name string) error {
	const bad = "A display name may hold letters, digits, spaces and punctuation, but no invisible or control characters."
	switch {
	case name == "":
		return nil
	case !utf8.ValidString(name):
		return invalid("display_name", bad)
	case utf8.RuneCountInString(name) > MaxDisplayName:
		return invalid("display_name", fmt.Sprintf("Display names have at most %d characters.", MaxDisplayName))
	case strings.ContainsFunc(name, func(r rune) bool { return r == '\u3164' || r == '\u115f' || r == '\u1160' || r == '\uffa0' }):
		return invalid("display_name", bad) // Hangul fillers: letters that show as nothing
	}
	n, err := precis.Nickname.String(name)
	switch {
	case err != nil:
		return invalid("display_name", bad)
	case n != name:
		return invalid("display_name", "Write it as “"+n+"”: full-width and other variant forms, and extra spaces, are not allowed.")
	case rightToLeft(name) && !bidirule.ValidString(name):
		return invalid("display_name", "A display name cannot mix right-to-left and left-to-right letters, or begin with a digit when it is right-to-left.")
	case !strings.ContainsFunc(name, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
		return invalid("display_name", "A display name needs at least one letter or digit.")
	}
	return nil
}

// rightToLeft reports whether a name holds right-to-left letters, which the
// Bidi Rule then governs (all-left-to-right text cannot be reordered).
func rightToLeft(name string) bool {
	for _, r := range name {
		if p, _ := bidi.LookupRune(r); p.Class() == bidi.R || p.Class() == bidi.AL {
			return true
		}
	}
	return false
}

// SetDisplayName sets (or with "" clears) a user's display name, which
// must be valid already. One that looks like another user's username or
// display name (LooksLike) is a *TakenError, so no one can pass for
// someone else; looking like one's own username is fine.
func (s *Store) SetDisplayName(ctx context.Context, userID int64, name string) error {
	if name != "" {
		if other, err := s.lookalikeName(ctx, userID, name); err != nil {
			return err
		} else if other != "" {
			return &TakenError{Field: "display_name", Message: "That name looks too much like “" + other + "”, someone else’s. Pick one that looks different."}
		}
	}
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*User)(nil)).Set("display_name = ?", name).Where("id = ?", userID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &NotFoundError{What: "user"}
		}
		if _, err := tx.NewDelete().Model((*nameSkeleton)(nil)).Where("user_id = ?", userID).Where("kind = ?", skelDisplay).Exec(ctx); err != nil {
			return err
		}
		return addSkeletons(ctx, tx, skelDisplay, userID, name)
	})
	if err != nil {
		var nf *NotFoundError
		if errors.As(err, &nf) {
			return err
		}
		return fmt.Errorf("models: update user: %w", err)
	}
	s.changed(userID)
	return nil
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	u := new(User)
	if err := s.db.NewSelect().Model(u).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, lookup(err, &NotFoundError{What: "user"})
	}
	return u, nil
}

// UsernamesByID returns the usernames of the users ids name.
func (s *Store) UsernamesByID(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID       int64  `bun:"id"`
		Username string `bun:"username"`
	}
	if err := s.db.NewSelect().Model((*User)(nil)).Column("id", "username").Where("id IN (?)", bun.List(ids)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("models: usernames: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Username
	}
	return out, nil
}

// SetActive deactivates or reactivates a user. Deactivating ends every
// session of theirs in the same transaction; the caller ends their streams.
func (s *Store) SetActive(ctx context.Context, userID int64, active bool) error {
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*User)(nil)).Set("inactive = ?", !active).Where("id = ?", userID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("models: set active: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &NotFoundError{What: "user"}
		}
		if !active {
			_, err = endOtherSessions(ctx, tx, userID, "")
		}
		return err
	})
	if err == nil {
		s.changed(userID)
	}
	return err
}

// ChangePassword is a user choosing their own password: it replaces the
// hash, lifts MustChangePassword and ends every other session of theirs
// (keepToken's stays). It returns the ids (Session.ID) of the sessions it
// ended, whose streams the caller ends.
func (s *Store) ChangePassword(ctx context.Context, userID int64, hash, keepToken string) ([]string, error) {
	return s.replacePassword(ctx, userID, hash, false, keepToken)
}

// SetOneTimePassword is staff giving a user who forgot theirs a password to
// log in with once: every session of the user ends, and at their next login
// they must choose their own (MustChangePassword).
func (s *Store) SetOneTimePassword(ctx context.Context, userID int64, hash string) ([]string, error) {
	return s.replacePassword(ctx, userID, hash, true, "")
}

func (s *Store) replacePassword(ctx context.Context, userID int64, hash string, mustChange bool, keepToken string) ([]string, error) {
	var ended []string
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*User)(nil)).
			Set("password_hash = ?", hash).Set("must_change_password = ?", mustChange).
			Where("id = ?", userID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("models: set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &NotFoundError{What: "user"}
		}
		ended, err = endOtherSessions(ctx, tx, userID, keepToken)
		return err
	})
	if err == nil {
		s.changed(userID)
	}
	return ended, err
}

// EndOtherSessions ends every session of a user but keepToken's, and
// returns the ids of those it ended.
func (s *Store) EndOtherSessions(ctx context.Context, userID int64, keepToken string) ([]string, error) {
	var ended []string
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		ended, err = endOtherSessions(ctx, tx, userID, keepToken)
		return err
	})
	if err == nil {
		s.changed(userID)
	}
	return ended, err
}

// endOtherSessions deletes a user's sessions but keepToken's ("": all) and
// returns their ids.
func endOtherSessions(ctx context.Context, tx bun.Tx, userID int64, keepToken string) ([]string, error) {
	q := tx.NewSelect().Model((*Session)(nil)).Column("token_hash").Where("user_id = ?", userID)
	d := tx.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID)
	if keepToken != "" {
		q = q.Where("token_hash <> ?", hashToken(keepToken))
		d = d.Where("token_hash <> ?", hashToken(keepToken))
	}
	var hashes []string
	if err := q.Scan(ctx, &hashes); err != nil {
		return nil, fmt.Errorf("models: read sessions: %w", err)
	}
	if _, err := d.Exec(ctx); err != nil {
		return nil, fmt.Errorf("models: end sessions: %w", err)
	}
	ended := make([]string, len(hashes))
	for i, h := range hashes {
		ended[i] = h[:16]
	}
	return ended, nil
}

// SeenSession notes that a session was used now, if its last-seen time
// (seen, as SessionUser read it) is stale: at most one write a minute per
// session, whatever the traffic.
func (s *Store) SeenSession(ctx context.Context, token string, seen time.Time) error {
	now := s.sessions.now().UTC()
	if now.Sub(seen) < seenEvery {
		return nil
	}
	key := tokenKey(token)
	_, err := s.w.NewUpdate().Model((*Session)(nil)).Set("last_seen_at = ?", now).
		Where("token_hash = ?", hex.EncodeToString(key[:])).Exec(ctx)
	if err != nil {
		return fmt.Errorf("models: session seen: %w", err)
	}
	// Not a change others must hear of: the cached copy here is what
	// decides when the next write is due.
	s.sessions.seen(key, now)
	return nil
}

// UserSessions lists a user's live sessions, the latest seen first.
func (s *Store) UserSessions(ctx context.Context, userID int64) ([]Session, error) {
	var out []Session
	err := s.db.NewSelect().Model(&out).Where("user_id = ?", userID).
		Where("expires_at > ?", time.Now().UTC()).
		OrderExpr("COALESCE(last_seen_at, created_at) DESC, created_at DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: list sessions: %w", err)
	}
	return out, nil
}

// EndUserSession ends one of a user's sessions by its id (Session.ID). A
// session that is not theirs is a *NotFoundError, as one that never was.
func (s *Store) EndUserSession(ctx context.Context, userID int64, id string) error {
	if len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" {
		return &NotFoundError{What: "session"}
	}
	res, err := s.w.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID).
		Where("substr(token_hash, 1, 16) = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("models: end session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &NotFoundError{What: "session"}
	}
	s.changed(userID)
	return nil
}

// cutUTF8 cuts s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
