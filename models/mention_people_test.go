package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/models"
)

func names(ms []models.Member) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Name)
	}
	return out
}

// TestMentionedUsersComeWithMessages: every read of messages, and what the
// writer publishes, carries the users the text mentions (case ignored,
// each once); names that are no one's are left out.
func TestMentionedUsersComeWithMessages(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		ann, err := s.CreateUser(ctx, "ann", "x", false)
		if err != nil {
			t.Fatal(err)
		}
		bob, err := s.CreateUser(ctx, "Bob", "x", false)
		if err != nil {
			t.Fatal(err)
		}
		room, err := s.GetOrCreateRoom(ctx, "general")
		if err != nil {
			t.Fatal(err)
		}
		var pub published
		w := s.NewWriter(pub.record)
		defer w.Close()
		post := func(text string) *models.Message {
			m := &models.Message{RoomID: room.ID, UserID: ann.ID, Content: text, CreatedAt: time.Now().UTC(), User: ann}
			if err := w.Post(ctx, m); err != nil {
				t.Fatal(err)
			}
			return m
		}
		post("hi @bob and @BOB, not @nobody, and mail bob@example.com")
		post("no one here")

		msgs, err := s.LatestMessages(ctx, room.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(msgs[0].Mentioned); !slices.Equal(got, []string{"Bob"}) {
			t.Errorf("history: mentioned %q, want Bob once", got)
		}
		if len(msgs[1].Mentioned) != 0 {
			t.Errorf("a message without mentions has %v", msgs[1].Mentioned)
		}
		if got := names(pub.msgs[0].Mentioned); !slices.Equal(got, []string{"Bob"}) {
			t.Errorf("published: mentioned %q, want Bob", got)
		}
		if pub.msgs[0].Mentioned[0].UserID != bob.ID {
			t.Errorf("mention of Bob has user id %d, want %d", pub.msgs[0].Mentioned[0].UserID, bob.ID)
		}
		changes, err := s.ChangesAfter(ctx, room.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(changes[0].Mentioned); !slices.Equal(got, []string{"Bob"}) {
			t.Errorf("replay: mentioned %q, want Bob", got)
		}
		// An edit that names someone else is published with them.
		edited, err := w.Edit(ctx, room.ID, msgs[1].ID, ann.ID, "now @ann")
		if err != nil {
			t.Fatal(err)
		}
		if got := names(edited.Mentioned); !slices.Equal(got, []string{"ann"}) {
			t.Errorf("after an edit: mentioned %q, want ann", got)
		}
	})
}

// TestMentionCandidates: "@" plus a prefix suggests the online first, then
// recent posters in the room (latest first), then anyone, by name key;
// never the asker, never twice, never more than asked for.
func TestMentionCandidates(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		users := map[string]*models.User{}
		for _, n := range []string{"me", "anna", "Andy", "anton", "ansel", "bob", "an.na", "ángel"} {
			u, err := s.CreateUser(ctx, n, "x", false)
			if err != nil {
				t.Fatal(err)
			}
			users[n] = u
		}
		room, err := s.GetOrCreateRoom(ctx, "general")
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.GetOrCreateRoom(ctx, "other")
		if err != nil {
			t.Fatal(err)
		}
		w := s.NewWriter(func([]*models.Message) {})
		defer w.Close()
		say := func(r *models.Room, who string) {
			u := users[who]
			if err := w.Post(ctx, &models.Message{RoomID: r.ID, UserID: u.ID, Content: "hi", CreatedAt: time.Now().UTC(), User: u}); err != nil {
				t.Fatal(err)
			}
		}
		say(room, "anton")
		say(room, "me")
		say(room, "anna")
		say(other, "ansel")
		online := []models.Member{{UserID: users["me"].ID, Name: "me"}, {UserID: users["Andy"].ID, Name: "Andy"}, {UserID: users["bob"].ID, Name: "bob"}}

		for _, tc := range []struct {
			prefix string
			limit  int
			want   []string
		}{
			// Online Andy, then posters anna (latest) and anton, then the rest by key.
			{"an", 10, []string{"Andy", "anna", "anton", "an.na", "ansel"}},
			{"AN", 3, []string{"Andy", "anna", "anton"}},
			{"ann", 10, []string{"anna"}},
			{"", 4, []string{"Andy", "bob", "anna", "anton"}},
			{"á", 10, []string{"ángel"}},
			{"zz", 10, nil},
			{"an'; DROP TABLE users; --", 10, nil},
		} {
			got, err := s.MentionCandidates(ctx, room.ID, tc.prefix, online, users["me"].ID, tc.limit)
			if err != nil {
				t.Fatalf("%q: %v", tc.prefix, err)
			}
			if !slices.Equal(names(got), tc.want) {
				t.Errorf("@%s (limit %d): %q, want %q", tc.prefix, tc.limit, names(got), tc.want)
			}
		}
	})
}

// BenchmarkMentionLookup is what looking up the people mentioned adds to
// reading a history page of 50 messages: none mention anyone (no lookup),
// or 10 of them mention two people each (one query).
func BenchmarkMentionLookup(b *testing.B) {
	s, err := models.Open(context.Background(), b.TempDir()+"/bench.db")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	var us []*models.User
	for i := range 200 {
		u, err := s.CreateUser(ctx, fmt.Sprintf("user%d", i), "x", false)
		if err != nil {
			b.Fatal(err)
		}
		us = append(us, u)
	}
	w := s.NewWriter(func([]*models.Message) {})
	defer w.Close()
	for _, bench := range []struct {
		name  string
		every int
	}{{"none", 0}, {"10of50", 5}} {
		room, _ := s.GetOrCreateRoom(ctx, "room-"+bench.name)
		for i := range 50 {
			text := "just talking, nothing to see"
			if bench.every > 0 && i%bench.every == 0 {
				text = fmt.Sprintf("@user%d and @user%d, look", i, i+1)
			}
			if err := w.Post(ctx, &models.Message{RoomID: room.ID, UserID: us[i].ID, Content: text, CreatedAt: time.Now().UTC(), User: us[i]}); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(bench.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.LatestMessages(ctx, room.ID, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
