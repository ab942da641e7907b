// Package ratelimit says whether one more request under a key may go ahead:
// a token bucket per key, kept in this process (Memory) or in a Redis shared
// by every instance (Redis). It knows nothing of HTTP; the caller picks the
// key and tells the user.
package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limiter decides whether one more request under key may go ahead now. When
// it may not, retryAfter says when it may. An error means the limiter
// itself failed (a lost connection to a shared store, say); callers then let
// the request through and log the error, so an outage of the limiter does
// not take the app down with it. A Limiter must be safe for concurrent use.
type Limiter interface {
	Allow(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error)
}

// Limit is a token bucket: Events requests at once, refilled at Events per
// Per. The zero Limit does not limit.
type Limit struct {
	Events int
	Per    time.Duration
}

// Off reports whether the limit lets everything through.
func (l Limit) Off() bool { return l.Events <= 0 || l.Per <= 0 }

// String writes the limit as Parse reads it: "10/3m0s" or "off".
func (l Limit) String() string {
	if l.Off() {
		return "off"
	}
	return strconv.Itoa(l.Events) + "/" + l.Per.String()
}

// interval is the time one token takes to come back.
func (l Limit) interval() time.Duration { return l.Per / time.Duration(l.Events) }

// Parse reads "N/DURATION" (such as "10/3m": a burst of 10, then 10 more
// every 3 minutes) or "off".
func Parse(s string) (Limit, error) {
	s = strings.TrimSpace(s)
	if s == "off" || s == "0" {
		return Limit{}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	events, err := strconv.Atoi(n)
	if !ok || err != nil || events <= 0 {
		return Limit{}, fmt.Errorf("rate limit %q: want N/DURATION, such as 10/3m, or off", s)
	}
	d, err := time.ParseDuration(per)
	if err != nil || d <= 0 {
		return Limit{}, fmt.Errorf("rate limit %q: want N/DURATION, such as 10/3m, or off", s)
	}
	return Limit{Events: events, Per: d}, nil
}
