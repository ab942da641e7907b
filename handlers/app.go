package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/ratelimit"
	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/realtime/cluster"
)

// AppConfig is what the whole app is built from.
// defaultBacklog is how far behind a stream may fall (beyond the hub's
// queue) before it is dropped and must reconnect and replay: a reader
// that the scheduler left waiting through a burst catches up in place, at
// no cost to an idle stream's memory.
const defaultBacklog = 4096

type AppConfig struct {
	// Log gets every log line (slog.Default() if nil).
	Log *slog.Logger

	// DB is the SQLite file or postgres:// URL to open and migrate, unless
	// Store is given (a test's store, which Close leaves open).
	DB    string
	Store *models.Store

	// Broker is the redis:// URL linking several instances; unset, this
	// process is alone (an in-process hub, in-memory rate limits). Redis,
	// if given instead, is used and left open by Close.
	Broker string
	Redis  *redis.Client
	// Cluster tunes the link (Prefix defaults to "minidiscord:").
	Cluster cluster.Options

	// Hub tunes the registry (queue size, leave grace, coalescing); its
	// renderer and relay are the app's.
	Hub realtime.Options
	// Handler is the HTTP side; a zero SessionKey is read from the store
	// (models.Store.SessionKey).
	Handler Config
	// CleanSessionsEvery is how often expired logins are deleted (1h).
	CleanSessionsEvery time.Duration
}

// App is the whole server behind its routes: the store, the single writer
// of room changes, the hub and its link to other instances, the rate
// limiters, the handler and the background jobs. NewApp builds it, and
// Close takes it down in the one order that loses nothing.
type App struct {
	Store   *models.Store
	Hub     *realtime.Hub
	Handler *Handler

	log       *slog.Logger
	ownStore  bool
	rdb       *redis.Client
	ownRedis  bool
	cluster   *cluster.Cluster
	stopJobs  context.CancelFunc
	jobs      sync.WaitGroup
	closeOnce sync.Once
}

// NewApp builds the app and starts its writer and background jobs.
func NewApp(ctx context.Context, cfg AppConfig) (_ *App, err error) {
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	a := &App{log: log, Store: cfg.Store, rdb: cfg.Redis}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	if a.Store == nil {
		if a.Store, err = models.Open(ctx, cfg.DB); err != nil {
			return nil, err
		}
		a.ownStore = true
	}
	hcfg := cfg.Handler
	if len(hcfg.SessionKey) == 0 {
		if hcfg.SessionKey, err = a.Store.SessionKey(ctx); err != nil {
			return nil, err
		}
	}

	if a.rdb == nil && cfg.Broker != "" {
		opts, err := redis.ParseURL(cfg.Broker)
		if err != nil {
			return nil, fmt.Errorf("the broker's URL: %w", err)
		}
		a.rdb, a.ownRedis = redis.NewClient(opts), true
		if err := a.rdb.Ping(ctx).Err(); err != nil {
			return nil, fmt.Errorf("connect to the broker: %w", err)
		}
	}
	hopts := cfg.Hub
	copts := cfg.Cluster
	if copts.Prefix == "" {
		copts.Prefix = "minidiscord:"
	}
	if copts.Log == nil {
		copts.Log = log
	}
	if a.rdb != nil && hcfg.NewLimiter == nil {
		// Limits hold across instances.
		rdb, prefix := a.rdb, copts.Prefix+"rl:"
		hcfg.NewLimiter = func(name string, l ratelimit.Limit) ratelimit.Limiter {
			return ratelimit.NewRedis(rdb, prefix+name+":", l)
		}
	}
	// The handler renders the hub's presence events, and serves its streams.
	h := newHandler(log, a.Store, hcfg)
	hopts.Renderer = presenceRenderer{h}
	hopts.Encode = encodeEvent
	hopts.Heartbeat = h.cfg.Heartbeat
	hopts.Ping = realtime.Event{Frame: pingFrame}
	if hopts.Backlog == 0 {
		hopts.Backlog = defaultBacklog
	}
	// Every change the store makes to a user (a display name, a picture,
	// ...) redraws their online entries: refreshMember.
	refresh := func(userID int64) { h.refreshMember(context.WithoutCancel(ctx), userID) }
	a.Store.OnUserChange(refresh)
	if a.rdb != nil {
		// The store caches sessions: a change to a user here reaches
		// the others' caches, and theirs this one's; and their online
		// entries here, as one made here.
		copts.UserChanged = func(userID int64) {
			a.Store.ForgetUser(userID)
			if userID != 0 {
				refresh(userID)
			}
		}
		a.cluster = cluster.New(a.rdb, MessageHistory{Store: a.Store}, copts)
		a.Store.OnUserChange(func(userID int64) {
			a.cluster.UserChanged(userID)
			refresh(userID)
		})
		hopts.Relay = a.cluster
	}
	// The rooms' activity is gathered from presence (the hub's renderer)
	// and from the writer: it exists before either.
	h.activity = newActivity(h.cfg.ActivityEvery, h.broadcastActivity)
	a.Hub = realtime.NewHub(hopts)
	h.hub = a.Hub
	h.typing = realtime.NewTyping(h.cfg.Typing, h.announceTyping)
	h.reads = a.Store.NewReadMarks()
	h.writer = a.Store.NewWriter(h.publishMessages)
	a.Handler = h

	every := cfg.CleanSessionsEvery
	if every <= 0 {
		every = time.Hour
	}
	jobs, stop := context.WithCancel(context.WithoutCancel(ctx))
	a.stopJobs = stop
	a.jobs.Go(func() { h.cleanSessions(jobs, every) })
	return a, nil
}

// Routes is the app's HTTP handler.
func (a *App) Routes() http.Handler { return a.Handler.Routes() }

// Close takes the app down, after the HTTP server has stopped taking
// requests: the streams end (the hub), the posts in flight are committed
// and published (the writer), what is left to send reaches the other
// instances and this one's presence is withdrawn (the link), then the
// connections close. Safe to call twice.
func (a *App) Close() {
	a.closeOnce.Do(func() {
		if a.stopJobs != nil {
			a.stopJobs()
			a.jobs.Wait()
		}
		if a.Hub != nil {
			a.Hub.Close()
		}
		if h := a.Handler; h != nil {
			// Streams taken off net/http, which Shutdown did not wait for:
			// the hub's closing ends them; wait for their goroutines.
			h.streams.close(streamShutdownGrace)
			h.writer.Close()
			h.reads.Close()
			// Their timers publish: stop them before the link goes.
			h.typing.Close()
			h.activity.Close()
		}
		if a.cluster != nil {
			a.cluster.Close()
		}
		if a.rdb != nil && a.ownRedis {
			a.rdb.Close()
		}
		if a.Store != nil && a.ownStore {
			if err := a.Store.Close(); err != nil && !errors.Is(err, context.Canceled) {
				a.log.Warn("close database", "err", err)
			}
		}
	})
}
