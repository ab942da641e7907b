package realtime_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/minidiscord/minidiscord/realtime"
)

// These tests link hubs through the real Redis (MINIDISCORD_TEST_REDIS);
// the stored messages are a slice here, since the realtime package knows
// no database.

func testRedis(t *testing.T) *redis.Client {
	t.Helper()
	addr := os.Getenv("MINIDISCORD_TEST_REDIS")
	if addr == "" {
		addr = "redis://127.0.0.1:6379/0"
	}
	opts, err := redis.ParseURL(addr)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		if os.Getenv("MINIDISCORD_REQUIRE_REDIS") == "1" {
			t.Fatalf("Redis at %s: %v", addr, err)
		}
		t.Skipf("Redis not reachable at %s (%v); MINIDISCORD_REQUIRE_REDIS=1 makes this a failure", addr, err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func testPrefix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "mdtest:" + hex.EncodeToString(b) + ":"
}

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

func (m *messages) LastID(context.Context, string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := len(m.evs); n > 0 {
		return m.evs[n-1].ID, nil
	}
	return 0, nil
}

func (m *messages) After(_ context.Context, _ string, after int64, limit int) ([]realtime.Event, error) {
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

func linkedHub(t *testing.T, prefix string, history realtime.History) (*realtime.Hub, *realtime.RedisBroker) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b := realtime.NewRedisBroker(testRedis(t), realtime.RedisOptions{Prefix: prefix, PresenceTTL: 600 * time.Millisecond, Log: log})
	h := realtime.NewHub(realtime.Options{Broker: b, History: history, GapWait: 30 * time.Millisecond, Log: log})
	t.Cleanup(func() { h.Close(); b.Close() })
	return h, b
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

// TestBrokerKeepsRoomOrder publishes a room's messages from another
// instance out of order and with one never published: the subscriber gets
// them all, once, in id order.
func TestBrokerKeepsRoomOrder(t *testing.T) {
	prefix := testPrefix()
	var room messages
	a, _ := linkedHub(t, prefix, &room)
	b, _ := linkedHub(t, prefix, &room)
	sub, err := a.Subscribe("7", realtime.Member{UserID: 1, Name: "u1"}, "s")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	// B must follow the room too before it publishes (it would, having a
	// stream there).
	other, err := b.Subscribe("7", realtime.Member{UserID: 2, Name: "u2"}, "s2")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	waitSubscribers(t, testRedis(t), prefix+"room:7", 2) // so nothing is caught up instead

	m1, m2, m3 := room.store(10), room.store(11), room.store(12)
	b.Publish("7", m3) // early: waits for 11
	b.Publish("7", m2) // early: waits for 10
	b.Publish("7", m1) // releases all three
	if got := ids(t, sub, 3); !slices.Equal(got, []int64{10, 11, 12}) {
		t.Fatalf("got %v", got)
	}

	room.store(13)       // stored, never published (its instance died)
	m5 := room.store(14) // arrives with Prev 13, which never comes
	b.Publish("7", m5)   // after GapWait, A reads 13 and 14 from History
	m6 := room.store(15) // and then goes on as usual
	b.Publish("7", m6)
	if got := ids(t, sub, 3); !slices.Equal(got, []int64{13, 14, 15}) {
		t.Fatalf("got %v", got)
	}
}

// waitSubscribers waits until channel has n subscribers.
func waitSubscribers(t *testing.T, rdb *redis.Client, channel string, n int64) {
	t.Helper()
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
		time.Sleep(5 * time.Millisecond)
	}
}
