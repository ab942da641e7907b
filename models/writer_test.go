package models_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/models/modelstest"
)

// eachStore runs a test on SQLite and, when it is reachable, PostgreSQL.
func eachStore(t *testing.T, test func(t *testing.T, s *models.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := models.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		test(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		test(t, openPostgres(t, modelstest.PostgresDSN(t)))
	})
}

// published records what a writer hands to its subscribers.
type published struct {
	mu   sync.Mutex
	msgs []models.Message
}

func (p *published) record(msgs []*models.Message) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range msgs {
		p.msgs = append(p.msgs, *m)
	}
}

func (p *published) seqs() []int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []int64
	for _, m := range p.msgs {
		out = append(out, m.Seq)
	}
	return out
}

// TestWriterNumbersEveryChange: posts, edits, deletions and reactions each
// take the room's next number, and reading the room's changes after any
// number gives every message changed since, in its latest state.
func TestWriterNumbersEveryChange(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		ann, err := s.CreateUser(ctx, "ann", "hash", false)
		if err != nil {
			t.Fatal(err)
		}
		bo, err := s.CreateUser(ctx, "bo", "hash", false)
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

		say := func(u *models.User, text string, replyTo int64) *models.Message {
			m := &models.Message{RoomID: room.ID, UserID: u.ID, Content: text, CreatedAt: time.Now().UTC(), User: u, ReplyToID: replyTo}
			if err := w.Post(ctx, m); err != nil {
				t.Fatal(err)
			}
			return m
		}
		first := say(ann, "first", 0)     // 1
		second := say(bo, "second", 0)    // 2
		reply := say(bo, "yes", first.ID) // 3
		if reply.ReplyTo == nil || reply.ReplyTo.Content != "first" || reply.ReplyTo.Author() != "ann" {
			t.Fatalf("reply published without its quote: %+v", reply.ReplyTo)
		}

		if _, err := w.Edit(ctx, room.ID, first.ID, bo.ID, "not mine"); !errors.Is(err, models.ErrNotAuthor) {
			t.Fatalf("edit of someone else's message: %v, want ErrNotAuthor", err)
		}
		edited, err := w.Edit(ctx, room.ID, first.ID, ann.ID, "first, edited") // 4
		if err != nil || edited.Content != "first, edited" || edited.EditedAt.IsZero() || edited.Seq != 4 {
			t.Fatalf("edit: %+v, %v", edited, err)
		}
		reacted, err := w.React(ctx, room.ID, second.ID, ann.ID, "👍") // 5
		if err != nil || len(reacted.Reactions) != 1 || reacted.Reactions[0].Users[0].Name != "ann" {
			t.Fatalf("react: %+v, %v", reacted, err)
		}
		if err := w.Delete(ctx, room.ID, first.ID); err != nil { // 6
			t.Fatal(err)
		}
		if err := w.Delete(ctx, room.ID, first.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("second delete: %v, want ErrNotFound", err)
		}
		if _, err := w.React(ctx, room.ID, first.ID, ann.ID, "👍"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("reaction to a deleted message: %v, want ErrNotFound", err)
		}
		other, err := s.GetOrCreateRoom(ctx, "other")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Edit(ctx, other.ID, second.ID, bo.ID, "wrong room"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("edit through another room: %v, want ErrNotFound", err)
		}

		if got, want := pub.seqs(), []int64{1, 2, 3, 4, 5, 6}; !slices.Equal(got, want) {
			t.Fatalf("published changes %v, want %v", got, want)
		}
		if seq, err := s.RoomSeq(ctx, room.ID); err != nil || seq != 6 {
			t.Fatalf("room seq %d, %v; want 6", seq, err)
		}

		// A reader that saw change 2 learns of the reply (3), the reaction
		// (5) and the deletion (6); the edit (4) is folded into the deletion.
		changes, err := s.ChangesAfter(ctx, room.ID, 2, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range changes {
			state := m.Content
			if m.Deleted() {
				state = "deleted"
			}
			if len(m.Reactions) > 0 {
				state += " " + m.Reactions[0].Emoji
			}
			got = append(got, state)
		}
		if want := []string{"yes", "second 👍", "deleted"}; !slices.Equal(got, want) {
			t.Fatalf("changes after 2: %q, want %q", got, want)
		}
		if changes[0].ReplyTo == nil || !changes[0].ReplyTo.Deleted() {
			t.Fatalf("a reply to a deleted message must say so: %+v", changes[0].ReplyTo)
		}

		// History leaves the tombstone out.
		hist, err := s.LatestMessages(ctx, room.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 || hist[0].ID != second.ID || hist[1].ID != reply.ID {
			t.Fatalf("history after deletion: %+v", hist)
		}

		// Toggling takes the reaction back.
		if m, err := w.React(ctx, room.ID, second.ID, ann.ID, "👍"); err != nil || len(m.Reactions) != 0 {
			t.Fatalf("second toggle: %+v, %v", m, err)
		}
	})
}

// TestWriterRefusesPostsToDeletedRoom: a post racing a room's deletion is a
// "not found", never a half-stored message or a constraint failure.
func TestWriterRefusesPostsToDeletedRoom(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, "ann", "hash", false)
		if err != nil {
			t.Fatal(err)
		}
		room, err := s.GetOrCreateRoom(ctx, "doomed")
		if err != nil {
			t.Fatal(err)
		}
		w := s.NewWriter(func([]*models.Message) {})
		defer w.Close()
		if err := s.DeleteRoom(ctx, room.ID); err != nil {
			t.Fatal(err)
		}
		err = w.Post(ctx, &models.Message{RoomID: room.ID, UserID: u.ID, Content: "hello?", CreatedAt: time.Now().UTC(), User: u})
		if !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("post to a deleted room: %v, want ErrNotFound", err)
		}
	})
}

// TestWriterFoldsABurstOfReactions: many toggles of one message that
// commit together are published as one change in the final state.
func TestWriterFoldsABurstOfReactions(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		room, err := s.GetOrCreateRoom(ctx, "party")
		if err != nil {
			t.Fatal(err)
		}
		var users []*models.User
		for _, name := range []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10"} {
			u, err := s.CreateUser(ctx, name, "hash", false)
			if err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
		}
		var pub published
		w := s.NewWriter(pub.record)
		defer w.Close()
		m := &models.Message{RoomID: room.ID, UserID: users[0].ID, Content: "cake!", CreatedAt: time.Now().UTC(), User: users[0]}
		if err := w.Post(ctx, m); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, u := range users {
			wg.Go(func() {
				if _, err := w.React(ctx, room.ID, m.ID, u.ID, "🎉"); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		seqs := pub.seqs()
		if n := len(seqs) - 1; n < 1 || n > len(users) {
			t.Fatalf("%d reaction changes published for %d clicks", n, len(users))
		}
		for i, seq := range seqs {
			if seq != int64(i+1) {
				t.Fatalf("changes numbered %v: want 1, 2, 3... without gaps", seqs)
			}
		}
		pub.mu.Lock()
		last := pub.msgs[len(pub.msgs)-1]
		pub.mu.Unlock()
		if len(last.Reactions) != 1 || len(last.Reactions[0].Users) != len(users) {
			t.Fatalf("last published state has reactions %+v; want all %d people", last.Reactions, len(users))
		}
	})
}

// TestWriterStoresPostsAsWritten: posts committed together (one statement
// for the batch) read back exactly as they were written, whatever their
// text holds, with their replies, bot names and times, and are found by
// search.
func TestWriterStoresPostsAsWritten(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		ann, err := s.CreateUser(ctx, "ann", "hash", false)
		if err != nil {
			t.Fatal(err)
		}
		room, err := s.GetOrCreateRoom(ctx, "general")
		if err != nil {
			t.Fatal(err)
		}
		w := s.NewWriter(func([]*models.Message) {})
		defer w.Close()
		first := &models.Message{RoomID: room.ID, UserID: ann.ID, Content: "first", CreatedAt: time.Now().UTC(), User: ann}
		if err := w.Post(ctx, first); err != nil {
			t.Fatal(err)
		}
		texts := []string{
			`"quoted" and 'single' and back\slash \u0000 \n`,
			"line one\nline two\ttabbed",
			`{"r": 1, "c": "not a row"}]`,
			"<b>&amp;</b> 🎉 café ｆｕｌｌ",
			"zebra-crossing",
		}
		at := time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)
		posts := make([]*models.Message, len(texts))
		var wg sync.WaitGroup
		for i, text := range texts {
			posts[i] = &models.Message{RoomID: room.ID, UserID: ann.ID, Content: text, CreatedAt: at.Add(time.Duration(i) * time.Second), User: ann}
			if i == 1 {
				posts[i].ReplyToID = first.ID
			}
			if i == 2 {
				posts[i].BotName = `Build "bot"`
			}
			wg.Go(func() {
				if err := w.Post(ctx, posts[i]); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got, err := s.LatestMessages(ctx, room.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		byID := make(map[int64]models.Message)
		for _, m := range got {
			byID[m.ID] = m
		}
		for i, p := range posts {
			m, ok := byID[p.ID]
			if !ok {
				t.Fatalf("post %d (id %d) not stored", i, p.ID)
			}
			if m.Content != p.Content || m.BotName != p.BotName || m.ReplyToID != p.ReplyToID || m.Seq != p.Seq ||
				!m.CreatedAt.Equal(p.CreatedAt.Truncate(time.Microsecond)) || !m.EditedAt.IsZero() || m.Deleted() {
				t.Errorf("post %d read back as %+v, want %+v", i, m, p)
			}
		}
		// The date filter compares stored times: they must be stored as
		// every other time is.
		q, err := models.ParseSearch("zebra after:2026-03-03 before:2026-03-05", time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		found, err := s.Search(ctx, ann.ID, q, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(found.Messages) != 1 || found.Messages[0].ID != posts[4].ID {
			t.Errorf("search for a new post found %+v", found.Messages)
		}
	})
}

// TestRoomVisibleToOddNames: a name no room can have is simply not found.
func TestRoomVisibleToOddNames(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		if _, err := s.GetOrCreateRoom(ctx, "general"); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"gen\x00eral", "gen\xffral", ""} {
			if _, err := s.RoomVisibleTo(ctx, 0, name); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("RoomVisibleTo(%q): %v, want ErrNotFound", name, err)
			}
		}
		if r, err := s.RoomVisibleTo(ctx, 0, "GENERAL"); err != nil || r.Name != "general" {
			t.Errorf("RoomVisibleTo(GENERAL): %+v, %v", r, err)
		}
	})
}
