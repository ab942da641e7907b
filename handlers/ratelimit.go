package handlers

import (
	"container/list"
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/minidiscord/minidiscord/models"
)

// Limiter decides whether one more request under key may go ahead now. When
// it may not, retryAfter says when it may. An error means the limiter
// itself failed (a lost connection to a shared store, say); the request is
// then let through and the error logged, so an outage of the limiter does
// not take the chat down with it. A Limiter must be safe for concurrent use.
type Limiter interface {
	Allow(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error)
}

// RateLimit is a token bucket: Events requests at once, refilled at Events
// per Per. The zero RateLimit does not limit.
type RateLimit struct {
	Events int
	Per    time.Duration
}

// Off reports whether the limit lets everything through.
func (l RateLimit) Off() bool { return l.Events <= 0 || l.Per <= 0 }

// String writes the limit as ParseRateLimit reads it: "10/3m0s" or "off".
func (l RateLimit) String() string {
	if l.Off() {
		return "off"
	}
	return strconv.Itoa(l.Events) + "/" + l.Per.String()
}

// ParseRateLimit reads "N/DURATION" (such as "10/3m": a burst of 10, then 10
// more every 3 minutes) or "off".
func ParseRateLimit(s string) (RateLimit, error) {
	s = strings.TrimSpace(s)
	if s == "off" || s == "0" {
		return RateLimit{}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	events, err := strconv.Atoi(n)
	if !ok || err != nil || events <= 0 {
		return RateLimit{}, fmt.Errorf("rate limit %q: want N/DURATION, such as 10/3m, or off", s)
	}
	d, err := time.ParseDuration(per)
	if err != nil || d <= 0 {
		return RateLimit{}, fmt.Errorf("rate limit %q: want N/DURATION, such as 10/3m, or off", s)
	}
	return RateLimit{Events: events, Per: d}, nil
}

// RateLimits are the budgets of the actions worth guessing or flooding.
type RateLimits struct {
	// LoginPerIP and LoginPerAccount bound login attempts from one client
	// address and against one username.
	LoginPerIP      RateLimit
	LoginPerAccount RateLimit
	// SignupPerIP bounds accounts made from one client address.
	SignupPerIP RateLimit
	// MessagePerUser bounds how fast one user posts.
	MessagePerUser RateLimit
}

// DefaultRateLimits are the limits the server runs with unless told
// otherwise: Campfire's 10 login attempts per 3 minutes, 10 signups an hour
// from one address, and a burst of 10 messages, then one every 300 ms.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		LoginPerIP:      RateLimit{Events: 10, Per: 3 * time.Minute},
		LoginPerAccount: RateLimit{Events: 10, Per: 3 * time.Minute},
		SignupPerIP:     RateLimit{Events: 10, Per: time.Hour},
		MessagePerUser:  RateLimit{Events: 10, Per: 3 * time.Second},
	}
}

// limiters are the Handler's rate limiters, one per budget; nil lets
// everything through.
type limiters struct {
	loginIP, loginAccount, signupIP, message Limiter
}

func newLimiters(cfg Config) limiters {
	build := func(name string, l RateLimit) Limiter {
		switch {
		case l.Off():
			return nil
		case cfg.NewLimiter != nil:
			return cfg.NewLimiter(name, l)
		default:
			return NewMemoryLimiter(l, memoryLimiterKeys)
		}
	}
	return limiters{
		loginIP:      build("login-ip", cfg.RateLimits.LoginPerIP),
		loginAccount: build("login-account", cfg.RateLimits.LoginPerAccount),
		signupIP:     build("signup-ip", cfg.RateLimits.SignupPerIP),
		message:      build("message-user", cfg.RateLimits.MessagePerUser),
	}
}

// allow asks l whether key may go ahead. When it may not, it returns a
// *rateLimitError saying why (reason) and when to try again.
func (h *Handler) allow(c *gin.Context, l Limiter, key, reason string) error {
	if l == nil {
		return nil
	}
	ok, wait, err := l.Allow(c.Request.Context(), key)
	if err != nil {
		h.log.Error("rate limiter failed; letting the request through", "key", key, "err", err)
		return nil
	}
	if ok {
		return nil
	}
	refusal := &rateLimitError{Reason: reason, RetryAfter: wait}
	h.log.Warn("rate limited", "path", c.Request.URL.Path, "key", key, "retry_after", refusal.seconds())
	return refusal
}

// allowLogin checks the client address first, then the account, so a
// refused address does not use up the account's budget.
func (h *Handler) allowLogin(c *gin.Context, username string) error {
	const reason = "Too many login attempts."
	err := h.allow(c, h.limits.loginIP, "ip:"+clientKey(c), reason)
	if err == nil && models.ValidateUsername(username) == nil {
		// (A name that is not valid cannot have an account: the address
		// limit is enough.)
		err = h.allow(c, h.limits.loginAccount, "user:"+models.FoldKey(username), reason)
	}
	return err
}

// allowSignup counts the signups that would make an account.
func (h *Handler) allowSignup(c *gin.Context) error {
	return h.allow(c, h.limits.signupIP, "ip:"+clientKey(c), "Too many accounts were made from your address.")
}

// allowMessage counts every post, good or bad, by the logged-in user.
func (h *Handler) allowMessage(c *gin.Context) error {
	key := "user:" + strconv.FormatInt(currentUser(c).ID, 10)
	return h.allow(c, h.limits.message, key, "You are sending messages too fast.")
}

// clientKey names the client's address for rate limiting. IPv6 clients are
// keyed by their /64, which one subscriber usually holds whole: counting
// each address apart would give one machine 2^64 budgets.
func clientKey(c *gin.Context) string {
	addr, err := netip.ParseAddr(c.ClientIP())
	if err != nil {
		return c.ClientIP()
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

// memoryLimiterKeys bounds how many keys one MemoryLimiter tracks.
const memoryLimiterKeys = 100_000

// MemoryLimiter is a Limiter kept in this process: one token bucket
// (golang.org/x/time/rate) per key. It forgets a key once its bucket has
// refilled, which loses nothing since a full bucket is a fresh one, and it
// never tracks more than maxKeys: past that the least recently used key is
// forgotten. Limits hold per process; several instances need a shared
// Limiter.
type MemoryLimiter struct {
	limit   rate.Limit
	burst   int
	refill  time.Duration // how long an emptied bucket takes to fill
	maxKeys int
	now     func() time.Time

	mu   sync.Mutex
	keys map[string]*list.Element // of *bucket
	lru  list.List                // most recently used at the front
}

type bucket struct {
	key  string
	lim  *rate.Limiter
	seen time.Time
}

// NewMemoryLimiter makes an in-memory Limiter for l tracking at most maxKeys
// keys.
func NewMemoryLimiter(l RateLimit, maxKeys int) *MemoryLimiter {
	return &MemoryLimiter{
		limit:   rate.Every(l.Per / time.Duration(l.Events)),
		burst:   l.Events,
		refill:  l.Per,
		maxKeys: max(1, maxKeys),
		now:     time.Now,
		keys:    make(map[string]*list.Element),
	}
}

// Allow takes a token from key's bucket if it has one.
func (m *MemoryLimiter) Allow(_ context.Context, key string) (bool, time.Duration, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.forget(now)
	var b *bucket
	if el, ok := m.keys[key]; ok {
		b = el.Value.(*bucket)
		m.lru.MoveToFront(el)
	} else {
		b = &bucket{key: key, lim: rate.NewLimiter(m.limit, m.burst)}
		m.keys[key] = m.lru.PushFront(b)
		for len(m.keys) > m.maxKeys {
			m.remove(m.lru.Back())
		}
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, m.refill, nil
	}
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now) // a refused request costs nothing
		return false, wait, nil
	}
	return true, 0, nil
}

// forget drops the buckets that have refilled since they were last used.
// They sit at the back of the list, so this costs one step per bucket
// dropped.
func (m *MemoryLimiter) forget(now time.Time) {
	for el := m.lru.Back(); el != nil; el = m.lru.Back() {
		if now.Sub(el.Value.(*bucket).seen) < m.refill {
			return
		}
		m.remove(el)
	}
}

func (m *MemoryLimiter) remove(el *list.Element) {
	delete(m.keys, el.Value.(*bucket).key)
	m.lru.Remove(el)
}

// Len is how many keys the limiter tracks now.
func (m *MemoryLimiter) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.keys)
}
