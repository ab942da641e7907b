package realtime

import (
	"sync"
	"time"
)

// TypingOptions tune a Typing. Zero values get the defaults.
type TypingOptions struct {
	// TTL is how long someone stays listed after they last said they were
	// typing (5 s).
	TTL time.Duration
	// Every is the least time between two announcements in one room (1 s):
	// fifty people starting and stopping make one event a second, carrying
	// the whole set, not one each.
	Every time.Duration
	// KeepAlive repeats the set while anyone types (3 s), so a page can let
	// a set it stops hearing about expire: one from an instance that died,
	// or whose last word it missed.
	KeepAlive time.Duration
}

// Typing is who is typing in each room on this instance. It is kept in
// memory only, and reaches a room as the current set of typists through
// emit, which a Typing calls from its own timers, at most once per Every
// per room and in order. emit must not call back into the Typing.
type Typing struct {
	opts TypingOptions
	emit func(room int64, typists []Member)

	mu     sync.Mutex
	rooms  map[int64]*typingRoom
	closed bool
}

type typingRoom struct {
	typists map[int64]typist
	timer   *time.Timer
	changed bool      // the set differs from the one last announced
	sent    time.Time // when it was last announced
}

type typist struct {
	Member
	until time.Time
}

// NewTyping makes a Typing that announces through emit.
func NewTyping(opts TypingOptions, emit func(room int64, typists []Member)) *Typing {
	if opts.TTL <= 0 {
		opts.TTL = 5 * time.Second
	}
	if opts.Every <= 0 {
		opts.Every = time.Second
	}
	if opts.KeepAlive <= 0 {
		opts.KeepAlive = 3 * time.Second
	}
	return &Typing{opts: opts, emit: emit, rooms: make(map[int64]*typingRoom)}
}

// Start lists m as typing in room until TTL from now.
func (t *Typing) Start(roomID int64, m Member) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	r := t.rooms[roomID]
	if r == nil {
		r = &typingRoom{typists: make(map[int64]typist)}
		t.rooms[roomID] = r
	}
	if _, ok := r.typists[m.UserID]; !ok {
		r.changed = true
	}
	r.typists[m.UserID] = typist{Member: m, until: time.Now().Add(t.opts.TTL)}
	t.schedule(roomID, r)
}

// Stop takes userID off room's list now (they sent their message).
func (t *Typing) Stop(roomID, userID int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.rooms[roomID]
	if r == nil || t.closed {
		return
	}
	if _, ok := r.typists[userID]; ok {
		delete(r.typists, userID)
		r.changed = true
		t.schedule(roomID, r)
	}
}

// Typists is who is typing in room now, for a stream's first look.
func (t *Typing) Typists(roomID int64) []Member {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.rooms[roomID]
	if r == nil {
		return nil
	}
	now := time.Now()
	out := make([]Member, 0, len(r.typists))
	for _, ty := range r.typists {
		if now.Before(ty.until) {
			out = append(out, ty.Member)
		}
	}
	sortMembers(out)
	return out
}

// Close stops every timer; nothing is announced after it returns.
func (t *Typing) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for _, r := range t.rooms {
		if r.timer != nil {
			r.timer.Stop()
		}
	}
}

// schedule sets r's timer for the next thing to do: announce a change (as
// soon as Every since the last announcement allows), drop an expired
// typist, repeat the set, or forget the quiet room. t.mu is held.
func (t *Typing) schedule(roomID int64, r *typingRoom) {
	now := time.Now()
	next := r.sent.Add(t.opts.Every) // announce a change, or forget the room
	if !r.changed && len(r.typists) > 0 {
		next = r.sent.Add(t.opts.KeepAlive)
	}
	for _, ty := range r.typists {
		if ty.until.Before(next) {
			next = ty.until
		}
	}
	d := max(next.Sub(now), 0)
	if r.timer == nil {
		r.timer = time.AfterFunc(d, func() { t.fire(roomID) })
	} else {
		r.timer.Reset(d)
	}
}

// fire runs on r's timer. It announces under the lock, so that
// announcements leave in the order the sets were made.
func (t *Typing) fire(roomID int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.rooms[roomID]
	if r == nil || t.closed {
		return
	}
	now := time.Now()
	for id, ty := range r.typists {
		if !now.Before(ty.until) {
			delete(r.typists, id)
			r.changed = true
		}
	}
	since := now.Sub(r.sent)
	if r.changed && since >= t.opts.Every || !r.changed && len(r.typists) > 0 && since >= t.opts.KeepAlive {
		set := make([]Member, 0, len(r.typists))
		for _, ty := range r.typists {
			set = append(set, ty.Member)
		}
		sortMembers(set)
		r.changed, r.sent = false, now
		t.emit(roomID, set)
	}
	if !r.changed && len(r.typists) == 0 && now.Sub(r.sent) >= t.opts.Every {
		delete(t.rooms, roomID) // quiet: the next typist starts afresh
		return
	}
	t.schedule(roomID, r)
}
