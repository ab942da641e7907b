package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/models/modelstest"
)

func openPostgres(t *testing.T, dsn string) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPostgresStore(t *testing.T) {
	ctx := context.Background()
	dsn := modelstest.PostgresDSN(t)
	// Two instances starting at once: one migrates, the other waits.
	var wg sync.WaitGroup
	stores := make([]*models.Store, 2)
	for i := range stores {
		wg.Go(func() { stores[i] = openPostgres(t, dsn) })
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	a, b := stores[0], stores[1]

	u, err := a.CreateUser(ctx, "Alice", "hash", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.CreateUser(ctx, "ALICE", "hash", false); !errors.Is(err, models.ErrTaken) {
		t.Fatalf("second ALICE: %v, want ErrTaken", err)
	}
	token, err := a.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b.SessionUser(ctx, token); err != nil || got.ID != u.ID {
		t.Fatalf("session on the other instance: %v, %v", got, err)
	}
	r1, err := a.GetOrCreateRoom(ctx, "Général")
	if err != nil {
		t.Fatal(err)
	}
	r2, err := b.GetOrCreateRoom(ctx, "GÉNÉRAL")
	if err != nil || r2.ID != r1.ID {
		t.Fatalf("same room in other case: %+v, %v", r2, err)
	}
	if _, err := a.RoomByName(ctx, "nowhere"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("missing room: %v", err)
	}

	// Every instance reads the value the first one set.
	k1, err := a.Setting(ctx, "session_key", func() string { return "first" })
	if err != nil {
		t.Fatal(err)
	}
	k2, err := b.Setting(ctx, "session_key", func() string { return "second" })
	if err != nil || k1 != "first" || k2 != "first" {
		t.Fatalf("shared setting: %q, %q, %v", k1, k2, err)
	}

	w := a.NewWriter(func([]*models.Message) {})
	defer w.Close()
	m := &models.Message{RoomID: r1.ID, UserID: u.ID, Content: "héllo", CreatedAt: time.Now().UTC(), User: u}
	if err := w.Post(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, err := b.LatestMessages(ctx, r1.ID, 10)
	if err != nil || len(got) != 1 || got[0].Content != "héllo" || got[0].Author() != "Alice" {
		t.Fatalf("latest: %+v, %v", got, err)
	}
}

// TestPostgresRoomCommitOrder posts into one room from two instances at
// once while a reader follows the room by change number, as a resuming
// stream does. Every message must be seen: a change becoming visible after
// a larger number in its room would be skipped by the cursor for good. And
// ids must rise with the numbers, or a live page would order messages
// differently from a reload.
func TestPostgresRoomCommitOrder(t *testing.T) {
	ctx := context.Background()
	dsn := modelstest.PostgresDSN(t)
	a, b := openPostgres(t, dsn), openPostgres(t, dsn)
	u, err := a.CreateUser(ctx, "poster", "hash", false)
	if err != nil {
		t.Fatal(err)
	}
	room, err := a.GetOrCreateRoom(ctx, "busy")
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.GetOrCreateRoom(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	seqOf := map[int64]int64{}
	record := func(msgs []*models.Message) {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range msgs {
			if m.RoomID == room.ID {
				seqOf[m.ID] = m.Seq
			}
		}
	}
	const perWriter = 300
	writers := []*models.Writer{a.NewWriter(record), b.NewWriter(record)}
	var wg sync.WaitGroup
	for _, w := range writers {
		for p := range 4 {
			wg.Go(func() {
				for i := range perWriter / 4 {
					rid := room.ID
					if i%5 == 0 {
						rid = other.ID // other rooms commit in parallel
					}
					if err := w.Post(ctx, &models.Message{RoomID: rid, UserID: u.ID, Content: "x", CreatedAt: time.Now().UTC()}); err != nil {
						t.Errorf("post %d: %v", p, err)
						return
					}
				}
			})
		}
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	var seen []int64
	var cursor int64
	follow := func() {
		msgs, err := b.ChangesAfter(ctx, room.ID, cursor, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			seen = append(seen, m.ID)
			cursor = m.Seq
		}
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		follow()
	}
	follow()
	for _, w := range writers {
		w.Close()
	}
	n, err := a.CountMessages(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != n {
		t.Fatalf("a reader following by cursor saw %d of %d messages", len(seen), n)
	}
	// The room's changes are numbered 1, 2, 3... with no gap, as
	// published, and ids rise with them.
	for i, id := range seen {
		if seqOf[id] != int64(i+1) {
			t.Fatalf("message %d (the %dth seen) was published as change %d", id, i+1, seqOf[id])
		}
		if i > 0 && id < seen[i-1] {
			t.Fatalf("message %d came after message %d", id, seen[i-1])
		}
	}
}
