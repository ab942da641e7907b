package realtime

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// textRenderer renders presence as plain text the tests can apply.
type textRenderer struct{}

func (textRenderer) Snapshot(_ int64, online []Member) Event {
	names := make([]string, len(online))
	for i, m := range online {
		names[i] = m.Name
	}
	return Event{Name: "snapshot", Data: strings.Join(names, ",")}
}

func (textRenderer) Delta(_ int64, joined, left []Member, count int) Event {
	// Those who left first, as the page's delta does: one redrawn is in
	// both.
	var parts []string
	for _, m := range left {
		parts = append(parts, "-"+m.Name)
	}
	for _, m := range joined {
		parts = append(parts, "+"+m.Name)
	}
	return Event{Name: "delta", Data: strings.Join(parts, ",") + fmt.Sprintf(";%d", count)}
}

func user(id int64) Member { return Member{UserID: id, Name: fmt.Sprint("u", id)} }

// The rooms of these tests.
const (
	general = 1
	random  = 2
)

func subscribe(t *testing.T, h *Hub, roomID int64, m Member, session string) *Subscription {
	t.Helper()
	s, err := h.Subscribe(context.Background(), roomID, m, session)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func recv(t *testing.T, s *Subscription) Event {
	t.Helper()
	select {
	case ev, ok := <-s.C():
		if !ok {
			t.Fatal("subscription closed")
		}
		return *ev
	case <-time.After(2 * time.Second):
		t.Fatal("no event")
	}
	return Event{}
}

func TestPublishInOrderToEverySubscriber(t *testing.T) {
	h := NewHub(Options{QueueSize: 1000})
	a := subscribe(t, h, general, user(1), "s1")
	b := subscribe(t, h, general, user(2), "s2")
	other := subscribe(t, h, random, user(3), "s3")
	for i := 1; i <= 100; i++ {
		h.Publish(general, Event{Name: "message", ID: int64(i)})
	}
	for _, s := range []*Subscription{a, b} {
		for i := 1; i <= 100; i++ {
			if ev := recv(t, s); ev.ID != int64(i) {
				t.Fatalf("got id %d, want %d", ev.ID, i)
			}
		}
	}
	select {
	case ev := <-other.C():
		t.Fatalf("another room got %+v", ev)
	default:
	}
}

func TestSlowSubscriberIsDroppedNotWaitedFor(t *testing.T) {
	h := NewHub(Options{QueueSize: 4})
	slow := subscribe(t, h, general, user(1), "s1")
	fast := subscribe(t, h, general, user(2), "s2")
	// The fast subscriber reads each event before the next is published;
	// the slow one never reads. Publish must never wait for it.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; i <= 50; i++ {
			h.Publish(general, Event{ID: int64(i)})
			if ev, ok := <-fast.C(); !ok || ev.ID != int64(i) {
				t.Errorf("fast subscriber got %d (open %v), want %d", ev.ID, ok, i)
				return
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked on a subscriber that does not read")
	}
	if !slow.Dropped() {
		t.Fatal("slow subscriber not marked dropped")
	}
	n := 0
	for range slow.C() {
		n++
	}
	if n != 4 {
		t.Errorf("slow subscriber kept %d queued events, want its queue (4) then a closed channel", n)
	}
	if h.Stats().Dropped != 1 {
		t.Errorf("dropped = %d", h.Stats().Dropped)
	}
	slow.Close()
	slow.Close() // twice is fine
}

// TestBackloggedSubscriberCatchesUp: a reader that falls behind by more
// than its queue, but within the backlog, gets every event once and in
// order when it reads again, and is not dropped; past the backlog it is.
func TestBackloggedSubscriberCatchesUp(t *testing.T) {
	h := NewHub(Options{QueueSize: 4, Backlog: 20})
	late := subscribe(t, h, general, user(1), "s1")
	stalled := subscribe(t, h, general, user(2), "s2")
	for i := 1; i <= 24; i++ {
		h.Publish(general, Event{ID: int64(i)})
	}
	if late.Dropped() {
		t.Fatal("a reader 24 events behind (queue 4 + backlog 20) was dropped")
	}
	next := int64(1)
	for next <= 24 {
		select {
		case ev, ok := <-late.C():
			if !ok || ev.ID != next {
				t.Fatalf("got event %d (open %v), want %d", ev.ID, ok, next)
			}
			next++
			if len(late.C()) == 0 {
				late.Refill()
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event %d never came", next)
		}
	}
	// Caught up: the next event goes straight to its queue.
	h.Publish(general, Event{ID: 25})
	if ev := <-late.C(); ev.ID != 25 {
		t.Fatalf("after catching up got %d, want 25", ev.ID)
	}
	// stalled never read: 24 events filled its queue and backlog, so
	// event 25 dropped it.
	if !stalled.Dropped() {
		t.Fatal("a reader past queue and backlog was not dropped")
	}
	n := 0
	for range stalled.C() {
		n++
	}
	if n != 4 {
		t.Errorf("the dropped reader's channel gave %d events, want its queue (4) then closed", n)
	}
}

func TestCloseSessionAndHub(t *testing.T) {
	h := NewHub(Options{})
	a := subscribe(t, h, general, user(1), "alice-laptop")
	b := subscribe(t, h, general, user(1), "alice-phone")
	h.CloseSession("alice-laptop")
	if _, ok := <-a.C(); ok {
		for range a.C() {
		}
	}
	select {
	case _, ok := <-b.C():
		if !ok {
			t.Fatal("another session's stream was closed")
		}
	default:
	}
	h.Close()
	for range b.C() {
	}
	if _, err := h.Subscribe(context.Background(), general, user(2), "x"); err != ErrClosed {
		t.Fatalf("subscribe after close: %v", err)
	}
}

// presenceView applies snapshot and deltas as the page does.
type presenceView struct {
	names map[string]bool
	count int
}

func (v *presenceView) apply(t *testing.T, ev Event) {
	t.Helper()
	switch ev.Name {
	case "snapshot":
		v.names = map[string]bool{}
		if ev.Data != "" {
			for _, n := range strings.Split(ev.Data, ",") {
				v.names[n] = true
			}
		}
		v.count = len(v.names)
	case "delta":
		changes, count, _ := strings.Cut(ev.Data, ";")
		for _, c := range strings.Split(changes, ",") {
			if c == "" {
				continue
			}
			name := c[1:]
			if c[0] == '+' {
				if v.names[name] {
					t.Fatalf("%s joined twice", name)
				}
				v.names[name] = true
			} else {
				if !v.names[name] {
					t.Fatalf("%s left without being there", name)
				}
				delete(v.names, name)
			}
		}
		fmt.Sscan(count, &v.count)
		if v.count != len(v.names) {
			t.Fatalf("count %d but %d names", v.count, len(v.names))
		}
	}
}

// TestPresenceUnderChurn opens and closes tabs of many users in random order
// while watchers join at random times; every watcher's view, snapshot plus
// deltas, must end equal to the truth.
func TestPresenceUnderChurn(t *testing.T) {
	h := NewHub(Options{QueueSize: 2048, Coalesce: 5 * time.Millisecond, Renderer: textRenderer{}})
	var wg sync.WaitGroup
	var mu sync.Mutex
	stillOpen := map[string]bool{}
	for u := int64(1); u <= 20; u++ {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(u), 1))
			var tabs []*Subscription
			for range 200 {
				if len(tabs) > 0 && r.IntN(2) == 0 {
					i := r.IntN(len(tabs))
					tabs[i].Close()
					tabs = append(tabs[:i], tabs[i+1:]...)
				} else {
					s, _ := h.Subscribe(context.Background(), general, user(u), fmt.Sprint(u))
					go func() {
						for range s.C() {
						}
					}()
					tabs = append(tabs, s)
				}
			}
			if u%2 == 0 { // even users close everything
				for _, s := range tabs {
					s.Close()
				}
				tabs = nil
			}
			mu.Lock()
			stillOpen[user(u).Name] = len(tabs) > 0
			mu.Unlock()
		})
	}
	watcher := subscribe(t, h, general, user(99), "w")
	wg.Wait()
	late := subscribe(t, h, general, user(98), "late")

	want := map[string]bool{"u99": true, "u98": true}
	for n, open := range stillOpen {
		if open {
			want[n] = true
		}
	}
	// u98 joined after the churn, so a view that lists them has applied
	// the last delta there is.
	for _, s := range []*Subscription{watcher, late} {
		var v presenceView
		deadline := time.After(5 * time.Second)
		for fmt.Sprint(v.names) != fmt.Sprint(want) {
			select {
			case ev := <-s.C():
				v.apply(t, *ev)
			case <-deadline:
				t.Fatalf("view %v, want %v", v.names, want)
			}
		}
	}
	if got := h.OnlineCounts()[general]; got != len(want) {
		t.Errorf("count %d, want %d", got, len(want))
	}
}

// TestLeaveGraceKeepsReloadsOnline: a tab reloaded within the leave grace
// keeps its user on the list without a flicker; once their last tab has
// been closed for the grace, they leave. The clock is synctest's.
func TestLeaveGraceKeepsReloadsOnline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const grace, coalesce = 200 * time.Millisecond, time.Millisecond
		h := NewHub(Options{LeaveGrace: grace, Coalesce: coalesce, Renderer: textRenderer{}})
		defer h.Close()
		w := subscribe(t, h, general, user(1), "w")
		var v presenceView
		// after lets d pass and applies what w was sent meanwhile.
		after := func(d time.Duration) (events int) {
			time.Sleep(d)
			synctest.Wait()
			for {
				select {
				case ev := <-w.C():
					v.apply(t, *ev)
					events++
				default:
					return events
				}
			}
		}

		tab := subscribe(t, h, general, user(2), "t")
		after(2 * coalesce)
		if !v.names["u1"] || !v.names["u2"] || v.count != 2 {
			t.Fatalf("after u2 joined: %v (%d)", v.names, v.count)
		}
		tab.Close()
		after(grace / 2)
		again := subscribe(t, h, general, user(2), "t") // the reload
		if n := after(2 * grace); n != 0 || !v.names["u2"] {
			t.Fatalf("a reload within the grace sent %d presence events: %v", n, v.names)
		}
		again.Close()
		if n := after(grace / 2); n != 0 {
			t.Fatalf("u2 left within the grace: %v", v.names)
		}
		after(grace/2 + 2*coalesce)
		if v.names["u2"] || v.count != 1 {
			t.Fatalf("u2 is still listed a grace after their last tab closed: %v (%d)", v.names, v.count)
		}
	})
}

// drained reports whether s is closed, reading what it still holds.
func drained(s *Subscription) bool {
	for {
		select {
		case _, ok := <-s.C():
			if !ok {
				return true
			}
		default:
			return false
		}
	}
}

// TestPublishUserReachesEveryStreamOfThatUser: an event for one person
// reaches each of their streams, whatever the room, and no one else's.
func TestPublishUserReachesEveryStreamOfThatUser(t *testing.T) {
	h := NewHub(Options{})
	defer h.Close()
	annHere := subscribe(t, h, general, user(1), "ann-laptop")
	annThere := subscribe(t, h, random, user(1), "ann-phone")
	bo := subscribe(t, h, general, user(2), "bo")
	gone := subscribe(t, h, random, user(1), "ann-old")
	gone.Close()

	h.PublishUser(1, Event{Name: "mention", Data: "bo mentioned you"})
	for _, s := range []*Subscription{annHere, annThere} {
		if ev := recv(t, s); ev.Name != "mention" {
			t.Fatalf("ann got %+v", ev)
		}
	}
	// bo's stream gets only what comes next: a room message.
	h.Publish(general, Event{Name: "message", ID: 1})
	if ev := recv(t, bo); ev.Name != "message" {
		t.Fatalf("bo got %+v, which was meant for ann", ev)
	}
}

// TestBroadcastReachesEveryStream: an event for everyone reaches every
// stream of every room once.
func TestBroadcastReachesEveryStream(t *testing.T) {
	h := NewHub(Options{})
	defer h.Close()
	subs := []*Subscription{
		subscribe(t, h, general, user(1), "a"),
		subscribe(t, h, random, user(2), "b"),
		subscribe(t, h, random, user(3), "c"),
	}
	h.Broadcast(Event{Name: "rooms", Data: "#random: 2 online"})
	h.Publish(random, Event{Name: "message", ID: 1})
	for i, s := range subs {
		if ev := recv(t, s); ev.Name != "rooms" {
			t.Fatalf("stream %d got %+v first", i, ev)
		}
	}
	for _, s := range subs[1:] {
		if ev := recv(t, s); ev.Name != "message" {
			t.Fatalf("got %+v, want the message after the broadcast", ev)
		}
	}
}

// TestEndMatchesEveryFieldGiven: ending a user's streams in one room (a
// kick) leaves their other rooms and other people alone; ending a user's
// streams everywhere (a deactivation) ends all of theirs.
func TestEndMatchesEveryFieldGiven(t *testing.T) {
	h := NewHub(Options{})
	defer h.Close()
	annGeneral := subscribe(t, h, general, user(1), "ann")
	annRandom := subscribe(t, h, random, user(1), "ann")
	boGeneral := subscribe(t, h, general, user(2), "bo")

	h.End(Ending{Room: general, User: 1})
	if !drained(annGeneral) {
		t.Fatal("ann's stream into the room she was removed from is open")
	}
	if drained(annRandom) || drained(boGeneral) {
		t.Fatal("a kick ended other streams")
	}
	h.End(Ending{}) // matches nothing, not everything
	if drained(annRandom) || drained(boGeneral) {
		t.Fatal("an empty Ending ended streams")
	}
	h.End(Ending{User: 1})
	if !drained(annRandom) || drained(boGeneral) {
		t.Fatal("ending ann's streams did not end all of hers, or ended bo's")
	}
}

// TestUpdateMemberRedrawsOnlineEntries: a user who changes their name is
// redrawn in every room they are online in, in one delta per room, and a
// new subscriber's snapshot has the new name only; a change to nothing,
// or to someone with no stream here, sends nothing.
func TestUpdateMemberRedrawsOnlineEntries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const coalesce = time.Millisecond
		h := NewHub(Options{Coalesce: coalesce, Renderer: textRenderer{}})
		defer h.Close()
		watchers := map[int64]*Subscription{general: subscribe(t, h, general, user(1), "w1"), random: subscribe(t, h, random, user(1), "w2")}
		subscribe(t, h, general, user(2), "a")
		subscribe(t, h, random, user(2), "b")
		views := map[int64]*presenceView{general: {}, random: {}}
		settle := func() (events int) {
			time.Sleep(2 * coalesce)
			synctest.Wait()
			for id, w := range watchers {
				for len(w.C()) > 0 {
					views[id].apply(t, recv(t, w))
					events++
				}
			}
			return events
		}
		settle()

		renamed := Member{UserID: 2, Name: "Ada"}
		h.UpdateMember(renamed)
		if n := settle(); n != 2 {
			t.Fatalf("%d presence events for one rename in two rooms, want 2", n)
		}
		for id, v := range views {
			if !v.names["Ada"] || v.names["u2"] || v.count != 2 {
				t.Errorf("room %d after the rename: %v (%d)", id, v.names, v.count)
			}
		}
		late := subscribe(t, h, general, user(3), "late")
		if ev := recv(t, late); ev.Data != "Ada,u1" && ev.Data != "u1,Ada" {
			t.Errorf("a new subscriber's snapshot: %q", ev.Data)
		}
		settle()

		h.UpdateMember(renamed)
		h.UpdateMember(Member{UserID: 9, Name: "nobody here"})
		if n := settle(); n != 0 {
			t.Errorf("%d presence events for changes to nothing", n)
		}
		if !h.UserHere(2) || h.UserHere(9) {
			t.Errorf("UserHere: 2 %v, 9 %v", h.UserHere(2), h.UserHere(9))
		}
	})
}
