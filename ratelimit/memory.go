package ratelimit

import (
	"container/list"
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Memory is a Limiter kept in this process: one token bucket
// (golang.org/x/time/rate) per key. It forgets a key once its bucket has
// refilled, which loses nothing since a full bucket is a fresh one, and it
// never tracks more than maxKeys: past that the least recently used key is
// forgotten. Limits hold per process; several instances need Redis.
type Memory struct {
	limit   rate.Limit
	burst   int
	refill  time.Duration // how long an emptied bucket takes to fill
	maxKeys int
	now     func() time.Time

	mu   sync.Mutex
	keys map[string]*list.Element // of *bucket
	lru  list.List                // most recently used at the front
}

type bucket struct {
	key  string
	lim  *rate.Limiter
	seen time.Time
}

// NewMemory makes an in-memory Limiter for l tracking at most maxKeys keys.
func NewMemory(l Limit, maxKeys int) *Memory {
	return &Memory{
		limit:   rate.Every(l.interval()),
		burst:   l.Events,
		refill:  l.Per,
		maxKeys: max(1, maxKeys),
		now:     time.Now,
		keys:    make(map[string]*list.Element),
	}
}

// Allow takes a token from key's bucket if it has one.
func (m *Memory) Allow(_ context.Context, key string) (bool, time.Duration, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.forget(now)
	var b *bucket
	if el, ok := m.keys[key]; ok {
		b = el.Value.(*bucket)
		m.lru.MoveToFront(el)
	} else {
		b = &bucket{key: key, lim: rate.NewLimiter(m.limit, m.burst)}
		m.keys[key] = m.lru.PushFront(b)
		for len(m.keys) > m.maxKeys {
			m.remove(m.lru.Back())
		}
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, m.refill, nil
	}
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now) // a refused request costs nothing
		return false, wait, nil
	}
	return true, 0, nil
}

// forget drops the buckets that have refilled since they were last used.
// They sit at the back of the list, so this costs one step per bucket
// dropped.
func (m *Memory) forget(now time.Time) {
	for el := m.lru.Back(); el != nil; el = m.lru.Back() {
		if now.Sub(el.Value.(*bucket).seen) < m.refill {
			return
		}
		m.remove(el)
	}
}

func (m *Memory) remove(el *list.Element) {
	delete(m.keys, el.Value.(*bucket).key)
	m.lru.Remove(el)
}

// Len is how many keys the limiter tracks now.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.keys)
}
