package realtime

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// Every idle stream, in a room or not, gets one ping per Heartbeat; one
// with something queued is not given a ping on top; pings do not pile up
// on a stream that is not reading; Close stops them (synctest.Test would
// never return with the heartbeat still ticking).
func TestHeartbeatPingsIdleStreams(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const every = 80 * time.Millisecond
		h := NewHub(Options{QueueSize: 8, Heartbeat: every, Ping: Event{Name: "ping"}})
		defer h.Close()
		var idle []*Subscription
		for i := range 2 * pingShards {
			s, err := h.Subscribe(context.Background(), general, user(int64(i+1)), "s")
			if err != nil {
				t.Fatal(err)
			}
			idle = append(idle, s)
		}
		lobby, err := h.SubscribeUser(user(100), "s")
		if err != nil {
			t.Fatal(err)
		}
		idle = append(idle, lobby)
		busy, err := h.Subscribe(context.Background(), random, user(200), "s")
		if err != nil {
			t.Fatal(err)
		}

		h.Publish(random, Event{Name: "message", ID: 1})
		time.Sleep(every + time.Millisecond)
		synctest.Wait()
		for i, s := range idle {
			if n := len(s.C()); n != 1 {
				t.Fatalf("stream %d: %d events queued after one heartbeat, want 1 ping", i, n)
			}
		}
		if n := len(busy.C()); n != 1 {
			t.Fatalf("a stream with a message queued: %d events queued, want the message alone", n)
		}

		time.Sleep(3 * every)
		synctest.Wait()
		for i, s := range idle {
			if n := len(s.C()); n != 1 {
				t.Fatalf("stream %d not reading: %d events queued, want still 1 ping", i, n)
			}
			if ev := <-s.C(); ev.Name != "ping" {
				t.Fatalf("stream %d: got %q, want a ping", i, ev.Name)
			}
		}
		if ev := <-busy.C(); ev.Name != "message" {
			t.Fatalf("busy stream: got %q", ev.Name)
		}

		time.Sleep(every)
		synctest.Wait()
		for i, s := range append(idle, busy) {
			if n := len(s.C()); n != 1 {
				t.Fatalf("stream %d read, then idle for a heartbeat: %d queued, want 1 ping", i, n)
			}
		}
	})
}
