// Command loadgen measures a Mini Discord server under load: it signs up
// and logs in users, opens their event streams across rooms, posts at a set
// rate and reports delivered/expected, post→receipt latency, deliveries per
// second and the server's memory per open stream. docs/benchmarks.md has the
// figures and the commands that produced them.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	// Every stream is a socket here and in the server; the rest are the
	// posting connections and a few files.
	if err := raiseFileLimit(cfg.users + cfg.senders + cfg.concurrency); err != nil {
		logf(stderr, "warning: %v; streams past it will fail to open", err)
	}

	if cfg.peer {
		return runPeer(ctx, cfg, stdout, stderr)
	}
	srv := &server{url: cfg.url, pid: cfg.pid}
	if cfg.spawn {
		logf(stderr, "building %s and starting it", cfg.pkg)
		if srv, err = spawnServer(ctx, cfg); err != nil {
			return err
		}
		defer func() {
			took, stopErr := srv.stop(cfg.keep)
			fmt.Fprintf(stdout, "%-28s %s\n", "server exit after SIGTERM", took.Round(time.Millisecond))
			err = errors.Join(err, stopErr)
		}()
	}
	u, _ := url.Parse(srv.url)
	rep := &report{cfg: cfg, loadStart: loadAvg()}
	rs := &runState{
		cfg:      cfg,
		base:     srv.url,
		hostport: u.Host,
		tag:      "lg" + randomHex(4),
		opens:    make(chan struct{}, cfg.users),
		openSem:  make(chan struct{}, cfg.openConc),
		events:   make(map[string]*atomic.Int64),
	}
	for _, name := range countedEvents {
		rs.events[name] = new(atomic.Int64)
	}
	c := newClient(srv.url)

	// Users and rooms.
	start := time.Now()
	users, err := loginAll(ctx, c, cfg, stderr)
	if err != nil {
		return err
	}
	rep.loginTime = time.Since(start)
	rep.retried = c.retried.Load()
	rooms := make([]*room, cfg.rooms)
	for i := range rooms {
		rooms[i] = &room{name: cfg.roomPrefix + "-" + strconv.Itoa(i)}
		if rooms[i].after, err = c.openRoom(ctx, users[i], rooms[i].name); err != nil {
			return err
		}
	}
	for i, u := range users {
		u.room = rooms[i%len(rooms)]
	}
	// The listeners are the last users, so senders need not listen.
	listeners := users[len(users)-cfg.listeners:]
	for _, u := range listeners {
		u.room.streams++
	}
	c.http.CloseIdleConnections()

	// Streams.
	rep.rssBefore, _ = rssKB(srv.pid)
	logf(stderr, "opening %d streams into %d rooms", len(listeners), len(rooms))
	sctx, stopStreams := context.WithCancel(ctx)
	defer stopStreams()
	streams := make([]*stream, len(listeners))
	var wg sync.WaitGroup
	start = time.Now()
	cpuOpen := cpuTime(srv.pid)
	for i, u := range listeners {
		streams[i] = &stream{run: rs, u: u, room: u.room}
		wg.Go(func() { streams[i].loop(sctx) })
	}
	openDeadline := time.NewTimer(cfg.openTimeout)
	for n := 0; n < len(listeners); n++ {
		select {
		case <-rs.opens:
		case <-openDeadline.C:
			n = len(listeners)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	openDeadline.Stop()
	rep.openTime = time.Since(start)
	rep.openCPU = cpuTime(srv.pid) - cpuOpen
	rep.opened = int(rs.nOpen.Load())
	logf(stderr, "%d streams open after %s; settling %s", rep.opened, rep.openTime.Round(time.Millisecond), cfg.hold)
	sleepCtx(ctx, cfg.hold)
	rep.rssOpen, _ = rssKB(srv.pid)
	if cfg.checkOnline {
		// The snapshot a new stream gets is the list before it joined.
		rep.onlineWant = rooms[0].streams
		rep.onlineCount, rep.onlineEntries, rep.onlineErr = onlineCount(ctx, rs, users[0], rooms[0])
	}

	// Posting.
	if !cfg.idle {
		logf(stderr, "posting %s from %d senders for %s", rateString(cfg.rate), cfg.senders, cfg.duration)
		cpuSrv, cpuSelf := cpuTime(srv.pid), cpuTime(os.Getpid())
		start = time.Now()
		rs.posting.Store(true)
		typing := startTyping(ctx, c, listeners[:cfg.typists], cfg, rep)
		postAll(ctx, c, rs, users[:cfg.senders], rep)
		typing()
		rep.postTime = time.Since(start)
		rep.serverCPU = cpuTime(srv.pid) - cpuSrv
		rep.selfCPU = cpuTime(os.Getpid()) - cpuSelf

		// Wait for what is still on its way.
		var want int64
		for _, r := range rooms {
			want += r.nAck.Load() * int64(r.streams)
		}
		deadline := time.Now().Add(cfg.drain)
		for rs.nUnique.Load() < want && time.Now().Before(deadline) && ctx.Err() == nil {
			time.Sleep(20 * time.Millisecond)
		}
		rep.deliverTime = time.Since(start)
	}
	rep.rssEnd, rep.hwm = rssKB(srv.pid)
	rep.selfRSS, _ = rssKB(os.Getpid())
	rep.loadEnd = loadAvg()
	stopStreams()
	wg.Wait()
	rep.collect(rs, rooms, streams)
	rep.print(stdout)
	return nil
}

// loginAll signs up and logs in every user, cfg.concurrency at a time.
func loginAll(ctx context.Context, c *client, cfg config, stderr io.Writer) ([]*user, error) {
	logf(stderr, "signing up and logging in %d users", cfg.users)
	users := make([]*user, cfg.users)
	sem := make(chan struct{}, cfg.concurrency)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for i := range users {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			u, err := c.login(ctx, cfg.userPrefix+strconv.Itoa(i))
			if err != nil {
				mu.Lock()
				first = cmpOr(first, err)
				mu.Unlock()
				return
			}
			users[i] = u
		})
	}
	wg.Wait()
	return users, first
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// postAll posts from each sender at its share of the rate until the
// duration is over. A sender has one post in flight at a time; one that
// falls behind its schedule posts at once until it catches up.
func postAll(ctx context.Context, c *client, rs *runState, senders []*user, rep *report) {
	end := time.Now().Add(rs.cfg.duration)
	var interval time.Duration
	if rs.cfg.rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(len(senders)) / rs.cfg.rate)
	}
	var wg sync.WaitGroup
	for i, u := range senders {
		wg.Go(func() {
			// Spread the senders' first posts over one interval.
			next := time.Now().Add(interval * time.Duration(i) / time.Duration(len(senders)))
			for ctx.Err() == nil {
				if interval > 0 {
					if d := time.Until(next); d > 0 {
						time.Sleep(d)
					}
					next = next.Add(interval)
				}
				now := time.Now()
				if !now.Before(end) {
					return
				}
				seq := u.room.seq.Add(1)
				pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				took, err := c.post(pctx, u, rs.messageText(seq, now))
				cancel()
				rep.postLat.record(took)
				if err != nil {
					rep.postFailed(statusOf(err))
					continue
				}
				u.room.ack(seq)
			}
		})
	}
	wg.Wait()
}

// startTyping has each typist say it is typing every cfg.typingEvery, at
// staggered times, until the returned stop is called.
func startTyping(ctx context.Context, c *client, typists []*user, cfg config, rep *report) (stop func()) {
	tctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i, u := range typists {
		wg.Go(func() {
			if !sleepCtx(tctx, cfg.typingEvery*time.Duration(i)/time.Duration(len(typists))) {
				return
			}
			t := time.NewTicker(cfg.typingEvery)
			defer t.Stop()
			for {
				code, _, _, err := c.postForm(tctx, "/chat/"+u.room.name+"/typing", u.cookie, nil, true)
				if tctx.Err() != nil {
					return
				}
				rep.typed(code, err)
				select {
				case <-tctx.Done():
					return
				case <-t.C:
				}
			}
		})
	}
	return func() { cancel(); wg.Wait() }
}

func rateString(r float64) string {
	if r == 0 {
		return "as fast as possible"
	}
	return strconv.FormatFloat(r, 'f', -1, 64) + " messages/s"
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func logf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "%s loadgen: %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}
