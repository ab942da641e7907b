package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }

func newTestMemory(l Limit, maxKeys int) (*Memory, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m := NewMemory(l, maxKeys)
	m.now = clock.now
	return m, clock
}

func TestMemoryBurstThenRate(t *testing.T) {
	m, clock := newTestMemory(Limit{Events: 10, Per: 3 * time.Minute}, 100)
	for i := range 10 {
		if ok, _, _ := m.Allow(t.Context(), "k"); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, wait, err := m.Allow(t.Context(), "k")
	if ok || err != nil || wait != 18*time.Second {
		t.Fatalf("11th: ok=%v wait=%v err=%v, want refused for 18s", ok, wait, err)
	}
	// Refused attempts cost nothing: waiting the time said is enough.
	for range 5 {
		m.Allow(t.Context(), "k")
	}
	clock.add(18 * time.Second)
	if ok, _, _ := m.Allow(t.Context(), "k"); !ok {
		t.Fatal("refused after waiting Retry-After")
	}
	if ok, _, _ := m.Allow(t.Context(), "k"); ok {
		t.Fatal("a second attempt got through on one refilled token")
	}
	if ok, _, _ := m.Allow(t.Context(), "other"); !ok {
		t.Fatal("another key was refused")
	}
}

// TestMemoryForgetsIdleKeys: a key whose bucket has refilled is dropped (it
// would behave as a fresh one anyway), so a stream of one-off keys does not
// grow memory.
func TestMemoryForgetsIdleKeys(t *testing.T) {
	m, clock := newTestMemory(Limit{Events: 10, Per: time.Minute}, 1_000_000)
	for i := range 1000 {
		m.Allow(t.Context(), fmt.Sprint("ip", i))
		clock.add(time.Second)
	}
	if n := m.Len(); n > 61 {
		t.Errorf("%d keys kept, want only those seen in the last minute", n)
	}
	// A key still refilling is kept, with its state: after 30 s, 5 of its
	// 10 tokens are back, not all 10.
	for range 10 {
		m.Allow(t.Context(), "busy")
	}
	clock.add(30 * time.Second)
	m.Allow(t.Context(), "someone else") // forgets what has refilled
	allowed := 0
	for range 10 {
		if ok, _, _ := m.Allow(t.Context(), "busy"); ok {
			allowed++
		}
	}
	if allowed != 5 {
		t.Errorf("after 30 s the busy key got %d attempts, want 5", allowed)
	}
}

// TestMemoryBounded: never more than maxKeys, however many keys arrive at
// once; the least recently used goes first.
func TestMemoryBounded(t *testing.T) {
	m, _ := newTestMemory(Limit{Events: 1, Per: time.Hour}, 100)
	m.Allow(t.Context(), "victim")
	for i := range 10_000 {
		m.Allow(t.Context(), fmt.Sprint("flood", i))
		if i%10 == 0 {
			m.Allow(t.Context(), "victim") // recently used: kept
		}
		if n := m.Len(); n > 100 {
			t.Fatalf("%d keys tracked, bound is 100", n)
		}
	}
	if ok, _, _ := m.Allow(t.Context(), "victim"); ok {
		t.Error("the active key was forgotten and its limit reset")
	}
}
