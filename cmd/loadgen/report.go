package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// report gathers a run's figures and prints them.
type report struct {
	cfg config

	loginTime time.Duration
	retried   int64
	openTime  time.Duration
	openCPU   time.Duration
	opened    int
	openErr   error

	// With -peer: when every socket's online list had everyone, and the
	// user_list frames it took.
	fillTime    time.Duration
	fillOK      bool
	fillFrames  atomic.Int64
	dialRetries atomic.Int64

	onlineWant, onlineCount, onlineEntries int
	onlineErr                              error

	loadStart, loadEnd string // /proc/loadavg: others' work on the same box skews figures

	rssBefore, rssOpen, rssEnd, hwm, selfRSS int64

	postTime, deliverTime time.Duration
	serverCPU, selfCPU    time.Duration
	postLat               histogram
	mu                    sync.Mutex
	failed                map[string]int

	acked, expected, delivered, missing, extra int64
	dups, reorder, resumed                     int64
	streamsMissing, ends, recons               int
	deliver                                    *histogram

	typingSent, typingFailed int64
	events                   map[string]int64 // other events received, by name
}

// typed counts one typing signal sent.
func (r *report) typed(code int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.typingSent++
	if err != nil || code != 204 {
		r.typingFailed++
	}
}

func (r *report) postFailed(why string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failed == nil {
		r.failed = map[string]int{}
	}
	r.failed[why]++
}

// collect compares what each stream received with what was acknowledged
// in its room. Call it once every stream has stopped.
func (r *report) collect(rs *runState, rooms []*room, streams []*stream) {
	r.deliver = &rs.deliver
	r.events = map[string]int64{}
	for name, n := range rs.events {
		r.events[name] = n.Load()
	}
	for _, rm := range rooms {
		r.acked += rm.nAck.Load()
	}
	for _, s := range streams {
		if !s.opened {
			r.openErr = cmpOr(r.openErr, s.err)
			continue
		}
		missing, extra := s.got.diff(s.room.acked)
		r.expected += s.room.nAck.Load()
		r.delivered += s.unique - int64(extra)
		r.missing += int64(missing)
		r.extra += int64(extra)
		if missing > 0 {
			r.streamsMissing++
		}
		r.dups += s.dups
		r.reorder += s.reorder
		r.resumed += s.resumed
		r.ends += s.ends
		r.recons += s.recons
	}
}

func (r *report) print(w io.Writer) {
	line := func(k, format string, args ...any) { fmt.Fprintf(w, "%-28s %s\n", k, fmt.Sprintf(format, args...)) }
	cfg := r.cfg
	mode := "idle"
	if !cfg.idle {
		mode = fmt.Sprintf("%d senders, %s for %s", cfg.senders, rateString(cfg.rate), cfg.duration)
	}
	line("scenario", "%d users, %d streams, %d rooms, %s", cfg.users, cfg.listeners, cfg.rooms, mode)
	line("sign-up + login", "%s (%d retried after a 5xx)", r.loginTime.Round(time.Millisecond), r.retried)
	line("streams open", "%d/%d in %s", r.opened, cfg.listeners, r.openTime.Round(time.Millisecond))
	if cfg.peer {
		line("server", "the original over WebSocket: a post is acknowledged once written to its socket; post latency is until it comes back on the sender's own socket")
		line("room full, lists right", "%v after %s (%d user_list frames); %d socket opens tried again", r.fillOK, r.fillTime.Round(time.Millisecond), r.fillFrames.Load(), r.dialRetries.Load())
	}
	if r.openCPU > 0 && r.opened > 0 {
		line("server CPU opening", "%s (%.0f µs per stream)", r.openCPU.Round(10*time.Millisecond), float64(r.openCPU.Microseconds())/float64(r.opened))
	}
	if r.openErr != nil {
		line("first open failure", "%v", r.openErr)
	}
	if cfg.checkOnline {
		if r.onlineErr != nil {
			line("online list", "error: %v", r.onlineErr)
		} else {
			line("online list", "count %d, entries %d, want %d", r.onlineCount, r.onlineEntries, r.onlineWant)
		}
	}
	if r.rssOpen > 0 {
		line("server RSS before streams", "%s", mb(r.rssBefore))
		line("server RSS streams open", "%s", mb(r.rssOpen))
		if r.opened > 0 {
			line("server RSS per stream", "%.1f KB", float64(r.rssOpen-r.rssBefore)/float64(r.opened))
		}
		line("server RSS end / peak", "%s / %s", mb(r.rssEnd), mb(r.hwm))
	}
	line("loadgen RSS", "%s", mb(r.selfRSS))
	if !cfg.idle {
		posted := r.postLat.n.Load()
		secs := r.postTime.Seconds()
		line("posts", "%d sent, %d acknowledged, %.0f/s", posted, r.acked, float64(r.acked)/secs)
		if len(r.failed) > 0 {
			var parts []string
			for _, k := range slices.Sorted(maps.Keys(r.failed)) {
				parts = append(parts, fmt.Sprintf("%s×%d", k, r.failed[k]))
			}
			line("failed posts", "%s", strings.Join(parts, ", "))
		}
		line("post latency", "p50 %s  p99 %s  max %s", ms(r.postLat.quantile(.5)), ms(r.postLat.quantile(.99)), ms(time.Duration(r.postLat.max.Load())))
		ratio := 1.0
		if r.expected > 0 {
			ratio = float64(r.delivered) / float64(r.expected)
		}
		line("delivered/expected", "%d/%d = %.6f", r.delivered, r.expected, ratio)
		line("streams missing any", "%d (%d messages)", r.streamsMissing, r.missing)
		line("duplicates / out of order", "%d / %d", r.dups, r.reorder)
		if r.extra > 0 {
			line("unacknowledged delivered", "%d", r.extra)
		}
		line("delivery latency", "p50 %s  p99 %s  max %s", ms(r.deliver.quantile(.5)), ms(r.deliver.quantile(.99)), ms(time.Duration(r.deliver.max.Load())))
		line("deliveries/s", "%.0f", float64(r.delivered+r.extra)/r.deliverTime.Seconds())
		line("CPU while posting", "server %.2f cores, loadgen %.2f cores", r.serverCPU.Seconds()/secs, r.selfCPU.Seconds()/secs)
		if r.acked > 0 && r.serverCPU > 0 {
			line("server CPU per post", "%.0f µs (fan-out included)", float64(r.serverCPU.Microseconds())/float64(r.acked))
		}
		if d := r.delivered + r.extra; d > 0 && r.serverCPU > 0 {
			line("server CPU per delivery", "%.1f µs (posting window over listeners' deliveries)", float64(r.serverCPU.Microseconds())/float64(d))
		}
		if cfg.typists > 0 {
			line("typing signals", "%d sent by %d typists, %d refused or failed", r.typingSent, cfg.typists, r.typingFailed)
		}
		if len(r.events) > 0 && r.opened > 0 {
			var parts []string
			for _, k := range slices.Sorted(maps.Keys(r.events)) {
				parts = append(parts, fmt.Sprintf("%s %d (%.2f/stream/s)", k, r.events[k], float64(r.events[k])/float64(r.opened)/r.deliverTime.Seconds()))
			}
			line("other events received", "%s", strings.Join(parts, ", "))
		}
	}
	line("load average start / end", "%s / %s", r.loadStart, r.loadEnd)
	line("streams ended / reconnected", "%d / %d (%d messages after a reconnect)", r.ends, r.recons, r.resumed)
}

// loadAvg is the 1-minute load average of the machine.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

func mb(kb int64) string { return fmt.Sprintf("%.1f MB", float64(kb)/1024) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
