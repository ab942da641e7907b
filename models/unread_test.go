package models_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/models"
)

// TestUnreadState: a room's unread count and mentions per user follow
// posts, edits, deletions and reads; counts stop at UnreadCap; a room
// never opened is "new" without a count; posting marks the room read for
// its author.
func TestUnreadState(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		user := func(name string) *models.User {
			u, err := s.CreateUser(ctx, name, "hash", false)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		ann, bo, chen := user("ann"), user("Bo"), user("chen")
		general, err := s.GetOrCreateRoom(ctx, "general")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetOrCreateRoom(ctx, "quiet"); err != nil {
			t.Fatal(err)
		}
		var pub published
		w := s.NewWriter(pub.record)
		defer w.Close()
		reads := s.NewReadMarks()
		defer reads.Close()

		say := func(u *models.User, text string) *models.Message {
			t.Helper()
			m := &models.Message{RoomID: general.ID, UserID: u.ID, Content: text, CreatedAt: time.Now().UTC(), User: u}
			if err := w.Post(ctx, m); err != nil {
				t.Fatal(err)
			}
			return m
		}
		state := func(u *models.User) models.RoomState {
			t.Helper()
			st, err := s.RoomStateOf(ctx, u.ID, general.ID)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}

		// ann posts: the room is read for her; bo never opened it.
		first := say(ann, "hello @bo and @nobody and @ann")
		if !first.Posted || !slices.Equal(first.NewlyMentioned, []int64{bo.ID}) {
			t.Errorf("post: Posted %v, Mentioned %v; want true, [bo] (not ann herself, not a stranger)", first.Posted, first.NewlyMentioned)
		}
		if st := state(ann); !st.Opened || st.Read != first.ID || st.Unread != 0 || st.New() {
			t.Errorf("ann after posting: %+v, want opened, read up to her post, nothing unread", st)
		}
		st := state(bo)
		if st.Opened || !st.New() || st.Unread != 0 || st.Mentions != 1 || st.Last != first.ID {
			t.Errorf("bo, never opened: %+v, want new, no count, one mention", st)
		}

		// bo reads; then ann says more, one message mentions him by edit.
		if err := reads.Mark(ctx, bo.ID, general.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		if st := state(bo); !st.Opened || st.Unread != 0 || st.Mentions != 0 {
			t.Errorf("bo after reading: %+v, want nothing unread, mention cleared", st)
		}
		second := say(ann, "second")
		third := say(chen, "third")
		edited, err := w.Edit(ctx, general.ID, second.ID, ann.ID, "second, cc @BO")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(edited.NewlyMentioned, []int64{bo.ID}) || edited.Posted {
			t.Errorf("edit adding a mention: Mentioned %v Posted %v", edited.NewlyMentioned, edited.Posted)
		}
		if st := state(bo); st.Unread != 2 || st.Mentions != 1 {
			t.Errorf("bo: %+v, want 2 unread, 1 mention", st)
		}
		// An edit taking the mention out removes it; so does deleting.
		edited, err = w.Edit(ctx, general.ID, second.ID, ann.ID, "second")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(edited.Unmentioned, []int64{bo.ID}) {
			t.Errorf("edit removing a mention: Unmentioned %v", edited.Unmentioned)
		}
		fourth := say(chen, "@bo look")
		if st := state(bo); st.Mentions != 1 || st.Unread != 3 {
			t.Errorf("bo: %+v, want 3 unread, 1 mention", st)
		}
		if err := w.Delete(ctx, general.ID, fourth.ID); err != nil {
			t.Fatal(err)
		}
		pub.mu.Lock()
		gone := pub.msgs[len(pub.msgs)-1]
		pub.mu.Unlock()
		if !slices.Equal(gone.Unmentioned, []int64{bo.ID}) {
			t.Errorf("deleting a message that mentions bo: Unmentioned %v", gone.Unmentioned)
		}
		if st := state(bo); st.Mentions != 0 || st.Unread != 2 {
			t.Errorf("bo after the deletion: %+v, want 2 unread, no mention", st)
		}

		// A mark never moves back; it clears only the mentions it covers.
		say(chen, "@bo five")
		if err := reads.Mark(ctx, bo.ID, general.ID, third.ID); err != nil {
			t.Fatal(err)
		}
		if err := reads.Mark(ctx, bo.ID, general.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		if st := state(bo); st.Read != third.ID || st.Unread != 1 || st.Mentions != 1 {
			t.Errorf("bo: %+v, want read up to the third, 1 unread, 1 mention", st)
		}

		// Counts stop at the cap.
		for i := range models.UnreadCap + 5 {
			say(chen, "flood "+string(rune('a'+i%26)))
		}
		if st := state(bo); st.Unread != models.UnreadCap {
			t.Errorf("bo's unread count after a flood: %d, want the cap %d", st.Unread, models.UnreadCap)
		}

		// Every room, by name; a room without messages is not new.
		all, err := s.RoomStates(ctx, bo.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || all[0].Name != "general" || all[1].Name != "quiet" || all[1].New() || all[1].Unread != 0 {
			t.Errorf("bo's rooms: %+v", all)
		}
		// Someone not logged in has no counts.
		anon, err := s.RoomStates(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if anon[0].Unread != 0 || anon[0].Mentions != 0 || anon[0].Opened {
			t.Errorf("anonymous: %+v", anon[0])
		}

		// A mark in a room deleted meanwhile is not found.
		gone2, err := s.GetOrCreateRoom(ctx, "gone")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteRoom(ctx, gone2.ID); err != nil {
			t.Fatal(err)
		}
		if err := reads.Mark(ctx, bo.ID, gone2.ID, 1); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("mark in a deleted room: %v, want not found", err)
		}
		if _, err := s.RoomVisibleTo(ctx, bo.ID, "GENERAL"); err != nil {
			t.Errorf("RoomVisibleTo: %v", err)
		}
		if _, err := s.RoomVisibleTo(ctx, bo.ID, "gone"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("RoomVisibleTo a deleted room: %v", err)
		}
	})
}

// TestReadMarksTogether: many readers marking at once are all stored
// (sharing commits), each mark for its own user.
func TestReadMarksTogether(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		room, err := s.GetOrCreateRoom(ctx, "busy")
		if err != nil {
			t.Fatal(err)
		}
		reads := s.NewReadMarks()
		const n = 300
		users := make([]*models.User, n)
		for i := range users {
			if users[i], err = s.CreateUser(ctx, "reader"+strconv.Itoa(i), "hash", false); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for i, u := range users {
			wg.Go(func() {
				if err := reads.Mark(ctx, u.ID, room.ID, int64(i)); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		reads.Close()
		if err := reads.Mark(ctx, users[0].ID, room.ID, 1); !errors.Is(err, models.ErrWriterClosed) {
			t.Errorf("a mark after Close: %v", err)
		}
		for i, u := range users {
			st, err := s.RoomStateOf(ctx, u.ID, room.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !st.Opened || st.Read != int64(i) {
				t.Fatalf("reader %d: %+v, want read up to %d", i, st, i)
			}
		}
	})
}
