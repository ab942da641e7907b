package handlers

import (
	"math"
	"net/netip"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/ratelimit"
)

// RateLimits are the budgets of the actions worth guessing or flooding.
type RateLimits struct {
	// LoginPerIP and LoginPerAccount bound login attempts from one client
	// address and against one username.
	LoginPerIP      ratelimit.Limit
	LoginPerAccount ratelimit.Limit
	// SignupPerIP bounds accounts made from one client address.
	SignupPerIP ratelimit.Limit
	// MessagePerUser bounds how fast one user posts.
	MessagePerUser ratelimit.Limit
}

// DefaultRateLimits are the limits the server runs with unless told
// otherwise: Campfire's 10 login attempts per 3 minutes, 10 signups an hour
// from one address, and a burst of 10 messages, then one every 300 ms.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		LoginPerIP:      ratelimit.Limit{Events: 10, Per: 3 * time.Minute},
		LoginPerAccount: ratelimit.Limit{Events: 10, Per: 3 * time.Minute},
		SignupPerIP:     ratelimit.Limit{Events: 10, Per: time.Hour},
		MessagePerUser:  ratelimit.Limit{Events: 10, Per: 3 * time.Second},
	}
}

// limiters are the Handler's rate limiters, one per budget; nil lets
// everything through.
type limiters struct {
	loginIP, loginAccount, signupIP, message ratelimit.Limiter
}

func newLimiters(cfg Config) limiters {
	build := func(name string, l ratelimit.Limit) ratelimit.Limiter {
		switch {
		case l.Off():
			return nil
		case cfg.NewLimiter != nil:
			return cfg.NewLimiter(name, l)
		default:
			return ratelimit.NewMemory(l, memoryLimiterKeys)
		}
	}
	return limiters{
		loginIP:      build("login-ip", cfg.RateLimits.LoginPerIP),
		loginAccount: build("login-account", cfg.RateLimits.LoginPerAccount),
		signupIP:     build("signup-ip", cfg.RateLimits.SignupPerIP),
		message:      build("message-user", cfg.RateLimits.MessagePerUser),
	}
}

// allow asks l whether key may go ahead. When it may not, allow sets
// Retry-After and returns what to tell the user.
func (h *Handler) allow(c *gin.Context, l ratelimit.Limiter, key string) (msg string, ok bool) {
	if l == nil {
		return "", true
	}
	ok, wait, err := l.Allow(c.Request.Context(), key)
	if err != nil {
		h.log.Error("rate limiter failed; letting the request through", "key", key, "err", err)
		return "", true
	}
	if ok {
		return "", true
	}
	secs := max(1, int(math.Ceil(wait.Seconds())))
	c.Header("Retry-After", strconv.Itoa(secs))
	h.log.Warn("rate limited", "path", c.Request.URL.Path, "key", key, "retry_after", secs)
	return retryMessage(secs), false
}

func retryMessage(secs int) string {
	switch {
	case secs == 1:
		return "Try again in a second."
	case secs < 120:
		return "Try again in " + strconv.Itoa(secs) + " seconds."
	default:
		return "Try again in " + strconv.Itoa((secs+59)/60) + " minutes."
	}
}

// allowLogin checks the client address first, then the account, so a
// refused address does not use up the account's budget.
func (h *Handler) allowLogin(c *gin.Context, username string) (msg string, ok bool) {
	if msg, ok = h.allow(c, h.limits.loginIP, "ip:"+clientKey(c)); ok && models.ValidateUsername(username) == "" {
		// (A name that is not valid cannot have an account: the address
		// limit is enough.)
		msg, ok = h.allow(c, h.limits.loginAccount, "user:"+models.FoldKey(username))
	}
	if !ok {
		msg = "Too many login attempts. " + msg
	}
	return msg, ok
}

// allowSignup counts the signups that would make an account.
func (h *Handler) allowSignup(c *gin.Context) (msg string, ok bool) {
	if msg, ok = h.allow(c, h.limits.signupIP, "ip:"+clientKey(c)); !ok {
		msg = "Too many accounts were made from your address. " + msg
	}
	return msg, ok
}

// allowMessage counts every post, good or bad, by the logged-in user.
func (h *Handler) allowMessage(c *gin.Context) (msg string, ok bool) {
	key := "user:" + strconv.FormatInt(currentUser(c).ID, 10)
	if msg, ok = h.allow(c, h.limits.message, key); !ok {
		msg = "You are sending messages too fast. " + msg
	}
	return msg, ok
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

// memoryLimiterKeys bounds how many keys one in-memory limiter tracks.
const memoryLimiterKeys = 100_000
