package cluster_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/realtime/cluster"
	"github.com/minidiscord/minidiscord/realtime/cluster/clustertest"
)

// These tests link hubs through the real Redis (MINIDISCORD_TEST_REDIS);
// the stored messages are a slice here, since neither package knows the
// database.

// messages is a room's stored messages, ids increasing.
type messages struct {
	mu  sync.Mutex
	evs []realtime.Event
}

func (m *messages) store(id int64) realtime.Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	var prev int64
	if n := len(m.evs); n > 0 {
		prev = m.evs[n-1].ID
	}
	ev := realtime.Event{Name: "message", ID: id, Prev: prev, Data: "m"}
	m.evs = append(m.evs, ev)
	return ev
}

func (m *messages) LastID(context.Context, int64) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := len(m.evs); n > 0 {
		return m.evs[n-1].ID, nil
	}
	return 0, nil
}

func (m *messages) After(_ context.Context, _, after int64, limit int) ([]realtime.Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []realtime.Event
	for _, ev := range m.evs {
		if ev.ID > after && len(out) < limit {
			out = append(out, realtime.Event{Name: ev.Name, ID: ev.ID, Data: ev.Data})
		}
	}
	return out, nil
}

func linkedHub(t *testing.T, prefix string, history cluster.History) *realtime.Hub {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := cluster.New(clustertest.Redis(t, ""), history, cluster.Options{Prefix: prefix, PresenceTTL: 600 * time.Millisecond, GapWait: 30 * time.Millisecond, Log: log})
	h := realtime.NewHub(realtime.Options{Relay: c})
	t.Cleanup(func() { h.Close(); c.Close() })
	return h
}

func subscribe(t *testing.T, h *realtime.Hub, room, user int64, session string) *realtime.Subscription {
	t.Helper()
	s, err := h.Subscribe(t.Context(), room, realtime.Member{UserID: user, Name: "u"}, session)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func ids(t *testing.T, s *realtime.Subscription, n int) []int64 {
	t.Helper()
	var out []int64
	for len(out) < n {
		select {
		case ev, ok := <-s.C():
			if !ok {
				t.Fatalf("closed after %v", out)
			}
			if ev.ID != 0 {
				out = append(out, ev.ID)
			}
		case <-time.After(3 * time.Second):
			t.Fatalf("got %v, want %d events", out, n)
		}
	}
	return out
}

// TestClusterKeepsRoomOrder publishes a room's messages from another
// instance out of order and with one never published: the subscriber gets
// them all, once, in id order.
func TestClusterKeepsRoomOrder(t *testing.T) {
	prefix := clustertest.Prefix(t)
	var room messages
	a := linkedHub(t, prefix, &room)
	b := linkedHub(t, prefix, &room)
	sub := subscribe(t, a, 7, 1, "s")
	// B must follow the room too before it publishes (it would, having a
	// stream there).
	subscribe(t, b, 7, 2, "s2")
	waitSubscribers(t, prefix+"room:7", 2) // so nothing is caught up instead

	m1, m2, m3 := room.store(10), room.store(11), room.store(12)
	b.Publish(7, m3) // early: waits for 11
	b.Publish(7, m2) // early: waits for 10
	b.Publish(7, m1) // releases all three
	if got := ids(t, sub, 3); !slices.Equal(got, []int64{10, 11, 12}) {
		t.Fatalf("got %v", got)
	}

	room.store(13)       // stored, never published (its instance died)
	m5 := room.store(14) // arrives with Prev 13, which never comes
	b.Publish(7, m5)     // after GapWait, A reads 13 and 14 from History
	m6 := room.store(15) // and then goes on as usual
	b.Publish(7, m6)
	if got := ids(t, sub, 3); !slices.Equal(got, []int64{13, 14, 15}) {
		t.Fatalf("got %v", got)
	}
}

// TestClusterCloseRoomEndsStreamsEverywhere closes a room on A: B's
// stream into it ends, and B's stream into another room goes on.
func TestClusterCloseRoomEndsStreamsEverywhere(t *testing.T) {
	prefix := clustertest.Prefix(t)
	var room messages
	a := linkedHub(t, prefix, &room)
	b := linkedHub(t, prefix, &room)
	subscribe(t, a, 8, 1, "a") // so A follows room 8 and hears B publish
	closing := subscribe(t, b, 7, 2, "b")
	staying := subscribe(t, b, 8, 2, "b")
	waitSubscribers(t, prefix+"room:8", 2)

	a.CloseRoom(7)
	deadline := time.After(3 * time.Second)
	for open := true; open; {
		select {
		case _, open = <-closing.C():
		case <-deadline:
			t.Fatal("B's stream into the closed room is still open")
		}
	}
	a.Publish(8, room.store(1))
	if got := ids(t, staying, 1); got[0] != 1 {
		t.Fatalf("B's stream into another room got %v", got)
	}
}

// stalled is a History whose database does not answer.
type stalled struct{}

func (stalled) LastID(ctx context.Context, _ int64) (int64, error) {
	<-ctx.Done()
	return 0, ctx.Err()
}

func (stalled) After(ctx context.Context, _, _ int64, _ int) ([]realtime.Event, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestSubscribeGivesUpWithItsContext: a stream whose request has gone does
// not wait on the network to join its room.
func TestSubscribeGivesUpWithItsContext(t *testing.T) {
	h := linkedHub(t, clustertest.Prefix(t), stalled{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := h.Subscribe(ctx, 7, realtime.Member{UserID: 1, Name: "u"}, "s"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Subscribe with a cancelled context: %v, want context.Canceled", err)
	}
}

// waitSubscribers waits until channel has n subscribers.
func waitSubscribers(t *testing.T, channel string, n int64) {
	t.Helper()
	rdb := clustertest.Redis(t, "")
	deadline := time.Now().Add(3 * time.Second)
	for {
		got, err := rdb.PubSubNumSub(t.Context(), channel).Result()
		if err != nil {
			t.Fatal(err)
		}
		if got[channel] >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s has %d subscribers, want %d", channel, got[channel], n)
		}
		time.Sleep(5 * time.Millisecond) // polling Redis: it has no way to wait
	}
}

// next reads s's next event that is not presence, within a deadline.
func next(t *testing.T, s *realtime.Subscription) realtime.Event {
	t.Helper()
	deadline := time.After(3 * time.Second)
	for {
		select {
		case ev, ok := <-s.C():
			if !ok {
				t.Fatal("stream closed")
			}
			if ev.Name != "presence" {
				return *ev
			}
		case <-deadline:
			t.Fatal("no event")
		}
	}
}

// TestClusterCarriesUserEventsBroadcastsAndEndings: an event for one
// person, one for everyone, and the end of one person's streams, made on A,
// reach B's streams.
func TestClusterCarriesUserEventsBroadcastsAndEndings(t *testing.T) {
	prefix := clustertest.Prefix(t)
	var room messages
	a := linkedHub(t, prefix, &room)
	b := linkedHub(t, prefix, &room)
	ann := subscribe(t, b, 7, 1, "ann")
	bo := subscribe(t, b, 8, 2, "bo")
	waitSubscribers(t, prefix+"control", 2)

	a.PublishUser(2, realtime.Event{Name: "mention", Data: "for bo"})
	a.Broadcast(realtime.Event{Name: "rooms", Data: "for all"})
	if ev := next(t, bo); ev.Name != "mention" || ev.Data != "for bo" {
		t.Fatalf("bo got %+v", ev)
	}
	if ev := next(t, bo); ev.Name != "rooms" {
		t.Fatalf("bo got %+v", ev)
	}
	if ev := next(t, ann); ev.Name != "rooms" {
		t.Fatalf("ann got %+v, want only the broadcast", ev)
	}

	a.End(realtime.Ending{User: 1})
	deadline := time.After(3 * time.Second)
	for open := true; open; {
		select {
		case _, open = <-ann.C():
		case <-deadline:
			t.Fatal("ann's stream on B is still open")
		}
	}
	a.Broadcast(realtime.Event{Name: "rooms", Data: "again"})
	if ev := next(t, bo); ev.Name != "rooms" {
		t.Fatalf("bo's stream did not go on: %+v", ev)
	}
}

// TestClusterCarriesUserChanges: a user changed on A is heard on B, and B
// hears "anything may have changed" (0) whenever its subscription starts
// again: what was sent while it was down is lost.
func TestClusterCarriesUserChanges(t *testing.T) {
	prefix := clustertest.Prefix(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var room messages
	link := func(name string, heard chan int64) (*cluster.Cluster, *redis.Client) {
		rdb := clustertest.Redis(t, name)
		opts := cluster.Options{Prefix: prefix, Log: log}
		if heard != nil {
			opts.UserChanged = func(id int64) { heard <- id }
		}
		c := cluster.New(rdb, &room, opts)
		h := realtime.NewHub(realtime.Options{Relay: c})
		t.Cleanup(func() { h.Close(); c.Close() })
		return c, rdb
	}
	heard := make(chan int64, 16)
	hear := func(want int64) {
		t.Helper()
		select {
		case id := <-heard:
			if id != want {
				t.Fatalf("B heard %d, want %d", id, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("B heard nothing, want %d", want)
		}
	}
	a, _ := link("", nil)
	bName := strings.TrimSuffix(prefix, ":") + "-b"
	_, brdb := link(bName, heard)
	hear(0) // the first subscription
	waitSubscribers(t, prefix+"control", 2)

	a.UserChanged(42)
	hear(42)

	// Cut B's subscription from the Redis side: B forgets everything once
	// it is subscribed again.
	ctx := t.Context()
	list, err := brdb.ClientList(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	killed := false
	for line := range strings.SplitSeq(list, "\n") {
		if strings.Contains(line, " name="+bName+" ") && !strings.Contains(line, " sub=0 ") {
			id, _, _ := strings.Cut(strings.TrimPrefix(line, "id="), " ")
			if err := brdb.Do(ctx, "CLIENT", "KILL", "ID", id).Err(); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	if !killed {
		t.Fatalf("no subscription named %s:\n%s", bName, list)
	}
	hear(0)
}
