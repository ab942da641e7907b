package main

import (
	"flag"
	"fmt"
	"net/netip"
	"strings"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/ratelimit"
)

// securityFlags registers the rate limits and the trusted proxies. The
// returned check reads them into cfg once the flags are parsed.
func securityFlags(fset *flag.FlagSet, cfg *config, env *environment) (check func() error) {
	d := handlers.DefaultRateLimits()
	onOff := fset.String("rate-limits", env.str("MINIDISCORD_RATE_LIMITS", "on"), "on, or off to turn every rate limit off, for load tests on loopback only (env MINIDISCORD_RATE_LIMITS)")
	limits := []struct {
		name, env, what string
		dst             *ratelimit.Limit
		def             ratelimit.Limit
		value           *string
	}{
		{name: "login-ip-limit", env: "MINIDISCORD_LOGIN_IP_LIMIT", what: "login attempts from one client address", dst: &cfg.limits.LoginPerIP, def: d.LoginPerIP},
		{name: "login-account-limit", env: "MINIDISCORD_LOGIN_ACCOUNT_LIMIT", what: "login attempts on one account", dst: &cfg.limits.LoginPerAccount, def: d.LoginPerAccount},
		{name: "signup-limit", env: "MINIDISCORD_SIGNUP_LIMIT", what: "accounts made from one client address", dst: &cfg.limits.SignupPerIP, def: d.SignupPerIP},
		{name: "message-limit", env: "MINIDISCORD_MESSAGE_LIMIT", what: "messages one user posts", dst: &cfg.limits.MessagePerUser, def: d.MessagePerUser},
		{name: "webhook-limit", env: "MINIDISCORD_WEBHOOK_LIMIT", what: "messages one webhook posts", dst: &cfg.limits.WebhookPerHook, def: d.WebhookPerHook},
		{name: "search-limit", env: "MINIDISCORD_SEARCH_LIMIT", what: "searches one user runs", dst: &cfg.limits.SearchPerUser, def: d.SearchPerUser},
		{name: "read-limit", env: "MINIDISCORD_READ_LIMIT", what: "read marks one user's pages send", dst: &cfg.limits.ReadPerUser, def: d.ReadPerUser},
		{name: "typing-limit", env: "MINIDISCORD_TYPING_LIMIT", what: "typing signals one user's pages send", dst: &cfg.limits.TypingPerUser, def: d.TypingPerUser},
		{name: "moderate-limit", env: "MINIDISCORD_MODERATE_LIMIT", what: "room changes (members, roles, mutes, bans, new DMs) one user makes", dst: &cfg.limits.ModeratePerUser, def: d.ModeratePerUser},
		{name: "account-limit", env: "MINIDISCORD_ACCOUNT_LIMIT", what: "account changes one user makes (display name, sessions, staff's deactivations and one-time passwords)", dst: &cfg.limits.AccountPerUser, def: d.AccountPerUser},
		{name: "upload-limit", env: "MINIDISCORD_UPLOAD_LIMIT", what: "messages with files one user posts", dst: &cfg.limits.UploadPerUser, def: d.UploadPerUser},
	}
	for i := range limits {
		l := &limits[i]
		l.value = fset.String(l.name, env.str(l.env, l.def.String()),
			fmt.Sprintf("%s: N/DURATION is a burst of N, then N more per DURATION; off for none (env %s)", l.what, l.env))
	}
	proxies := fset.String("trusted-proxies", env.str("MINIDISCORD_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For names the client; empty trusts none, and the client is the peer address (env MINIDISCORD_TRUSTED_PROXIES)")

	return func() error {
		switch *onOff {
		case "on":
		case "off":
			cfg.limitsOff = true
		default:
			return fmt.Errorf("%s %q: want on or off", origin(fset, "rate-limits", "MINIDISCORD_RATE_LIMITS"), *onOff)
		}
		for _, l := range limits {
			r, err := ratelimit.Parse(*l.value)
			if err != nil {
				return fmt.Errorf("%s: %w", origin(fset, l.name, l.env), err)
			}
			*l.dst = r
		}
		if cfg.limitsOff {
			cfg.limits = handlers.RateLimits{}
		}
		for p := range strings.SplitSeq(*proxies, ",") {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			if _, err := netip.ParseAddr(p); err != nil {
				if _, err := netip.ParsePrefix(p); err != nil {
					return fmt.Errorf("%s: %q is neither an address nor a CIDR", origin(fset, "trusted-proxies", "MINIDISCORD_TRUSTED_PROXIES"), p)
				}
			}
			cfg.proxies = append(cfg.proxies, p)
		}
		return nil
	}
}
