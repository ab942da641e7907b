// Package realtime is the per-room subscriber registry: who is listening to
// which room, what they are sent, and who is online. It knows nothing of
// HTTP, HTML or the database; events carry pre-rendered data.
package realtime

import (
	"errors"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned by Subscribe once the hub has been closed.
var ErrClosed = errors.New("realtime: hub closed")

// Event is one server-sent event: its name, its id (0: none) and its data.
type Event struct {
	Name string
	ID   int64
	Data string
	// Prev is, for a message, the id of the message before it in its room
	// (0: none, or not known); a Broker uses it to keep rooms in order.
	Prev int64
}

// Member is a user as the online list shows them.
type Member struct {
	UserID int64
	Name   string
}

// Renderer turns presence into events. It is called with the room's lock
// held, so that a subscriber's snapshot and the deltas after it line up
// exactly; it must be quick and must not call back into the hub.
type Renderer interface {
	// Snapshot is the full online list, sent once to each new subscriber.
	Snapshot(room string, online []Member) Event
	// Delta adds and removes single entries and sets the count, so its size
	// depends on how many changed, not on how many are online.
	Delta(room string, joined, left []Member, count int) Event
}

// Options tune a hub. Zero values get sensible defaults.
type Options struct {
	// QueueSize bounds each subscriber's queue; a subscriber whose queue is
	// full is dropped and must resume by cursor.
	QueueSize int
	// LeaveGrace is how long a user stays online after their last stream
	// closes, so a reload or a reconnect does not flicker the list.
	LeaveGrace time.Duration
	// Coalesce is how long presence changes gather before one delta is sent.
	Coalesce time.Duration
	Renderer Renderer

	// Broker, if set, links this hub with those of other instances
	// (broker.go); History then reads back what a link may have missed.
	Broker  Broker
	History History
	// GapWait is how long a message that arrived from another instance
	// before the one ahead of it waits for it before History is read.
	GapWait time.Duration
	// CheckEvery is how often a followed room's newest id is checked
	// against History, for messages whose publisher died.
	CheckEvery time.Duration
	Log        *slog.Logger
}

// Stats are counters for /metrics.
type Stats struct {
	Streams   int64
	Rooms     int64
	Published uint64
	Delivered uint64
	Dropped   uint64
}

// Hub is the registry.
type Hub struct {
	opts Options

	mu      sync.Mutex
	rooms   map[string]*room
	closed  bool
	cluster *cluster // nil without a Broker

	streams   atomic.Int64
	published atomic.Uint64
	delivered atomic.Uint64
	dropped   atomic.Uint64
}

type room struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
	// members are online now; announced is what subscribers were last told.
	// Snapshots come from announced, so a snapshot plus the deltas after it
	// is always exactly the truth.
	members   map[int64]*member
	announced map[int64]Member
	flush     *time.Timer
	// snapshot caches the rendered announced list until it next changes:
	// a burst of joins would otherwise render it once per new stream.
	snapshot *Event
	// others are online on other instances (Broker.Others); the online
	// list is members and others together.
	others map[int64]Member
}

type member struct {
	Member
	conns int
	leave *time.Timer
}

// NewHub makes a hub.
func NewHub(opts Options) *Hub {
	if opts.QueueSize <= 0 {
		opts.QueueSize = 64
	}
	if opts.Coalesce <= 0 {
		opts.Coalesce = 100 * time.Millisecond
	}
	if opts.LeaveGrace < 0 {
		opts.LeaveGrace = 0
	}
	h := &Hub{opts: opts, rooms: make(map[string]*room)}
	if opts.Broker != nil {
		h.cluster = newCluster(h, opts)
	}
	return h
}

// Subscription is one open stream.
type Subscription struct {
	hub     *Hub
	room    string
	member  Member
	session string
	ch      chan Event

	closeCh  sync.Once
	closeSub sync.Once
	dropped  atomic.Bool
}

// C delivers the subscription's events. It is closed when the subscriber is
// dropped (see Dropped), its session ends, or the hub closes.
func (s *Subscription) C() <-chan Event { return s.ch }

// Dropped reports whether the subscriber was dropped for falling behind.
func (s *Subscription) Dropped() bool { return s.dropped.Load() }

// Close ends the subscription and releases its presence. Safe to call twice.
func (s *Subscription) Close() {
	s.closeSub.Do(func() { s.hub.unsubscribe(s) })
}

func (s *Subscription) closeChan() { s.closeCh.Do(func() { close(s.ch) }) }

// Subscribe opens a stream into room for m. session names the login the
// stream belongs to, so CloseSession can end it. The first event queued is
// the online-list snapshot, if the hub has a Renderer.
func (h *Hub) Subscribe(roomKey string, m Member, session string) (*Subscription, error) {
	if h.cluster != nil {
		if err := h.cluster.join(roomKey); err != nil {
			return nil, err
		}
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		if h.cluster != nil {
			h.cluster.leave(roomKey)
		}
		return nil, ErrClosed
	}
	r := h.rooms[roomKey]
	if r == nil {
		r = &room{subs: make(map[*Subscription]struct{}), members: make(map[int64]*member), announced: make(map[int64]Member)}
		if h.cluster != nil {
			// Nobody has been told anything yet: the first snapshot can
			// show who is online elsewhere already.
			r.others = h.cluster.broker.Others(roomKey)
			maps.Copy(r.announced, r.others)
		}
		h.rooms[roomKey] = r
	}
	// Lock order: hub, then room. Holding the hub lock while taking the room
	// lock keeps the room from being removed under us.
	r.mu.Lock()
	h.mu.Unlock()
	defer r.mu.Unlock()

	s := &Subscription{hub: h, room: roomKey, member: m, session: session, ch: make(chan Event, h.opts.QueueSize)}
	r.subs[s] = struct{}{}
	h.streams.Add(1)
	if h.opts.Renderer != nil {
		if r.snapshot == nil {
			ev := h.opts.Renderer.Snapshot(roomKey, sortedMembers(r.announced))
			r.snapshot = &ev
		}
		s.ch <- *r.snapshot
	}
	mem := r.members[m.UserID]
	if mem == nil {
		mem = &member{Member: m}
		r.members[m.UserID] = mem
		h.scheduleFlush(roomKey, r)
		if h.cluster != nil {
			h.cluster.broker.Present(roomKey, m)
		}
	}
	if mem.leave != nil {
		mem.leave.Stop()
		mem.leave = nil
	}
	mem.conns++
	return s, nil
}

func (h *Hub) unsubscribe(s *Subscription) {
	if h.cluster != nil {
		defer h.cluster.leave(s.room) // after the locks below are released
	}
	r := h.lockRoom(s.room)
	if r == nil {
		s.closeChan()
		return
	}
	defer r.mu.Unlock()

	delete(r.subs, s)
	h.streams.Add(-1)
	s.closeChan()
	mem := r.members[s.member.UserID]
	if mem == nil {
		return
	}
	mem.conns--
	if mem.conns > 0 {
		return
	}
	if h.opts.LeaveGrace == 0 {
		h.leave(s.room, r, mem)
		return
	}
	mem.leave = time.AfterFunc(h.opts.LeaveGrace, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if mem.conns == 0 && r.members[mem.UserID] == mem {
			h.leave(s.room, r, mem)
		}
	})
}

// leave takes mem off the room's online list. r.mu is held.
func (h *Hub) leave(roomKey string, r *room, mem *member) {
	mem.leave = nil
	delete(r.members, mem.UserID)
	h.scheduleFlush(roomKey, r)
	if h.cluster != nil {
		h.cluster.broker.Absent(roomKey, mem.Member)
	}
}

// scheduleFlush arranges one delta for the changes gathering now. r.mu is held.
func (h *Hub) scheduleFlush(roomKey string, r *room) {
	if r.flush != nil {
		return
	}
	r.flush = time.AfterFunc(h.opts.Coalesce, func() { h.flushPresence(roomKey, r) })
}

func (h *Hub) flushPresence(roomKey string, r *room) {
	r.mu.Lock()
	r.flush = nil
	var joined, left []Member
	for id, m := range r.members {
		if _, ok := r.announced[id]; !ok {
			joined = append(joined, m.Member)
			r.announced[id] = m.Member
		}
	}
	for id, m := range r.others {
		if _, ok := r.announced[id]; !ok {
			joined = append(joined, m)
			r.announced[id] = m
		}
	}
	for id, m := range r.announced {
		_, here := r.members[id]
		_, elsewhere := r.others[id]
		if !here && !elsewhere {
			left = append(left, m)
			delete(r.announced, id)
		}
	}
	if (len(joined) > 0 || len(left) > 0) && h.opts.Renderer != nil {
		sortMembers(joined)
		sortMembers(left)
		r.snapshot = nil
		ev := h.opts.Renderer.Delta(roomKey, joined, left, len(r.announced))
		h.deliver(r, ev)
	}
	empty := len(r.subs) == 0 && len(r.members) == 0 && len(r.announced) == 0
	r.mu.Unlock()
	if empty {
		h.removeIfEmpty(roomKey, r)
	}
}

func (h *Hub) removeIfEmpty(roomKey string, r *room) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if h.rooms[roomKey] == r && len(r.subs) == 0 && len(r.members) == 0 && len(r.announced) == 0 && r.flush == nil {
		delete(h.rooms, roomKey)
	}
}

// Publish sends ev to every subscriber of room, in the order Publish is
// called. It never blocks: a subscriber whose queue is full is dropped.
func (h *Hub) Publish(roomKey string, ev Event) {
	h.published.Add(1)
	if h.cluster != nil {
		h.cluster.publish(roomKey, ev)
		return
	}
	h.fanOut(roomKey, ev)
}

// fanOut delivers ev to this hub's subscribers of room.
func (h *Hub) fanOut(roomKey string, ev Event) {
	if r := h.lockRoom(roomKey); r != nil {
		h.deliver(r, ev)
		r.mu.Unlock()
	}
}

// lockRoom returns the room with its lock held, or nil if it has none. The
// hub lock is held while the room lock is taken (lock order: hub, then
// room), so the room cannot be removed in between.
func (h *Hub) lockRoom(roomKey string) *room {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[roomKey]
	if r != nil {
		r.mu.Lock()
	}
	return r
}

// deliver fans ev out to r's subscribers. r.mu is held.
func (h *Hub) deliver(r *room, ev Event) {
	var n uint64
	for s := range r.subs {
		select {
		case s.ch <- ev:
			n++
		default:
			// Too slow: drop it rather than hold up the room. It resumes by
			// cursor when it reconnects; its presence lasts until its
			// handler calls Close.
			delete(r.subs, s)
			s.dropped.Store(true)
			s.closeChan()
			h.dropped.Add(1)
		}
	}
	h.delivered.Add(n)
}

// Online returns who the room's subscribers have been told is online.
func (h *Hub) Online(roomKey string) []Member {
	r := h.lockRoom(roomKey)
	if r == nil {
		return nil
	}
	defer r.mu.Unlock()
	return sortedMembers(r.announced)
}

// OnlineCounts returns the number online in every room that has anyone.
func (h *Hub) OnlineCounts() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	counts := make(map[string]int, len(h.rooms))
	for key, r := range h.rooms {
		r.mu.Lock()
		if n := len(r.announced); n > 0 {
			counts[key] = n
		}
		r.mu.Unlock()
	}
	return counts
}

// CloseSession ends every stream of a login (on logout), on every instance.
func (h *Hub) CloseSession(session string) {
	h.eachSub(func(s *Subscription) bool { return s.session == session })
	if h.cluster != nil {
		h.cluster.broker.Tell(EndSession, session)
	}
}

// CloseRoom ends every stream into a room (when it is deleted), on every
// instance.
func (h *Hub) CloseRoom(roomKey string) {
	h.eachSub(func(s *Subscription) bool { return s.room == roomKey })
	if h.cluster != nil {
		h.cluster.broker.Tell(EndRoom, roomKey)
	}
}

func (h *Hub) eachSub(match func(*Subscription) bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.rooms {
		r.mu.Lock()
		for s := range r.subs {
			if match(s) {
				delete(r.subs, s)
				s.closeChan()
			}
		}
		r.mu.Unlock()
	}
}

// Close ends every stream and refuses new ones; used on shutdown.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.eachSub(func(*Subscription) bool { return true })
	if h.cluster != nil {
		h.cluster.close()
	}
}

// Stats returns the hub's counters.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	rooms := int64(len(h.rooms))
	h.mu.Unlock()
	return Stats{
		Streams:   h.streams.Load(),
		Rooms:     rooms,
		Published: h.published.Load(),
		Delivered: h.delivered.Load(),
		Dropped:   h.dropped.Load(),
	}
}

func sortedMembers(m map[int64]Member) []Member {
	out := make([]Member, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sortMembers(out)
	return out
}

func sortMembers(ms []Member) {
	slices.SortFunc(ms, func(a, b Member) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return int(a.UserID - b.UserID)
	})
}
