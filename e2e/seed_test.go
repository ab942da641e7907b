package e2e

import (
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/models"
)

// seeder writes users, rooms and messages straight into the store, with
// the times a test needs (yesterday's messages, say). Messages it writes
// reach pages that load afterwards, not open streams.
type seeder struct {
	t     *testing.T
	store *models.Store
	w     *models.Writer
	users map[string]*models.User
}

func (a *testApp) seeder() *seeder {
	w := a.store.NewWriter(func([]*models.Message) {})
	a.t.Cleanup(w.Close)
	return &seeder{t: a.t, store: a.store, w: w, users: map[string]*models.User{}}
}

// user creates a person who can log in with the common password.
func (s *seeder) user(name string) *models.User { return s.account(name, false) }

// staff creates a staff member, who can delete messages.
func (s *seeder) staff(name string) *models.User { return s.account(name, true) }

func (s *seeder) account(name string, staff bool) *models.User {
	s.t.Helper()
	if u, ok := s.users[name]; ok {
		return u
	}
	hash, err := models.HashPassword(password, 4)
	if err != nil {
		s.t.Fatal(err)
	}
	u, err := s.store.CreateUser(s.t.Context(), name, hash, staff)
	if err != nil {
		s.t.Fatal(err)
	}
	s.users[name] = u
	return u
}

func (s *seeder) room(name string) *models.Room {
	s.t.Helper()
	r, err := s.store.GetOrCreateRoom(s.t.Context(), name)
	if err != nil {
		s.t.Fatal(err)
	}
	return r
}

// say stores a message from who in room at a given time.
func (s *seeder) say(room, who string, at time.Time, text string) int64 {
	s.t.Helper()
	u := s.user(who)
	m := &models.Message{RoomID: s.room(room).ID, UserID: u.ID, Content: text, CreatedAt: at.UTC(), User: u}
	if err := s.w.Post(s.t.Context(), m); err != nil {
		s.t.Fatal(err)
	}
	return m.ID
}
