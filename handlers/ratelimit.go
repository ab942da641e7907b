package handlers

import (
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
	// WebhookPerHook bounds how fast one webhook posts (a bot account
	// posts under MessagePerUser, like anyone).
	WebhookPerHook ratelimit.Limit
	// SearchPerUser bounds how fast one user searches (each search reads
	// an index; results follow the typing).
	SearchPerUser ratelimit.Limit
	// ReadPerUser bounds how often one user's pages say how far they have
	// read, and TypingPerUser how often they say they are typing (the page
	// sends at most one every 3 s).
	ReadPerUser   ratelimit.Limit
	TypingPerUser ratelimit.Limit
	// ModeratePerUser bounds how fast one user changes rooms' members,
	// roles, mutes and bans, and opens direct messages.
	ModeratePerUser ratelimit.Limit
	// AccountPerUser bounds the changes one user makes to accounts: their
	// display name and sessions, and for staff, other users (deactivate,
	// one-time passwords). Password changes count as logins instead.
	AccountPerUser ratelimit.Limit
	// UploadPerUser bounds how often one user posts files (each is read,
	// and an image decoded, before anything is stored).
	UploadPerUser ratelimit.Limit
}

// DefaultRateLimits are the limits the server runs with unless told
// otherwise: Campfire's 10 login attempts per 3 minutes, 10 signups an hour
// from one address, a burst of 10 messages, then one every 300 ms (for a user and for a webhook), a burst
// of 60 searches (a minute of typing), then one a second, a burst of 20
// read marks, then one a second (several tabs, each marking at most every
// 2 s), two typing signals, then one every 3 s, a burst of 30 room changes
// and 20 account changes, each then one every 2-3 s,
// and a burst of 10 posts with files, then
// one every 6 s.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		LoginPerIP:      ratelimit.Limit{Events: 10, Per: 3 * time.Minute},
		LoginPerAccount: ratelimit.Limit{Events: 10, Per: 3 * time.Minute},
		SignupPerIP:     ratelimit.Limit{Events: 10, Per: time.Hour},
		MessagePerUser:  ratelimit.Limit{Events: 10, Per: 3 * time.Second},
		WebhookPerHook:  ratelimit.Limit{Events: 10, Per: 3 * time.Second},
		SearchPerUser:   ratelimit.Limit{Events: 60, Per: time.Minute},
		ReadPerUser:     ratelimit.Limit{Events: 20, Per: 20 * time.Second},
		TypingPerUser:   ratelimit.Limit{Events: 2, Per: 6 * time.Second},
		ModeratePerUser: ratelimit.Limit{Events: 30, Per: time.Minute},
		AccountPerUser:  ratelimit.Limit{Events: 20, Per: time.Minute},
		UploadPerUser:   ratelimit.Limit{Events: 10, Per: time.Minute},
	}
}

// limiters are the Handler's rate limiters, one per budget; nil lets
// everything through.
type limiters struct {
	loginIP, loginAccount, signupIP, message, webhook, search, read, typing ratelimit.Limiter
	moderate, account, upload                                               ratelimit.Limiter
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
		webhook:      build("webhook", cfg.RateLimits.WebhookPerHook),
		search:       build("search-user", cfg.RateLimits.SearchPerUser),
		read:         build("read-user", cfg.RateLimits.ReadPerUser),
		typing:       build("typing-user", cfg.RateLimits.TypingPerUser),
		moderate:     build("moderate-user", cfg.RateLimits.ModeratePerUser),
		account:      build("account-user", cfg.RateLimits.AccountPerUser),
		upload:       build("upload-user", cfg.RateLimits.UploadPerUser),
	}
}

// allow asks l whether key may go ahead. When it may not, it returns a
// *rateLimitError saying why (reason) and when to try again.
func (h *Handler) allow(c *gin.Context, l ratelimit.Limiter, key, reason string) error {
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
	if err == nil && models.PlausibleName(username) {
		// (A name that could not be an account's: the address limit is
		// enough.)
		err = h.allow(c, h.limits.loginAccount, "user:"+models.FoldKey(username), reason)
	}
	return err
}

// allowSignup counts the signups that would make an account.
func (h *Handler) allowSignup(c *gin.Context) error {
	return h.allow(c, h.limits.signupIP, "ip:"+clientKey(c), "Too many accounts were made from your address.")
}

// allowUpload counts every post with files by the logged-in user.
func (h *Handler) allowUpload(c *gin.Context) error {
	key := "user:" + strconv.FormatInt(currentUser(c).ID, 10)
	return h.allow(c, h.limits.upload, key, "You are sending files too fast.")
}

// allowMessage counts every post, good or bad, by the logged-in user.
func (h *Handler) allowMessage(c *gin.Context) error {
	key := "user:" + strconv.FormatInt(currentUser(c).ID, 10)
	return h.allow(c, h.limits.message, key, "You are sending messages too fast.")
}

// allowWebhook counts every post to a webhook whose token was right.
func (h *Handler) allowWebhook(c *gin.Context, hookID int64) error {
	return h.allow(c, h.limits.webhook, "hook:"+strconv.FormatInt(hookID, 10), "This webhook is posting too fast.")
}

// allowSearch counts every search the logged-in user runs.
func (h *Handler) allowSearch(c *gin.Context) error {
	key := "user:" + strconv.FormatInt(currentUser(c).ID, 10)
	return h.allow(c, h.limits.search, key, "You are searching too fast.")
}

// allowRead counts the read marks a user's pages send.
func (h *Handler) allowRead(c *gin.Context) error {
	key := "user:" + strconv.FormatInt(currentUser(c).ID, 10)
	return h.allow(c, h.limits.read, key, "Too many read marks.")
}

// allowTyping counts the typing signals a user's pages send.
func (h *Handler) allowTyping(c *gin.Context) error {
	key := "user:" + strconv.FormatInt(currentUser(c).ID, 10)
	return h.allow(c, h.limits.typing, key, "Too many typing signals.")
}

// allowModerate counts the changes a user makes to rooms' members, roles,
// mutes and bans, and the direct messages they open.
func (h *Handler) allowModerate(c *gin.Context) error {
	key := "user:" + strconv.FormatInt(currentUser(c).ID, 10)
	return h.allow(c, h.limits.moderate, key, "You are changing rooms too fast.")
}

// allowAccount counts the account changes a user makes.
func (h *Handler) allowAccount(c *gin.Context) error {
	key := "user:" + strconv.FormatInt(currentUser(c).ID, 10)
	return h.allow(c, h.limits.account, key, "Too many account changes.")
}

// allowPassword counts a password change's check of the current password
// as a login attempt on the account, from the client's address.
func (h *Handler) allowPassword(c *gin.Context) error {
	return h.allowLogin(c, currentUser(c).Username)
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

// allowNewRoom counts a room about to be created against its creator's
// posting budget: a room is a write like a message.
func (h *Handler) allowNewRoom(c *gin.Context) error {
	key := "user:" + strconv.FormatInt(currentUser(c).ID, 10)
	return h.allow(c, h.limits.message, key, "You are creating rooms too fast.")
}
