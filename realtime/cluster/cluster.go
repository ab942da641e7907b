// Package cluster links the hubs of several instances of the server that
// share the rooms. Each instance keeps its own realtime.Hub for the streams
// it serves; a Cluster is that hub's realtime.Relay, and carries room
// events and presence between instances over Redis (redis.go). The
// database stays the one truth: a message is published only after it is
// committed, and whatever an instance may have missed (a lost connection
// to Redis, a full queue, a crash between commit and publish) it reads
// back from History by cursor.
//
// Order. Ids are resume cursors, and a stream skips any id not above the
// last it sent, so an instance must hand its hub a room's messages in id
// order, never a lower id after a higher one. Messages of one room reach an
// instance from several publishers (its own writer and every other
// instance's), so arrival order is not id order. Each message carries the
// id of the one before it in its room (Event.Prev, fixed under the room's
// row lock when it was stored). An instance keeps, per followed room, the
// last id it delivered (feed.go): a message whose Prev is that id is next
// and goes out at once; one that arrives early waits up to GapWait for the
// ones before it to arrive; if they do not (lost, or published by an
// instance that died), the room is read from History after the last id
// delivered and delivered from there. A wake-up ("something above id N was
// stored") and every (re)subscription do the same catch-up.
//
// Presence. The online list of a room is the union of the members online
// on every instance: the hub's own members plus those Redis reports of
// the others (Others).
//
// Nothing here blocks on the network but Join: calls made while Redis is
// unreachable take effect, or are made good by a catch-up, when it is back.
package cluster

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/minidiscord/minidiscord/realtime"
)

// History reads the stored messages of a room as events, to catch up.
type History interface {
	// LastID is the id of the room's newest message (0: none).
	LastID(ctx context.Context, room int64) (int64, error)
	// After returns up to limit events of messages with ids above after, in
	// id order.
	After(ctx context.Context, room, after int64, limit int) ([]realtime.Event, error)
}

// Options tune a Cluster. Zero values get the defaults.
type Options struct {
	// Prefix starts every Redis key and channel ("minidiscord:"), so
	// several deployments (or tests) can share one Redis.
	Prefix string
	// PresenceTTL bounds how long the members of an instance that died stay
	// on the others' online lists (30 s). Each instance refreshes its
	// members every third of it.
	PresenceTTL time.Duration
	// PingEvery is how long the subscription may stay silent before it is
	// pinged; a ping unanswered for as long again means the connection is
	// dead and it is made anew (5 s).
	PingEvery time.Duration
	// QueueSize bounds the messages waiting to be published (8192); past
	// it a room gets a wake-up instead of its messages.
	QueueSize int
	// GapWait is how long a message that arrived from another instance
	// before the one ahead of it waits for it before History is read
	// (50 ms).
	GapWait time.Duration
	// CheckEvery is how often a followed room's newest id is checked
	// against History, for messages whose publisher died (30 s).
	CheckEvery time.Duration
	// UserChanged, if set, is called when another instance says a user's
	// account or sessions changed (UserChanged), and with 0 whenever the
	// subscription (re)starts: what was said meanwhile may be lost.
	UserChanged func(userID int64)
	Log         *slog.Logger
}

const (
	// catchUpPage is how many events one History read returns.
	catchUpPage = 500
	// feedInbox bounds a followed room's queue of arriving events; past it
	// they are dropped and read back from History instead.
	feedInbox = 4096
)

// Cluster is a hub's realtime.Relay over Redis: one feed per followed
// room, and the Redis side (redis.go).
type Cluster struct {
	hub     *realtime.Hub
	redis   *broker
	history History
	log     *slog.Logger
	gapWait time.Duration
	check   time.Duration

	mu     sync.Mutex
	feeds  map[int64]*feed
	closed bool
}

var _ realtime.Relay = (*Cluster)(nil)

// New makes a Cluster on rdb, which stays the caller's to close (after the
// Cluster). Put it in realtime.Options.Relay; the hub starts it.
func New(rdb *redis.Client, history History, opts Options) *Cluster {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.GapWait <= 0 {
		opts.GapWait = 50 * time.Millisecond
	}
	if opts.CheckEvery <= 0 {
		opts.CheckEvery = 30 * time.Second
	}
	c := &Cluster{
		history: history,
		log:     opts.Log,
		gapWait: opts.GapWait,
		check:   opts.CheckEvery,
		feeds:   make(map[int64]*feed),
	}
	c.redis = newBroker(rdb, c, opts)
	return c
}

// Start implements realtime.Relay.
func (c *Cluster) Start(h *realtime.Hub) {
	c.hub = h
	c.redis.start()
}

// Close ends the rooms' feeds, sends what is queued and withdraws this
// instance's presence. Call it after closing the hub and after the last
// Publish (the message writer's).
func (c *Cluster) Close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		for room, f := range c.feeds {
			delete(c.feeds, room)
			close(f.quit)
		}
	}
	c.mu.Unlock()
	c.redis.close()
}

// Join implements realtime.Relay. The first stream makes the room's feed,
// whose cursor is the room's newest message now: the stream replays from
// the database after Join returns, and everything stored after this point
// reaches the feed (published here, received, or read back on a gap or a
// (re)subscription).
func (c *Cluster) Join(ctx context.Context, room int64) error {
	c.mu.Lock()
	if f := c.feeds[room]; f != nil {
		f.refs++
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	last, err := c.history.LastID(lctx, room)
	cancel()
	if err != nil {
		return err
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return realtime.ErrClosed
	}
	if f := c.feeds[room]; f != nil {
		f.refs++
		c.mu.Unlock()
		return nil
	}
	f := newFeed(c, room, last)
	c.feeds[room] = f
	go f.run()
	// Under c.mu, so follow and unfollow reach Redis in the order the
	// feeds were made and ended.
	c.redis.follow(room)
	c.mu.Unlock()
	sctx, cancel := context.WithTimeout(ctx, time.Second)
	c.redis.syncPresence(sctx, room)
	cancel()
	return nil
}

// Leave implements realtime.Relay: it undoes one Join.
func (c *Cluster) Leave(room int64) {
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
		c.redis.unfollow(room)
	}
	c.hub.SetOthers(room, nil)
}

func (c *Cluster) feed(room int64) *feed {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.feeds[room]
}

// Publish implements realtime.Relay: an event stored here goes to this
// instance's streams through the room's feed, and to the others.
func (c *Cluster) Publish(room int64, ev realtime.Event) {
	if f := c.feed(room); f != nil {
		f.offer(ev)
	}
	c.redis.publish(room, ev)
}

// Others implements realtime.Relay.
func (c *Cluster) Others(room int64) map[int64]realtime.Member { return c.redis.others(room) }

// Present implements realtime.Relay.
func (c *Cluster) Present(room int64, m realtime.Member) { c.redis.present(room, m) }

// Absent implements realtime.Relay.
func (c *Cluster) Absent(room int64, m realtime.Member) { c.redis.absent(room, m) }

// End implements realtime.Relay.
func (c *Cluster) End(e realtime.Ending) {
	c.redis.control(envelope{Kind: "t", Data: e.Session, ID: e.Room, User: e.User})
}

// UserChanged tells the other instances that a user's account or sessions
// changed (their Options.UserChanged), in order with the rest this instance
// sends.
func (c *Cluster) UserChanged(userID int64) {
	c.redis.control(envelope{Kind: "a", User: userID})
}

// PublishUser implements realtime.Relay.
func (c *Cluster) PublishUser(user int64, ev realtime.Event) {
	c.redis.control(envelope{Kind: "u", User: user, Name: ev.Name, Data: ev.Data})
}

// Broadcast implements realtime.Relay.
func (c *Cluster) Broadcast(ev realtime.Event) {
	c.redis.control(envelope{Kind: "b", Name: ev.Name, Data: ev.Data})
}

// What the Redis side hands over.

// receive takes an event another instance published. An event with an id
// but no name is a wake-up: something above that id was stored in the
// room.
func (c *Cluster) receive(room int64, ev realtime.Event) {
	if f := c.feed(room); f != nil {
		f.offer(ev)
	}
}

// subscribed says room's subscription has (re)started: events sent before
// may have been missed, so the room catches up from History.
func (c *Cluster) subscribed(room int64) {
	if f := c.feed(room); f != nil {
		f.poke()
	}
}

// othersChanged says Others(room) may have changed.
func (c *Cluster) othersChanged(room int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Only followed rooms: Leave has cleared the others of the rest, and
	// holding c.mu orders this after it.
	if c.feeds[room] != nil {
		c.hub.SetOthers(room, c.redis.others(room))
	}
}
