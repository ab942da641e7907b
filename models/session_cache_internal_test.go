package models

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/models/modelstest"
)

// eachBackend runs f on SQLite, and on PostgreSQL when it can be reached.
func eachBackend(t *testing.T, f func(t *testing.T, s *Store)) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.db")
			if name == "postgres" {
				path = modelstest.PostgresDSN(t)
			}
			s, err := Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			f(t, s)
		})
	}
}

// deleteBehind deletes a user's sessions without the store knowing.
func deleteBehind(t *testing.T, s *Store, userID int64) {
	t.Helper()
	if _, err := s.DB().NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestSessionCacheServesFromMemory: a known session is served without the
// database (its row deleted behind the store's back still logs in), as a
// copy the caller may change, until ForgetUser, expiry or maxAge.
func TestSessionCacheServesFromMemory(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		u, _ := s.CreateUser(ctx, "alice", "x", false)
		token, _ := s.CreateSession(ctx, u.ID, time.Hour)
		got, err := s.SessionUser(ctx, token)
		if err != nil || got.ID != u.ID {
			t.Fatalf("SessionUser: %v, %v", got, err)
		}
		got.Username, got.IsStaff = "mallory", true
		deleteBehind(t, s, u.ID)
		again, err := s.SessionUser(ctx, token)
		if err != nil {
			t.Fatalf("a cached session: %v", err)
		}
		if again.Username != "alice" || again.IsStaff || again == got {
			t.Errorf("the cache handed out a shared user: %+v", again)
		}
		s.ForgetUser(0)
		if _, err := s.SessionUser(ctx, token); !errors.Is(err, ErrNotFound) {
			t.Errorf("after ForgetUser(0): %v, want not found", err)
		}

		// Expiry: the clock passes the session's end, cached or not.
		token, _ = s.CreateSession(ctx, u.ID, time.Hour)
		if _, err := s.SessionUser(ctx, token); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		s.sessions.now = func() time.Time { return start.Add(time.Hour + time.Second) }
		if _, err := s.SessionUser(ctx, token); !errors.Is(err, ErrNotFound) {
			t.Errorf("an expired session: %v, want not found", err)
		}

		// maxAge bounds what a change behind the store's back leaves.
		s.sessions.now = time.Now
		token, _ = s.CreateSession(ctx, u.ID, time.Hour)
		if _, err := s.SessionUser(ctx, token); err != nil {
			t.Fatal(err)
		}
		deleteBehind(t, s, u.ID)
		s.sessions.now = func() time.Time { return time.Now().Add(sessionCacheMaxAge) }
		if _, err := s.SessionUser(ctx, token); !errors.Is(err, ErrNotFound) {
			t.Errorf("past maxAge: %v, want not found", err)
		}
	})
}

// TestSessionCacheForgetsOnEveryChange: each Store method that changes a
// user or their sessions makes the next SessionUser read it, and calls
// OnUserChange with the user.
func TestSessionCacheForgetsOnEveryChange(t *testing.T) {
	cases := []struct {
		name   string
		change func(ctx context.Context, s *Store, u *User, token, other string) error
		// check is given what SessionUser says of the sessions after.
		check func(t *testing.T, mine *User, mineErr error, other *User, otherErr error)
	}{
		{"DeleteSession", func(ctx context.Context, s *Store, u *User, token, _ string) error {
			return s.DeleteSession(ctx, token)
		}, func(t *testing.T, _ *User, err error, _ *User, otherErr error) {
			if !errors.Is(err, ErrNotFound) || otherErr != nil {
				t.Errorf("logged out: %v; other: %v", err, otherErr)
			}
		}},
		{"EndUserSession", func(ctx context.Context, s *Store, u *User, token, _ string) error {
			return s.EndUserSession(ctx, u.ID, SessionID(token))
		}, func(t *testing.T, _ *User, err error, _ *User, otherErr error) {
			if !errors.Is(err, ErrNotFound) || otherErr != nil {
				t.Errorf("ended: %v; other: %v", err, otherErr)
			}
		}},
		{"EndOtherSessions", func(ctx context.Context, s *Store, u *User, token, _ string) error {
			_, err := s.EndOtherSessions(ctx, u.ID, token)
			return err
		}, func(t *testing.T, _ *User, err error, _ *User, otherErr error) {
			if err != nil || !errors.Is(otherErr, ErrNotFound) {
				t.Errorf("kept: %v; other: %v", err, otherErr)
			}
		}},
		{"ChangePassword", func(ctx context.Context, s *Store, u *User, token, _ string) error {
			_, err := s.ChangePassword(ctx, u.ID, "new", token)
			return err
		}, func(t *testing.T, mine *User, err error, _ *User, otherErr error) {
			if err != nil || mine.PasswordHash != "new" || !errors.Is(otherErr, ErrNotFound) {
				t.Errorf("kept: %v %q; other: %v", err, mine.PasswordHash, otherErr)
			}
		}},
		{"SetPassword", func(ctx context.Context, s *Store, u *User, _, _ string) error {
			return s.SetPassword(ctx, u.ID, "new")
		}, func(t *testing.T, _ *User, err error, _ *User, otherErr error) {
			if !errors.Is(err, ErrNotFound) || !errors.Is(otherErr, ErrNotFound) {
				t.Errorf("sessions after: %v, %v", err, otherErr)
			}
		}},
		{"SetOneTimePassword", func(ctx context.Context, s *Store, u *User, _, _ string) error {
			_, err := s.SetOneTimePassword(ctx, u.ID, "otp")
			return err
		}, func(t *testing.T, _ *User, err error, _ *User, otherErr error) {
			if !errors.Is(err, ErrNotFound) || !errors.Is(otherErr, ErrNotFound) {
				t.Errorf("sessions after: %v, %v", err, otherErr)
			}
		}},
		{"SetActive", func(ctx context.Context, s *Store, u *User, _, _ string) error {
			return s.SetActive(ctx, u.ID, false)
		}, func(t *testing.T, _ *User, err error, _ *User, otherErr error) {
			if !errors.Is(err, ErrNotFound) || !errors.Is(otherErr, ErrNotFound) {
				t.Errorf("sessions after: %v, %v", err, otherErr)
			}
		}},
		{"SetDisplayName", func(ctx context.Context, s *Store, u *User, _, _ string) error {
			return s.SetDisplayName(ctx, u.ID, "Bob B.")
		}, func(t *testing.T, mine *User, err error, other *User, _ error) {
			if err != nil || mine.DisplayName != "Bob B." || other.DisplayName != "Bob B." {
				t.Errorf("display names after: %v %+v %+v", err, mine, other)
			}
		}},
		{"SetAvatar", func(ctx context.Context, s *Store, u *User, _, _ string) error {
			_, err := s.SetAvatar(ctx, u.ID, "image/png", []byte("png"))
			return err
		}, func(t *testing.T, mine *User, err error, _ *User, _ error) {
			if err != nil || mine.Avatar() != 1 {
				t.Errorf("avatar after: %v %d", err, mine.Avatar())
			}
		}},
		{"RemoveAvatar", func(ctx context.Context, s *Store, u *User, _, _ string) error {
			return s.RemoveAvatar(ctx, u.ID)
		}, func(t *testing.T, mine *User, err error, _ *User, _ error) {
			if err != nil || mine.Avatar() != 0 || mine.AvatarVersion != -1 {
				t.Errorf("avatar after: %v %d", err, mine.AvatarVersion)
			}
		}},
		{"CompleteFirstLogin", func(ctx context.Context, s *Store, u *User, _, _ string) error {
			return s.CompleteFirstLogin(ctx, u.ID, "x", "rehashed")
		}, func(t *testing.T, mine *User, err error, _ *User, _ error) {
			if err != nil || mine.LoginNotice != "" || mine.PasswordHash != "rehashed" {
				t.Errorf("after the first login: %v %+v", err, mine)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, s *Store) {
				ctx := t.Context()
				var heard []int64
				s.OnUserChange(func(id int64) { heard = append(heard, id) })
				u, _ := s.CreateUser(ctx, "bob", "x", false)
				if c.name == "RemoveAvatar" {
					if _, err := s.SetAvatar(ctx, u.ID, "image/png", []byte("png")); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := s.DB().NewUpdate().Model((*User)(nil)).Set("login_notice = 'renamed'").Where("id = ?", u.ID).Exec(ctx); err != nil {
					t.Fatal(err)
				}
				heard = nil
				token, _ := s.CreateSession(ctx, u.ID, time.Hour)
				other, _ := s.CreateSession(ctx, u.ID, time.Hour)
				for _, tok := range []string{token, other} {
					if _, err := s.SessionUser(ctx, tok); err != nil {
						t.Fatal(err)
					}
				}
				if err := c.change(ctx, s, u, token, other); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(heard, []int64{u.ID}) {
					t.Errorf("OnUserChange heard %v, want [%d]", heard, u.ID)
				}
				mine, err := s.SessionUser(ctx, token)
				theirs, otherErr := s.SessionUser(ctx, other)
				c.check(t, mine, err, theirs, otherErr)
			})
		})
	}
}

// TestSessionCacheKeepsNoReadFromBeforeAChange: a read that began before a
// change and ends after it is not cached.
func TestSessionCacheKeepsNoReadFromBeforeAChange(t *testing.T) {
	c := newSessionCache()
	key := [32]byte{1}
	now := time.Now()
	gen := c.generation()
	c.forgetUser(7) // committed while the read was under way
	c.put(key, &User{ID: 7, DisplayName: "old"}, now.Add(time.Hour), gen, now)
	if _, ok := c.get(key, now); ok {
		t.Error("a read from before the change was cached")
	}
	c.put(key, &User{ID: 7}, now.Add(time.Hour), c.generation(), now)
	if _, ok := c.get(key, now); !ok {
		t.Error("a read from after the change was not cached")
	}
	c.forgetUser(7)
	if _, ok := c.get(key, now); ok {
		t.Error("forgetUser left the user's session")
	}
}

// TestSessionCacheIsBounded: past its size, an entry makes room.
func TestSessionCacheIsBounded(t *testing.T) {
	c := newSessionCache()
	c.cap = 3
	now := time.Now()
	for i := range 10 {
		c.put([32]byte{byte(i)}, &User{ID: int64(i)}, now.Add(time.Hour), c.generation(), now)
	}
	if n := len(c.entries); n != 3 {
		t.Errorf("%d entries, want 3", n)
	}
}

// TestSeenSessionFromCache: the last-seen time is written at most once a
// minute, the cached copy learning each write.
func TestSeenSessionFromCache(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		s.sessions.maxAge = time.Hour
		u, _ := s.CreateUser(ctx, "carol", "x", false)
		token, _ := s.CreateSession(ctx, u.ID, 2*time.Hour)
		base := time.Now().Add(2 * seenEvery)
		seenAt := func() time.Time {
			var at time.Time
			if err := s.DB().NewSelect().Model((*Session)(nil)).Column("last_seen_at").Where("user_id = ?", u.ID).Scan(ctx, &at); err != nil {
				t.Fatal(err)
			}
			return at
		}
		request := func(at time.Time) {
			t.Helper()
			s.sessions.now = func() time.Time { return at }
			got, err := s.SessionUser(ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SeenSession(ctx, token, got.SessionSeen); err != nil {
				t.Fatal(err)
			}
		}
		near := func(a, b time.Time) bool { return a.Sub(b).Abs() < time.Millisecond }
		for i := range 4 {
			request(base.Add(time.Duration(i) * 10 * time.Second))
		}
		if at := seenAt(); !near(at, base) {
			t.Errorf("last seen %v, want the first request's %v and no later write", at, base)
		}
		later := base.Add(seenEvery + time.Second)
		request(later)
		if at := seenAt(); !near(at, later) {
			t.Errorf("last seen %v a minute later, want %v", at, later)
		}
	})
}
