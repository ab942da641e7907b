package realtime

import (
	"context"
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"
)

// Several instances of the server can share the rooms. Each keeps its own
// Hub for the streams it serves; a Broker (RedisBroker) carries room events
// and presence between them. The database stays the one truth: a message
// is published only after it is committed, and whatever an instance may
// have missed (a lost connection to the broker, a full queue, a crash
// between commit and publish) it reads back from History by cursor.
//
// Order. Ids are resume cursors, and a stream skips any id not above the
// last it sent, so an instance must hand its hub a room's messages in id
// order, never a lower id after a higher one. Messages of one room reach an
// instance from several publishers (its own writer and every other
// instance's), so arrival order is not id order. Each message carries the
// id of the one before it in its room (Event.Prev, fixed under the room's
// row lock when it was stored). An instance keeps, per followed room, the
// last id it delivered: a message whose Prev is that id is next and goes
// out at once; one that arrives early waits up to GapWait for the ones
// before it to arrive; if they do not (lost, or published by an instance
// that died), the room is read from History after the last id delivered
// and delivered from there. A wake-up from the broker ("something above id
// N was stored") and every (re)subscription do the same catch-up.
//
// Presence. The online list of a room is the union of the members online
// on every instance: the Hub's own members plus Broker.Others.

// Broker links the hubs of several instances. Its methods never block on
// the network: calls made while the broker is unreachable take effect, or
// are made good by a catch-up, when it is back.
type Broker interface {
	// Start is called once, by NewHub, with the hub's side of the link.
	Start(l Link)
	// Follow and Unfollow say which rooms this instance has streams in:
	// only their events and presence are received.
	Follow(room string)
	Unfollow(room string)
	// Publish sends ev to the other instances following room, in the order
	// of calls. If it cannot be sent, a wake-up for the room is sent later
	// instead, so that the others catch up from History.
	Publish(room string, ev Event)
	// Present and Absent say a member came online, or went offline, on this
	// instance. The broker keeps the record alive with heartbeats while
	// this instance runs; after a crash it lapses within the broker's TTL.
	Present(room string, m Member)
	Absent(room string, m Member)
	// Others is who is online in room on other instances, as last heard;
	// it does not touch the network.
	Others(room string) map[int64]Member
	// Sync reads who is online in a room just followed, so the first
	// stream's snapshot is whole. It may block until ctx ends; on failure
	// the list fills in later.
	Sync(ctx context.Context, room string)
	// Tell asks every other instance to end the streams of a session or a
	// room (Hub.CloseSession, Hub.CloseRoom).
	Tell(what Ending, key string)
	// Close sends what is queued, stops the broker and withdraws this
	// instance's presence. The hub does not call it: its owner does, after
	// closing the hub and after the last Publish (the message writer's).
	Close()
}

// Link is how a Broker reaches the hub. Its methods do not block for long.
type Link interface {
	// Receive hands over an event another instance published. An event
	// with an id but no name is a wake-up: something above that id was
	// stored in the room.
	Receive(room string, ev Event)
	// Subscribed says room's subscription has (re)started: events sent
	// before may have been missed, so the hub catches up from History.
	Subscribed(room string)
	// OthersChanged says Others(room) may have changed.
	OthersChanged(room string)
	// Told hands over another instance's Tell.
	Told(what Ending, key string)
}

// Ending names what a Tell ends: the streams of a session or of a room.
type Ending string

// The Endings.
const (
	EndSession Ending = "session"
	EndRoom    Ending = "room"
)

// History reads the stored messages of a room as events, to catch up.
type History interface {
	// LastID is the id of the room's newest message (0: none).
	LastID(ctx context.Context, room string) (int64, error)
	// After returns up to limit events of messages with ids above after, in
	// id order.
	After(ctx context.Context, room string, after int64, limit int) ([]Event, error)
}

const (
	// catchUpPage is how many events one History read returns.
	catchUpPage = 500
	// feedInbox bounds a followed room's queue of arriving events; past it
	// they are dropped and read back from History instead.
	feedInbox = 4096
)

// cluster is the hub's side of a Broker: one feed per followed room.
type cluster struct {
	hub     *Hub
	broker  Broker
	history History
	log     *slog.Logger
	gapWait time.Duration
	check   time.Duration

	mu     sync.Mutex
	feeds  map[string]*feed
	closed bool
}

func newCluster(h *Hub, opts Options) *cluster {
	c := &cluster{
		hub:     h,
		broker:  opts.Broker,
		history: opts.History,
		log:     opts.Log,
		gapWait: opts.GapWait,
		check:   opts.CheckEvery,
		feeds:   make(map[string]*feed),
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.gapWait <= 0 {
		c.gapWait = 50 * time.Millisecond
	}
	if c.check <= 0 {
		c.check = 30 * time.Second
	}
	c.broker.Start(c)
	return c
}

// join is called before a stream opens in room. The first stream makes the
// room's feed, whose cursor is the room's newest message now: the stream
// replays from the database after join returns, and everything stored
// after this point reaches the feed (published here, received, or read
// back on a gap or a (re)subscription).
func (c *cluster) join(room string) error {
	c.mu.Lock()
	if f := c.feeds[room]; f != nil {
		f.refs++
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	last, err := c.history.LastID(ctx, room)
	cancel()
	if err != nil {
		return err
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	if f := c.feeds[room]; f != nil {
		f.refs++
		c.mu.Unlock()
		return nil
	}
	f := &feed{
		c: c, room: room, refs: 1, last: last,
		inbox: make(chan Event, feedInbox), kick: make(chan struct{}, 1),
		quit: make(chan struct{}), early: make(map[int64]Event),
	}
	c.feeds[room] = f
	go f.run()
	// Under c.mu, so Follow and Unfollow reach the broker in the order the
	// feeds were made and ended.
	c.broker.Follow(room)
	c.mu.Unlock()
	ctx, cancel = context.WithTimeout(context.Background(), time.Second)
	c.broker.Sync(ctx, room)
	cancel()
	return nil
}

// leave undoes one join.
func (c *cluster) leave(room string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.feeds[room]
	if f == nil {
		return
	}
	if f.refs--; f.refs > 0 {
		return
	}
	delete(c.feeds, room)
	close(f.quit)
	if !c.closed {
		c.broker.Unfollow(room)
	}
	c.hub.setOthers(room, nil)
}

func (c *cluster) feed(room string) *feed {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.feeds[room]
}

// publish delivers an event stored here to this instance's streams and
// sends it to the others.
func (c *cluster) publish(room string, ev Event) {
	if f := c.feed(room); f != nil {
		f.offer(ev)
	}
	c.broker.Publish(room, ev)
}

// Receive implements Link.
func (c *cluster) Receive(room string, ev Event) {
	if f := c.feed(room); f != nil {
		f.offer(ev)
	}
}

// Subscribed implements Link.
func (c *cluster) Subscribed(room string) {
	if f := c.feed(room); f != nil {
		f.poke()
	}
}

// OthersChanged implements Link.
func (c *cluster) OthersChanged(room string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Only followed rooms: leave has cleared the others of the rest, and
	// holding c.mu orders this after it.
	if c.feeds[room] != nil {
		c.hub.setOthers(room, c.broker.Others(room))
	}
}

// Told implements Link.
func (c *cluster) Told(what Ending, key string) {
	switch what {
	case EndSession:
		c.hub.eachSub(func(s *Subscription) bool { return s.session == key })
	case EndRoom:
		c.hub.eachSub(func(s *Subscription) bool { return s.room == key })
	}
}

func (c *cluster) close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	for room, f := range c.feeds {
		delete(c.feeds, room)
		close(f.quit)
	}
	c.mu.Unlock()
}

// feed sequences one followed room: it delivers the room's messages to the
// hub in id order, from whatever source they come.
type feed struct {
	c    *cluster
	room string
	refs int // under c.mu

	inbox    chan Event
	overflow atomic.Bool
	kick     chan struct{}
	quit     chan struct{}

	// Owned by run.
	last  int64           // id of the last message delivered
	early map[int64]Event // arrived before their predecessor, by Prev
}

// offer queues ev without blocking; if the queue is full the room is read
// back from History instead.
func (f *feed) offer(ev Event) {
	select {
	case f.inbox <- ev:
	default:
		f.overflow.Store(true)
		f.poke()
	}
}

// poke asks for a catch-up from History.
func (f *feed) poke() {
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

func (f *feed) run() {
	var gap *time.Timer
	var gapC <-chan time.Time
	check := time.NewTicker(f.c.check)
	defer check.Stop()
	for {
		select {
		case <-f.quit:
			return
		case ev := <-f.inbox:
			f.handle(ev)
		case <-f.kick:
			f.catchUp()
		case <-gapC:
			gapC = nil
			f.catchUp()
		case <-check.C:
			// A message stored by an instance that died before publishing
			// it would otherwise wait for the room's next message.
			f.checkHead()
		}
		if f.overflow.Swap(false) {
			f.catchUp()
		}
		switch {
		case len(f.early) > 0 && gapC == nil:
			gap = time.NewTimer(f.c.gapWait)
			gapC = gap.C
		case len(f.early) == 0 && gapC != nil:
			gap.Stop()
			gapC = nil
		}
	}
}

func (f *feed) handle(ev Event) {
	switch {
	case ev.ID == 0:
		// Not a message (a deletion, say): nothing to order it by.
		if ev.Name != "" {
			f.c.hub.fanOut(f.room, ev)
		}
	case ev.ID <= f.last:
		// Delivered already (read back from History, or our own).
	case ev.Name == "":
		f.catchUp() // a wake-up
	case ev.Prev != f.last:
		f.early[ev.Prev] = ev
	default:
		f.deliver(ev)
		for {
			next, ok := f.early[f.last]
			if !ok {
				break
			}
			delete(f.early, f.last)
			f.deliver(next)
		}
	}
}

func (f *feed) deliver(ev Event) {
	f.c.hub.fanOut(f.room, ev)
	f.last = ev.ID
}

// catchUp delivers everything stored in the room after the last id
// delivered. Per room, ids become visible in id order (see
// models.Store.roomHeads), so what it reads has no holes that could fill
// in later.
func (f *feed) catchUp() {
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		evs, err := f.c.history.After(ctx, f.room, f.last, catchUpPage)
		cancel()
		if err != nil {
			f.c.log.Error("realtime: catch up from history", "room", f.room, "after", f.last, "err", err)
			time.AfterFunc(time.Second, f.poke)
			return
		}
		for _, ev := range evs {
			if ev.ID > f.last {
				f.deliver(ev)
			}
		}
		if len(evs) < catchUpPage {
			break
		}
	}
	// Whatever waited is delivered now, or was deleted meanwhile.
	clear(f.early)
}

func (f *feed) checkHead() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	last, err := f.c.history.LastID(ctx, f.room)
	cancel()
	if err == nil && last > f.last {
		f.catchUp()
	}
}

// setOthers replaces who is online in room on other instances; the
// difference reaches the room's subscribers as one coalesced delta.
func (h *Hub) setOthers(roomKey string, others map[int64]Member) {
	r := h.lockRoom(roomKey)
	if r == nil {
		return
	}
	defer r.mu.Unlock()
	if maps.Equal(r.others, others) {
		return
	}
	r.others = others
	h.scheduleFlush(roomKey, r)
}
