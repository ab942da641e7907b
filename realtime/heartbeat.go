package realtime

import "time"

// pingShards spreads the heartbeat: each tick pings one shard of the
// streams, so that 20,000 idle streams are not all woken in the same
// instant, and a stream's reader needs no timer of its own.
const pingShards = 8

// heartbeat queues Options.Ping, every Options.Heartbeat, for each
// subscriber with nothing queued: an idle stream writes something now and
// then, which keeps proxies from closing it and finds clients long gone.
// A busy one is writing anyway.
func (h *Hub) heartbeat(ping *Event, stop <-chan struct{}) {
	t := time.NewTicker(h.opts.Heartbeat / pingShards)
	defer t.Stop()
	for shard := uint32(0); ; shard = (shard + 1) % pingShards {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		h.mu.Lock()
		for _, r := range h.rooms {
			r.mu.Lock()
			for s := range r.subs {
				if s.shard == shard {
					s.offer(ping)
				}
			}
			r.mu.Unlock()
		}
		h.mu.Unlock()
	}
}

// offer queues ev for s if its queue is empty and it is not behind.
func (s *Subscription) offer(ev *Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.ch) > 0 || len(s.behind) > 0 {
		return
	}
	select {
	case s.ch <- ev:
	default:
	}
}
