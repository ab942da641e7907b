package realtime

import (
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// announcements records what a Typing emits, with when (synctest's clock).
type announcements struct {
	mu   sync.Mutex
	sets []string
	at   []time.Time
}

func (a *announcements) emit(_ int64, typists []Member) {
	names := make([]string, len(typists))
	for i, m := range typists {
		names[i] = m.Name
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sets = append(a.sets, strings.Join(names, ","))
	a.at = append(a.at, time.Now())
}

func (a *announcements) list() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.sets...)
}

// TestTypingCoalesces: fifty people typing at once are announced as sets,
// at most once a second, never one event each; the set empties when they
// send or stop, and repeats while they type.
func TestTypingCoalesces(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got announcements
		ty := NewTyping(TypingOptions{}, got.emit)
		defer ty.Close()

		start := time.Now()
		ty.Start(general, user(1))
		synctest.Wait()
		if sets := got.list(); len(sets) != 1 || sets[0] != "u1" {
			t.Fatalf("first typist: announced %q, want u1 at once", sets)
		}
		// Fifty more over the next 1.5 s, each pinging every 3 s as the
		// page does while they type.
		for i := int64(2); i <= 51; i++ {
			time.Sleep(30 * time.Millisecond)
			ty.Start(general, user(i))
		}
		for range 2 {
			time.Sleep(3 * time.Second)
			for i := int64(1); i <= 51; i++ {
				ty.Start(general, user(i))
			}
		}
		synctest.Wait()
		sets := got.list()
		elapsed := time.Since(start)
		if max := int(elapsed/time.Second) + 1; len(sets) > max {
			t.Errorf("%d announcements in %v, want at most one a second (%d)", len(sets), elapsed, max)
		}
		for i := 1; i < len(got.at); i++ {
			if gap := got.at[i].Sub(got.at[i-1]); gap < time.Second {
				t.Errorf("announcements %d and %d only %v apart", i-1, i, gap)
			}
		}
		if last := sets[len(sets)-1]; strings.Count(last, ",") != 50 {
			t.Errorf("the set while all type has %d names: %q", strings.Count(last, ",")+1, last)
		}
		if got := len(ty.Typists(general)); got != 51 {
			t.Errorf("Typists: %d, want 51", got)
		}

		// One sends: off the list. The rest stop typing: gone 5 s later.
		ty.Stop(general, 1)
		time.Sleep(1100 * time.Millisecond)
		synctest.Wait()
		if last := got.list()[len(got.list())-1]; strings.HasPrefix(last, "u1,") {
			t.Errorf("after u1 sent, the set still starts with u1: %q", last)
		}
		time.Sleep(6 * time.Second)
		synctest.Wait()
		if last := got.list()[len(got.list())-1]; last != "" {
			t.Errorf("5 s after the last key, the set is %q, want empty", last)
		}
		if n := len(ty.Typists(general)); n != 0 {
			t.Errorf("Typists after expiry: %d", n)
		}
		// The quiet room is forgotten, and a new typist shows at once.
		time.Sleep(2 * time.Second)
		n := len(got.list())
		ty.Start(random, user(7))
		ty.Start(general, user(8))
		synctest.Wait()
		if sets := got.list(); len(sets) != n+2 {
			t.Errorf("new typists in two rooms: %q, want one announcement each", sets[n:])
		}
	})
}

// TestTypingKeepAlive: while someone types, the set is repeated every few
// seconds even though it does not change, and only then.
func TestTypingKeepAlive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got announcements
		ty := NewTyping(TypingOptions{TTL: 5 * time.Second, KeepAlive: 3 * time.Second}, got.emit)
		defer ty.Close()
		for range 4 { // typing for 10 s, a ping every 2.5 s
			ty.Start(general, user(1))
			time.Sleep(2500 * time.Millisecond)
		}
		synctest.Wait()
		sets := got.list()
		if len(sets) < 3 || len(sets) > 5 {
			t.Errorf("announcements over 10 s of typing: %q, want the set about every 3 s", sets)
		}
		for _, s := range sets {
			if s != "u1" {
				t.Errorf("announced %q while u1 types", s)
			}
		}
	})
}

// TestSubscribeUser: a stream in no room hears its user's events and
// broadcasts, not a room's, and puts nobody online.
func TestSubscribeUser(t *testing.T) {
	h := NewHub(Options{Renderer: textRenderer{}, Coalesce: time.Millisecond})
	defer h.Close()
	lobbySub, err := h.SubscribeUser(user(1), "s1")
	if err != nil {
		t.Fatal(err)
	}
	inRoom := subscribe(t, h, general, user(2), "s2")
	recv(t, inRoom) // its snapshot
	if ev := recv(t, inRoom); ev.Name != "delta" {
		t.Fatalf("want the delta putting u2 online, got %+v", ev)
	}
	h.Publish(general, Event{Name: "message", ID: 1})
	h.PublishUser(1, Event{Name: "unread", Data: "for u1"})
	h.PublishUser(2, Event{Name: "unread", Data: "for u2"})
	h.Broadcast(Event{Name: "rooms", Data: "all"})
	if ev := recv(t, lobbySub); ev.Data != "for u1" {
		t.Errorf("lobby stream first got %+v, want its user's event", ev)
	}
	if ev := recv(t, lobbySub); ev.Data != "all" {
		t.Errorf("lobby stream then got %+v, want the broadcast", ev)
	}
	if c := h.OnlineCounts(); c[general] != 1 || len(c) != 1 {
		t.Errorf("online counts %v: the lobby stream must not count", c)
	}
	h.CloseSession("s1")
	if _, ok := <-lobbySub.C(); ok {
		t.Error("logging out did not end the lobby stream")
	}
	lobbySub.Close()
	h.Close()
	if _, err := h.SubscribeUser(user(1), "s1"); err != ErrClosed {
		t.Errorf("SubscribeUser after Close: %v", err)
	}
}
