package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/minidiscord/minidiscord/realtime"
)

// broker is a Cluster's Redis side: pub/sub for events, one channel per
// room (PREFIX room:ID), subscribed only while this instance has streams
// in the room; and for presence a sorted set per room (PREFIX
// presence:ID) of "instance:userID:name" members scored by the time they
// lapse, refreshed by a heartbeat. Everything is published in order by
// one goroutine, in pipelines; events arrive through one connection and
// are handed to the Cluster. Its methods never block on the network.
type broker struct {
	rdb  *redis.Client
	opts Options
	id   string // this instance, unique per start
	log  *slog.Logger

	c      *Cluster
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	followed map[int64]*remoteRoom               // rooms with streams here
	local    map[int64]map[int64]realtime.Member // members online here, by room
	reload   map[int64]bool                      // followed rooms to read presence of
	closed   bool
	changed  chan struct{} // the followed set changed
	presence chan struct{} // reload is not empty

	// The subscription connection and the channels asked of it.
	psMu       sync.Mutex
	ps         *redis.PubSub
	subscribed map[string]bool

	// The publish queue.
	qMu     sync.Mutex
	queue   []outgoing
	wakes   map[int64]int64 // room: highest id that could not be sent
	qSig    chan struct{}
	sending bool // a pipeline is on its way
	failing bool // the last one failed
}

// remoteRoom is what this instance knows of a followed room's members on
// other instances.
type remoteRoom struct {
	entries map[presenceKey]presenceEntry
	// gone remembers leaves heard since, so a presence read already on its
	// way back cannot bring them back.
	gone map[presenceKey]time.Time
}

type presenceKey struct {
	instance string
	user     int64
}

type presenceEntry struct {
	member  realtime.Member // its UserID is the key's
	expires time.Time
	heard   time.Time // when a notice added it (zero: read from the set)
}

// outgoing is one queued write: a command for the pipeline and, for a
// message, the id to wake the room with should it fail.
type outgoing struct {
	room  int64
	id    int64
	write func(redis.Pipeliner)
}

// envelope is what travels on a room's channel.
type envelope struct {
	From string `json:"f"`
	// On a room's channel: "e" event, "w" wake-up, "j" join, "l" leave.
	// On the control channel: "t" end streams (Data: session, ID: room,
	// User: user), "u" an event for one user's streams, "b" one for all,
	// "a" a user's account or sessions changed.
	Kind string `json:"k"`
	Name string `json:"n,omitempty"`
	ID   int64  `json:"i,omitempty"`
	Prev int64  `json:"p,omitempty"`
	Data string `json:"d,omitempty"`
	User int64  `json:"u,omitempty"`
	Exp  int64  `json:"x,omitempty"` // unix ms
	// "j": the member's picture version and whether they are a bot.
	Avatar int64 `json:"v,omitempty"`
	Bot    bool  `json:"b,omitempty"`
}

func newBroker(rdb *redis.Client, c *Cluster, opts Options) *broker {
	if opts.Prefix == "" {
		opts.Prefix = "minidiscord:"
	}
	if opts.PresenceTTL <= 0 {
		opts.PresenceTTL = 30 * time.Second
	}
	if opts.PingEvery <= 0 {
		opts.PingEvery = 5 * time.Second
	}
	if opts.QueueSize <= 0 {
		opts.QueueSize = 8192
	}
	b := make([]byte, 8)
	rand.Read(b)
	return &broker{
		rdb: rdb, opts: opts, id: hex.EncodeToString(b), log: opts.Log, c: c,
		followed: make(map[int64]*remoteRoom), local: make(map[int64]map[int64]realtime.Member),
		reload: make(map[int64]bool), subscribed: make(map[string]bool),
		changed: make(chan struct{}, 1), presence: make(chan struct{}, 1),
		wakes: make(map[int64]int64), qSig: make(chan struct{}, 1),
	}
}

func (b *broker) channel(room int64) string {
	return b.opts.Prefix + "room:" + strconv.FormatInt(room, 10)
}

func (b *broker) controlChannel() string { return b.opts.Prefix + "control" }

func (b *broker) presenceKey(room int64) string {
	return b.opts.Prefix + "presence:" + strconv.FormatInt(room, 10)
}

// roomOf reads a room's channel name back.
func (b *broker) roomOf(channel string) (int64, bool) {
	id, err := strconv.ParseInt(strings.TrimPrefix(channel, b.opts.Prefix+"room:"), 10, 64)
	return id, err == nil
}

// start connects and starts the goroutines.
func (b *broker) start() {
	b.ctx, b.cancel = context.WithCancel(context.Background())
	b.ps = b.rdb.Subscribe(b.ctx)
	signal(b.changed) // subscribes the control channel
	b.wg.Add(4)
	go b.receive()
	go b.follower()
	go b.publisher()
	go b.heartbeat()
}

// close sends what is queued, stops every goroutine and withdraws this
// instance's presence, announcing the leaves.
func (b *broker) close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	local := b.local
	b.local = make(map[int64]map[int64]realtime.Member)
	b.mu.Unlock()
	if b.cancel == nil {
		return // never started
	}
	b.drain(2 * time.Second)
	b.cancel()
	b.psMu.Lock()
	b.ps.Close()
	b.psMu.Unlock()
	b.wg.Wait()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	pipe := b.rdb.Pipeline()
	for room, ms := range local {
		for _, m := range ms {
			b.writeAbsent(pipe, room, m)
		}
	}
	if pipe.Len() > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			b.log.Warn("cluster: withdraw presence; it lapses by itself", "ttl", b.opts.PresenceTTL, "err", err)
		}
	}
}

// follow subscribes room's events and presence.
func (b *broker) follow(room int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || b.followed[room] != nil {
		return
	}
	b.followed[room] = &remoteRoom{entries: make(map[presenceKey]presenceEntry), gone: make(map[presenceKey]time.Time)}
	signal(b.changed)
}

// unfollow undoes follow.
func (b *broker) unfollow(room int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.followed[room] == nil {
		return
	}
	delete(b.followed, room)
	delete(b.reload, room)
	signal(b.changed)
}

// others is who is online in room on other instances, as last heard; it
// does not touch the network.
func (b *broker) others(room int64) map[int64]realtime.Member {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.othersLocked(room)
}

func (b *broker) othersLocked(room int64) map[int64]realtime.Member {
	rr := b.followed[room]
	if rr == nil {
		return nil
	}
	now := time.Now()
	out := make(map[int64]realtime.Member)
	for k, e := range rr.entries {
		if k.instance != b.id && e.expires.After(now) {
			m := e.member
			m.UserID = k.user
			out[k.user] = m
		}
	}
	return out
}

// present says m came online here. The heartbeat keeps the record alive
// while this instance runs; after a crash it lapses within PresenceTTL.
func (b *broker) present(room int64, m realtime.Member) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	if b.local[room] == nil {
		b.local[room] = make(map[int64]realtime.Member)
	}
	prev, changed := b.local[room][m.UserID]
	changed = changed && prev != m
	b.local[room][m.UserID] = m
	b.mu.Unlock()
	exp := b.expiry(time.Now())
	b.enqueue(outgoing{room: room, write: func(p redis.Pipeliner) {
		if changed { // the record holds what changed: the old one goes
			p.ZRem(b.ctx, b.presenceKey(room), b.member(prev))
		}
		p.ZAdd(b.ctx, b.presenceKey(room), redis.Z{Score: float64(exp.UnixMilli()), Member: b.member(m)})
		p.Expire(b.ctx, b.presenceKey(room), 2*b.opts.PresenceTTL)
		p.Publish(b.ctx, b.channel(room), b.encode(envelope{Kind: "j", User: m.UserID, Name: m.Name, Avatar: m.Avatar, Bot: m.Bot, Exp: exp.UnixMilli()}))
	}})
}

// absent says m went offline here.
func (b *broker) absent(room int64, m realtime.Member) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	if ms := b.local[room]; ms != nil {
		delete(ms, m.UserID)
		if len(ms) == 0 {
			delete(b.local, room)
		}
	}
	b.mu.Unlock()
	b.enqueue(outgoing{room: room, write: func(p redis.Pipeliner) { b.writeAbsent(p, room, m) }})
}

func (b *broker) writeAbsent(p redis.Pipeliner, room int64, m realtime.Member) {
	ctx := context.Background()
	p.ZRem(ctx, b.presenceKey(room), b.member(m))
	p.Publish(ctx, b.channel(room), b.encode(envelope{Kind: "l", User: m.UserID}))
}

// member is a presence set member: the name goes last, so it may hold ':'.
func (b *broker) member(m realtime.Member) string {
	s := b.id + ":" + strconv.FormatInt(m.UserID, 10) + ":" + m.Name
	if m.Avatar != 0 || m.Bot {
		// After a NUL, which no name holds: the picture's version, and
		// "b" for a bot. A record without them reads as before.
		s += "\x00" + strconv.FormatInt(m.Avatar, 10)
		if m.Bot {
			s += "\x00b"
		}
	}
	return s
}

// parseMember reads what member wrote after the user id.
func parseMember(s string) realtime.Member {
	name, extra, _ := strings.Cut(s, "\x00")
	m := realtime.Member{Name: name}
	avatar, bot, _ := strings.Cut(extra, "\x00")
	m.Avatar, _ = strconv.ParseInt(avatar, 10, 64)
	m.Bot = bot == "b"
	return m
}

// expiry is when a record written now lapses: two heartbeats from now, so
// one late heartbeat is forgiven and a dead instance's members are gone
// within PresenceTTL (two heartbeats plus the reader's one).
func (b *broker) expiry(now time.Time) time.Time {
	return now.Add(2 * b.beat())
}

func (b *broker) beat() time.Duration { return b.opts.PresenceTTL / 3 }

// publish sends ev to the other instances following room, in the order of
// calls. If it cannot be sent, a wake-up for the room is sent later
// instead, so that the others catch up from History.
func (b *broker) publish(room int64, ev realtime.Event) {
	payload := b.encode(envelope{Kind: "e", Name: ev.Name, ID: ev.ID, Prev: ev.Prev, Data: ev.Data})
	b.enqueue(outgoing{room: room, id: ev.ID, write: func(p redis.Pipeliner) {
		p.Publish(b.ctx, b.channel(room), payload)
	}})
}

func (b *broker) encode(e envelope) string {
	e.From = b.id
	out, _ := json.Marshal(e)
	return string(out)
}

func (b *broker) enqueue(o outgoing) {
	b.qMu.Lock()
	if len(b.queue) < b.opts.QueueSize {
		b.queue = append(b.queue, o)
	} else if o.id > 0 {
		// Full: the others read the room back from their databases.
		b.wakes[o.room] = max(b.wakes[o.room], o.id)
	}
	// (A presence write dropped here is made good by the next heartbeat.)
	b.qMu.Unlock()
	signal(b.qSig)
}

// drain waits, up to limit, for the queue to be sent, unless Redis is
// failing.
func (b *broker) drain(limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		b.qMu.Lock()
		idle := len(b.queue) == 0 && len(b.wakes) == 0 && !b.sending
		failing := b.failing
		b.qMu.Unlock()
		if idle || failing {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// publisher sends the queue in order, in pipelines of up to 1000 writes.
// When Redis fails, the messages of the failed pipeline turn into wake-ups
// for their rooms, sent once Redis answers again: the others then read
// them from the database. (Deletions and presence notices are not retried;
// the heartbeat restores presence.)
func (b *broker) publisher() {
	defer b.wg.Done()
	retry := time.NewTimer(time.Hour)
	retry.Stop()
	for {
		select {
		case <-b.ctx.Done():
			return
		case <-b.qSig:
		case <-retry.C:
		}
		for {
			b.qMu.Lock()
			n := min(len(b.queue), 1000)
			batch := b.queue[:n:n]
			b.queue = b.queue[n:]
			if len(b.queue) == 0 {
				b.queue = nil
			}
			wakes := b.wakes
			b.wakes = make(map[int64]int64)
			b.sending = len(batch) > 0 || len(wakes) > 0
			b.qMu.Unlock()
			if !b.sending {
				break
			}
			pipe := b.rdb.Pipeline()
			for room, id := range wakes {
				pipe.Publish(b.ctx, b.channel(room), b.encode(envelope{Kind: "w", ID: id}))
			}
			for _, o := range batch {
				o.write(pipe)
			}
			_, err := pipe.Exec(b.ctx)
			b.qMu.Lock()
			b.sending = false
			failed := err != nil && !errors.Is(err, redis.Nil)
			b.failing = failed
			b.qMu.Unlock()
			if failed {
				if b.ctx.Err() != nil {
					return
				}
				b.qMu.Lock()
				for room, id := range wakes {
					b.wakes[room] = max(b.wakes[room], id)
				}
				for _, o := range batch {
					if o.id > 0 {
						b.wakes[o.room] = max(b.wakes[o.room], o.id)
					}
				}
				b.qMu.Unlock()
				b.log.Warn("cluster: publish to redis failed; rooms will catch up from the database", "err", err)
				retry.Reset(time.Second)
				break
			}
		}
	}
}

// control sends e to every other instance on the control channel, in
// order with everything else this instance publishes.
func (b *broker) control(e envelope) {
	payload := b.encode(e)
	b.enqueue(outgoing{write: func(p redis.Pipeliner) { p.Publish(b.ctx, b.controlChannel(), payload) }})
}

// follower keeps the subscription's channels equal to the followed rooms
// (and the control channel, always).
func (b *broker) follower() {
	defer b.wg.Done()
	for {
		select {
		case <-b.ctx.Done():
			return
		case <-b.changed:
		}
		b.mu.Lock()
		want := map[string]bool{b.controlChannel(): true}
		for room := range b.followed {
			want[b.channel(room)] = true
		}
		b.mu.Unlock()
		b.psMu.Lock()
		var add, drop []string
		for ch := range want {
			if !b.subscribed[ch] {
				add = append(add, ch)
			}
		}
		for ch := range b.subscribed {
			if !want[ch] {
				drop = append(drop, ch)
			}
		}
		b.subscribed = want
		// go-redis remembers the channels even when the command fails and
		// subscribes them again on its next connection; the confirmation
		// that comes then starts a catch-up.
		if len(add) > 0 {
			if err := b.ps.Subscribe(b.ctx, add...); err != nil && b.ctx.Err() == nil {
				b.log.Warn("cluster: redis subscribe", "err", err)
			}
		}
		if len(drop) > 0 {
			if err := b.ps.Unsubscribe(b.ctx, drop...); err != nil && b.ctx.Err() == nil {
				b.log.Warn("cluster: redis unsubscribe", "err", err)
			}
		}
		b.psMu.Unlock()
	}
}

// receive reads the subscription. Every subscribe confirmation, the first
// and each after a reconnection, makes the room catch up from the database
// and read its presence again: whatever was published while the
// subscription was down is not lost, only late.
func (b *broker) receive() {
	defer b.wg.Done()
	pinged, down := false, false
	for {
		b.psMu.Lock()
		ps := b.ps
		b.psMu.Unlock()
		msg, err := ps.ReceiveTimeout(b.ctx, b.opts.PingEvery)
		if b.ctx.Err() != nil {
			return
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				if pinged {
					b.log.Warn("cluster: redis subscription silent; connecting again")
					b.redial()
					pinged = false
					continue
				}
				ps.Ping(b.ctx)
				pinged = true
				continue
			}
			if !down {
				b.log.Warn("cluster: redis subscription lost; reconnecting", "err", err)
				down = true
			}
			pinged = false
			select {
			case <-b.ctx.Done():
				return
			case <-time.After(200 * time.Millisecond):
			}
			continue
		}
		pinged = false
		if down {
			b.log.Info("cluster: redis subscription back")
			down = false
		}
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Channel == b.controlChannel() && m.Kind == "subscribe" && b.opts.UserChanged != nil {
				b.opts.UserChanged(0)
			}
			if room, ok := b.roomOf(m.Channel); ok && m.Kind == "subscribe" {
				b.c.subscribed(room)
				b.mu.Lock()
				if b.followed[room] != nil {
					b.reload[room] = true
					signal(b.presence)
				}
				b.mu.Unlock()
			}
		case *redis.Message:
			b.dispatch(m.Channel, m.Payload)
		}
	}
}

// redial replaces a connection that stopped answering with a new one on
// the same channels.
func (b *broker) redial() {
	b.psMu.Lock()
	defer b.psMu.Unlock()
	b.ps.Close()
	b.ps = b.rdb.Subscribe(b.ctx)
	chans := slicesOf(b.subscribed)
	if len(chans) > 0 {
		if err := b.ps.Subscribe(b.ctx, chans...); err != nil && b.ctx.Err() == nil {
			b.log.Warn("cluster: redis subscribe", "err", err)
		}
	}
}

func (b *broker) dispatch(channel, payload string) {
	var e envelope
	if err := json.Unmarshal([]byte(payload), &e); err != nil {
		b.log.Warn("cluster: bad message on redis", "channel", channel, "err", err)
		return
	}
	if e.From == b.id {
		return // ours: delivered here already
	}
	switch e.Kind {
	case "t":
		b.c.hub.EndLocal(realtime.Ending{Session: e.Data, Room: e.ID, User: e.User})
		return
	case "u":
		b.c.hub.DeliverUser(e.User, realtime.Event{Name: e.Name, Data: e.Data})
		return
	case "b":
		b.c.hub.DeliverAll(realtime.Event{Name: e.Name, Data: e.Data})
		return
	case "a":
		if b.opts.UserChanged != nil && e.User != 0 {
			b.opts.UserChanged(e.User)
		}
		return
	}
	room, ok := b.roomOf(channel)
	if !ok {
		return
	}
	switch e.Kind {
	case "e":
		b.c.receive(room, realtime.Event{Name: e.Name, ID: e.ID, Prev: e.Prev, Data: e.Data})
	case "w":
		b.c.receive(room, realtime.Event{ID: e.ID})
	case "j", "l":
		k := presenceKey{instance: e.From, user: e.User}
		now := time.Now()
		b.mu.Lock()
		rr := b.followed[room]
		if rr == nil {
			b.mu.Unlock()
			return
		}
		before := b.othersLocked(room)
		if e.Kind == "j" {
			rr.entries[k] = presenceEntry{member: realtime.Member{Name: e.Name, Avatar: e.Avatar, Bot: e.Bot}, expires: time.UnixMilli(e.Exp), heard: now}
			delete(rr.gone, k)
		} else {
			delete(rr.entries, k)
			rr.gone[k] = now
		}
		changed := !maps.Equal(before, b.othersLocked(room))
		b.mu.Unlock()
		if changed {
			b.c.othersChanged(room)
		}
	}
}

// heartbeat refreshes this instance's presence records every third of the
// TTL and reads the followed rooms' sets again, which is how the members
// of an instance that died leave the lists. It also reads at once the
// rooms just (re)subscribed.
func (b *broker) heartbeat() {
	defer b.wg.Done()
	t := time.NewTicker(b.beat())
	defer t.Stop()
	for {
		all := false
		select {
		case <-b.ctx.Done():
			return
		case <-t.C:
			all = true
		case <-b.presence:
		}
		b.beatOnce(all)
	}
}

func (b *broker) beatOnce(all bool) {
	start := time.Now()
	exp := float64(b.expiry(start).UnixMilli())
	b.mu.Lock()
	var rooms []int64
	for room := range b.followed {
		if all || b.reload[room] {
			rooms = append(rooms, room)
		}
	}
	clear(b.reload)
	local := make(map[int64][]redis.Z)
	if all {
		for room, ms := range b.local {
			for _, m := range ms {
				local[room] = append(local[room], redis.Z{Score: exp, Member: b.member(m)})
			}
		}
	}
	b.mu.Unlock()

	ctx, cancel := context.WithTimeout(b.ctx, b.beat())
	defer cancel()
	pipe := b.rdb.Pipeline()
	for room, zs := range local {
		pipe.ZAdd(ctx, b.presenceKey(room), zs...)
		pipe.Expire(ctx, b.presenceKey(room), 2*b.opts.PresenceTTL)
	}
	reads := b.readPresence(ctx, pipe, start, rooms)
	if pipe.Len() == 0 {
		return
	}
	if _, err := pipe.Exec(ctx); err != nil {
		if b.ctx.Err() == nil {
			b.log.Warn("cluster: presence heartbeat failed", "err", err)
		}
		return
	}
	b.applyPresence(start, reads)
}

// syncPresence reads who is online in a room just followed, so the first
// stream's snapshot is whole. It may block until ctx ends; on failure the
// list fills in with the next heartbeat.
func (b *broker) syncPresence(ctx context.Context, room int64) {
	start := time.Now()
	pipe := b.rdb.Pipeline()
	reads := b.readPresence(ctx, pipe, start, []int64{room})
	if _, err := pipe.Exec(ctx); err != nil {
		b.log.Warn("cluster: read presence; it follows with the next heartbeat", "room", room, "err", err)
		return
	}
	b.applyPresence(start, reads)
}

// readPresence queues, for each room, the removal of lapsed records and a
// read of the rest.
func (b *broker) readPresence(ctx context.Context, pipe redis.Pipeliner, start time.Time, rooms []int64) map[int64]*redis.ZSliceCmd {
	reads := make(map[int64]*redis.ZSliceCmd, len(rooms))
	for _, room := range rooms {
		pipe.ZRemRangeByScore(ctx, b.presenceKey(room), "-inf", strconv.FormatInt(start.UnixMilli(), 10))
		reads[room] = pipe.ZRangeWithScores(ctx, b.presenceKey(room), 0, -1)
	}
	return reads
}

// applyPresence makes what was read (at start) the rooms' presence, less
// what was heard of since, and tells the hub.
func (b *broker) applyPresence(start time.Time, reads map[int64]*redis.ZSliceCmd) {
	var changed []int64
	b.mu.Lock()
	for room, cmd := range reads {
		rr := b.followed[room]
		if rr == nil {
			continue
		}
		fresh := make(map[presenceKey]presenceEntry)
		for _, z := range cmd.Val() {
			s, _ := z.Member.(string)
			inst, rest, ok1 := strings.Cut(s, ":")
			uid, rest, ok2 := strings.Cut(rest, ":")
			id, err := strconv.ParseInt(uid, 10, 64)
			if !ok1 || !ok2 || err != nil {
				continue
			}
			m := parseMember(rest)
			k := presenceKey{instance: inst, user: id}
			if gone, ok := rr.gone[k]; ok && gone.After(start) {
				continue // left after this read began
			}
			fresh[k] = presenceEntry{member: m, expires: time.UnixMilli(int64(z.Score))}
		}
		for k, e := range rr.entries {
			if _, ok := fresh[k]; !ok && e.heard.After(start) {
				fresh[k] = e // joined after this read began
			}
		}
		for k, at := range rr.gone {
			if !at.After(start) {
				delete(rr.gone, k)
			}
		}
		rr.entries = fresh
		// Always: records lapse with time, not only when a read differs.
		changed = append(changed, room)
	}
	b.mu.Unlock()
	for _, room := range changed {
		b.c.othersChanged(room)
	}
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

func slicesOf(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
