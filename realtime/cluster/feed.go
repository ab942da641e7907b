package cluster

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/minidiscord/minidiscord/realtime"
)

// feed sequences one followed room: it delivers the room's messages to the
// hub in id order, from whatever source they come.
type feed struct {
	c    *Cluster
	room int64
	refs int // under c.mu

	inbox    chan realtime.Event
	overflow atomic.Bool
	kick     chan struct{}
	quit     chan struct{}

	// Owned by run.
	last  int64                    // id of the last message delivered
	early map[int64]realtime.Event // arrived before their predecessor, by Prev
}

func newFeed(c *Cluster, room, last int64) *feed {
	return &feed{
		c: c, room: room, refs: 1, last: last,
		inbox: make(chan realtime.Event, feedInbox), kick: make(chan struct{}, 1),
		quit: make(chan struct{}), early: make(map[int64]realtime.Event),
	}
}

// offer queues ev without blocking; if the queue is full the room is read
// back from History instead.
func (f *feed) offer(ev realtime.Event) {
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

func (f *feed) handle(ev realtime.Event) {
	switch {
	case ev.ID == 0:
		// Not a message (a deletion, say): nothing to order it by.
		if ev.Name != "" {
			f.c.hub.Deliver(f.room, ev)
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

func (f *feed) deliver(ev realtime.Event) {
	f.c.hub.Deliver(f.room, ev)
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
			f.c.log.Error("cluster: catch up from history", "room", f.room, "after", f.last, "err", err)
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
