package models

import (
	"sync"
	"time"
)

// sessionCache keeps what SessionUser read for each live session, so that a
// request from a known session reads nothing from the database.
//
// Invalidation is exact on this instance: every Store method that changes a
// users row or a user_sessions row calls changed(userID) once its write has
// committed, which makes every cached session of that user stale, and the
// Store's OnUserChange hook carries the same to the other instances (the
// App wires it to the cluster). A read that began before a change is not
// kept (gen). Expiry is checked on every hit. maxAge bounds what a change
// made behind the Store's back (another process, a lost cluster message)
// can leave in place.
type sessionCache struct {
	now    func() time.Time
	maxAge time.Duration
	cap    int

	mu sync.Mutex
	// gen counts forgets: a read that began under another gen may have read
	// what was just changed, and is not cached.
	gen uint64
	// users is each changed user's generation (absent: 0); a cached
	// session of a generation before is stale.
	users   map[int64]uint64
	entries map[[32]byte]*cachedSession
}

type cachedSession struct {
	user    User // never handed out; callers get copies
	userGen uint64
	expires time.Time // the session's expires_at
	loaded  time.Time
}

const (
	sessionCacheSize   = 1 << 16
	sessionCacheMaxAge = 30 * time.Second
)

func newSessionCache() *sessionCache {
	return &sessionCache{
		now: time.Now, maxAge: sessionCacheMaxAge, cap: sessionCacheSize,
		users: make(map[int64]uint64), entries: make(map[[32]byte]*cachedSession),
	}
}

// get returns a copy of the cached user of the session key, if it is fresh.
func (c *sessionCache) get(key [32]byte, now time.Time) (*User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil {
		return nil, false
	}
	if e.userGen != c.users[e.user.ID] || !now.Before(e.expires) || now.Sub(e.loaded) >= c.maxAge {
		delete(c.entries, key)
		return nil, false
	}
	u := e.user
	return &u, true
}

// generation is what put needs: take it before reading the database.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put caches what a read that began at generation gen found, unless
// something changed since.
func (c *sessionCache) put(key [32]byte, u *User, expires time.Time, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.cap {
		// Full: drop one (map order is random) rather than grow.
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = &cachedSession{user: *u, userGen: c.users[u.ID], expires: expires, loaded: now}
}

// seen notes the session's last-seen time written by SeenSession.
func (c *sessionCache) seen(key [32]byte, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[key]; e != nil {
		e.user.SessionSeen = at
	}
}

// forgetUser makes every cached session of the user stale.
func (c *sessionCache) forgetUser(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.users[id]++
}

// forgetAll empties the cache.
func (c *sessionCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}
