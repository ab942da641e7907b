// Package handlers is the HTTP surface: one Handler holding its
// dependencies, one file per action, routes.go listing every URL.
package handlers

import (
	"context"
	"crypto/rand"
	"log/slog"
	"runtime"
	"time"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/ratelimit"
	"github.com/minidiscord/minidiscord/realtime"
)

// Config is what the handlers need to know about their deployment.
type Config struct {
	// SessionKey signs the session cookie (32 or 64 random bytes).
	SessionKey []byte
	// SecureCookies marks cookies Secure (behind TLS or a TLS proxy).
	SecureCookies bool
	// SessionTTL bounds a login's lifetime.
	SessionTTL time.Duration
	// Heartbeat is how often an idle stream gets a comment line.
	Heartbeat time.Duration
	// ReadTimeout bounds how long a request may take to send its body
	// (10 s); streams are exempt.
	ReadTimeout time.Duration
	// StreamWriteTimeout is how long a stream's client may take to accept
	// what it is sent before it is taken for dead (20 s).
	StreamWriteTimeout time.Duration
	// Retry is the reconnect delay suggested to EventSource clients.
	Retry time.Duration
	// HistorySize is how many messages a room page shows.
	HistorySize int
	// PasswordCost is the bcrypt cost of new passwords (0: bcrypt's default).
	PasswordCost int
	// Dev serves the designers' /styleguide page.
	Dev bool
	// RateLimits bound logins, signups and posts (ratelimit.go). A zero
	// limit lets everything through; cmd/minidiscord starts from
	// DefaultRateLimits.
	RateLimits RateLimits
	// NewLimiter makes the limiter for one of the RateLimits, named
	// "login-ip", "login-account", "signup-ip", "message-user", "webhook",
	// "read-user", "typing-user" or "upload-user"; nil keeps each in memory
	// (ratelimit.NewMemory).
	NewLimiter func(name string, limit ratelimit.Limit) ratelimit.Limiter
	// TrustedProxies are the addresses or CIDRs whose X-Forwarded-For names
	// the client; none by default.
	TrustedProxies []string
	// ActivityEvery is the least time between two broadcasts of the rooms'
	// activity (new messages, online counts) to every stream (1 s).
	ActivityEvery time.Duration
	// Typing tunes the typing indicator.
	Typing realtime.TypingOptions
	// MaxFileSize bounds each attached file (10 MiB); UploadQuota bounds
	// the sum of one user's files (0: no bound).
	MaxFileSize int64
	UploadQuota int64
}

func (c *Config) defaults() {
	if c.SessionTTL <= 0 {
		c.SessionTTL = 14 * 24 * time.Hour
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = 15 * time.Second
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 10 * time.Second
	}
	if c.StreamWriteTimeout <= 0 {
		c.StreamWriteTimeout = streamWriteTimeout
	}
	if c.Retry <= 0 {
		c.Retry = 2 * time.Second
	}
	if c.HistorySize <= 0 {
		c.HistorySize = 50
	}
	if c.ActivityEvery <= 0 {
		c.ActivityEvery = time.Second
	}
	if c.MaxFileSize <= 0 {
		c.MaxFileSize = DefaultMaxFileSize
	}
}

// Handler serves every request.
type Handler struct {
	log     *slog.Logger
	store   *models.Store
	hub     *realtime.Hub
	writer  *models.Writer
	metrics *metrics
	limits  limiters
	cfg     Config
	// dummyHash is compared with when a login names no user.
	dummyHash func() string

	// reads stores read marks; activity gathers the rooms' news for every
	// sidebar; typing is who is typing where (sidebar.go, typing.go).
	reads    *models.ReadMarks
	activity *activity
	typing   *realtime.Typing
	// instance tells this process's typing sets from other instances'.
	instance string
	// decoding bounds how many uploaded images are decoded at once.
	decoding chan struct{}
	// streams are the streams served off net/http (stream_conn.go).
	streams detachedStreams
}

// DefaultMaxFileSize is the size limit of one attached file.
const DefaultMaxFileSize = 10 << 20

// newHandler makes the Handler; NewApp gives it its hub and writer.
func newHandler(log *slog.Logger, store *models.Store, cfg Config) *Handler {
	cfg.defaults()
	h := &Handler{log: log, store: store, cfg: cfg, instance: rand.Text()[:8], decoding: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))}
	h.metrics = h.newMetrics()
	h.limits = newLimiters(cfg)
	h.dummyHash = models.DummyPasswordHash(cfg.PasswordCost)
	return h
}

// cleanSessions deletes expired sessions every interval until ctx ends.
func (h *Handler) cleanSessions(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := h.store.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
				h.log.Error("clean sessions", "err", err)
			}
		}
	}
}
