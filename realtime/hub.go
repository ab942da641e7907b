// Package realtime is the per-room subscriber registry: who is listening to
// which room, what they are sent, and who is online (presence.go). It
// knows nothing of HTTP, HTML, the database or other instances; events
// carry pre-rendered data, and a Relay (relay.go) links it to other
// instances.
package realtime

import (
	"context"
	"errors"
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
	// (0: none, or not known); a Relay uses it to keep rooms in order.
	Prev int64
	// Frame is the event as a stream writes it (Options.Encode), made once
	// per event and shared by every subscriber; nil without an encoder.
	// Subscribers only read it.
	Frame []byte
}

// Options tune a hub. Zero values get sensible defaults.
type Options struct {
	// QueueSize bounds each subscriber's queue; a subscriber whose queue is
	// full (and its Backlog too) is dropped and must resume by cursor.
	QueueSize int
	// Backlog is how many more events a subscriber may fall behind by, held
	// aside only while it is behind, so a burst does not drop a reader that
	// is merely late while an idle stream's queue stays QueueSize slots.
	// Its reader must call Refill after taking events from C. 0: none.
	Backlog int
	// LeaveGrace is how long a user stays online after their last stream
	// closes, so a reload or a reconnect does not flicker the list.
	LeaveGrace time.Duration
	// Coalesce is how long presence changes gather before one delta is sent.
	Coalesce time.Duration
	Renderer Renderer
	// Encode, if set, gives each event its Frame once, before it is queued
	// for any subscriber: its wire form costs one encoding per event, not
	// one per stream.
	Encode func(Event) []byte
	// Relay, if set, links this hub with those of other instances.
	Relay Relay
	// Heartbeat, if set, is how often an idle subscriber is sent Ping
	// (heartbeat.go), until Close.
	Heartbeat time.Duration
	Ping      Event
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
	opts  Options
	relay Relay // nil: this instance is alone

	mu     sync.Mutex
	rooms  map[int64]*room
	users  map[int64]map[*Subscription]struct{} // every user's streams, for PublishUser
	closed bool

	stopBeat  chan struct{} // closed by Close; nil without Heartbeat
	nextShard uint32        // the next subscriber's heartbeat shard; under mu

	streams   atomic.Int64
	published atomic.Uint64
	delivered atomic.Uint64
	dropped   atomic.Uint64
}

type room struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
	presence
}

// NewHub makes a hub, and starts its Relay if it has one.
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
	h := &Hub{opts: opts, relay: opts.Relay, rooms: make(map[int64]*room), users: make(map[int64]map[*Subscription]struct{})}
	if h.relay != nil {
		h.relay.Start(h)
	}
	if opts.Heartbeat > 0 {
		h.stopBeat = make(chan struct{})
		go h.heartbeat(h.seal(opts.Ping), h.stopBeat)
	}
	return h
}

// Subscription is one open stream.
type Subscription struct {
	hub     *Hub
	room    int64
	member  Member
	session string
	// ch holds pointers: an event is shared by every subscriber it goes
	// to, and an idle stream's queue is 8 bytes a slot.
	ch chan *Event
	// behind holds, in order, what did not fit in ch (Options.Backlog);
	// Refill moves it on. mu guards it and closed, and orders sends into ch
	// with closing it.
	mu     sync.Mutex
	behind []*Event
	closed bool

	shard    uint32 // when the heartbeat pings it
	closeSub sync.Once
	dropped  atomic.Bool
	ended    atomic.Bool
}

// C delivers the subscription's events. It is closed when the subscriber is
// dropped (see Dropped), its session or room is closed, or the hub closes.
func (s *Subscription) C() <-chan *Event { return s.ch }

// Dropped reports whether the subscriber was dropped for falling behind.
func (s *Subscription) Dropped() bool { return s.dropped.Load() }

// Ended reports whether End closed the subscription (a logout, a deleted
// room, a deactivated account): its client should ask again at once, to
// learn why, rather than after the usual delay.
func (s *Subscription) Ended() bool { return s.ended.Load() }

// Close ends the subscription and releases its presence. Safe to call twice.
func (s *Subscription) Close() {
	s.closeSub.Do(func() { s.hub.unsubscribe(s) })
}

func (s *Subscription) closeChan() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		s.behind = nil
		close(s.ch)
	}
}

// Refill moves events held aside while the subscriber was behind into C, as
// far as they fit. A reader with a Backlog calls it after each batch it
// takes from C, before waiting on C again.
func (s *Subscription) Refill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.behind) == 0 {
		return
	}
	i := 0
	for ; i < len(s.behind); i++ {
		select {
		case s.ch <- s.behind[i]:
			s.behind[i] = nil
			continue
		default:
		}
		break
	}
	s.behind = s.behind[i:]
	if len(s.behind) == 0 {
		s.behind = nil // caught up: the backlog's memory goes
	}
}

// Subscribe opens a stream into room for m. session names the login the
// stream belongs to, so CloseSession can end it. The first event queued is
// the online-list snapshot, if the hub has a Renderer. With a Relay, ctx
// bounds the network I/O of joining the room.
func (h *Hub) Subscribe(ctx context.Context, roomID int64, m Member, session string) (*Subscription, error) {
	if h.isClosed() {
		return nil, ErrClosed
	}
	if h.relay != nil {
		if err := h.relay.Join(ctx, roomID); err != nil {
			return nil, err
		}
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		if h.relay != nil {
			h.relay.Leave(roomID)
		}
		return nil, ErrClosed
	}
	r := h.rooms[roomID]
	if r == nil {
		r = &room{subs: make(map[*Subscription]struct{}), presence: newPresence()}
		if h.relay != nil {
			// Nobody has been told anything yet: the first snapshot can
			// show who is online elsewhere already.
			r.setOthersUntold(h.relay.Others(roomID))
		}
		h.rooms[roomID] = r
	}
	s := h.newSub(roomID, m, session)
	// Lock order: hub, then room. Holding the hub lock while taking the room
	// lock keeps the room from being removed under us.
	r.mu.Lock()
	h.mu.Unlock()
	defer r.mu.Unlock()

	r.subs[s] = struct{}{}
	h.streams.Add(1)
	if ev, ok := h.snapshot(roomID, r); ok {
		s.ch <- ev
	}
	h.arrive(roomID, r, m)
	return s, nil
}

// lobby is the room of the streams that are in no room (SubscribeUser):
// room ids start at 1. It has no presence and is not followed across
// instances; what it gets comes from PublishUser and Broadcast.
const lobby = 0

// SubscribeUser opens a stream that is in no room, for a page that shows
// no conversation (the rooms list): it gets m's own events (PublishUser)
// and what every stream gets (Broadcast), and puts m on no online list.
func (h *Hub) SubscribeUser(m Member, session string) (*Subscription, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	r := h.rooms[lobby]
	if r == nil {
		r = &room{subs: make(map[*Subscription]struct{}), presence: newPresence()}
		h.rooms[lobby] = r
	}
	s := h.newSub(lobby, m, session)
	r.mu.Lock()
	r.subs[s] = struct{}{}
	r.mu.Unlock()
	h.streams.Add(1)
	return s, nil
}

// newSub makes a subscription and counts it among its user's. h.mu is held.
func (h *Hub) newSub(roomID int64, m Member, session string) *Subscription {
	s := &Subscription{hub: h, room: roomID, member: m, session: session, ch: make(chan *Event, h.opts.QueueSize),
		shard: h.nextShard % pingShards}
	h.nextShard++
	if h.users[m.UserID] == nil {
		h.users[m.UserID] = make(map[*Subscription]struct{})
	}
	h.users[m.UserID][s] = struct{}{}
	return s
}

func (h *Hub) unsubscribe(s *Subscription) {
	if h.relay != nil && s.room != lobby {
		defer h.relay.Leave(s.room) // after the locks below are released
	}
	h.mu.Lock()
	if mine := h.users[s.member.UserID]; mine != nil {
		delete(mine, s)
		if len(mine) == 0 {
			delete(h.users, s.member.UserID)
		}
	}
	h.mu.Unlock()
	r := h.lockRoom(s.room)
	if r == nil {
		s.closeChan()
		return
	}
	defer r.mu.Unlock()
	delete(r.subs, s)
	h.streams.Add(-1)
	s.closeChan()
	h.depart(s.room, r, s.member.UserID)
}

// Publish sends ev to every subscriber of room, in the order Publish is
// called, on this instance and (through the Relay) on the others. It never
// blocks: a subscriber whose queue is full is dropped.
func (h *Hub) Publish(roomID int64, ev Event) {
	h.published.Add(1)
	if h.relay != nil {
		h.relay.Publish(roomID, ev) // it calls Deliver, in room order
		return
	}
	h.Deliver(roomID, ev)
}

// Deliver sends ev to this instance's subscribers of room only. Publish
// does it without a Relay; with one, the Relay does it, in room order.
func (h *Hub) Deliver(roomID int64, ev Event) {
	e := h.seal(ev)
	if r := h.lockRoom(roomID); r != nil {
		h.deliver(r, e)
		r.mu.Unlock()
	}
}

// seal makes the one copy of ev that every subscriber is sent, with its
// Frame encoded, outside any lock.
func (h *Hub) seal(ev Event) *Event {
	if h.opts.Encode != nil && ev.Frame == nil {
		ev.Frame = h.opts.Encode(ev)
	}
	return &ev
}

// lockRoom returns the room with its lock held, or nil if it has none. The
// hub lock is held while the room lock is taken (lock order: hub, then
// room), so the room cannot be removed in between.
func (h *Hub) lockRoom(roomID int64) *room {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[roomID]
	if r != nil {
		r.mu.Lock()
	}
	return r
}

// deliver fans ev out to r's subscribers. r.mu is held.
func (h *Hub) deliver(r *room, ev *Event) {
	var n uint64
	for s := range r.subs {
		if h.send(r, s, ev) {
			n++
		}
	}
	h.delivered.Add(n)
}

// send queues ev for s, one of r's subscribers, or drops s if its queue is
// full: too slow, it must not hold up the room. It resumes by cursor when
// it reconnects; its presence lasts until its handler calls Close. r.mu is
// held.
func (h *Hub) send(r *room, s *Subscription, ev *Event) bool {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return false
	}
	if len(s.behind) == 0 {
		select {
		case s.ch <- ev:
			s.mu.Unlock()
			return true
		default:
		}
	}
	if len(s.behind) < h.opts.Backlog {
		// After anything already held aside, to keep the order.
		s.behind = append(s.behind, ev)
		s.mu.Unlock()
		return true
	}
	s.mu.Unlock()
	delete(r.subs, s)
	s.dropped.Store(true)
	s.closeChan()
	h.dropped.Add(1)
	return false
}

// PublishUser sends ev to every stream of one user, whatever room it is
// in, on every instance: what concerns a person rather than a room (a
// mention of them, what they have read, their sidebar). Such events carry
// state, not changes to replay: their ID is 0.
func (h *Hub) PublishUser(userID int64, ev Event) {
	h.published.Add(1)
	h.DeliverUser(userID, ev)
	if h.relay != nil {
		h.relay.PublishUser(userID, ev)
	}
}

// DeliverUser is PublishUser on this instance only.
func (h *Hub) DeliverUser(userID int64, ev Event) {
	h.mu.Lock()
	subs := make([]*Subscription, 0, len(h.users[userID]))
	for s := range h.users[userID] {
		subs = append(subs, s)
	}
	h.mu.Unlock()
	if len(subs) == 0 {
		return
	}
	e := h.seal(ev)
	var n uint64
	for _, s := range subs {
		if r := h.lockRoom(s.room); r != nil {
			if _, open := r.subs[s]; open && h.send(r, s, e) {
				n++
			}
			r.mu.Unlock()
		}
	}
	h.delivered.Add(n)
}

// Broadcast sends ev to every stream of every room, on every instance:
// what everyone's sidebar shows (rooms' activity and online counts).
// Callers gather such news and send it rarely: it reaches every stream.
func (h *Hub) Broadcast(ev Event) {
	h.published.Add(1)
	h.DeliverAll(ev)
	if h.relay != nil {
		h.relay.Broadcast(ev)
	}
}

// DeliverAll is Broadcast on this instance only.
func (h *Hub) DeliverAll(ev Event) {
	e := h.seal(ev)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.rooms {
		r.mu.Lock()
		h.deliver(r, e)
		r.mu.Unlock()
	}
}

// Ending names streams to end: those matching every field set (a login, a
// room, a user, or a user in a room).
type Ending struct {
	Session string
	Room    int64
	User    int64
}

func (e Ending) matches(s *Subscription) bool {
	return (e.Session == "" || e.Session == s.session) &&
		(e.Room == 0 || e.Room == s.room) &&
		(e.User == 0 || e.User == s.member.UserID)
}

// End ends the matching streams on every instance: a logout ends a login's,
// a deleted room its own, a removed member theirs in that room, a
// deactivated account all of its. The page learns why when it reconnects.
func (h *Hub) End(e Ending) {
	if e == (Ending{}) {
		return // would end everything: only Close does that
	}
	h.EndLocal(e)
	if h.relay != nil {
		h.relay.End(e)
	}
}

// EndLocal is End on this instance only: what a Relay does when another
// instance ends streams.
func (h *Hub) EndLocal(e Ending) {
	if e == (Ending{}) {
		return
	}
	h.eachSub(func(s *Subscription) bool {
		if e.matches(s) {
			s.ended.Store(true)
			return true
		}
		return false
	})
}

// CloseSession ends every stream of a login (on logout), on every instance.
func (h *Hub) CloseSession(session string) { h.End(Ending{Session: session}) }

// CloseRoom ends every stream into a room (when it is deleted), on every
// instance.
func (h *Hub) CloseRoom(roomID int64) { h.End(Ending{Room: roomID}) }

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

// Close ends every stream and refuses new ones; used on shutdown. It does
// not close the Relay: its owner does, after the last Publish.
func (h *Hub) Close() {
	h.mu.Lock()
	if !h.closed && h.stopBeat != nil {
		close(h.stopBeat)
	}
	h.closed = true
	h.mu.Unlock()
	h.eachSub(func(*Subscription) bool { return true })
}

func (h *Hub) isClosed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
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
